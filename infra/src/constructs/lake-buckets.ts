import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ResourceNames } from '@plant/config';
import { PlatformConfig } from '../config/platform-config';
import { LAKE_PREFIXES } from '@plant/config';

/** The zones the ETL rewrites every hour (dynamic partition overwrite of the day's partitions). */
export const REWRITTEN_ZONES = ['curated', 'refined', 'features'] as const;

export interface LakeBucketsProps {
  config: PlatformConfig;
  key: kms.IKey;
}

/** The S3 request-metrics filter whose PutRequests count dead letters (alarmed on in Observability). */
export const DEAD_LETTER_METRICS_ID = 'DeadLetters';

/**
 * The lake: one bucket with a prefix per zone (raw/, curated/, refined/, features/) plus dead
 * letters, Firehose errors, the offline feature store and model artifacts; a bucket for Athena
 * results; and the access-log bucket both log into. Buckets are always retained: deleting a stack
 * must never delete data, and emptying them would need a Lambda custom resource.
 */
export class LakeBuckets extends Construct {
  readonly lake: s3.Bucket;
  readonly athenaResults: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: LakeBucketsProps) {
    super(scope, id);
    const { envName, lake } = props.config;
    const name = (base: string) => `${base}-${envName}-${Aws.ACCOUNT_ID}-${Aws.REGION}`;

    // SSE-S3, not KMS: S3 server access logging and ALB access logs cannot write to KMS buckets.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      bucketName: name('plant-access-logs'),
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-logs', expiration: lake.accessLogsExpiry }],
    });

    this.lake = new s3.Bucket(this, 'Lake', {
      bucketName: name(ResourceNames.lakeBucket),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'lake/',
      metrics: [{ id: DEAD_LETTER_METRICS_ID, prefix: LAKE_PREFIXES.deadLetter }],
      lifecycleRules: [
        {
          id: 'raw-tiering',
          prefix: 'raw/',
          transitions: [
            { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: lake.rawToInfrequentAccessAfter },
            { storageClass: s3.StorageClass.GLACIER, transitionAfter: lake.rawToGlacierAfter },
          ],
        },
        { id: 'expire-dead-letters', prefix: LAKE_PREFIXES.deadLetter, expiration: lake.deadLetterExpiry },
        { id: 'expire-dead-letter-errors', prefix: LAKE_PREFIXES.deadLetterErrors, expiration: lake.deadLetterExpiry },
        { id: 'expire-firehose-errors', prefix: LAKE_PREFIXES.firehoseErrors, expiration: lake.deadLetterExpiry },
        // The ETL replaces a day's partition files every hour: in a versioned bucket each run leaves the
        // previous files as noncurrent versions (~24 copies a day), so these zones keep them one day
        // and drop the delete markers left behind.
        ...REWRITTEN_ZONES.map((zone) => ({
          id: `expire-rewritten-${zone}`,
          prefix: `${zone}/`,
          noncurrentVersionExpiration: lake.rewrittenZonesNoncurrentExpiry,
          expiredObjectDeleteMarker: true,
        })),
        // Elsewhere old versions are an undo window for mistakes.
        { id: 'expire-old-versions', noncurrentVersionExpiration: lake.noncurrentExpiry },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });

    this.athenaResults = new s3.Bucket(this, 'AthenaResults', {
      bucketName: name('plant-athena-results'),
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'athena-results/',
      lifecycleRules: [{ id: 'expire-results', expiration: lake.athenaResultsExpiry }],
    });
  }

  /** `s3://<lake>/<prefix>` of a zone or table. */
  lakeUri(prefix: string): string {
    return `s3://${this.lake.bucketName}/${prefix}`;
  }
}
