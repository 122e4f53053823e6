import type { ShardInfo } from './lease';

/** Where to start reading a shard (LATEST: only records written after the iterator; the change-feed reader's start). */
export type StartPosition = { type: 'TRIM_HORIZON' } | { type: 'LATEST' } | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

export interface FetchedRecord {
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
  approximateArrivalTimestamp?: Date;
}

export interface RecordsPage {
  records: FetchedRecord[];
  /** Undefined once a closed shard has been read to its end. */
  nextIterator?: string;
  millisBehindLatest?: number;
}

/** The iterator is older than 5 minutes: get a new one from the checkpoint. */
export class IteratorExpiredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IteratorExpiredError';
  }
}

/** The shard's read limits (5 calls/s, 2 MB/s) were exceeded: back off and retry. */
export class ReadThrottledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadThrottledError';
  }
}

/** The stream port of the consumer: shard discovery and polling reads. */
export interface ShardSource {
  readonly streamName: string;
  listShards(): Promise<ShardInfo[]>;
  getIterator(shardId: string, position: StartPosition): Promise<string>;
  getRecords(iterator: string, limit: number): Promise<RecordsPage>;
}
