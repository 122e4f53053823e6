import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';

export interface ReadRecord {
  partitionKey: string;
  data: Uint8Array;
  shardId: string;
}

/** Reads every record of a stream from TRIM_HORIZON, shard by shard, until each shard is drained. */
export async function readWholeStream(client: KinesisClient, streamName: string): Promise<ReadRecord[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  const out: ReadRecord[] = [];
  for (const shard of Shards) {
    let iterator = (
      await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))
    ).ShardIterator;
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of page.Records ?? []) out.push({ partitionKey: r.PartitionKey!, data: r.Data!, shardId: shard.ShardId! });
      if (!page.Records?.length && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return out;
}
