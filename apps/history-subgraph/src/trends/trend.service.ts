import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { plantFilterOf, type Identity } from '@plant/auth';
import { NotFoundError } from '@plant/domain';
import { PlantZones, RichTrendSeries, TrendAggregateQuery, TrendArgs, TrendSpec, trendSpecOf, TrendSubject } from '@plant/domain';
import type { Trend } from './trend.models';

export const TREND_QUERY = Symbol('TREND_QUERY');
export const PLANT_ZONES = Symbol('PLANT_ZONES');

/** The trend reads of one GraphQL request, and the instant `last` counts back from. */
export interface TrendLoader {
  loader: DataLoader<TrendSpec, RichTrendSeries, string>;
  /** One "now" per request: every `last: "1h"` of an operation is the same range, so one group, one query. */
  nowMs: number;
  plantIds?: readonly string[];
}

/** Series per store query (`asset IN (…)`): bounds one query's text and result size. */
export const MAX_TREND_BATCH = 50;

/** Trend reads of one GraphQL operation: all trends of a response that share a range become one store call. */
@Injectable()
export class TrendService {
  constructor(
    @Inject(TREND_QUERY) private readonly trends: TrendAggregateQuery,
    @Inject(PLANT_ZONES) private readonly zones: PlantZones,
  ) {}

  /**
   * Per request (HTTP operation or subscription event fetch). No cache across events: the gateway
   * asks for `_entities` once per subscription event and every event must see fresh trend points.
   * The caller's plants filter every query (server side, from the verified identity).
   */
  createLoader(identity: Identity, nowMs = Date.now()): TrendLoader {
    const plantIds = plantFilterOf(identity);
    const loader = new DataLoader<TrendSpec, RichTrendSeries, string>((specs) => this.trends.trends(specs, { plantIds }, this.zones), {
      cache: false,
      maxBatchSize: MAX_TREND_BATCH,
      cacheKeyFn: (s) => JSON.stringify(s),
    });
    return { loader, nowMs, plantIds };
  }

  /** Validates the arguments (BAD_USER_INPUT naming the argument and limit) and loads the series. */
  async trend(trends: TrendLoader, subject: TrendSubject, id: string, args: TrendArgs): Promise<Trend> {
    const spec = trendSpecOf(subject, id, args, trends.nowMs);
    // A plant outside the caller's scope answers like a missing one (assets and lines of other plants read empty: filtered in the query).
    if (subject === 'plant' && trends.plantIds && !trends.plantIds.includes(id)) throw new NotFoundError('Plant', id);
    const series = await trends.loader.load(spec);
    return {
      ...series,
      assetId: subject === 'asset' ? id : null,
      subject: subject.toUpperCase() as Trend['subject'],
      from: new Date(series.fromMs).toISOString(),
      to: new Date(series.toMs).toISOString(),
      aggregates: [...series.aggregates],
    };
  }
}
