import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  DeadLetterDeliveryStream,
  FIREHOSE_PARTITIONING_RETRY_SECONDS,
  FirehoseDeliveryDescription,
  firehoseProcessors,
  RawEventsDelivery,
} from '@plant/config';
import { PlatformConfig } from '../config/platform-config';

export interface ColdPathProps {
  config: PlatformConfig;
  key: kms.IKey;
  lake: s3.IBucket;
}

/** Construct ids of a stream's log group, role and stream (kept stable: a changed id replaces the resource). */
interface DeliveryIds {
  logs: string;
  role: string;
  stream: string;
}

/**
 * The stream-writer's two Firehose streams into the lake: `plant-raw` (every valid event, raw zone)
 * and `plant-dlq` (dead letters with their reason). Prefixes, partition-key queries and processors
 * come from their descriptions in @plant/config, which the local stack renders too
 * (libs/local-aws/src/firehose/firehose-provision.ts). Both GZIP, SSE-KMS with the platform key,
 * the environment's buffers.
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
    [this.deliveryStream, this.logGroup] = this.deliver(RawEventsDelivery, { logs: 'DeliveryLogs', role: 'DeliveryRole', stream: 'RawDelivery' });
    [this.deadLetterStream, this.deadLetterLogGroup] = this.deliver(DeadLetterDeliveryStream, { logs: 'DeadLetterLogs', role: 'DeadLetterRole', stream: 'DeadLetterDelivery' });
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

  private deliver(spec: FirehoseDeliveryDescription, ids: DeliveryIds): [firehose.CfnDeliveryStream, logs.LogGroup] {
    const { config, key, lake } = this.props;
    const writablePrefixes = [spec.rootPrefix, spec.errorRootPrefix];
    const logGroup = new logs.LogGroup(this, ids.logs, {
      logGroupName: `/aws/kinesisfirehose/${spec.name}`,
      retention: config.services.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const logStream = logGroup.addStream('S3Delivery');

    const role = new iam.Role(this, ids.role, {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': Stack.of(this).account } },
      }),
      description: `Firehose ${spec.name}: write ${writablePrefixes.join(' and ')} of the lake`,
    });
    for (const prefix of writablePrefixes) lake.grantPut(role, `${prefix}*`);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:AbortMultipartUpload'],
        resources: [lake.bucketArn, ...writablePrefixes.map((prefix) => lake.arnForObjects(`${prefix}*`))],
      }),
    );
    logGroup.grantWrite(role);

    const stream = new firehose.CfnDeliveryStream(this, ids.stream, {
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
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: FIREHOSE_PARTITIONING_RETRY_SECONDS } },
        processingConfiguration: {
          enabled: true,
          // One JSON object per line, whatever the producer sends: Athena and Spark read JSON lines.
          processors: firehoseProcessors(spec).map(({ type, parameters }) => ({
            type,
            parameters: parameters.map(([parameterName, parameterValue]) => ({ parameterName, parameterValue })),
          })),
        },
        cloudWatchLoggingOptions: { enabled: true, logGroupName: logGroup.logGroupName, logStreamName: logStream.logStreamName },
      },
    });
    // The role's policy must exist before Firehose validates its access to the bucket.
    stream.node.addDependency(role);
    return [stream, logGroup];
  }
}
