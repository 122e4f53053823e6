import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as timestream from 'aws-cdk-lib/aws-timestream';
import { Construct } from 'constructs';
import { KpiTableSchema, ResourceNames } from '@plant/config';
import { PlatformConfig, StreamCapacity } from '../config/platform-config';

export interface HotPathProps {
  config: PlatformConfig;
  key: kms.IKey;
}

const alertsByPlant = KpiTableSchema.alertsByPlantIndex;

/**
 * What the stream-writer reads and writes within milliseconds: the `plant-events` stream, the
 * live change feed, the KPI and lease tables and (LiveAnalytics accounts only) the Timestream trend table. The KPI table's keys,
 * index and TTL attribute come from `KpiTableSchema`, as in the local stack (libs/local-aws/src/provision.ts).
 */
export class HotPath extends Construct {
  readonly plantEvents: kinesis.Stream;
  readonly changeFeed: kinesis.Stream;
  readonly kpiTable: dynamodb.Table;
  readonly leaseTable: dynamodb.Table;
  /** Only with trendStore timestream-liveanalytics; the InfluxDB store lives in the services' VPC (InfluxTrendStore). */
  readonly telemetryDatabase?: timestream.CfnDatabase;
  readonly telemetryTable?: timestream.CfnTable;

  constructor(scope: Construct, id: string, props: HotPathProps) {
    super(scope, id);
    const { hotPath, removalPolicy } = props.config;

    // aws/kinesis, not the platform key: consumers then need no KMS grant and cdk-nag KDS3 holds.
    this.plantEvents = new kinesis.Stream(this, 'PlantEvents', {
      streamName: ResourceNames.plantEventsStream,
      ...streamCapacity(hotPath.plantEvents),
      encryption: kinesis.StreamEncryption.MANAGED,
      retentionPeriod: hotPath.streamRetention,
      removalPolicy,
    });
    this.changeFeed = new kinesis.Stream(this, 'ChangeFeed', {
      streamName: ResourceNames.changeFeedStream,
      ...streamCapacity({ mode: 'provisioned', shards: hotPath.changeFeedShards }),
      encryption: kinesis.StreamEncryption.MANAGED,
      // Subscribers read from "now"; retained history only serves incident analysis.
      retentionPeriod: hotPath.streamRetention,
      removalPolicy,
    });

    const tableDefaults = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    };
    this.kpiTable = new dynamodb.Table(this, 'KpiTable', {
      ...tableDefaults,
      tableName: ResourceNames.kpiTable,
      partitionKey: { name: KpiTableSchema.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: KpiTableSchema.sortKey, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: KpiTableSchema.ttlAttribute,
    });
    this.kpiTable.addGlobalSecondaryIndex({
      indexName: alertsByPlant.indexName,
      partitionKey: { name: alertsByPlant.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: alertsByPlant.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType[alertsByPlant.projection],
    });
    this.leaseTable = new dynamodb.Table(this, 'LeaseTable', {
      ...tableDefaults,
      tableName: ResourceNames.leaseTable,
      partitionKey: { name: 'leaseKey', type: dynamodb.AttributeType.STRING },
    });

    if (hotPath.trendStore === 'timestream-liveanalytics') {
      // Timestream for LiveAnalytics is closed to new customers (2025-06-20): a new account fails here.
      this.telemetryDatabase = new timestream.CfnDatabase(this, 'TelemetryDatabase', {
        databaseName: ResourceNames.timestreamDatabase,
        kmsKeyId: props.key.keyArn,
      });
      this.telemetryDatabase.applyRemovalPolicy(removalPolicy);
      this.telemetryTable = new timestream.CfnTable(this, 'TelemetryTable', {
        databaseName: ResourceNames.timestreamDatabase,
        tableName: ResourceNames.timestreamTable,
        retentionProperties: {
          MemoryStoreRetentionPeriodInHours: String(hotPath.liveAnalytics.memoryRetentionHours),
          MagneticStoreRetentionPeriodInDays: String(hotPath.liveAnalytics.magneticRetentionDays),
        },
        // Late events (older than the memory window) still land, in the magnetic store.
        magneticStoreWriteProperties: { EnableMagneticStoreWrites: true },
      });
      this.telemetryTable.node.addDependency(this.telemetryDatabase);
      this.telemetryTable.applyRemovalPolicy(removalPolicy);
    }
  }

  /**
   * What the KPI store of the stream-writer calls (libs/adapters/src/kpi-store.dynamodb.ts): item
   * reads and writes on the table itself, never the index, plus DescribeTable for its health check.
   * Written out instead of `grantReadWriteData`, which adds `<table>/index/*` and deletes and scans.
   */
  grantKpiStoreWrite(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DescribeTable'],
      resourceArns: [this.kpiTable.tableArn],
    });
    this.kpiTable.encryptionKey?.grantEncryptDecrypt(grantee);
  }

  /**
   * What the kpi-subgraph calls (the read methods of libs/adapters/src/*.dynamodb.ts on the KPI table): reads of the table,
   * queries of the alerts-by-plant index, and UpdateItem, with which `acknowledgeAlert` sets an
   * alert's status (a condition expression keeps it to existing open alerts).
   */
  grantKpiReadAndAcknowledge(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:DescribeTable', 'dynamodb:UpdateItem'],
      resourceArns: [this.kpiTable.tableArn],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:Query'],
      resourceArns: [`${this.kpiTable.tableArn}/index/${alertsByPlant.indexName}`],
    });
    this.kpiTable.encryptionKey?.grantEncryptDecrypt(grantee);
  }

  /** WriteRecords on the trend table only, and DescribeTable for the stream-writer's health check. */
  grantTelemetryWrite(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['timestream:WriteRecords', 'timestream:DescribeTable'],
      resourceArns: [this.liveAnalyticsTable().attrArn],
    });
    this.grantEndpointDiscovery(grantee);
  }

  /** Queries on the trend table only (Select), and DescribeTable for the history-subgraph's health check. */
  grantTelemetryQuery(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['timestream:Select', 'timestream:DescribeTable'],
      resourceArns: [this.liveAnalyticsTable().attrArn],
    });
    this.grantEndpointDiscovery(grantee);
  }

  private liveAnalyticsTable(): timestream.CfnTable {
    if (!this.telemetryTable) throw new Error('the LiveAnalytics trend table exists only with hotPath.trendStore timestream-liveanalytics');
    return this.telemetryTable;
  }

  /** The SDK discovers Timestream's cell endpoint first; the action has no resource-level scope. */
  private grantEndpointDiscovery(grantee: iam.IGrantable): void {
    // https://docs.aws.amazon.com/timestream/latest/developerguide/Using-API.endpoint-discovery.html
    iam.Grant.addToPrincipal({ grantee, actions: ['timestream:DescribeEndpoints'], resourceArns: ['*'] });
  }
}

function streamCapacity(capacity: StreamCapacity): Pick<kinesis.StreamProps, 'streamMode' | 'shardCount'> {
  switch (capacity.mode) {
    case 'on-demand':
      return { streamMode: kinesis.StreamMode.ON_DEMAND };
    case 'provisioned':
      return { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: capacity.shards };
  }
}
