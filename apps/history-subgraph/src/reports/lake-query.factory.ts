import { AthenaLakeQuery } from '@plant/adapters';
import { AwsClients } from '@plant/aws';
import { awsConnectionOf } from '@plant/config';
import { CachedLakeQuery, LakeQuery, productionDayWatermark } from '@plant/domain';
import type { HistorySubgraphConfig } from '../config';

/** Results kept by the report cache; a 400-day line report is one entry. */
const CACHE_ENTRIES = 2_000;
/** How long a result that reaches a day the ETL may still change is reused. */
const OPEN_PARTITION_TTL_MS = 60_000;

/** The reports' LakeQuery: Athena (local stack or AWS), cached by text + parameters + partition watermark. */
export function lakeQueryOf(config: HistorySubgraphConfig): LakeQuery {
  const athena = new AthenaLakeQuery(new AwsClients(awsConnectionOf(config)).athena, {
    workGroup: config.ATHENA_WORKGROUP,
    database: config.GLUE_DATABASE,
    timeoutMs: config.LAKE_QUERY_TIMEOUT_MS,
  });
  return new CachedLakeQuery(athena, {
    maxEntries: CACHE_ENTRIES,
    openPartitionTtlMs: OPEN_PARTITION_TTL_MS,
    watermark: productionDayWatermark(config.LAKE_WATERMARK_SETTLE_MS),
  });
}
