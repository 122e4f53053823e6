import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ResourceNames } from '@plant/config';
import { PlatformConfig } from '../config/platform-config';
import { LAKE_PREFIXES } from '../lake/lake-schema';

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

/** Firehose `plant-raw`: the stream-writer's cold sink into the lake's raw zone. */
export class ColdPath extends Construct {
  readonly deliveryStream: firehose.CfnDeliveryStream;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ColdPathProps) {
    super(scope, id);
    const { firehose: buffering, services } = props.config;

    this.logGroup = new logs.LogGroup(this, 'DeliveryLogs', {
      logGroupName: `/aws/kinesisfirehose/${ResourceNames.rawDeliveryStream}`,
      retention: services.logRetention,
      removalPolicy: props.config.removalPolicy,
    });
    const logStream = this.logGroup.addStream('S3Delivery');

    const role = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': Stack.of(this).account } },
      }),
      description: 'Firehose plant-raw: write raw/ and raw-errors/ of the lake',
    });
    props.lake.grantPut(role, 'raw/*');
    props.lake.grantPut(role, `${LAKE_PREFIXES.firehoseErrors}*`);
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:AbortMultipartUpload'],
        resources: [props.lake.bucketArn, props.lake.arnForObjects('raw/*'), props.lake.arnForObjects(`${LAKE_PREFIXES.firehoseErrors}*`)],
      }),
    );
    this.logGroup.grantWrite(role);

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'RawDelivery', {
      deliveryStreamName: ResourceNames.rawDeliveryStream,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: props.key.keyArn },
      extendedS3DestinationConfiguration: {
        bucketArn: props.lake.bucketArn,
        roleArn: role.roleArn,
        prefix: RAW_PREFIX,
        errorOutputPrefix: RAW_ERROR_PREFIX,
        bufferingHints: { sizeInMBs: buffering.bufferSizeMiB, intervalInSeconds: buffering.bufferInterval.toSeconds() },
        compressionFormat: 'GZIP',
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.key.keyArn } },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: '{source: .source}' },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
            // One JSON object per line, whatever the producer sends: Athena and Spark read JSON lines.
            { type: 'AppendDelimiterToRecord', parameters: [{ parameterName: 'Delimiter', parameterValue: '\\n' }] },
          ],
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: this.logGroup.logGroupName,
          logStreamName: logStream.logStreamName,
        },
      },
    });
    // The role's policy must exist before Firehose validates its access to the bucket.
    this.deliveryStream.node.addDependency(role);
  }

  grantPutRecords(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
      resourceArns: [this.deliveryStream.attrArn],
    });
  }
}
