import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ResourceNames } from '@plant/config';
import { PlatformConfig } from '../config/platform-config';
import { DEAD_LETTER_METRICS_ID } from './lake-buckets';

/** What the alarms watch, and the key of the ops topic. */
export interface ObservabilityProps {
  config: PlatformConfig;
  key: kms.IKey;
  plantEvents: kinesis.IStream;
  changeFeed: kinesis.IStream;
  /** The lake bucket, whose dead-letter request metrics (filter DEAD_LETTER_METRICS_ID) count dead letters. */
  lake: s3.IBucket;
  alertIntegrationDeadLetters: sqs.IQueue;
  etlStateMachine: sfn.IStateMachine;
  loadBalancer: elbv2.ApplicationLoadBalancer;
}

/**
 * Alarms on what loses or delays data: the stream-writer falling behind, dead letters, Firehose
 * not delivering, the ETL failing, the gateway answering 5xx. All notify the ops topic.
 */
export class Observability extends Construct {
  readonly opsTopic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly envName: string;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config, loadBalancer } = props;
    const { alarms } = config;
    this.envName = config.envName;
    this.opsTopic = new sns.Topic(this, 'OpsTopic', {
      topicName: `plant-${config.envName}-ops`,
      masterKey: props.key,
      enforceSSL: true,
    });
    const minute = Duration.minutes(1);

    this.alarm('PlantEventsIteratorAge', 'The stream-writer is falling behind plant-events', {
      metric: props.plantEvents.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: minute }),
      threshold: alarms.iteratorAgeMs,
      evaluationPeriods: 5,
    });
    this.alarm('ChangeFeedIteratorAge', 'Subgraph replicas are falling behind the change feed', {
      metric: props.changeFeed.metricGetRecordsIteratorAgeMilliseconds({ statistic: 'Maximum', period: minute }),
      threshold: alarms.iteratorAgeMs,
      evaluationPeriods: 5,
    });
    // S3 request metrics of the dlq/ filter: Firehose plant-dlq PUTs an object only when the
    // stream-writer dead-lettered at least one record (the metric arrives one buffer interval late).
    this.alarm('DeadLetters', 'Events are being dead-lettered', {
      metric: new cloudwatch.Metric({
        namespace: 'AWS/S3',
        metricName: 'PutRequests',
        dimensionsMap: { BucketName: props.lake.bucketName, FilterId: DEAD_LETTER_METRICS_ID },
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      threshold: 0,
      evaluationPeriods: 1,
    });
    this.alarm('FirehoseFreshness', 'Firehose is not delivering raw data to the lake', {
      metric: firehoseMetric(ResourceNames.rawDeliveryStream, 'DeliveryToS3.DataFreshness', 'Maximum'),
      threshold: alarms.firehoseFreshnessSeconds,
      evaluationPeriods: 3,
    });
    this.alarm('FirehoseDeliveryFailures', 'Firehose deliveries to S3 are failing', {
      metric: firehoseMetric(ResourceNames.rawDeliveryStream, 'DeliveryToS3.Success', 'Average'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    // A dead letter that cannot be delivered lands under dlq-errors/ instead: still kept, but unseen.
    this.alarm('DeadLetterDeliveryFailures', 'Firehose cannot deliver dead letters to dlq/', {
      metric: firehoseMetric(ResourceNames.deadLetterDeliveryStream, 'DeliveryToS3.Success', 'Average'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
    this.alarm('AlertIntegrationDeadLetters', 'Alert events could not be delivered to the integration queue', {
      metric: props.alertIntegrationDeadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      evaluationPeriods: 1,
    });
    this.alarm('EtlFailed', 'The raw → curated → refined run failed', {
      metric: props.etlStateMachine.metricFailed({ period: Duration.hours(1) }),
      threshold: 0,
      evaluationPeriods: 1,
    });
    this.alarm('GatewayLoadBalancer5xx', 'The ALB itself answers 5xx (no healthy gateway, timeouts)', {
      metric: loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: minute, statistic: 'Sum' }),
      threshold: alarms.alb5xxPerMinute,
      evaluationPeriods: 3,
    });
    this.alarm('GatewayTarget5xx', 'The gateway answers 5xx', {
      metric: loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: minute, statistic: 'Sum' }),
      threshold: alarms.alb5xxPerMinute,
      evaluationPeriods: 3,
    });

    function firehoseMetric(deliveryStreamName: string, metricName: string, statistic: string): cloudwatch.Metric {
      return new cloudwatch.Metric({
        namespace: 'AWS/Firehose',
        metricName,
        dimensionsMap: { DeliveryStreamName: deliveryStreamName },
        statistic,
        period: Duration.minutes(5),
      });
    }
  }

  private alarm(id: string, description: string, props: Omit<cloudwatch.AlarmProps, 'alarmDescription' | 'alarmName'>): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // No data means no traffic (or no failures): not an incident by itself.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...props,
      alarmName: `plant-${this.envName}-${id}`,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.opsTopic));
    this.alarms.push(alarm);
  }
}
