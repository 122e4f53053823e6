import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { canSeePlant, type Identity } from '@plant/auth';
import { FeatureGroupDefinition, valueFeatureNames } from '@plant/config';
import { FeatureRecordRead, FeatureStore } from '@plant/domain';
import { InvalidArgumentError, NotFoundError } from '@plant/domain';
import { FeatureStatus, FeatureValue } from './feature.models';

export const FEATURE_STORE = Symbol('FEATURE_STORE');
export const FEATURE_CLOCK = Symbol('FEATURE_CLOCK');

/** Ids per BatchGetRecord call (the service's limit) and per DataLoader batch: one batch, one call. */
export const MAX_FEATURE_BATCH = 100;

/** One loader per feature group, per request. */
export type FeatureLoaders = ReadonlyMap<string, DataLoader<string, FeatureRecordRead | undefined>>;

/** The store did not answer: UNAVAILABLE for the client (errorCodeOf matches the name), never a raw SDK error. */
/**
 * Online feature reads of one GraphQL operation: every entity's record of a group in one request
 * becomes one BatchGetRecord call per 100 ids. Names are checked against the group definition;
 * the caller's plants are checked against each record's `plant_id` (another plant's entity
 * answers NOT_FOUND, like a missing one).
 */
@Injectable()
export class FeatureService {
  constructor(
    @Inject(FEATURE_STORE) private readonly store: FeatureStore,
    @Inject(FEATURE_CLOCK) private readonly now: () => number,
  ) {}

  createLoaders(groups: readonly FeatureGroupDefinition[]): FeatureLoaders {
    return new Map(
      groups.map((group) => [
        group.name,
        new DataLoader<string, FeatureRecordRead | undefined>(
          async (ids) => {
            // The port fails with domain errors (UnavailableError…), which the subgraph kit maps to codes.
            const found = await this.store.batchGetRecords(group.name, ids);
            return ids.map((id) => found.get(id));
          },
          { cache: false, maxBatchSize: MAX_FEATURE_BATCH },
        ),
      ]),
    );
  }

  async features(loaders: FeatureLoaders, identity: Identity, group: FeatureGroupDefinition, entity: string, id: string, names: readonly string[] | undefined): Promise<FeatureValue[]> {
    const wanted = validNames(group, names);
    const record = await loaders.get(group.name)!.load(id);
    if (record && !canSeePlant(identity, record.values.plant_id ?? '')) throw new NotFoundError(entity, id);
    return wanted.map((name) => featureValue(group, name, record, this.now()));
  }
}

/** Unknown, repeated or too many names → BAD_USER_INPUT naming them; none → every value feature. */
function validNames(group: FeatureGroupDefinition, names: readonly string[] | undefined): string[] {
  const known = valueFeatureNames(group);
  if (names === undefined || names === null) return known;
  if (names.length === 0) throw new InvalidArgumentError('names', 'must name at least one feature (or be left out for all)');
  if (names.length > known.length) throw new InvalidArgumentError('names', `at most ${known.length} names (the features of ${group.name})`);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) throw new InvalidArgumentError('names', `unknown feature${unknown.length > 1 ? 's' : ''} of ${group.name}: ${unknown.slice(0, 5).map((n) => JSON.stringify(n.slice(0, 64))).join(', ')}`);
  if (new Set(names).size !== names.length) throw new InvalidArgumentError('names', 'names must not repeat');
  return [...names];
}

/** The status rules of docs/ml.md: NOT_FOUND without a record, EXPIRED past the TTL, NULL without a value. */
export function featureValue(group: FeatureGroupDefinition, name: string, record: FeatureRecordRead | undefined, nowMs: number): FeatureValue {
  if (!record) return { name, status: FeatureStatus.NOT_FOUND, value: null, numericValue: null, eventTime: null };
  const eventTime = record.values[group.eventTimeFeatureName] ?? null;
  const eventMs = eventTime === null ? Number.NaN : Date.parse(eventTime);
  if (!(eventMs + group.ttlSeconds * 1000 > nowMs)) return { name, status: FeatureStatus.EXPIRED, value: null, numericValue: null, eventTime };
  const value = record.values[name];
  if (value === undefined) return { name, status: FeatureStatus.NULL, value: null, numericValue: null, eventTime };
  const type = group.features.find((f) => f.name === name)?.type;
  return { name, status: FeatureStatus.PRESENT, value, numericValue: type === 'String' ? null : Number(value), eventTime };
}
