import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Scopes } from '@plant/auth';
import { RequiresScopes } from '@plant/graphql';
import type { MlContext } from '../features/ml-context';
import { TrainingEntityInput, TrainingLabelInput, TrainingSetExport, TrainingSetPage } from './training.models';
import { TrainingLimits, TrainingSetService } from './training.service';

const GROUPS_DOC = 'One or two feature groups of the same entity, e.g. ["asset-health"].';
const ENTITIES_DOC = `Rows: entity id and the time to take features at (at most ${TrainingLimits.pagedEntities.toLocaleString('en')} per query, ${TrainingLimits.exportEntities.toLocaleString('en')} per export).`;

/** Point-in-time training sets (data_scientist, admin): paged in GraphQL, large ones exported to the lake. */
@Resolver()
export class TrainingSetResolver {
  constructor(private readonly service: TrainingSetService) {}

  @Query(() => TrainingSetPage, { description: 'Each row’s features as known at its event time (never later), null past the TTL. Paged in request order.' })
  @RequiresScopes(Scopes.ML_READ)
  trainingSet(
    @Context() ctx: MlContext,
    @Args('featureGroups', { type: () => [String], description: GROUPS_DOC }) featureGroups: string[],
    @Args('entities', { type: () => [TrainingEntityInput], description: ENTITIES_DOC }) entities: TrainingEntityInput[],
    @Args('label', { type: () => TrainingLabelInput, nullable: true }) label?: TrainingLabelInput,
    @Args('first', { type: () => Int, defaultValue: 100, description: `Rows per page, 1 to ${TrainingLimits.pageSize}.` }) first = 100,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<TrainingSetPage> {
    return this.service.page(ctx.identity, featureGroups, entities, label, first, after);
  }

  @Mutation(() => TrainingSetExport, { description: 'Starts writing the training set as Parquet to the lake (features/exports/<id>/); poll trainingSetExport(id).' })
  @RequiresScopes(Scopes.ML_READ)
  exportTrainingSet(
    @Context() ctx: MlContext,
    @Args('featureGroups', { type: () => [String], description: GROUPS_DOC }) featureGroups: string[],
    @Args('entities', { type: () => [TrainingEntityInput], description: ENTITIES_DOC }) entities: TrainingEntityInput[],
    @Args('label', { type: () => TrainingLabelInput, nullable: true }) label?: TrainingLabelInput,
  ): TrainingSetExport {
    return this.service.startExport(ctx.identity, featureGroups, entities, label);
  }

  @Query(() => TrainingSetExport, { description: 'Status and location of an export this caller started (NOT_FOUND otherwise).' })
  @RequiresScopes(Scopes.ML_READ)
  trainingSetExport(@Context() ctx: MlContext, @Args('id', { type: () => ID }) id: string): TrainingSetExport {
    return this.service.exportOf(ctx.identity, id);
  }
}
