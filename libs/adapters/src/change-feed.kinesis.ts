import { KinesisClient, PutRecordsCommand, PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import type { ChangeFeedMessage, ChangeFeedPublisher, ChangeFeedReader } from '@plant/domain';
import { IteratorExpiredError, type ShardSource, type StartPosition } from '@plant/stream-consumer';
import { backoffMs, sendInBatches } from '@plant/aws';
import { AwsLimits } from '@plant/config';
import { PartialFailureError } from '@plant/domain';
import { ENTRY_RETRY } from './entry-retry';
import { KinesisShardSource } from './shard-source.kinesis';

function partitionKeyOf(message: ChangeFeedMessage): string {
  switch (message.type) {
    case 'kpi-updated':
      return `${message.kpi.scope}#${message.kpi.scopeId}`;
    case 'alert-changed':
      return message.alert.alertId;
  }
}

/** Publishes change-feed messages to a Kinesis stream (one JSON message per record). */
export class KinesisChangeFeedPublisher implements ChangeFeedPublisher {
  constructor(
    private readonly client: KinesisClient,
    private readonly options: { streamName: string },
  ) {}

  async publish(messages: readonly ChangeFeedMessage[]): Promise<void> {
    const { failed } = await sendInBatches({
      items: messages.map((message): PutRecordsRequestEntry => ({ PartitionKey: partitionKeyOf(message), Data: Buffer.from(JSON.stringify(message)) })),
      limits: { maxEntries: AwsLimits.kinesis.putRecordsMaxRecords, maxBytes: AwsLimits.kinesis.putRecordsMaxBytes },
      sizeOf: (entry) => entry.Data!.length + Buffer.byteLength(entry.PartitionKey!),
      // In order, a call's refused entries (throttled shards) retried before the next: per-key order holds.
      concurrency: 1,
      stopAfterFailure: true,
      send: async (entries) => {
        const out = await this.client.send(new PutRecordsCommand({ StreamName: this.options.streamName, Records: [...entries] }));
        return entries.map((_, i) => {
          const result = out.FailedRecordCount ? out.Records?.[i] : undefined;
          return result?.ErrorCode ? { code: result.ErrorCode, message: result.ErrorMessage } : undefined;
        });
      },
      retry: ENTRY_RETRY,
    });
    if (failed.length) throw new PartialFailureError('kinesis PutRecords', failed.map((f) => f.failure));
  }
}

export interface ChangeFeedReaderOptions {
  streamName: string;
  /** Pause between polls of a shard that returned nothing (Kinesis allows 5 GetRecords/s per shard). */
  idlePollMs?: number;
  /** How often the shard list is refreshed to pick up resharding. */
  shardRefreshMs?: number;
  /** Called with records that are not change-feed messages; they are skipped. */
  onInvalid?: (reason: string) => void;
  /** Called when polling a shard fails (it is retried). */
  onError?: (err: unknown) => void;
}

/**
 * Reads the whole change feed from "now" on, with no leases and no checkpoints: every subgraph
 * replica must see every change to push it to its own subscribers, and a restarted replica has no
 * subscribers to catch up. Each open shard is polled from LATEST; shards created later (resharding)
 * are read from TRIM_HORIZON so that no change after the start is missed. Shard listing, iterators
 * and reads are the stream consumer's (KinesisShardSource), so both readers page and fail alike.
 */
export class KinesisChangeFeedReader implements ChangeFeedReader {
  private readonly source: ShardSource;

  constructor(
    client: KinesisClient,
    private readonly options: ChangeFeedReaderOptions,
  ) {
    this.source = new KinesisShardSource(client, options.streamName);
  }

  async start(onMessage: (message: ChangeFeedMessage) => void): Promise<() => Promise<void>> {
    const idlePollMs = this.options.idlePollMs ?? 200;
    const refreshMs = this.options.shardRefreshMs ?? 10_000;
    const polling = new Map<string, Promise<void>>();
    let stopped = false;
    const sleepers = new Set<() => void>();
    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, ms);
        sleepers.add(wake);
      });

    const deliver = (data: Uint8Array) => {
      try {
        const message = JSON.parse(Buffer.from(data).toString('utf8')) as ChangeFeedMessage;
        if (message?.version !== 1 || (message.type !== 'kpi-updated' && message.type !== 'alert-changed')) {
          this.options.onInvalid?.('not a version-1 change-feed message');
          return;
        }
        onMessage(message);
      } catch (err) {
        this.options.onInvalid?.(err instanceof Error ? err.message : String(err));
      }
    };

    const poll = async (shardId: string, firstIterator: string | undefined) => {
      let iterator = firstIterator;
      let lastSequence: string | undefined;
      let failures = 0;
      while (!stopped && iterator) {
        try {
          const page = await this.source.getRecords(iterator, 10_000);
          for (const record of page.records) {
            lastSequence = record.sequenceNumber;
            deliver(record.data);
          }
          iterator = page.nextIterator;
          failures = 0;
          if (!page.records.length) await pause(idlePollMs);
        } catch (err) {
          if (stopped) return;
          this.options.onError?.(err);
          await pause(backoffMs(failures++, 100, 5_000));
          if (err instanceof IteratorExpiredError) {
            const position: StartPosition = lastSequence ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lastSequence } : { type: 'LATEST' };
            iterator = await this.source.getIterator(shardId, position).catch(() => iterator);
          }
        }
      }
    };

    const follow = async (type: 'LATEST' | 'TRIM_HORIZON') => {
      const openShards = (await this.source.listShards()).filter((shard) => !shard.endingSequenceNumber);
      for (const { shardId } of openShards) {
        if (polling.has(shardId)) continue;
        const iterator = await this.source.getIterator(shardId, { type });
        polling.set(shardId, poll(shardId, iterator));
      }
    };

    await follow('LATEST');
    const refresher = (async () => {
      while (!stopped) {
        await pause(refreshMs);
        if (!stopped) await follow('TRIM_HORIZON').catch((err: unknown) => this.options.onError?.(err));
      }
    })();

    return async () => {
      stopped = true;
      for (const wake of [...sleepers]) wake();
      await Promise.allSettled([refresher, ...polling.values()]);
    };
  }
}
