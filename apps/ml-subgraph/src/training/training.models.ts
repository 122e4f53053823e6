import { Field, ID, InputType, Int, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import { FeatureStatus } from '../features/feature.models';

@InputType({ description: 'One row of a training set: an entity at a point in time.' })
export class TrainingEntityInput {
  @Field(() => ID, { description: 'Asset or line id (the record identifier of the feature groups asked for).' })
  id!: string;

  @Field({ description: 'ISO-8601 time the features are taken at (as they were known then).' })
  eventTime!: string;
}

@InputType({ description: 'The label: a feature value horizonSeconds after each row’s event time (e.g. downtime_events_60m one hour later).' })
export class TrainingLabelInput {
  @Field()
  featureGroup!: string;

  @Field()
  feature!: string;

  @Field(() => Int, { description: 'Seconds after the row’s event time, 1 to 604800 (7 days).' })
  horizonSeconds!: number;
}

@ObjectType({ description: 'A feature of one training row: the newest value at or before the row’s event time, within the TTL.' })
export class TrainingFeatureValue {
  @Field()
  featureGroup!: string;

  @Field()
  name!: string;

  @Field(() => FeatureStatus)
  status!: FeatureStatus;

  @Field(() => String, { nullable: true })
  value!: string | null;

  @Field(() => String, { nullable: true, description: 'Event time of the record joined; null when NOT_FOUND.' })
  eventTime!: string | null;
}

@ObjectType()
export class TrainingRow {
  @Field(() => Int, { description: 'Position of the entity in the request (0-based).' })
  index!: number;

  @Field(() => ID)
  entityId!: string;

  @Field()
  eventTime!: string;

  @Field(() => [TrainingFeatureValue])
  features!: TrainingFeatureValue[];

  @Field(() => Float, { nullable: true, description: 'The label value when a label was asked for; null when none is known.' })
  label?: number | null;
}

@ObjectType()
export class TrainingSetPageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType({ description: 'One page of a point-in-time training set, rows in request order.' })
export class TrainingSetPage {
  @Field(() => [TrainingRow])
  rows!: TrainingRow[];

  @Field(() => Int)
  totalCount!: number;

  @Field(() => TrainingSetPageInfo)
  pageInfo!: TrainingSetPageInfo;
}

export enum ExportStatus {
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(ExportStatus, { name: 'TrainingSetExportStatus' });

@ObjectType({ description: 'A training set export job: Parquet in the lake under features/exports/<id>/.' })
export class TrainingSetExport {
  @Field(() => ID)
  id!: string;

  @Field(() => ExportStatus)
  status!: ExportStatus;

  @Field({ description: 'Lake key of the export folder (s3://<lake bucket>/<location> in AWS).' })
  location!: string;

  @Field(() => Int, { nullable: true })
  rowCount!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the job failed (FAILED only).' })
  error!: string | null;

  @Field()
  startedAt!: string;

  @Field(() => String, { nullable: true })
  finishedAt!: string | null;
}
