import { DynamicModule, Module } from '@nestjs/common';
import type { FailureRiskModel } from '@plant/domain';
import { FEATURE_CLOCK } from '../features/feature.service';
import { AssetFailureRiskResolver } from './failure-risk.resolver';
import { FAILURE_RISK_MODEL_PORT, FailureRiskService } from './failure-risk.service';

/** Model predictions: the FailureRiskModel port (SageMaker endpoint adapter in the app, any model in tests). */
@Module({})
export class PredictionsModule {
  static forRoot(model: FailureRiskModel, clock: () => number = Date.now): DynamicModule {
    return {
      module: PredictionsModule,
      providers: [{ provide: FAILURE_RISK_MODEL_PORT, useValue: model }, { provide: FEATURE_CLOCK, useValue: clock }, FailureRiskService, AssetFailureRiskResolver],
    };
  }
}
