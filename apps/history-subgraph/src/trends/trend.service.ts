import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { plantFilterOf, type Identity } from '@plant/auth';
import { TrendQuery, TrendRequest, trendRequestOf, TrendSeries } from '@plant/domain';

export const TREND_QUERY = Symbol('TREND_QUERY');

export type TrendLoader = DataLoader<TrendRequest, TrendSeries, string>;

/** Assets per Timestream query (`asset IN (…)`): bounds one query's text and result size. */
export const MAX_TREND_BATCH = 50;

/** Trend reads of one GraphQL operation: all assets' trends in a response become one store call. */
@Injectable()
export class TrendService {
  constructor(@Inject(TREND_QUERY) private readonly trends: TrendQuery) {}

  /**
   * Per request (HTTP operation or subscription event fetch). No cache across events: the gateway
   * asks for `_entities` once per subscription event and every event must see fresh trend points.
   * The caller's plants filter every query (server side, from the verified identity).
   */
  createLoader(identity: Identity): TrendLoader {
    const scope = { plantIds: plantFilterOf(identity) };
    return new DataLoader((requests) => this.trends.series(requests, scope), {
      cache: false,
      maxBatchSize: MAX_TREND_BATCH,
      cacheKeyFn: (r) => `${r.assetId}|${r.measure}|${r.lastSeconds}|${r.bucketSeconds}`,
    });
  }

  trend(loader: TrendLoader, assetId: string, measure: string, last: string, bucket: string): Promise<TrendSeries> {
    return loader.load(trendRequestOf(assetId, measure, last, bucket));
  }
}
