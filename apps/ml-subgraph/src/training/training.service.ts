import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { plantFilterOf, type Identity } from '@plant/auth';
import { featureGroupNamed, FeatureGroupDefinition, valueFeatureNames } from '@plant/config';
import type { TrainingSetQuery, TrainingSetRequest } from '@plant/domain';
import { InvalidArgumentError, NotFoundError } from '@plant/domain';
import { FeatureStatus } from '../features/feature.models';
import { ExportStatus, TrainingEntityInput, TrainingLabelInput, TrainingSetExport, TrainingSetPage } from './training.models';

export const TRAINING_SET_QUERY = Symbol('TRAINING_SET_QUERY');
export const LAKE_DIR = Symbol('LAKE_DIR');

/** Bounds of the API (docs/ml.md): rows paged in GraphQL, larger sets exported. */
export const TrainingLimits = { pagedEntities: 1_000, exportEntities: 100_000, pageSize: 1_000, maxHorizonSeconds: 7 * 86_400, idLength: 128 } as const;
const EXPORT_PREFIX = 'features/exports';

/** Point-in-time training sets: validation and plant scoping here, the join in the TrainingSetQuery port. */
@Injectable()
export class TrainingSetService {
  private readonly exports = new Map<string, TrainingSetExport & { owner: string }>();
  private readonly logger = new Logger('TrainingSets');

  constructor(
    @Inject(TRAINING_SET_QUERY) private readonly query: TrainingSetQuery,
    @Inject(LAKE_DIR) private readonly lakeDir: string,
  ) {}

  async page(identity: Identity, groups: string[], entities: TrainingEntityInput[], label: TrainingLabelInput | undefined, first: number, after: string | undefined): Promise<TrainingSetPage> {
    if (!Number.isInteger(first) || first < 1 || first > TrainingLimits.pageSize) throw new InvalidArgumentError('first', `must be 1 to ${TrainingLimits.pageSize}`);
    const offset = after === undefined || after === null ? 0 : cursorOffset(after);
    const request = requestOf(identity, groups, entities, label, TrainingLimits.pagedEntities, 'use exportTrainingSet for larger sets');
    const { rows, total } = await this.query.rows(request, offset, first);
    const end = offset + rows.length;
    return {
      rows: rows.map((row) => ({ ...row, features: row.features.map((f) => ({ featureGroup: f.group, name: f.name, status: FeatureStatus[f.status], value: f.value, eventTime: f.featureTime })) })),
      totalCount: total,
      pageInfo: { hasNextPage: end < total, endCursor: rows.length ? cursorOf(end) : null },
    };
  }

  /** Starts the job and answers at once (RUNNING); the job writes Parquet under features/exports/<id>/. */
  startExport(identity: Identity, groups: string[], entities: TrainingEntityInput[], label: TrainingLabelInput | undefined): TrainingSetExport {
    const request = requestOf(identity, groups, entities, label, TrainingLimits.exportEntities, 'split the set into several exports');
    const id = randomUUID();
    const location = `${EXPORT_PREFIX}/${id}/`;
    const job = { id, owner: identity.subject, status: ExportStatus.RUNNING, location, rowCount: null, error: null, startedAt: new Date().toISOString(), finishedAt: null };
    this.exports.set(id, job);
    this.query.export(request, join(this.lakeDir, location)).then(
      ({ rows }) => Object.assign(job, { status: ExportStatus.SUCCEEDED, rowCount: rows, finishedAt: new Date().toISOString() }),
      (err: unknown) => {
        this.logger.error(`training set export ${id} failed: ${String(err)}`);
        Object.assign(job, { status: ExportStatus.FAILED, error: 'The export failed; see the ml-subgraph log', finishedAt: new Date().toISOString() });
      },
    );
    return job;
  }

  /** Only the subject that started an export sees it; anyone else gets NOT_FOUND like an unknown id. */
  exportOf(identity: Identity, id: string): TrainingSetExport {
    const job = this.exports.get(id);
    if (!job || job.owner !== identity.subject) throw new NotFoundError('TrainingSetExport', id.slice(0, 64));
    return job;
  }
}

const cursorOf = (offset: number) => Buffer.from(`row:${offset}`).toString('base64url');
function cursorOffset(cursor: string): number {
  const match = /^row:(\d{1,9})$/.exec(Buffer.from(cursor.slice(0, 64), 'base64url').toString('utf8'));
  if (!match) throw new InvalidArgumentError('after', 'is not a cursor of this training set');
  return Number(match[1]);
}

function requestOf(identity: Identity, names: string[], entities: TrainingEntityInput[], label: TrainingLabelInput | undefined, maxEntities: number, hint: string): TrainingSetRequest {
  if (names.length < 1 || names.length > 2 || new Set(names).size !== names.length) throw new InvalidArgumentError('featureGroups', 'name one or two distinct feature groups');
  const groups = names.map((name) => {
    const group = featureGroupNamed(name);
    if (!group) throw new InvalidArgumentError('featureGroups', `unknown feature group ${JSON.stringify(name.slice(0, 64))}`);
    return group;
  });
  if (new Set(groups.map((g) => g.entity)).size > 1) throw new InvalidArgumentError('featureGroups', 'all feature groups must describe the same entity (asset or line)');
  if (entities.length < 1 || entities.length > maxEntities) throw new InvalidArgumentError('entities', `must hold 1 to ${maxEntities} rows (${hint})`);
  entities.forEach((entity, i) => {
    if (!entity.id || entity.id.length > TrainingLimits.idLength) throw new InvalidArgumentError('entities', `row ${i}: id must be 1 to ${TrainingLimits.idLength} characters`);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(entity.eventTime) || Number.isNaN(Date.parse(entity.eventTime))) {
      throw new InvalidArgumentError('entities', `row ${i}: eventTime must be ISO-8601 UTC (yyyy-MM-ddTHH:mm:ss[.SSS]Z)`);
    }
  });
  return { featureGroups: groups, entities, label: label && labelOf(label, groups[0]), plantIds: plantFilterOf(identity) };
}

function labelOf(label: TrainingLabelInput, first: FeatureGroupDefinition) {
  const group = featureGroupNamed(label.featureGroup);
  if (!group || group.entity !== first.entity) throw new InvalidArgumentError('label', `featureGroup must be a feature group of the same entity as featureGroups`);
  if (!valueFeatureNames(group).includes(label.feature)) throw new InvalidArgumentError('label', `unknown feature ${JSON.stringify(label.feature.slice(0, 64))} of ${group.name}`);
  if (group.features.find((f) => f.name === label.feature)?.type === 'String') throw new InvalidArgumentError('label', 'must be an Integral or Fractional feature');
  if (!Number.isInteger(label.horizonSeconds) || label.horizonSeconds < 1 || label.horizonSeconds > TrainingLimits.maxHorizonSeconds) {
    throw new InvalidArgumentError('label', `horizonSeconds must be 1 to ${TrainingLimits.maxHorizonSeconds}`);
  }
  return { featureGroup: group, feature: label.feature, horizonSeconds: label.horizonSeconds };
}
