import { Match } from 'aws-cdk-lib/assertions';
import { DeadLetterDelivery, DeadLetterDeliveryStream, KpiTableSchema, RawEventsDelivery, ResourceNames } from '@plant/config';
import { ALERT_DETAIL_TYPES, ALERT_EVENT_SOURCE } from '@plant/domain';
import { resourceOf, statementsOfRole, SynthesisedPlatform, synthPlatform } from './synth-platform';

describe('data stack', () => {
  let dev: SynthesisedPlatform;
  let prod: SynthesisedPlatform;
  beforeAll(() => {
    dev = synthPlatform('dev');
    prod = synthPlatform('prod');
  });

  describe('hot path', () => {
    it('provisions plant-events with the configured shards in dev', () => {
      dev.data.hasResourceProperties('AWS::Kinesis::Stream', {
        Name: ResourceNames.plantEventsStream,
        ShardCount: 2,
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
        RetentionPeriodHours: 24,
        StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      });
    });

    it('runs plant-events on demand in prod, with 7 days of retention', () => {
      prod.data.hasResourceProperties('AWS::Kinesis::Stream', {
        Name: ResourceNames.plantEventsStream,
        ShardCount: Match.absent(),
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        RetentionPeriodHours: 168,
      });
    });

    it('creates the change feed stream, encrypted', () => {
      dev.data.hasResourceProperties('AWS::Kinesis::Stream', {
        Name: ResourceNames.changeFeedStream,
        ShardCount: 1,
        StreamEncryption: { EncryptionType: 'KMS' },
      });
    });

    // Keys and indexes equal the local stack's CreateTable input: resource-descriptions.spec.ts.
    it('keys the KPI table and its gsi1 index (alerts per plant, whole items)', () => {
      const table = resourceOf(dev.data, 'AWS::DynamoDB::Table', 'HotPathKpiTable').properties;
      expect(table.TableName).toBe(ResourceNames.kpiTable);
      expect(table.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      expect(table.GlobalSecondaryIndexes).toEqual([
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ]);
    });

    it('expires KPI items by the ttl attribute the KPI store writes', () => {
      expect(KpiTableSchema.ttlAttribute).toBe('ttl');
      dev.data.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: ResourceNames.kpiTable,
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      });
    });

    it('runs the KPI table on demand, with PITR and the platform key', () => {
      dev.data.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: ResourceNames.kpiTable,
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
      });
    });

    it('keys the lease table by leaseKey', () => {
      dev.data.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: ResourceNames.leaseTable,
        KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });

    it('keeps tables when a prod stack is deleted and drops them in dev', () => {
      prod.data.hasResource('AWS::DynamoDB::Table', { Properties: { TableName: ResourceNames.kpiTable }, DeletionPolicy: 'Retain' });
      dev.data.hasResource('AWS::DynamoDB::Table', { Properties: { TableName: ResourceNames.kpiTable }, DeletionPolicy: 'Delete' });
    });

    it('creates no Timestream for LiveAnalytics resource by default: it is closed to new customers', () => {
      for (const platform of [dev, prod]) {
        platform.data.resourceCountIs('AWS::Timestream::Database', 0);
        platform.data.resourceCountIs('AWS::Timestream::Table', 0);
      }
    });

    it('creates the Timestream database with the platform key and the table with per-env retention when an account keeps LiveAnalytics', () => {
      const devLive = synthPlatform('dev', { trendStore: 'timestream-liveanalytics' });
      const prodLive = synthPlatform('prod', { trendStore: 'timestream-liveanalytics' });
      devLive.data.hasResourceProperties('AWS::Timestream::Database', { DatabaseName: ResourceNames.timestreamDatabase, KmsKeyId: Match.anyValue() });
      devLive.data.hasResourceProperties('AWS::Timestream::Table', {
        DatabaseName: ResourceNames.timestreamDatabase,
        TableName: ResourceNames.timestreamTable,
        RetentionProperties: { MemoryStoreRetentionPeriodInHours: '24', MagneticStoreRetentionPeriodInDays: '30' },
        MagneticStoreWriteProperties: { EnableMagneticStoreWrites: true },
      });
      prodLive.data.hasResourceProperties('AWS::Timestream::Table', {
        RetentionProperties: { MemoryStoreRetentionPeriodInHours: '72', MagneticStoreRetentionPeriodInDays: '730' },
      });
    });
  });

  describe('lake buckets', () => {
    it('encrypts the lake with the platform KMS key and blocks public access', () => {
      const lake = resourceOf(dev.data, 'AWS::S3::Bucket', 'LakeBucketsLake');
      expect(lake.properties.BucketEncryption.ServerSideEncryptionConfiguration[0]).toEqual({
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: expect.anything() },
        BucketKeyEnabled: true,
      });
      expect(lake.properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(lake.properties.LoggingConfiguration).toEqual({ DestinationBucketName: expect.anything(), LogFilePrefix: 'lake/' });
    });

    it('denies every non-TLS request to each bucket', () => {
      const policies = dev.data.findResources('AWS::S3::BucketPolicy');
      expect(Object.keys(policies)).toHaveLength(3);
      for (const policy of Object.values(policies)) {
        expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });

    it('moves raw data to Infrequent Access then Glacier, and expires dead letters', () => {
      const rules = resourceOf(dev.data, 'AWS::S3::Bucket', 'LakeBucketsLake').properties.LifecycleConfiguration.Rules;
      expect(rules).toContainEqual(
        expect.objectContaining({
          Id: 'raw-tiering',
          Prefix: 'raw/',
          Transitions: [
            { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
            { StorageClass: 'GLACIER', TransitionInDays: 90 },
          ],
        }),
      );
      expect(rules).toContainEqual(expect.objectContaining({ Id: 'expire-dead-letters', Prefix: 'dlq/', ExpirationInDays: 30 }));
      expect(rules).toContainEqual(expect.objectContaining({ Id: 'expire-dead-letter-errors', Prefix: 'dlq-errors/', ExpirationInDays: 30 }));
    });

    it('counts dead-letter writes with an S3 request-metrics filter on the dlq/ prefix', () => {
      const lake = resourceOf(dev.data, 'AWS::S3::Bucket', 'LakeBucketsLake');
      expect(lake.properties.MetricsConfigurations).toEqual([{ Id: 'DeadLetters', Prefix: 'dlq/' }]);
    });

    it('expires Athena results after the configured days', () => {
      const results = resourceOf(dev.data, 'AWS::S3::Bucket', 'LakeBucketsAthenaResults');
      expect(results.properties.LifecycleConfiguration.Rules).toEqual([expect.objectContaining({ ExpirationInDays: 7 })]);
    });

    it('retains every bucket, in every environment', () => {
      for (const env of [dev, prod]) {
        for (const bucket of Object.values(env.data.findResources('AWS::S3::Bucket'))) expect(bucket.DeletionPolicy).toBe('Retain');
      }
    });
  });

  describe('cold path', () => {
    // The CDK rendering equals the local stack's (resource-descriptions.spec.ts); these pin the values themselves.
    it.each([
      ['plant-raw', 'by source (from the record) and arrival date and hour', RawEventsDelivery, 'raw/source=!{partitionKeyFromQuery:source}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/', '{source: .source}'],
      ['plant-dlq', 'dead letters by the date dead-lettered', DeadLetterDeliveryStream, 'dlq/dt=!{partitionKeyFromQuery:dt}/', '{dt: .deadLetteredAt[0:10]}'],
    ] as const)('partitions %s %s', (name, _what, delivery, prefix, query) => {
      expect({ name: delivery.name, prefix: delivery.prefix, query: delivery.partitionKeysQuery }).toEqual({ name, prefix, query });
      dev.data.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamName: name,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: Match.objectLike({
          Prefix: prefix,
          ErrorOutputPrefix: delivery.errorPrefix,
          DynamicPartitioningConfiguration: { Enabled: true, RetryOptions: { DurationInSeconds: 300 } },
          ProcessingConfiguration: {
            Enabled: true,
            Processors: Match.arrayWith([
              {
                Type: 'MetadataExtraction',
                Parameters: [
                  { ParameterName: 'MetadataExtractionQuery', ParameterValue: query },
                  { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' },
                ],
              },
            ]),
          },
        }),
      });
    });

    it('buffers, compresses and encrypts plant-dlq like plant-raw', () => {
      for (const [env, size, interval] of [[dev, 64, 60], [prod, 128, 300]] as const) {
        env.data.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
          DeliveryStreamName: ResourceNames.deadLetterDeliveryStream,
          DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: Match.anyValue() },
          ExtendedS3DestinationConfiguration: Match.objectLike({
            BufferingHints: { SizeInMBs: size, IntervalInSeconds: interval },
            CompressionFormat: 'GZIP',
            EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: Match.anyValue() } },
          }),
        });
      }
    });

    it('lets plant-dlq write objects under dlq/ and dlq-errors/ only', () => {
      const puts = statementsOfRole(dev.data, 'ColdPathDeadLetterRole').filter((s) => [s.Action].flat().includes('s3:PutObject'));
      const prefixes = puts.flatMap((s) => [...JSON.stringify(s.Resource).matchAll(/\/([a-z-]+)\/\*"/g)].map((m) => m[1]));
      expect(prefixes.sort()).toEqual([DeadLetterDelivery.rootPrefix, DeadLetterDelivery.errorRootPrefix].map((p) => p.slice(0, -1)).sort());
    });

    it('buffers per environment and compresses and encrypts what it writes', () => {
      dev.data.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: Match.anyValue() },
        ExtendedS3DestinationConfiguration: Match.objectLike({
          BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
          CompressionFormat: 'GZIP',
          EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: Match.anyValue() } },
        }),
      });
      prod.data.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        ExtendedS3DestinationConfiguration: Match.objectLike({ BufferingHints: { SizeInMBs: 128, IntervalInSeconds: 300 } }),
      });
    });
  });

  describe('alerting', () => {
    it('creates the plant-alerts bus with a replay archive', () => {
      dev.data.hasResourceProperties('AWS::Events::EventBus', { Name: ResourceNames.alertBus });
      dev.data.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 7, EventPattern: { source: [ALERT_EVENT_SOURCE] } });
    });

    it('matches the detail-types the EventBridge alert bus publishes', () => {
      expect(ALERT_EVENT_SOURCE).toBe('plant.stream-writer');
      const patterns = Object.values(dev.data.findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern);
      expect(patterns).toHaveLength(3);
      for (const pattern of patterns) {
        expect(pattern.source).toEqual([ALERT_EVENT_SOURCE]);
        expect(pattern['detail-type'].length).toBeGreaterThan(0);
        for (const detailType of pattern['detail-type']) expect(Object.values(ALERT_DETAIL_TYPES)).toContain(detailType);
      }
    });

    it('pages on-call for raised major and critical alerts through an encrypted topic', () => {
      const topic = resourceOf(dev.data, 'AWS::SNS::Topic', 'AlertingOnCallTopic');
      expect(topic.properties.KmsMasterKeyId).toBeDefined();
      dev.data.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: [ALERT_EVENT_SOURCE], 'detail-type': ['Alert Raised'], detail: { severity: ['major', 'critical'] } },
        Targets: [Match.objectLike({ Arn: { Ref: topic.id } })],
      });
    });

    it('queues every alert change for integrations, with a dead-letter queue on the target', () => {
      const queue = resourceOf(dev.data, 'AWS::SQS::Queue', 'AlertingIntegrationQueue');
      const dlq = resourceOf(dev.data, 'AWS::SQS::Queue', 'AlertingIntegrationDeadLetters');
      expect(queue.properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlq.id, 'Arn'] }, maxReceiveCount: 5 });
      dev.data.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: [ALERT_EVENT_SOURCE], 'detail-type': ['Alert Raised', 'Alert Acknowledged', 'Alert Cleared'] },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [queue.id, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq.id, 'Arn'] } } })],
      });
    });

    it('logs every alert change to a log group EventBridge may write to', () => {
      const log = resourceOf(dev.data, 'AWS::Logs::LogGroup', 'AlertingAlertLog');
      expect(log.properties).toMatchObject({ LogGroupName: `/aws/events/${ResourceNames.alertBus}`, RetentionInDays: 7 });
      const policy = resourceOf(dev.data, 'AWS::Logs::ResourcePolicy', 'AlertingAlertLogPolicy');
      expect(JSON.stringify(policy.properties.PolicyDocument)).toContain('events.amazonaws.com');
    });
  });
});
