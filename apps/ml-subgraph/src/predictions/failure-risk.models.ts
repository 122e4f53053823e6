import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum FailureRiskStatus {
  AVAILABLE = 'AVAILABLE',
  NOT_FOUND = 'NOT_FOUND',
  EXPIRED = 'EXPIRED',
  MODEL_UNAVAILABLE = 'MODEL_UNAVAILABLE',
}

registerEnumType(FailureRiskStatus, {
  name: 'FailureRiskStatus',
  description: 'Whether a failure risk could be computed, and why not.',
  valuesMap: {
    AVAILABLE: { description: 'The model scored the asset’s fresh online features.' },
    NOT_FOUND: { description: 'The online store holds no asset-health record of the asset: no risk.' },
    EXPIRED: { description: 'The asset’s features are older than the feature group’s TTL: no risk from stale data.' },
    MODEL_UNAVAILABLE: { description: 'The model endpoint did not answer or has no model yet (npm run train): retry later.' },
  },
});

@ObjectType({ description: 'How much one feature pushed the risk: weight × standardised value, on the log-odds.' })
export class FeatureContributionValue {
  @Field({ description: 'Feature name (asset-health group), e.g. vibration_5m_slope.' })
  name!: string;

  @Field(() => Float, { nullable: true, description: 'The value the model saw; null when the feature had no value (imputed, contribution 0).' })
  value!: number | null;

  @Field(() => Float, { description: 'Positive raises the risk, negative lowers it.' })
  contribution!: number;
}

@ObjectType({ description: 'Probability that the asset goes down with a drift failure within the model’s horizon (docs/ml-model.md).' })
export class FailureRisk {
  @Field(() => FailureRiskStatus)
  status!: FailureRiskStatus;

  @Field(() => Float, { nullable: true, description: 'Probability 0–1; null unless AVAILABLE.' })
  probability!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'probability ≥ the model’s alert threshold; null unless AVAILABLE.' })
  atRisk!: boolean | null;

  @Field(() => String, { nullable: true, description: 'Version of the model artefact that scored it; null unless AVAILABLE.' })
  modelVersion!: string | null;

  @Field(() => String, { nullable: true, description: 'ISO-8601 event time of the features scored (also for EXPIRED).' })
  featuresEventTime!: string | null;

  @Field(() => String, { nullable: true, description: 'Why there is no probability; null when AVAILABLE.' })
  reason!: string | null;

  @Field(() => [FeatureContributionValue], { description: 'The features that raised the risk most, largest first (empty unless AVAILABLE).' })
  topContributions!: FeatureContributionValue[];
}
