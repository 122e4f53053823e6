import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, type Shard } from '@aws-sdk/client-kinesis';
import { IteratorExpiredError, ReadThrottledError, type RecordsPage, type ShardInfo, type ShardSource, type StartPosition } from '@plant/stream-consumer';

/** Kinesis Data Streams through the SDK: ListShards (paginated), GetShardIterator, GetRecords. */
export class KinesisShardSource implements ShardSource {
  constructor(
    private readonly client: KinesisClient,
    readonly streamName: string,
  ) {}

  async listShards(): Promise<ShardInfo[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      // StreamName and NextToken are mutually exclusive in ListShards.
      const page = await this.client.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: this.streamName }),
      );
      shards.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return shards.map((s) => ({
      shardId: s.ShardId!,
      parentShardIds: [s.ParentShardId, s.AdjacentParentShardId].filter((id): id is string => !!id),
      endingSequenceNumber: s.SequenceNumberRange?.EndingSequenceNumber,
    }));
  }

  async getIterator(shardId: string, position: StartPosition): Promise<string> {
    const out = await this.client.send(
      new GetShardIteratorCommand({
        StreamName: this.streamName,
        ShardId: shardId,
        ShardIteratorType: position.type,
        StartingSequenceNumber: position.type === 'AFTER_SEQUENCE_NUMBER' ? position.sequenceNumber : undefined,
      }),
    );
    if (!out.ShardIterator) throw new Error(`GetShardIterator returned no iterator for ${shardId}`);
    return out.ShardIterator;
  }

  async getRecords(iterator: string, limit: number): Promise<RecordsPage> {
    try {
      const out = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
      return {
        records: (out.Records ?? []).map((r) => ({
          sequenceNumber: r.SequenceNumber!,
          partitionKey: r.PartitionKey!,
          data: r.Data ?? new Uint8Array(),
          approximateArrivalTimestamp: r.ApproximateArrivalTimestamp,
        })),
        nextIterator: out.NextShardIterator ?? undefined,
        millisBehindLatest: out.MillisBehindLatest,
      };
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'ExpiredIteratorException') throw new IteratorExpiredError((err as Error).message);
      // KMS throttling on an encrypted stream is the same condition for the reader: slow down.
      if (name === 'ProvisionedThroughputExceededException' || name === 'KMSThrottlingException') {
        throw new ReadThrottledError((err as Error).message);
      }
      throw err;
    }
  }
}
