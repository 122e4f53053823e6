import { DynamicModule, Module } from '@nestjs/common';
import type { FeatureStore } from '@plant/domain';
import { AssetFeaturesResolver, LineFeaturesResolver } from './feature.resolver';
import { FEATURE_CLOCK, FEATURE_STORE, FeatureService } from './feature.service';

/** Online feature reads: the FeatureStore port (SageMaker adapter in the app, any adapter in tests). */
@Module({})
export class FeaturesModule {
  static forRoot(store: FeatureStore, clock: () => number = Date.now): DynamicModule {
    return {
      module: FeaturesModule,
      providers: [{ provide: FEATURE_STORE, useValue: store }, { provide: FEATURE_CLOCK, useValue: clock }, FeatureService, AssetFeaturesResolver, LineFeaturesResolver],
      exports: [FeatureService],
    };
  }
}
