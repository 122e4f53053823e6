import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { AppName, PlatformConfig } from '../config/platform-config';
import { Alerting } from './alerting';
import { AppService } from './app-service';
import { ColdPath } from './cold-path';
import { REFINED_TABLES } from './governance';
import { HotPath } from './hot-path';
import { InfluxTrendStore } from './influx-trend-store';
import { LakeCatalog } from './lake-catalog';
import { LakeGrant } from './lake-permissions';
import { MlPlatform } from './ml-platform';
import { APP_PORTS, TREND_APPS } from './service-environment';

export interface ServiceGrantsProps {
  config: PlatformConfig;
  apps: Record<AppName, AppService>;
  hotPath: HotPath;
  coldPath: ColdPath;
  alerting: Alerting;
  catalog: LakeCatalog;
  ml: MlPlatform;
  trendStore?: InfluxTrendStore;
}

/**
 * Least privilege: each app's task role gets what its app calls, nothing else (through the
 * grantX() methods of the constructs that own the resources), and each service accepts traffic
 * only from the services that call it.
 */
export class ServiceGrants extends Construct {
  constructor(scope: Construct, id: string, props: ServiceGrantsProps) {
    super(scope, id);
    const { config, apps, hotPath, coldPath, alerting, catalog, ml, trendStore } = props;

    const writer = apps['stream-writer'].taskRole;
    hotPath.plantEvents.grantRead(writer);
    hotPath.changeFeed.grantWrite(writer);
    // The change-feed sink's health check describes the stream (apps/stream-writer/src/routing/sink-health.ts).
    hotPath.changeFeed.grant(writer, 'kinesis:DescribeStreamSummary');
    hotPath.grantKpiStoreWrite(writer);
    hotPath.leaseTable.grantReadWriteData(writer);
    alerting.grantPutAlerts(writer);
    coldPath.grantPutRecords(writer);
    coldPath.grantPutDeadLetters(writer);

    const kpi = apps['kpi-subgraph'].taskRole;
    hotPath.grantKpiReadAndAcknowledge(kpi);
    hotPath.changeFeed.grantRead(kpi);

    const history = apps['history-subgraph'].taskRole;
    catalog.grantAthenaQuery(history, REFINED_TABLES);
    new LakeGrant(this, 'HistoryReadsRefined', {
      principalArn: history.roleArn,
      tables: REFINED_TABLES,
      access: 'read',
    });

    if (config.hotPath.trendStore === 'timestream-liveanalytics') {
      hotPath.grantTelemetryWrite(writer);
      hotPath.grantTelemetryQuery(history);
    } else if (trendStore) {
      // The token reaches the containers as an ECS secret (the execution role reads it), not through the task roles.
      for (const name of TREND_APPS) trendStore.allowFrom(apps[name].service, `${name} → trend store`);
    }

    // The feature sink writes online records.
    ml.grantWriteFeatures(writer);
    const mlRole = apps['ml-subgraph'].taskRole;
    ml.grantReadFeatures(mlRole);
    ml.grantInvokeModel(mlRole);

    for (const subgraph of ['kpi-subgraph', 'history-subgraph', 'ml-subgraph'] as const) {
      apps[subgraph].service.connections.allowFrom(apps.gateway.service, ec2.Port.tcp(APP_PORTS[subgraph]), 'gateway → subgraph');
    }
  }
}
