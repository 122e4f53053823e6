import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { canSeePlant } from '@plant/auth';
import { ASSET_HEALTH_FEATURE_GROUP, FAILURE_RISK_MODEL } from '@plant/config';
import { FailureRiskModel, FailureRiskModelError, FeatureRecordRead } from '@plant/domain';
import { InvalidArgumentError, NotFoundError } from '@plant/domain';
import { FEATURE_CLOCK } from '../features/feature.service';
import type { MlContext } from '../features/ml-context';
import { FailureRisk, FailureRiskStatus } from './failure-risk.models';

export const FAILURE_RISK_MODEL_PORT = Symbol('FAILURE_RISK_MODEL_PORT');
export const MAX_TOP_CONTRIBUTIONS = 10;

/** A risk with the plant of the record behind it (scoping is decided per field, by the caller's plants). */
type ScopedRisk = { plantId: string | undefined; risk: FailureRisk };

/**
 * Failure risk of assets: their asset-health records come through the request's feature loader
 * (one BatchGetRecord per 100 ids), and the fresh ones of one batch are scored by ONE model call
 * (one InvokeEndpoint with a CSV row per asset). No record, a record past the TTL, or a model that
 * does not answer give a risk without probability and with the reason, never an error; another
 * plant's asset is NOT_FOUND, and its features are never sent to the model.
 */
@Injectable()
export class FailureRiskService {
  /** One loader per request context: created on the first `failureRisk` field, gone with the request. */
  private readonly loaders = new WeakMap<MlContext, DataLoader<string, ScopedRisk>>();

  constructor(
    @Inject(FAILURE_RISK_MODEL_PORT) private readonly model: FailureRiskModel,
    @Inject(FEATURE_CLOCK) private readonly now: () => number,
  ) {}

  async failureRisk(ctx: MlContext, assetId: string, top: number): Promise<FailureRisk> {
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP_CONTRIBUTIONS) throw new InvalidArgumentError('top', `must be 1 to ${MAX_TOP_CONTRIBUTIONS}`);
    const scoped = await this.loaderOf(ctx).load(assetId);
    if (scoped.plantId !== undefined && !canSeePlant(ctx.identity, scoped.plantId)) throw new NotFoundError('Asset', assetId);
    return { ...scoped.risk, topContributions: scoped.risk.topContributions.slice(0, top) };
  }

  private loaderOf(ctx: MlContext): DataLoader<string, ScopedRisk> {
    let loader = this.loaders.get(ctx);
    if (!loader) {
      loader = new DataLoader((ids) => this.score(ctx, ids), { cache: false, maxBatchSize: 100 });
      this.loaders.set(ctx, loader);
    }
    return loader;
  }

  private async score(ctx: MlContext, ids: readonly string[]): Promise<ScopedRisk[]> {
    const records = await ctx.features.get(ASSET_HEALTH_FEATURE_GROUP.name)!.loadMany(ids);
    const group = ASSET_HEALTH_FEATURE_GROUP;
    const out: ScopedRisk[] = [];
    const toScore: { index: number; record: FeatureRecordRead }[] = [];
    records.forEach((record, index) => {
      if (record instanceof Error) throw record;
      if (!record) return void (out[index] = { plantId: undefined, risk: noRisk(FailureRiskStatus.NOT_FOUND, 'no asset-health features of this asset in the online store', null) });
      const plantId = record.values.plant_id ?? '';
      const eventTime = record.values[group.eventTimeFeatureName] ?? null;
      if (!canSeePlant(ctx.identity, plantId)) return void (out[index] = { plantId, risk: noRisk(FailureRiskStatus.NOT_FOUND, 'not found', null) });
      if (!(Date.parse(eventTime ?? '') + group.ttlSeconds * 1000 > this.now())) {
        return void (out[index] = { plantId, risk: noRisk(FailureRiskStatus.EXPIRED, `features older than the ${group.ttlSeconds / 3600} h TTL of ${group.name}`, eventTime) });
      }
      toScore.push({ index, record });
    });
    if (!toScore.length) return out;
    try {
      const predictions = await this.model.predict(toScore.map(({ record }) => FAILURE_RISK_MODEL.featureNames.map((name) => numberOf(record.values[name]))));
      toScore.forEach(({ index, record }, i) => {
        const p = predictions[i];
        out[index] = {
          plantId: record.values.plant_id,
          risk: {
            status: FailureRiskStatus.AVAILABLE,
            probability: p.probability,
            atRisk: p.atRisk,
            modelVersion: p.modelVersion,
            featuresEventTime: record.values[group.eventTimeFeatureName] ?? null,
            reason: null,
            topContributions: [...p.contributions].sort((a, b) => b.contribution - a.contribution).map((c) => ({ name: c.feature, value: c.value, contribution: c.contribution })),
          },
        };
      });
    } catch (err) {
      if (!(err instanceof FailureRiskModelError)) throw err;
      const reason = err.failure === 'unavailable' ? 'the failure-risk model is unavailable; retry later' : 'the failure-risk model refused these features';
      for (const { index, record } of toScore) out[index] = { plantId: record.values.plant_id, risk: noRisk(FailureRiskStatus.MODEL_UNAVAILABLE, reason, record.values[group.eventTimeFeatureName] ?? null) };
    }
    return out;
  }
}

function noRisk(status: FailureRiskStatus, reason: string, featuresEventTime: string | null): FailureRisk {
  return { status, probability: null, atRisk: null, modelVersion: null, featuresEventTime, reason, topContributions: [] };
}

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
