import { ResourceNames } from '../env-names';

/**
 * The EventBridge bus of alerts. Both the local stack and infra create it by this name; its rules
 * and targets (SNS, SQS, logs) exist only in AWS (infra/src/constructs/alerting.ts), where they
 * read the publisher's source and detail-types from libs/domain.
 */
export const AlertBus = {
  name: ResourceNames.alertBus,
} as const;
