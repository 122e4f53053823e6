import { DYNAMODB_TABLES, FIREHOSE_DELIVERIES, FirehoseBuffering, KINESIS_STREAMS, ResourceNames } from '@plant/config';

/** Rules AWS enforces at create time, checked on the descriptions so both renderings inherit them. */
describe('resource descriptions', () => {
  it.each(FIREHOSE_DELIVERIES.map((d) => [d.name, d] as const))('%s: every partition key in the prefix is extracted by its JQ query', (_name, delivery) => {
    const used = [...delivery.prefix.matchAll(/!\{partitionKeyFromQuery:(\w+)\}/g)].map((m) => m[1]);
    const extracted = [...delivery.partitionKeysQuery.matchAll(/(\w+)\s*:/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    expect(extracted).toEqual(expect.arrayContaining(used));
  });

  it.each(FIREHOSE_DELIVERIES.map((d) => [d.name, d] as const))('%s: the error prefix has no partition keys and both prefixes stay under their roots', (_name, delivery) => {
    // https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html: ErrorOutputPrefix cannot use partitionKeyFromQuery.
    expect(delivery.errorPrefix).not.toContain('partitionKeyFrom');
    expect(delivery.prefix.startsWith(delivery.rootPrefix)).toBe(true);
    expect(delivery.errorPrefix.startsWith(delivery.errorRootPrefix)).toBe(true);
  });

  it('buffers partitioned deliveries with at least the 64 MiB dynamic partitioning needs', () => {
    expect(FirehoseBuffering.default.sizeMiB).toBeGreaterThanOrEqual(FirehoseBuffering.minSizeMiB);
    expect(FirehoseBuffering.minSizeMiB).toBe(64);
  });

  it('describes each stream and table once, under the names the apps default to', () => {
    expect(KINESIS_STREAMS.map((s) => s.name)).toEqual([ResourceNames.plantEventsStream, ResourceNames.changeFeedStream]);
    expect(DYNAMODB_TABLES.map((t) => t.name)).toEqual([ResourceNames.kpiTable, ResourceNames.leaseTable]);
    for (const table of DYNAMODB_TABLES) {
      const indexNames = table.globalSecondaryIndexes.map((i) => i.indexName);
      expect(new Set(indexNames).size).toBe(indexNames.length);
    }
  });
});
