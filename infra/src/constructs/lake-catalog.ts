import { Aws, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ResourceNames } from '@plant/config';
import { SourceSystem } from '@plant/contracts';
import { PlatformConfig } from '../config/platform-config';
import { Column, LAKE_TABLES, LakeTable, RAW_PLANT_EVENTS, StorageFormat, tablePrefix } from '@plant/config';

export interface LakeCatalogProps {
  config: PlatformConfig;
  key: kms.IKey;
  lake: s3.IBucket;
  athenaResults: s3.IBucket;
}

/** The prefix of the work group's query results inside the Athena results bucket. */
export const ATHENA_RESULTS_PREFIX = 'results/';

const FORMATS: Record<StorageFormat, Pick<glue.CfnTable.StorageDescriptorProperty, 'inputFormat' | 'outputFormat' | 'serdeInfo'>> = {
  json: {
    inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
    // Case-insensitive: the raw JSON keys are camelCase, Glue column names are lower case.
    serdeInfo: { serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe', parameters: { 'ignore.malformed.json': 'true', 'case.insensitive': 'true' } },
  },
  parquet: {
    inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
  },
};

/** The Glue database and tables of the lake (from lake-schema.ts) and the Athena work group. */
export class LakeCatalog extends Construct {
  readonly database: glue.CfnDatabase;
  readonly tables = new Map<string, glue.CfnTable>();
  readonly workGroup: athena.CfnWorkGroup;
  private readonly props: LakeCatalogProps;

  constructor(scope: Construct, id: string, props: LakeCatalogProps) {
    super(scope, id);
    this.props = props;
    const lakeUri = `s3://${props.lake.bucketName}/`;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: ResourceNames.glueDatabase,
        description: 'Plant data lake: raw, curated, refined, features',
        locationUri: lakeUri,
        // Explicitly none, whatever the account's Lake Formation defaults were when it was created.
        createTableDefaultPermissions: [],
      },
    });
    for (const table of LAKE_TABLES) {
      const cfnTable = new glue.CfnTable(this, `Table-${table.name}`, {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: ResourceNames.glueDatabase,
        tableInput: {
          name: table.name,
          description: table.description,
          tableType: 'EXTERNAL_TABLE',
          parameters: { classification: table.format, ...(table === RAW_PLANT_EVENTS ? this.rawProjection(lakeUri) : {}) },
          partitionKeys: table.partitionKeys.map(toGlueColumn),
          storageDescriptor: { columns: table.columns.map(toGlueColumn), location: `${lakeUri}${tablePrefix(table)}`, ...FORMATS[table.format] },
        },
      });
      cfnTable.node.addDependency(this.database);
      this.tables.set(table.name, cfnTable);
    }

    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: ResourceNames.athenaWorkgroup,
      description: 'Queries of the history subgraph, analysts and data scientists',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: props.config.athena.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.athenaResults.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
        },
      },
    });
  }

  /**
   * Raw partitions are never registered: Athena computes them from the Firehose prefix
   * (partition projection). https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html
   */
  private rawProjection(lakeUri: string): Record<string, string> {
    return {
      'projection.enabled': 'true',
      'projection.source.type': 'enum',
      'projection.source.values': SourceSystem.options.join(','),
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2025-01-01,NOW',
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
      'storage.location.template': `${lakeUri}raw/source=\${source}/dt=\${dt}/hour=\${hour}/`,
    };
  }

  tableArn(table: LakeTable): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: 'table', resourceName: `${ResourceNames.glueDatabase}/${table.name}` });
  }

  get databaseArn(): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: 'database', resourceName: ResourceNames.glueDatabase });
  }

  get catalogArn(): string {
    return Stack.of(this).formatArn({ service: 'glue', resource: 'catalog' });
  }

  get workGroupArn(): string {
    return Stack.of(this).formatArn({ service: 'athena', resource: 'workgroup', resourceName: ResourceNames.athenaWorkgroup });
  }

  /**
   * Athena queries over the given tables through the work group. Table data is read with Lake
   * Formation credentials (GetDataAccess), so no S3 permission on the lake is granted here; the
   * principal still needs a Lake Formation SELECT grant on each table.
   */
  grantAthenaQuery(grantee: iam.IGrantable, tables: readonly LakeTable[]): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults', 'athena:StopQueryExecution', 'athena:GetWorkGroup'],
      resourceArns: [this.workGroupArn],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
      resourceArns: [this.catalogArn, this.databaseArn, ...tables.map((t) => this.tableArn(t))],
    });
    // https://docs.aws.amazon.com/lake-formation/latest/dg/access-control-underlying-data.html (no resource-level scope)
    iam.Grant.addToPrincipal({ grantee, actions: ['lakeformation:GetDataAccess'], resourceArns: ['*'] });
    this.props.athenaResults.grantReadWrite(grantee, `${ATHENA_RESULTS_PREFIX}*`);
  }
}

function toGlueColumn(column: Column): glue.CfnTable.ColumnProperty {
  return { name: column.name, type: column.type, comment: column.comment };
}
