import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { KpiHistory, KpiRangeRequest, kpiRangeRequestOf, KpiScope, KpiSnapshot } from '@plant/domain';
import { kpiWindowOf, KpiWindowEnum } from '../graphql/graphql-enums';
import type { RequestContext } from '../graphql/request-context';
import { Kpi, toKpi } from '../hierarchy/kpi.models';

export const KPI_HISTORY = Symbol('KPI_HISTORY');
/** Requests per batch: each is one DynamoDB Query, run in parallel. */
const MAX_BATCH = 25;

/**
 * `kpis(window, from, to)` of plants, lines and assets. The entity was already resolved under the
 * caller's scope (another plant's entity is NOT_FOUND before this runs), so the scope filter is the
 * entity's. One loader per request, kept beside the request's context.
 */
@Injectable()
export class KpiHistoryService {
  private readonly loaders = new WeakMap<RequestContext, { loader: DataLoader<KpiRangeRequest, KpiSnapshot[], string>; nowMs: number }>();

  constructor(@Inject(KPI_HISTORY) private readonly history: KpiHistory) {}

  async kpis(ctx: RequestContext, scope: KpiScope, scopeId: string, window: KpiWindowEnum, from: string, to: string | null | undefined): Promise<Kpi[]> {
    const { loader, nowMs } = this.loaderOf(ctx);
    const snapshots = await loader.load(kpiRangeRequestOf(scope, scopeId, kpiWindowOf(window), from, to, nowMs));
    return snapshots.map(toKpi);
  }

  private loaderOf(ctx: RequestContext) {
    let entry = this.loaders.get(ctx);
    if (!entry) {
      // No cache across requests or subscription events: each request reads the table afresh.
      const loader = new DataLoader<KpiRangeRequest, KpiSnapshot[], string>((requests) => this.history.kpisInRange(requests), {
        cache: false,
        maxBatchSize: MAX_BATCH,
        cacheKeyFn: (r) => JSON.stringify(r),
      });
      entry = { loader, nowMs: Date.now() };
      this.loaders.set(ctx, entry);
    }
    return entry;
  }
}
