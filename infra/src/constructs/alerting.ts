import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlertBus, ResourceNames } from '@plant/config';
import { ALERT_DETAIL_TYPES, ALERT_EVENT_SOURCE } from '@plant/domain';
import { PlatformConfig } from '../config/platform-config';

/** EventBridge log targets need the group under /aws/events/. */
export const ALERT_LOG_GROUP_NAME = `/aws/events/${ResourceNames.alertBus}`;

export interface AlertingProps {
  config: PlatformConfig;
  key: kms.IKey;
}

/**
 * The `plant-alerts` bus and what happens to an alert: every change is archived and logged,
 * open major/critical alerts page the on-call topic, and every change is queued for integrations
 * (maintenance ticketing, MES) that poll at their own pace.
 */
export class Alerting extends Construct {
  readonly bus: events.EventBus;
  readonly onCallTopic: sns.Topic;
  readonly integrationQueue: sqs.Queue;
  readonly integrationDeadLetters: sqs.Queue;
  readonly alertLog: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AlertingProps) {
    super(scope, id);
    const { alerts, removalPolicy } = props.config;

    this.bus = new events.EventBus(this, 'Bus', { eventBusName: AlertBus.name });
    this.bus.archive('Archive', {
      archiveName: `${ResourceNames.alertBus}-archive`,
      description: 'Every alert event, replayable after an incident',
      eventPattern: { source: [ALERT_EVENT_SOURCE] },
      retention: Duration.days(alerts.archiveRetentionDays),
    });

    this.onCallTopic = new sns.Topic(this, 'OnCallTopic', {
      topicName: `${ResourceNames.alertBus}-on-call`,
      masterKey: props.key,
      enforceSSL: true,
    });

    this.integrationDeadLetters = new sqs.Queue(this, 'IntegrationDeadLetters', {
      queueName: `${ResourceNames.alertBus}-integration-dlq`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy,
    });
    this.integrationQueue = new sqs.Queue(this, 'IntegrationQueue', {
      queueName: `${ResourceNames.alertBus}-integration`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      deadLetterQueue: { queue: this.integrationDeadLetters, maxReceiveCount: 5 },
      removalPolicy,
    });

    this.alertLog = new logs.LogGroup(this, 'AlertLog', {
      logGroupName: ALERT_LOG_GROUP_NAME,
      retention: alerts.logRetention,
      removalPolicy,
    });

    // The publisher's values (libs/domain/src/alerts/alert-bus.ts): one detail-type per status, `detail` the Alert.
    const anyAlert = { source: [ALERT_EVENT_SOURCE], detailType: Object.values(ALERT_DETAIL_TYPES) };
    new events.Rule(this, 'LogEveryAlert', {
      eventBus: this.bus,
      description: 'Every alert change into the audit log group',
      eventPattern: anyAlert,
      targets: [this.logGroupTarget(this.alertLog)],
    });
    new events.Rule(this, 'PageOnCall', {
      eventBus: this.bus,
      description: 'Open major and critical alerts to the on-call topic',
      eventPattern: { source: [ALERT_EVENT_SOURCE], detailType: [ALERT_DETAIL_TYPES.open], detail: { severity: ['major', 'critical'] } },
      targets: [new targets.SnsTopic(this.onCallTopic)],
    });
    new events.Rule(this, 'QueueForIntegrations', {
      eventBus: this.bus,
      description: 'Every alert change to the integration queue',
      eventPattern: anyAlert,
      targets: [
        new targets.SqsQueue(this.integrationQueue, {
          deadLetterQueue: this.integrationDeadLetters,
          retryAttempts: 10,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  /**
   * A log group target with a plain CloudFormation resource policy. The aws-events-targets
   * CloudWatchLogGroup target installs the policy through a Lambda custom resource instead.
   */
  private logGroupTarget(logGroup: logs.LogGroup): events.IRuleTarget {
    // logGroup.logGroupName is a Ref token; the ARN below needs the literal name.
    const policy = new logs.CfnResourcePolicy(this, 'AlertLogPolicy', {
      policyName: `${ResourceNames.alertBus}-to-logs`,
      policyDocument: Stack.of(this).toJsonString({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: logGroup.logGroupArn,
          },
        ],
      }),
    });
    // The target is the log group's ARN without the `:*` that logGroupArn carries: with it the rule
    // deploys but delivers nothing. https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-cloudwatchlogs-permissions
    const targetArn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: ALERT_LOG_GROUP_NAME,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    return {
      bind: (rule) => {
        rule.node.addDependency(policy);
        return { arn: targetArn };
      },
    };
  }

  /** PutEvents on the bus, and DescribeEventBus for the stream-writer's health check. */
  grantPutAlerts(grantee: iam.IGrantable): void {
    this.bus.grantPutEventsTo(grantee);
    iam.Grant.addToPrincipal({ grantee, actions: ['events:DescribeEventBus'], resourceArns: [this.bus.eventBusArn] });
  }
}
