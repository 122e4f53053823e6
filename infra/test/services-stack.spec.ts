import { Match } from 'aws-cdk-lib/assertions';
import { DeadLetterDelivery, DefaultPorts, EnvNames, GatewayLimitEnvNames, ResourceNames } from '@plant/config';
import { GatewayEnvNames, GatewayConfigSchema } from '../../apps/gateway/src/config';
import { HistorySubgraphConfigSchema } from '../../apps/history-subgraph/src/config';
import { KpiSubgraphConfigSchema } from '../../apps/kpi-subgraph/src/config';
import { MlSubgraphConfigSchema } from '../../apps/ml-subgraph/src/config';
import { StreamWriterConfigSchema } from '../../apps/stream-writer/src/config';
import { FEATURE_GROUPS } from '@plant/config';
import { actionsOfRole, resourceOf, statementsOfRole, SynthesisedPlatform, synthPlatform } from './synth-platform';

const taskRole = (app: string) => `Services${app}TaskTaskRole`;
const containerOf = (platform: SynthesisedPlatform, app: string) =>
  resourceOf(platform.services, 'AWS::ECS::TaskDefinition', `Services${app}Task`).properties.ContainerDefinitions[0];
const envOf = (platform: SynthesisedPlatform, app: string): Record<string, unknown> =>
  Object.fromEntries(containerOf(platform, app).Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));

describe('ml and services stacks', () => {
  let dev: SynthesisedPlatform;
  let prod: SynthesisedPlatform;
  /** dev on an account that keeps Timestream for LiveAnalytics (the default is Timestream for InfluxDB). */
  let live: SynthesisedPlatform;
  beforeAll(() => {
    dev = synthPlatform('dev');
    live = synthPlatform('dev', { trendStore: 'timestream-liveanalytics' });
    prod = synthPlatform('prod', { certificateArn: 'arn:aws:acm:eu-central-1:111122223333:certificate/abc' });
  });

  describe('ML platform', () => {
    it('defines every feature group of feature-groups.ts, online with its TTL and offline, encrypted', () => {
      for (const group of FEATURE_GROUPS) {
        dev.ml.hasResourceProperties('AWS::SageMaker::FeatureGroup', {
          FeatureGroupName: group.name,
          RecordIdentifierFeatureName: group.recordIdentifierFeatureName,
          EventTimeFeatureName: group.eventTimeFeatureName,
          FeatureDefinitions: group.features.map((feature) => ({ FeatureName: feature.name, FeatureType: feature.type })),
          OnlineStoreConfig: { EnableOnlineStore: true, SecurityConfig: { KmsKeyId: Match.anyValue() }, TtlDuration: { Unit: 'Hours', Value: group.retentionSeconds / 3600 } },
          OfflineStoreConfig: Match.objectLike({ S3StorageConfig: { S3Uri: Match.anyValue(), KmsKeyId: Match.anyValue() } }),
        });
      }
      expect(Object.keys(dev.ml.findResources('AWS::SageMaker::FeatureGroup'))).toHaveLength(FEATURE_GROUPS.length);
    });

    it('runs the model behind the named endpoint, network-isolated on instances (serverless does not support it)', () => {
      prod.ml.hasResourceProperties('AWS::SageMaker::Model', {
        EnableNetworkIsolation: true,
        PrimaryContainer: Match.objectLike({ Image: prod.config.ml.modelImageUri, ModelDataUrl: Match.anyValue() }),
      });
      dev.ml.hasResourceProperties('AWS::SageMaker::Model', { EnableNetworkIsolation: false });
      dev.ml.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: ResourceNames.modelEndpoint });
    });

    it('serves the model serverless in dev and on encrypted instances in prod', () => {
      dev.ml.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
        ProductionVariants: [Match.objectLike({ ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } })],
      });
      prod.ml.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
        KmsKeyId: Match.anyValue(),
        ProductionVariants: [Match.objectLike({ InstanceType: 'ml.m5.large', InitialInstanceCount: 2 })],
      });
    });
  });

  describe('Fargate services', () => {
    it('runs the five apps from one image, each with its own entry file', () => {
      for (const [id, app] of [
        ['Gateway', 'gateway'],
        ['KpiSubgraph', 'kpi-subgraph'],
        ['HistorySubgraph', 'history-subgraph'],
        ['MlSubgraph', 'ml-subgraph'],
        ['StreamWriter', 'stream-writer'],
      ]) {
        const container = containerOf(dev, id);
        expect(container.Command).toEqual(['node', '-r', '@swc-node/register', `apps/${app}/src/main.ts`]);
        expect(container.Image).toEqual(containerOf(dev, 'Gateway').Image);
      }
      dev.services.resourceCountIs('AWS::ECS::Service', 5);
    });

    it('sets the env vars each app reads, under the shared names', () => {
      expect(envOf(dev, 'StreamWriter')).toMatchObject({
        [EnvNames.PLANT_EVENTS_STREAM]: expect.anything(),
        [EnvNames.CHANGE_FEED_STREAM]: expect.anything(),
        [EnvNames.KPI_TABLE]: expect.anything(),
        [EnvNames.LEASE_TABLE]: expect.anything(),
        [EnvNames.TIMESTREAM_DATABASE]: ResourceNames.timestreamDatabase,
        [EnvNames.ALERT_BUS]: expect.anything(),
        [EnvNames.RAW_DELIVERY_STREAM]: ResourceNames.rawDeliveryStream,
        [EnvNames.DEAD_LETTER_DELIVERY_STREAM]: ResourceNames.deadLetterDeliveryStream,
        [EnvNames.PORT]: String(DefaultPorts.streamWriter),
        [EnvNames.NODE_ENV]: 'production',
      });
      expect(envOf(dev, 'Gateway')).toMatchObject({
        [EnvNames.KPI_SUBGRAPH_URL]: `http://kpi-subgraph.plant-dev.internal:${DefaultPorts.kpiSubgraph}/graphql`,
        [EnvNames.HISTORY_SUBGRAPH_URL]: `http://history-subgraph.plant-dev.internal:${DefaultPorts.historySubgraph}/graphql`,
        [EnvNames.ML_SUBGRAPH_URL]: `http://ml-subgraph.plant-dev.internal:${DefaultPorts.mlSubgraph}/graphql`,
      });
      expect(envOf(dev, 'MlSubgraph')).toMatchObject({ [EnvNames.MODEL_ENDPOINT]: ResourceNames.modelEndpoint });
    });

    it('sets every variable each app\'s config schema reads, except those with a reason to stay unset', () => {
      const unset = new Set<string>([
        EnvNames.AWS_ENDPOINT_URL, // the local stack's endpoint; in AWS the SDK uses the regional ones
        EnvNames.STREAM_CONSUMER_WORKER_ID, // unique per task: the app's default is host name + pid
        ...Object.values(GatewayEnvNames), // tuning with defaults the gateway is benchmarked with
        EnvNames.JWT_HS256_SECRET, // local tokens only: in AWS the gateway verifies Cognito's JWKS
        GatewayLimitEnvNames.GATEWAY_PERSISTED_OPERATIONS_PATH, // no partner allow-list is shipped yet
        GatewayLimitEnvNames.GATEWAY_LIMITS_ENABLED, // on by default; production refuses false
        EnvNames.PLANT_UTC_OFFSETS, // no plant zones are known at deploy time: day buckets stay UTC until configured (docs/trends.md)
        EnvNames.LAKE_DIR, // local lake folder: in AWS training sets need the lake issue's Athena adapter (docs/ml.md)
      ]);
      for (const [id, schema] of [
        ['Gateway', GatewayConfigSchema],
        ['KpiSubgraph', KpiSubgraphConfigSchema],
        ['HistorySubgraph', HistorySubgraphConfigSchema],
        ['MlSubgraph', MlSubgraphConfigSchema],
        ['StreamWriter', StreamWriterConfigSchema],
      ] as const) {
        const set = { ...envOf(dev, id), ...Object.fromEntries((containerOf(dev, id).Secrets ?? []).map((x: { Name: string }) => [x.Name, 'secret'])) };
        const missing = Object.keys(schema.shape).filter((name) => !unset.has(name) && set[name] === undefined);
        expect({ app: id, missing }).toEqual({ app: id, missing: [] });
      }
    });

    it('sets the stream consumer settings from the environment config and leaves the worker id to each task', () => {
      const { streamConsumer } = dev.config;
      expect(envOf(dev, 'StreamWriter')).toMatchObject({
        [EnvNames.STREAM_CONSUMER_LEASE_DURATION_MS]: String(streamConsumer.leaseDurationMs),
        [EnvNames.STREAM_CONSUMER_POLL_INTERVAL_MS]: String(streamConsumer.pollIntervalMs),
        [EnvNames.STREAM_CONSUMER_MAX_RECORDS_PER_GET]: String(streamConsumer.maxRecordsPerGet),
        [EnvNames.STREAM_CONSUMER_MAX_RECORDS_IN_FLIGHT]: String(streamConsumer.maxRecordsInFlight),
        [EnvNames.STREAM_CONSUMER_SHARD_SYNC_INTERVAL_MS]: String(streamConsumer.shardSyncIntervalMs),
        [EnvNames.STREAM_CONSUMER_MAX_ATTEMPTS]: String(streamConsumer.maxAttempts),
        [EnvNames.STREAM_CONSUMER_RETRY_BASE_MS]: String(streamConsumer.retryBaseMs),
        [EnvNames.STREAM_CONSUMER_MAX_RETRY_DELAY_MS]: String(streamConsumer.maxRetryDelayMs),
      });
      expect(envOf(dev, 'StreamWriter')[EnvNames.STREAM_CONSUMER_WORKER_ID]).toBeUndefined();
    });

    it('passes values the apps\' config schemas accept', () => {
      const env = envOf(prod, 'StreamWriter');
      const literal = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string' && !v.includes('${Token')));
      const parsed = StreamWriterConfigSchema.safeParse({ ...literal, [EnvNames.AWS_REGION]: 'eu-central-1' });
      expect(parsed.error?.issues ?? []).toEqual([]);
    });

    it('gives the gateway and the subgraphs that verify its identity the internal secret from Secrets Manager, not as plain env', () => {
      for (const id of ['Gateway', 'KpiSubgraph', 'HistorySubgraph']) {
        // (the history subgraph also reads the InfluxDB token: trend-store.spec.ts)
        expect(containerOf(dev, id).Secrets).toContainEqual({
          Name: EnvNames.INTERNAL_AUTH_SECRET,
          ValueFrom: { Ref: expect.stringMatching(/InternalAuthSecret/) },
        });
        expect(envOf(dev, id)[EnvNames.INTERNAL_AUTH_SECRET]).toBeUndefined();
      }
      const streamWriterSecrets = (containerOf(dev, 'StreamWriter').Secrets ?? []) as { Name: string }[];
      expect(streamWriterSecrets.map((secret) => secret.Name)).not.toContain(EnvNames.INTERNAL_AUTH_SECRET);
    });

    it('verifies callers against the Cognito user pool’s JWKS, its issuer and app client, with the role and plants attributes', () => {
      const env = envOf(dev, 'Gateway');
      expect(env).toMatchObject({
        [EnvNames.GATEWAY_AUTH]: 'required',
        [EnvNames.JWT_ROLE_CLAIM]: 'custom:role',
        [EnvNames.JWT_PLANTS_CLAIM]: 'custom:plants',
        [EnvNames.JWT_AUDIENCE]: { Ref: expect.stringMatching(/IdentityUsersApi/) },
      });
      expect(JSON.stringify(env[EnvNames.JWT_JWKS_URL])).toMatch(/cognito-idp\..*IdentityUsers.*\/\.well-known\/jwks\.json/);
      expect(JSON.stringify(env[EnvNames.JWT_ISSUER])).toMatch(/cognito-idp\..*IdentityUsers/);
      expect(env[EnvNames.JWT_HS256_SECRET]).toBeUndefined();
    });

    it('creates a user pool without self sign-up whose clients cannot write the role or plants attributes', () => {
      dev.services.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        Schema: Match.arrayWith([Match.objectLike({ Name: 'role', Mutable: true }), Match.objectLike({ Name: 'plants', Mutable: true })]),
      });
      dev.services.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        ReadAttributes: ['custom:plants', 'custom:role', 'email'],
        WriteAttributes: ['email'],
      });
    });

    it('logs each app to its own log group with the configured retention', () => {
      dev.services.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/plant/dev/stream-writer', RetentionInDays: 14 });
      prod.services.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/plant/prod/gateway', RetentionInDays: 90 });
    });

    it('scales every service on CPU and the gateway also on ALB requests per target', () => {
      const policies = Object.values(dev.services.findResources('AWS::ApplicationAutoScaling::ScalingPolicy'));
      const cpu = policies.filter((p) => p.Properties.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType === 'ECSServiceAverageCPUUtilization');
      expect(cpu).toHaveLength(5);
      dev.services.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
          TargetValue: 500,
        }),
      });
      prod.services.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 10, ResourceId: Match.anyValue() });
    });

    it('fronts the gateway with a public ALB whose idle timeout keeps WebSockets open', () => {
      const alb = resourceOf(dev.services, 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'ServicesAlb');
      expect(alb.properties.Scheme).toBe('internet-facing');
      const attributes = Object.fromEntries(alb.properties.LoadBalancerAttributes.map((a: { Key: string; Value: unknown }) => [a.Key, a.Value]));
      expect(attributes).toMatchObject({
        'idle_timeout.timeout_seconds': '900',
        'access_logs.s3.enabled': 'true',
        'access_logs.s3.prefix': 'alb',
        'routing.http.drop_invalid_header_fields.enabled': 'true',
      });
      dev.services.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        Port: DefaultPorts.gateway,
        HealthCheckPath: '/health/live',
        TargetType: 'ip',
      });
    });

    it('listens on HTTPS with the certificate and redirects HTTP when a certificate is configured', () => {
      prod.services.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: 'arn:aws:acm:eu-central-1:111122223333:certificate/abc' }],
      });
      prod.services.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS' }) })],
      });
      dev.services.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    });

    it('opens each subgraph port to the gateway only', () => {
      const ingress = Object.values(dev.services.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
      for (const port of [DefaultPorts.kpiSubgraph, DefaultPorts.historySubgraph, DefaultPorts.mlSubgraph]) {
        const rules = ingress.filter((r) => r.FromPort === port);
        expect(rules).toHaveLength(1);
        expect(JSON.stringify(rules[0].SourceSecurityGroupId)).toContain('ServicesGatewayService');
      }
    });
  });

  describe('least privilege', () => {
    it('lets the stream-writer read plant-events and write every sink', () => {
      const actions = actionsOfRole(live.services, taskRole('StreamWriter'));
      expect(actions).toEqual(
        expect.arrayContaining([
          'kinesis:GetRecords',
          'kinesis:GetShardIterator',
          'kinesis:PutRecords',
          'dynamodb:UpdateItem',
          'dynamodb:BatchWriteItem',
          'timestream:WriteRecords',
          'events:PutEvents',
          'firehose:PutRecordBatch',
        ]),
      );
    });

    it('lets the stream-writer put records on the change feed only', () => {
      const statements = statementsOfRole(dev.services, taskRole('StreamWriter'));
      const puts = statements.filter((s) => [s.Action].flat().includes('kinesis:PutRecords'));
      expect(puts).toHaveLength(1);
      expect(JSON.stringify(puts[0].Resource)).toContain('HotPathChangeFeed');
      expect(JSON.stringify(puts[0].Resource)).not.toContain('HotPathPlantEvents');
    });

    it('lets the stream-writer put batches on plant-raw and plant-dlq, and write no S3 object itself', () => {
      const statements = statementsOfRole(dev.services, taskRole('StreamWriter'));
      const firehosePuts = JSON.stringify(statements.filter((s) => [s.Action].flat().includes('firehose:PutRecordBatch')).map((s) => s.Resource));
      expect(firehosePuts).toContain('ColdPathRawDelivery');
      expect(firehosePuts).toContain('ColdPathDeadLetterDelivery');
      expect(actionsOfRole(dev.services, taskRole('StreamWriter')).filter((a) => a.startsWith('s3:'))).toEqual([]);
    });

    it('lets the stream-writer describe each resource its sink health checks describe', () => {
      const statements = statementsOfRole(live.services, taskRole('StreamWriter'));
      const allows = (action: string, resource: string) =>
        statements.some((s) => [s.Action].flat().includes(action) && JSON.stringify(s.Resource).includes(resource));
      for (const [action, resource] of [
        ['dynamodb:DescribeTable', 'HotPathKpiTable'],
        ['timestream:DescribeTable', 'HotPathTelemetryTable'],
        ['events:DescribeEventBus', 'AlertingBus'],
        ['firehose:DescribeDeliveryStream', 'ColdPathRawDelivery'],
        ['firehose:DescribeDeliveryStream', 'ColdPathDeadLetterDelivery'],
        ['kinesis:DescribeStreamSummary', 'HotPathChangeFeed'],
      ]) {
        expect({ action, resource, allowed: allows(action, resource) }).toEqual({ action, resource, allowed: true });
      }
    });

    it('never lets the stream-writer query KPI indexes, delete or scan KPI items', () => {
      const statements = statementsOfRole(dev.services, taskRole('StreamWriter'));
      const onKpiTable = statements.filter((s) => JSON.stringify(s.Resource).includes('HotPathKpiTable'));
      expect(onKpiTable.length).toBeGreaterThan(0);
      const actions = onKpiTable.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith('dynamodb:'));
      expect(actions.filter((a) => /Delete|Scan|Query|BatchWrite/.test(a))).toEqual([]);
      expect(JSON.stringify(onKpiTable.map((s) => s.Resource))).not.toContain('/index/');
    });

    it('lets the kpi-subgraph read the KPI table and the change feed, and nothing more', () => {
      const actions = actionsOfRole(dev.services, taskRole('KpiSubgraph'));
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'kinesis:GetRecords']));
      expect(actions).not.toContain('kinesis:PutRecords');
      expect(actions).not.toContain('kinesis:PutRecord');
      expect(actions.filter((a) => a.startsWith('dynamodb:') && /Put|Delete|Write|Scan/.test(a))).toEqual([]);
      expect(actions.filter((a) => a.startsWith('s3:'))).toEqual([]);
      const resources = JSON.stringify(statementsOfRole(dev.services, taskRole('KpiSubgraph')).map((s) => s.Resource));
      expect(resources).not.toContain('HotPathPlantEvents');
      expect(resources).not.toContain('HotPathLeaseTable');
    });

    it('lets the kpi-subgraph query the gsi1 index only, not every index', () => {
      const statements = statementsOfRole(dev.services, taskRole('KpiSubgraph'));
      const indexes = statements.filter((s) => JSON.stringify(s.Resource).includes('/index/'));
      expect(indexes).toHaveLength(1);
      expect(indexes[0].Action).toBe('dynamodb:Query');
      expect(JSON.stringify(indexes[0].Resource)).toMatch(/HotPathKpiTable.*\/index\/gsi1"/);
    });

    it('lets the kpi-subgraph update items of the KPI table only, for acknowledgeAlert', () => {
      const updates = statementsOfRole(dev.services, taskRole('KpiSubgraph')).filter((s) => [s.Action].flat().includes('dynamodb:UpdateItem'));
      expect(updates).toHaveLength(1);
      const resources = [updates[0].Resource].flat();
      expect(resources).toHaveLength(1);
      expect(JSON.stringify(resources[0])).toContain('HotPathKpiTable');
      expect(JSON.stringify(resources[0])).not.toContain('/index/');
    });

    it('lets the history-subgraph query Timestream and Athena but write nothing to the hot path', () => {
      const actions = actionsOfRole(live.services, taskRole('HistorySubgraph'));
      expect(actions).toEqual(expect.arrayContaining(['timestream:Select', 'athena:StartQueryExecution', 'glue:GetTable', 'lakeformation:GetDataAccess']));
      expect(actions).not.toContain('timestream:WriteRecords');
      expect(actions.filter((a) => /^(kinesis|dynamodb|firehose|events):/.test(a))).toEqual([]);
    });

    it('gives the history-subgraph exactly the Timestream actions it calls: Select, DescribeTable, DescribeEndpoints', () => {
      const actions = actionsOfRole(live.services, taskRole('HistorySubgraph')).filter((a) => a.startsWith('timestream:'));
      expect([...new Set(actions)].sort()).toEqual(['timestream:DescribeEndpoints', 'timestream:DescribeTable', 'timestream:Select']);
    });

    it('grants the history-subgraph Lake Formation SELECT on refined tables', () => {
      dev.services.hasResourceProperties('AWS::LakeFormation::PrincipalPermissions', {
        Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('ServicesHistorySubgraphTaskTaskRole'), 'Arn'] } },
        Resource: { Table: Match.objectLike({ Name: 'asset_kpis_hourly' }) },
        Permissions: ['SELECT', 'DESCRIBE'],
      });
    });

    it('lets the ml-subgraph read features and invoke the model only', () => {
      const actions = actionsOfRole(dev.services, taskRole('MlSubgraph'));
      expect([...new Set(actions)].sort()).toEqual(['kms:Decrypt', 'sagemaker:BatchGetRecord', 'sagemaker:GetRecord', 'sagemaker:InvokeEndpoint']);
    });

    it('lets the stream-writer put feature records into the feature groups (feature sink)', () => {
      expect(actionsOfRole(dev.services, taskRole('StreamWriter'))).toContain('sagemaker:PutRecord');
    });

    it('gives the gateway task no AWS permissions at all', () => {
      expect(actionsOfRole(dev.services, taskRole('Gateway'))).toEqual([]);
    });

    it('never grants a service-wide action wildcard to an app', () => {
      for (const app of ['Gateway', 'KpiSubgraph', 'HistorySubgraph', 'MlSubgraph', 'StreamWriter']) {
        expect(actionsOfRole(dev.services, taskRole(app)).filter((a) => a === '*' || a.endsWith(':*'))).toEqual([]);
      }
    });
  });

  describe('alarms', () => {
    it('alarms on plant-events iterator age above the configured threshold', () => {
      dev.services.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'GetRecords.IteratorAgeMilliseconds',
        Namespace: 'AWS/Kinesis',
        Threshold: 60_000,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('ObservabilityOpsTopic') }],
      });
    });

    it('alarms on any dead letter written, through the metrics filter of the plant-dlq prefix', () => {
      const filter = resourceOf(dev.data, 'AWS::S3::Bucket', 'LakeBucketsLake').properties.MetricsConfigurations[0];
      expect(filter.Prefix).toBe(DeadLetterDelivery.rootPrefix);
      dev.services.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/S3',
        MetricName: 'PutRequests',
        Dimensions: Match.arrayWith([{ Name: 'FilterId', Value: filter.Id }]),
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    });

    it('alarms when plant-dlq fails to deliver dead letters', () => {
      dev.services.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Firehose',
        MetricName: 'DeliveryToS3.Success',
        Dimensions: [{ Name: 'DeliveryStreamName', Value: ResourceNames.deadLetterDeliveryStream }],
        ComparisonOperator: 'LessThanThreshold',
      });
    });

    it('alarms on Firehose freshness and failed deliveries', () => {
      dev.services.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Firehose', MetricName: 'DeliveryToS3.DataFreshness', Threshold: 900 });
      dev.services.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Firehose', MetricName: 'DeliveryToS3.Success', ComparisonOperator: 'LessThanThreshold' });
    });

    it('alarms on ALB and gateway 5xx', () => {
      dev.services.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'HTTPCode_ELB_5XX_Count', Threshold: 10 });
      dev.services.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'HTTPCode_Target_5XX_Count', Threshold: 10 });
    });

    it('alarms on a failed ETL run', () => {
      dev.services.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/States', MetricName: 'ExecutionsFailed' });
    });
  });
});
