import { DynamicModule, Module } from '@nestjs/common';
import type { TrendQuery } from '@plant/domain';
import { AssetTrendResolver } from './trend.resolver';
import { TREND_QUERY, TrendService } from './trend.service';

/** Trend reads: the TrendQuery port (Timestream adapter in the app, any adapter in tests). */
@Module({})
export class TrendsModule {
  static forRoot(trendQuery: TrendQuery): DynamicModule {
    return {
      module: TrendsModule,
      providers: [{ provide: TREND_QUERY, useValue: trendQuery }, TrendService, AssetTrendResolver],
      exports: [TrendService],
    };
  }
}
