import { DynamicModule, Module } from '@nestjs/common';
import type { LakeQuery } from '@plant/domain';
import { AssetReportResolver, LineReportResolver, PlantReportResolver } from './report.resolver';
import { LAKE_QUERY, ReportService } from './report.service';

/** Lake reports: the LakeQuery port (cached Athena adapter in the app). */
@Module({})
export class ReportsModule {
  static forRoot(lakeQuery: LakeQuery): DynamicModule {
    return {
      module: ReportsModule,
      providers: [{ provide: LAKE_QUERY, useValue: lakeQuery }, ReportService, PlantReportResolver, LineReportResolver, AssetReportResolver],
      exports: [ReportService],
    };
  }
}
