/**
 * Key schema, index and TTL attribute of the `plant-kpis` table, declared once: the local stack
 * (libs/local-aws/src/provision.ts), the CDK app (infra/src/constructs/hot-path.ts) and the
 * DynamoDB adapters (libs/adapters/src/kpi-table.ts) read these names, so the table the apps
 * write is the table that is provisioned. The item layout is in docs/stream-writer-sinks.md.
 */
export const KpiTableSchema = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds after which DynamoDB deletes a KPI window item (the KPI store writes it). */
  ttlAttribute: 'ttl',
  /** Alerts per plant, newest first; only alert items carry the gsi1 keys (a sparse index). */
  alertsByPlantIndex: {
    indexName: 'gsi1',
    partitionKey: 'gsi1pk',
    sortKey: 'gsi1sk',
    /** Alert lists read every field of the alert, so the index projects whole items. */
    projection: 'ALL',
  },
} as const;
