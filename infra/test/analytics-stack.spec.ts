import { Match } from 'aws-cdk-lib/assertions';
import { ResourceNames } from '@plant/config';
import { SourceSystem } from '@plant/contracts';
import { PARTNER_FILTER_NAME } from '../src/constructs/governance';
import { CURATED_PLANT_EVENTS, FEATURE_TABLES, RAW_PLANT_EVENTS, REFINED_ASSET_KPIS } from '@plant/config';
import { resourceOf, statementsOfRole, SynthesisedPlatform, synthPlatform } from './synth-platform';

/** The principal ARN a Lake Formation grant names, rendered as the role's Fn::GetAtt. */
const principalOf = (roleId: string) => ({ DataLakePrincipalIdentifier: { 'Fn::GetAtt': [roleId, 'Arn'] } });

describe('analytics stack', () => {
  let dev: SynthesisedPlatform;
  let prod: SynthesisedPlatform;
  beforeAll(() => {
    dev = synthPlatform('dev');
    prod = synthPlatform('prod');
  });

  describe('catalog', () => {
    it('creates the lake database', () => {
      dev.analytics.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: Match.objectLike({ Name: ResourceNames.glueDatabase }) });
    });

    it('declares every table with the columns of lake-schema.ts', () => {
      for (const table of [RAW_PLANT_EVENTS, CURATED_PLANT_EVENTS, REFINED_ASSET_KPIS, ...FEATURE_TABLES]) {
        dev.analytics.hasResourceProperties('AWS::Glue::Table', {
          DatabaseName: ResourceNames.glueDatabase,
          TableInput: Match.objectLike({
            Name: table.name,
            PartitionKeys: table.partitionKeys.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
            StorageDescriptor: Match.objectLike({ Columns: table.columns.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })) }),
          }),
        });
      }
    });

    it('projects raw partitions from the Firehose prefix, with the contract source systems', () => {
      dev.analytics.hasResourceProperties('AWS::Glue::Table', {
        TableInput: Match.objectLike({
          Name: RAW_PLANT_EVENTS.name,
          Parameters: Match.objectLike({
            classification: 'json',
            'projection.enabled': 'true',
            'projection.source.values': SourceSystem.options.join(','),
            'storage.location.template': Match.anyValue(),
          }),
          StorageDescriptor: Match.objectLike({ SerdeInfo: Match.objectLike({ SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' }) }),
        }),
      });
    });

    it('stores curated, refined and features as Parquet under <zone>/<table>/', () => {
      const table = resourceOf(dev.analytics, 'AWS::Glue::Table', 'LakeCatalogTableassetkpishourly');
      expect(table.properties.TableInput.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
      expect(JSON.stringify(table.properties.TableInput.StorageDescriptor.Location)).toContain('/refined/asset_kpis_hourly/');
    });

    it('enforces the Athena work group result location, encryption and bytes-scanned cutoff', () => {
      dev.analytics.hasResourceProperties('AWS::Athena::WorkGroup', {
        Name: ResourceNames.athenaWorkgroup,
        WorkGroupConfiguration: Match.objectLike({
          EnforceWorkGroupConfiguration: true,
          BytesScannedCutoffPerQuery: 1024 ** 3,
          ResultConfiguration: { OutputLocation: Match.anyValue(), EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() } },
        }),
      });
      prod.analytics.hasResourceProperties('AWS::Athena::WorkGroup', {
        WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 100 * 1024 ** 3 }),
      });
    });
  });

  describe('ETL', () => {
    it('runs both transforms as Glue 5.1 Spark jobs with the SQL script and encryption', () => {
      for (const name of ['plant-raw-to-curated', 'plant-curated-to-refined']) {
        const job = Object.values(dev.analytics.findResources('AWS::Glue::Job', { Properties: { Name: name } }))[0];
        expect(job.Properties).toMatchObject({
          GlueVersion: '5.1',
          Command: { Name: 'glueetl', PythonVersion: '3' },
          WorkerType: 'G.1X',
          NumberOfWorkers: 2,
          MaxRetries: 0,
          SecurityConfiguration: { Ref: expect.stringMatching(/SecurityConfiguration/) },
          DefaultArguments: expect.objectContaining({ '--database': ResourceNames.glueDatabase, '--enable-glue-datacatalog': 'true' }),
        });
        expect(JSON.stringify(job.Properties.DefaultArguments['--sql_script'])).toMatch(/\.sql/);
        expect(JSON.stringify(job.Properties.Command.ScriptLocation)).toMatch(/\.py/);
      }
    });

    it('encrypts job output, logs and bookmarks with the platform key', () => {
      dev.analytics.hasResourceProperties('AWS::Glue::SecurityConfiguration', {
        EncryptionConfiguration: {
          S3Encryptions: [{ S3EncryptionMode: 'SSE-KMS', KmsKeyArn: Match.anyValue() }],
          CloudWatchEncryption: { CloudWatchEncryptionMode: 'SSE-KMS', KmsKeyArn: Match.anyValue() },
          JobBookmarksEncryption: { JobBookmarksEncryptionMode: 'CSE-KMS', KmsKeyArn: Match.anyValue() },
        },
      });
    });

    it('chains raw → curated → refined with retries and a failure state', () => {
      const machine = resourceOf(dev.analytics, 'AWS::StepFunctions::StateMachine', 'EtlPipelineStateMachine');
      const definition = JSON.parse(
        (machine.properties.DefinitionString['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : 'REF')).join(''),
      );
      expect(definition.StartAt).toBe('RawToCurated');
      expect(definition.States.RawToCurated).toMatchObject({
        Type: 'Task',
        Resource: expect.stringContaining('glue:startJobRun.sync'),
        Next: 'CuratedToRefined',
        Retry: [
          expect.objectContaining({ ErrorEquals: ['Glue.ConcurrentRunsExceededException', 'Glue.ThrottlingException'], MaxAttempts: 5 }),
          expect.objectContaining({ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2, BackoffRate: 2 }),
        ],
        Catch: [expect.objectContaining({ Next: 'EtlFailed' })],
      });
      expect(definition.States.CuratedToRefined).toMatchObject({ Next: 'Refined', Catch: [expect.objectContaining({ Next: 'EtlFailed' })] });
      expect(definition.States.EtlFailed.Type).toBe('Fail');
      expect(machine.properties).toMatchObject({ TracingConfiguration: { Enabled: true }, LoggingConfiguration: expect.objectContaining({ Level: 'ALL' }) });
    });

    it('starts the state machine hourly from EventBridge Scheduler with the scheduled time', () => {
      const machine = resourceOf(dev.analytics, 'AWS::StepFunctions::StateMachine', 'EtlPipelineStateMachine');
      dev.analytics.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(1 hour)',
        State: 'ENABLED',
        Target: Match.objectLike({ Arn: { Ref: machine.id }, Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }) }),
      });
    });
  });

  describe('Lake Formation', () => {
    it('makes the configured admins and the CDK deployment role administrators, without IAM-only defaults', () => {
      dev.analytics.hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
        Admins: Match.arrayWith([
          { DataLakePrincipalIdentifier: { 'Fn::Sub': Match.stringLikeRegexp('cdk-hnb659fds-cfn-exec-role') } },
          { DataLakePrincipalIdentifier: { 'Fn::Join': ['', Match.arrayWith([':role/PlatformAdmin'])] } },
        ]),
        CreateDatabaseDefaultPermissions: [],
        CreateTableDefaultPermissions: [],
        MutationType: 'APPEND',
      });
    });

    it('registers each lake zone with a dedicated role', () => {
      const resources = Object.values(dev.analytics.findResources('AWS::LakeFormation::Resource'));
      const zones = resources.map((r) => JSON.stringify(r.Properties.ResourceArn).match(/\/(\w+)"\]\]\}$/)?.[1]).sort();
      expect(zones).toEqual(['curated', 'features', 'raw', 'refined']);
      for (const r of resources) expect(r.Properties).toMatchObject({ UseServiceLinkedRole: false, RoleArn: expect.anything() });
    });

    it('lets analysts select the refined tables only', () => {
      const analyst = resourceOf(dev.analytics, 'AWS::IAM::Role', 'GovernanceAnalystRole').id;
      const grants = Object.values(dev.analytics.findResources('AWS::LakeFormation::PrincipalPermissions', { Properties: { Principal: principalOf(analyst) } }));
      const tables = grants.map((g) => g.Properties.Resource.Table?.Name).filter(Boolean);
      expect(tables).toEqual([REFINED_ASSET_KPIS.name]);
      expect(grants.find((g) => g.Properties.Resource.Table)?.Properties.Permissions).toEqual(['SELECT', 'DESCRIBE']);
    });

    it('lets data scientists select refined tables and features', () => {
      const scientist = resourceOf(dev.analytics, 'AWS::IAM::Role', 'GovernanceDataScientistRole').id;
      const grants = Object.values(dev.analytics.findResources('AWS::LakeFormation::PrincipalPermissions', { Properties: { Principal: principalOf(scientist) } }));
      expect(grants.map((g) => g.Properties.Resource.Table?.Name).filter(Boolean).sort()).toEqual([...FEATURE_TABLES.map((t) => t.name), REFINED_ASSET_KPIS.name].sort());
    });

    it('lets partners read refined KPIs only through a row filter on their plants', () => {
      dev.analytics.hasResourceProperties('AWS::LakeFormation::DataCellsFilter', {
        Name: PARTNER_FILTER_NAME,
        TableName: REFINED_ASSET_KPIS.name,
        RowFilter: { FilterExpression: "plant_id IN ('plant-demo')" },
      });
      const partner = resourceOf(dev.analytics, 'AWS::IAM::Role', 'GovernancePartnerRole').id;
      const grants = Object.values(dev.analytics.findResources('AWS::LakeFormation::PrincipalPermissions', { Properties: { Principal: principalOf(partner) } }));
      expect(grants.some((g) => g.Properties.Resource.Table)).toBe(false);
      expect(grants).toContainEqual(
        expect.objectContaining({
          Properties: expect.objectContaining({ Permissions: ['SELECT'], Resource: { DataCellsFilter: expect.objectContaining({ Name: PARTNER_FILTER_NAME }) } }),
        }),
      );
    });

    it('grants partners nothing in prod until their plants are configured', () => {
      prod.analytics.resourceCountIs('AWS::LakeFormation::DataCellsFilter', 0);
      const withPlants = synthPlatform('prod', { partnerPlantIds: ['plant-7'] });
      withPlants.analytics.hasResourceProperties('AWS::LakeFormation::DataCellsFilter', { RowFilter: { FilterExpression: "plant_id IN ('plant-7')" } });
    });

    it('gives lake personas Athena on the work group and no direct S3 read of the lake', () => {
      const statements = statementsOfRole(dev.analytics, 'GovernanceAnalystRole');
      expect(statements.flatMap((s) => [s.Action].flat())).toEqual(expect.arrayContaining(['athena:StartQueryExecution', 'lakeformation:GetDataAccess']));
      const s3OnLake = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('s3:')) && JSON.stringify(s.Resource).includes('LakeBucketsLake'));
      expect(s3OnLake).toEqual([]);
    });
  });
});
