import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DeadLetterDelivery, ResourceNames } from '@plant/config';
import { PlatformConfig } from '../config/platform-config';
import { LAKE_PREFIXES } from '@plant/config';

export interface ColdPathProps {
  config: PlatformConfig;
  key: kms.IKey;
  lake: s3.IBucket;
}

/**
 * Hive-style partitions the raw Glue table and the ETL read: the source from the record itself
 * (dynamic partitioning), date and hour from the arrival time (UTC, never skewed by a source clock).
 * https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
 */
export const RAW_PREFIX = 'raw/source=!{partitionKeyFromQuery:source}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/';
export const RAW_ERROR_PREFIX = `${LAKE_PREFIXES.firehoseErrors}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`;

/** One Firehose stream into the lake: its name, where it writes, and the JQ query of its partition keys. */
interface DeliverySpec {
  name: string;
  /** Construct ids of the log group, role and stream (kept stable: a changed id replaces the resource). */
  ids: { logs: string; role: string; stream: string };
  prefix: string;
  errorPrefix: string;
  /** The object prefixes the stream's role may write (`<prefix>*`). */
  writablePrefixes: string[];
  partitionKeysQuery: string;
}

/**
 * The stream-writer's two Firehose streams into the lake: `plant-raw` (every valid event, raw zone)
 * and `plant-dlq` (dead letters with their reason, `dlq/dt=<date dead-lettered>/`, the prefix the
 * local stack uses too). Both GZIP, SSE-KMS with the platform key, the configured buffers.
 */
export class ColdPath extends Construct {
  readonly deliveryStream: firehose.CfnDeliveryStream;
  readonly deadLetterStream: firehose.CfnDeliveryStream;
  readonly logGroup: logs.LogGroup;
  readonly deadLetterLogGroup: logs.LogGroup;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ColdPathProps,
  ) {
    super(scope, id);
    [this.deliveryStream, this.logGroup] = this.deliver({
      name: ResourceNames.rawDeliveryStream,
      ids: { logs: 'DeliveryLogs', role: 'DeliveryRole', stream: 'RawDelivery' },
      prefix: RAW_PREFIX,
      errorPrefix: RAW_ERROR_PREFIX,
      writablePrefixes: ['raw/', LAKE_PREFIXES.firehoseErrors],
      partitionKeysQuery: '{source: .source}',
    });
    [this.deadLetterStream, this.deadLetterLogGroup] = this.deliver({
      name: ResourceNames.deadLetterDeliveryStream,
      ids: { logs: 'DeadLetterLogs', role: 'DeadLetterRole', stream: 'DeadLetterDelivery' },
      prefix: DeadLetterDelivery.prefix,
      errorPrefix: DeadLetterDelivery.errorPrefix,
      writablePrefixes: [DeadLetterDelivery.rootPrefix, DeadLetterDelivery.errorRootPrefix],
      partitionKeysQuery: DeadLetterDelivery.metadataExtractionQuery,
    });
  }

  /** PutRecordBatch (the raw-event sink) on `plant-raw`, and DescribeDeliveryStream for its health check. */
  grantPutRecords(grantee: iam.IGrantable): iam.Grant {
    return this.grantPut(grantee, this.deliveryStream);
  }

  /** PutRecordBatch (the dead-letter sink) on `plant-dlq`, and DescribeDeliveryStream for its health check. */
  grantPutDeadLetters(grantee: iam.IGrantable): iam.Grant {
    return this.grantPut(grantee, this.deadLetterStream);
  }

  private grantPut(grantee: iam.IGrantable, stream: firehose.CfnDeliveryStream): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['firehose:PutRecord', 'firehose:PutRecordBatch', 'firehose:DescribeDeliveryStream'],
      resourceArns: [stream.attrArn],
    });
  }

  private deliver(spec: DeliverySpec): [firehose.CfnDeliveryStream, logs.LogGroup] {
    const { config, key, lake } = this.props;
    const logGroup = new logs.LogGroup(this, spec.ids.logs, {
      logGroupName: `/aws/kinesisfirehose/${spec.name}`,
      retention: config.services.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const logStream = logGroup.addStream('S3Delivery');

    const role = new iam.Role(this, spec.ids.role, {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': Stack.of(this).account } },
      }),
      description: `Firehose ${spec.name}: write ${spec.writablePrefixes.join(' and ')} of the lake`,
    });
    for (const prefix of spec.writablePrefixes) lake.grantPut(role, `${prefix}*`);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:AbortMultipartUpload'],
        resources: [lake.bucketArn, ...spec.writablePrefixes.map((prefix) => lake.arnForObjects(`${prefix}*`))],
      }),
    );
    logGroup.grantWrite(role);

    const stream = new firehose.CfnDeliveryStream(this, spec.ids.stream, {
      deliveryStreamName: spec.name,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: key.keyArn },
      extendedS3DestinationConfiguration: {
        bucketArn: lake.bucketArn,
        roleArn: role.roleArn,
        prefix: spec.prefix,
        errorOutputPrefix: spec.errorPrefix,
        bufferingHints: { sizeInMBs: config.firehose.bufferSizeMiB, intervalInSeconds: config.firehose.bufferInterval.toSeconds() },
        compressionFormat: 'GZIP',
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: key.keyArn } },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: spec.partitionKeysQuery },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
            // One JSON object per line, whatever the producer sends: Athena and Spark read JSON lines.
            { type: 'AppendDelimiterToRecord', parameters: [{ parameterName: 'Delimiter', parameterValue: '\\n' }] },
          ],
        },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: logGroup.logGroupName, logStreamName: logStream.logStreamName },
      },
    });
    // The role's policy must exist before Firehose validates its access to the bucket.
    stream.node.addDependency(role);
    return [stream, logGroup];
  }
}
