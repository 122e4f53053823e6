import { DynamicModule, Module } from '@nestjs/common';
import type { TrainingSetQuery } from '@plant/domain';
import { TrainingSetResolver } from './training.resolver';
import { LAKE_DIR, TRAINING_SET_QUERY, TrainingSetService } from './training.service';

/** Training sets: the TrainingSetQuery port (DuckDB over the lake folder locally). */
@Module({})
export class TrainingModule {
  static forRoot(query: TrainingSetQuery, lakeDir: string): DynamicModule {
    return {
      module: TrainingModule,
      providers: [{ provide: TRAINING_SET_QUERY, useValue: query }, { provide: LAKE_DIR, useValue: lakeDir }, TrainingSetService, TrainingSetResolver],
    };
  }
}
