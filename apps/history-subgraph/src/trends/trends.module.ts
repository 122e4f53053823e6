import { DynamicModule, Module } from '@nestjs/common';
import type { PlantZones, TrendAggregateQuery } from '@plant/domain';
import { AssetTrendResolver, LineTrendResolver, PlantTrendResolver } from './trend.resolver';
import { PLANT_ZONES, TREND_QUERY, TrendService } from './trend.service';

/** Trend reads: the TrendAggregateQuery port (Timestream or InfluxDB adapter in the app, any adapter in tests). */
@Module({})
export class TrendsModule {
  static forRoot(trendQuery: TrendAggregateQuery, zones: PlantZones): DynamicModule {
    return {
      module: TrendsModule,
      providers: [
        { provide: TREND_QUERY, useValue: trendQuery },
        { provide: PLANT_ZONES, useValue: zones },
        TrendService,
        AssetTrendResolver,
        LineTrendResolver,
        PlantTrendResolver,
      ],
      exports: [TrendService],
    };
  }
}
