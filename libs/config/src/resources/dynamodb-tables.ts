import { ResourceNames } from '../env-names';
import { KpiTableSchema } from '../kpi-table-schema';

/** A global secondary index; every key attribute of the platform's tables is a string. */
export interface TableIndexDescription {
  indexName: string;
  partitionKey: string;
  sortKey?: string;
  projection: 'ALL' | 'KEYS_ONLY';
}

/**
 * A DynamoDB table of the platform: keys (all strings), indexes and TTL attribute. Every table is
 * on-demand (no capacity to size per environment). The CDK tables (infra/src/constructs/hot-path.ts)
 * and the local stack's CreateTable inputs (libs/local-aws/src/provision.ts) are both built from it.
 */
export interface DynamoDbTableDescription {
  name: string;
  partitionKey: string;
  sortKey?: string;
  /** Epoch-seconds attribute after which DynamoDB deletes an item (dynalite does not expire items). */
  ttlAttribute?: string;
  globalSecondaryIndexes: readonly TableIndexDescription[];
}

/** `plant-kpis`: the single-table design of docs/stream-writer-sinks.md (names in KpiTableSchema). */
export const KpiTable: DynamoDbTableDescription = {
  name: ResourceNames.kpiTable,
  partitionKey: KpiTableSchema.partitionKey,
  sortKey: KpiTableSchema.sortKey,
  ttlAttribute: KpiTableSchema.ttlAttribute,
  globalSecondaryIndexes: [KpiTableSchema.alertsByPlantIndex],
};

/** Key of the stream-writer's lease table: one item per shard, `leaseKey` = "<stream>:<shardId>". */
export const LeaseTableSchema = { partitionKey: 'leaseKey' } as const;

export const LeaseTable: DynamoDbTableDescription = {
  name: ResourceNames.leaseTable,
  partitionKey: LeaseTableSchema.partitionKey,
  globalSecondaryIndexes: [],
};

export const DYNAMODB_TABLES: readonly DynamoDbTableDescription[] = [KpiTable, LeaseTable];
