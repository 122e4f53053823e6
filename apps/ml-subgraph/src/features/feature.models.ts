import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';

/** Asset and Line as this subgraph extends them: the shared key-only stubs of the subgraph kit. */
export { AssetRef as Asset, LineRef as Line } from '@plant/graphql';

export enum FeatureStatus {
  PRESENT = 'PRESENT',
  NULL = 'NULL',
  NOT_FOUND = 'NOT_FOUND',
  EXPIRED = 'EXPIRED',
}

registerEnumType(FeatureStatus, {
  name: 'FeatureStatus',
  description: 'Why a feature has or has not a value.',
  valuesMap: {
    PRESENT: { description: 'The online store holds a fresh value.' },
    NULL: { description: 'The record exists and is fresh, but has no value for this feature (no data in its window).' },
    NOT_FOUND: { description: 'The online store holds no record of the entity (never computed, or dropped after the retention).' },
    EXPIRED: { description: 'The record is older than the feature group’s TTL: its values are not served.' },
  },
});

@ObjectType({ description: 'One online feature of an entity (SageMaker Feature Store), with why it has or lacks a value.' })
export class FeatureValue {
  @Field({ description: 'Feature name as the feature group defines it, e.g. vibration_5m_mean.' })
  name!: string;

  @Field(() => FeatureStatus)
  status!: FeatureStatus;

  @Field(() => String, { nullable: true, description: 'The value as Feature Store stores it (ValueAsString); null unless PRESENT.' })
  value!: string | null;

  @Field(() => Float, { nullable: true, description: 'The value as a number, for Integral and Fractional features; null unless PRESENT.' })
  numericValue!: number | null;

  @Field(() => String, { nullable: true, description: 'ISO-8601 event time of the record behind the value (also for EXPIRED); null when NOT_FOUND.' })
  eventTime!: string | null;
}
