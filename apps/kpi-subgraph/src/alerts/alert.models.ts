import { Field, Float, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Policies } from '@plant/auth';
import { Connection, RequiresPolicy } from '@plant/graphql';
import type { Alert as DomainAlert } from '@plant/domain';
import { AlertSeverityEnum, AlertStatusEnum, severityEnumOf, statusEnumOf } from '../graphql/graphql-enums';
import { Asset } from '../hierarchy/hierarchy.models';

@ObjectType({ description: 'An alert raised by a stream-writer rule (threshold, rate of change, machine state, SCADA alarm).' })
export class Alert {
  @Field(() => ID)
  id!: string;

  @Field()
  ruleId!: string;

  @Field()
  enterpriseId!: string;

  @Field()
  plantId!: string;

  @Field()
  lineId!: string;

  @Field()
  assetId!: string;

  @Field(() => AlertSeverityEnum)
  severity!: AlertSeverityEnum;

  @Field(() => AlertStatusEnum)
  status!: AlertStatusEnum;

  @Field()
  message!: string;

  @Field(() => Float, { nullable: true, description: 'The measured value that crossed the rule, if any.' })
  value?: number;

  @Field({ description: 'ISO-8601' })
  raisedAt!: string;

  @Field(() => String, { nullable: true, description: 'ISO-8601' })
  acknowledgedAt?: string;

  @Field(() => String, { nullable: true, description: 'Who acknowledged it: staff only (null with UNAUTHORIZED_FIELD_OR_TYPE for partners).' })
  @RequiresPolicy(Policies.STAFF)
  acknowledgedBy?: string;

  @Field(() => String, { nullable: true, description: 'ISO-8601' })
  clearedAt?: string;

  @Field({ description: 'ISO-8601' })
  updatedAt!: string;
}

@ObjectType()
export class AlertConnection extends Connection(Alert, 'Alert') {}

@InputType({ description: 'All given conditions must hold.' })
export class AlertFilterInput {
  @Field(() => ID, { nullable: true })
  plantId?: string;

  @Field(() => ID, { nullable: true })
  lineId?: string;

  @Field(() => ID, { nullable: true })
  assetId?: string;

  @Field(() => AlertStatusEnum, { nullable: true })
  status?: AlertStatusEnum;

  @Field(() => AlertSeverityEnum, { nullable: true, description: 'This severity or higher.' })
  minSeverity?: AlertSeverityEnum;
}

export function toAlert(alert: DomainAlert): Alert {
  const { alertId, severity, status, ...rest } = alert;
  return { id: alertId, severity: severityEnumOf(severity), status: statusEnumOf(status), ...rest };
}

/** The alerted asset as an entity reference (other subgraphs' Asset fields resolve through it). */
export function alertAsset(alert: Alert): Asset {
  return { id: alert.assetId, enterpriseId: alert.enterpriseId, plantId: alert.plantId, lineId: alert.lineId };
}
