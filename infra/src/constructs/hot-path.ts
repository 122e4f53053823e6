import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as timestream from 'aws-cdk-lib/aws-timestream';
import { Construct } from 'constructs';
import { ChangeFeedStream, DynamoDbTableDescription, KpiTable, KpiTableSchema, LeaseTable, PlantEventsStream, TelemetryTable } from '@plant/config';
import { PlatformConfig, StreamCapacity } from '../config/platform-config';

export interface HotPathProps {
  config: PlatformConfig;
  key: kms.IKey;
}

const alertsByPlant = KpiTableSchema.alertsByPlantIndex;

/**
 * What the stream-writer reads and writes within milliseconds: the `plant-events` stream, the
 * live change feed, the KPI and lease tables and (LiveAnalytics accounts only) the Timestream trend table. Names, keys,
 * indexes, TTL attribute and table flags come from the resource descriptions in @plant/config, which the local
 * stack's provisioning (libs/local-aws/src/provision.ts) reads too; sizes and retention from the environment config.
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
      streamName: PlantEventsStream.name,
      ...streamCapacity(hotPath.plantEvents),
      encryption: kinesis.StreamEncryption.MANAGED,
      retentionPeriod: hotPath.streamRetention,
      removalPolicy,
    });
    this.changeFeed = new kinesis.Stream(this, 'ChangeFeed', {
      streamName: ChangeFeedStream.name,
      ...streamCapacity({ mode: 'provisioned', shards: hotPath.changeFeedShards }),
      encryption: kinesis.StreamEncryption.MANAGED,
      // Subscribers read from "now"; retained history only serves incident analysis.
      retentionPeriod: hotPath.streamRetention,
      removalPolicy,
    });

    const tableDefaults = {
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    };
    this.kpiTable = tableOf(this, 'KpiTable', KpiTable, tableDefaults);
    this.leaseTable = tableOf(this, 'LeaseTable', LeaseTable, tableDefaults);

    if (hotPath.trendStore === 'timestream-liveanalytics') {
      // Timestream for LiveAnalytics is closed to new customers (2025-06-20): a new account fails here.
      this.telemetryDatabase = new timestream.CfnDatabase(this, 'TelemetryDatabase', {
        databaseName: TelemetryTable.database,
        kmsKeyId: props.key.keyArn,
      });
      this.telemetryDatabase.applyRemovalPolicy(removalPolicy);
      this.telemetryTable = new timestream.CfnTable(this, 'TelemetryTable', {
        databaseName: TelemetryTable.database,
        tableName: TelemetryTable.table,
        retentionProperties: {
          MemoryStoreRetentionPeriodInHours: String(hotPath.liveAnalytics.memoryRetentionHours),
          MagneticStoreRetentionPeriodInDays: String(hotPath.liveAnalytics.magneticRetentionDays),
        },
        // Late events (older than the memory window) still land, in the magnetic store.
        magneticStoreWriteProperties: { EnableMagneticStoreWrites: TelemetryTable.magneticStoreWrites },
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
    this.grantTelemetry(grantee, 'timestream:WriteRecords');
  }

  /** Queries on the trend table only (Select), and DescribeTable for the history-subgraph's health check. */
  grantTelemetryQuery(grantee: iam.IGrantable): void {
    this.grantTelemetry(grantee, 'timestream:Select');
  }

  private grantTelemetry(grantee: iam.IGrantable, action: string): void {
    iam.Grant.addToPrincipal({ grantee, actions: [action, 'timestream:DescribeTable'], resourceArns: [this.liveAnalyticsTable().attrArn] });
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

/** A table built from its description in @plant/config: on-demand, string keys, its indexes and TTL. */
function tableOf(scope: Construct, id: string, table: DynamoDbTableDescription, defaults: Omit<dynamodb.TableProps, 'partitionKey'>): dynamodb.Table {
  const key = (name: string) => ({ name, type: dynamodb.AttributeType.STRING });
  const created = new dynamodb.Table(scope, id, {
    ...defaults,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    tableName: table.name,
    partitionKey: key(table.partitionKey),
    ...(table.sortKey ? { sortKey: key(table.sortKey) } : {}),
    ...(table.ttlAttribute ? { timeToLiveAttribute: table.ttlAttribute } : {}),
  });
  for (const index of table.globalSecondaryIndexes) {
    created.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: key(index.partitionKey),
      ...(index.sortKey ? { sortKey: key(index.sortKey) } : {}),
      projectionType: dynamodb.ProjectionType[index.projection],
    });
  }
  return created;
}
