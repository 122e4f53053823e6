import { Gauge } from 'prom-client';
import type { MetricsRegistry } from '@plant/observability';
import type { ConsumedRecord, FailureClass } from './record-processor';
import { lagMs, SHARD_FLOWS, type ShardStatus } from './shard-status';

/**
 * The consumer's Prometheus metrics, created through the app's MetricsRegistry so that they show
 * on `/metrics` next to everything else.
 */
export class ConsumerMetrics {
  private readonly records;
  private readonly batches;
  private readonly batchSeconds;
  private readonly throttled;
  private readonly millisBehind;
  private readonly checkpointAge;
  private readonly checkpoints;
  private readonly leasesHeld;
  private readonly leaseEvents;
  private readonly recordsInFlight;
  private readonly bisections;
  private readonly isolated;
  private readonly blockedSeconds;

  /** `statuses` gives the shards this worker runs now; per-shard flow and lag gauges are read from it at scrape time. */
  constructor(registry: MetricsRegistry, statuses: () => readonly ShardStatus[] = () => []) {
    this.records = registry.counter('stream_consumer_records_total', 'Records acknowledged by the processor', ['shard']);
    this.batches = registry.counter(
      'stream_consumer_batches_total',
      'Batches (or parts of bisected batches) handed to the processor, by outcome: acknowledged, rejected-transient, rejected-record',
      ['shard', 'outcome'],
    );
    this.batchSeconds = registry.histogram('stream_consumer_batch_seconds', 'Time the processor took to acknowledge a batch', ['shard']);
    this.throttled = registry.counter('stream_consumer_get_records_throttled_total', 'GetRecords calls refused for throughput', ['shard']);
    this.millisBehind = registry.gauge('stream_consumer_millis_behind_latest', 'MillisBehindLatest of the last GetRecords', ['shard']);
    this.checkpointAge = registry.gauge(
      'stream_consumer_checkpoint_lag_seconds',
      'Age of the last checkpointed record when it was acknowledged (arrival to checkpoint)',
      ['shard'],
    );
    this.checkpoints = registry.counter('stream_consumer_checkpoints_total', 'Checkpoints written', ['shard']);
    this.leasesHeld = registry.gauge('stream_consumer_leases_held', 'Shard leases this worker holds');
    this.leaseEvents = registry.counter('stream_consumer_lease_events_total', 'Lease acquisitions and losses', ['event']);
    this.recordsInFlight = registry.gauge('stream_consumer_records_in_flight', 'Records read and not yet acknowledged');
    this.bisections = registry.counter('stream_consumer_bisections_total', 'Batches split to find the records that fail them', ['shard']);
    this.isolated = registry.counter('stream_consumer_records_isolated_total', 'Records that failed alone and were dead-lettered by the consumer', ['shard']);
    this.blockedSeconds = registry.histogram(
      'stream_consumer_blocked_seconds',
      'How long a failing batch held its shard (first failure to last checkpoint), by whether it was bisected',
      ['shard', 'bisected'],
      [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    );
    // Gauges computed at scrape time from the shards' status, so that a shard blocked in a long
    // retry shows its growing lag without a timer of its own.
    const existing = registry.registry.getSingleMetric('stream_consumer_shard_flow');
    if (!existing) {
      new Gauge({
        name: 'stream_consumer_shard_flow',
        help: 'Delivery state of each shard this worker runs (1 for its current state): flowing, retrying, bisecting',
        labelNames: ['shard', 'flow'],
        registers: [registry.registry],
        collect() {
          this.reset();
          for (const s of statuses()) for (const flow of SHARD_FLOWS) this.set({ shard: s.shardId, flow }, s.flow === flow ? 1 : 0);
        },
      });
      new Gauge({
        name: 'stream_consumer_lag_records',
        help: 'Records read from the shard and not yet checkpointed (Kinesis does not report unread records; see lag_ms)',
        labelNames: ['shard'],
        registers: [registry.registry],
        collect() {
          this.reset();
          for (const s of statuses()) this.set({ shard: s.shardId }, s.pendingRecords);
        },
      });
      new Gauge({
        name: 'stream_consumer_lag_ms',
        help: 'How far the checkpoint trails the stream head: age of the oldest record not yet checkpointed, else MillisBehindLatest',
        labelNames: ['shard'],
        registers: [registry.registry],
        collect() {
          this.reset();
          const now = Date.now();
          for (const s of statuses()) this.set({ shard: s.shardId }, lagMs(s, now));
        },
      });
    }
  }

  readCompleted(shard: string, millisBehindLatest?: number): void {
    if (millisBehindLatest !== undefined) this.millisBehind.set({ shard }, millisBehindLatest);
  }

  readThrottled(shard: string): void {
    this.throttled.inc({ shard });
  }

  batchAcknowledged(shard: string, records: number, seconds: number, last: ConsumedRecord): void {
    this.records.inc({ shard }, records);
    this.batches.inc({ shard, outcome: 'acknowledged' });
    this.batchSeconds.observe({ shard }, seconds);
    if (last.approximateArrivalTimestamp) {
      this.checkpointAge.set({ shard }, Math.max(0, (Date.now() - last.approximateArrivalTimestamp.getTime()) / 1000));
    }
  }

  batchRejected(shard: string, failureClass: FailureClass): void {
    this.batches.inc({ shard, outcome: `rejected-${failureClass}` });
  }

  bisectionStarted(shard: string): void {
    this.bisections.inc({ shard });
  }

  recordIsolated(shard: string): void {
    this.isolated.inc({ shard });
  }

  batchUnblocked(shard: string, seconds: number, bisected: boolean): void {
    this.blockedSeconds.observe({ shard, bisected: String(bisected) }, seconds);
  }

  checkpointed(shard: string): void {
    this.checkpoints.inc({ shard });
  }

  leaseEvent(event: 'acquired' | 'lost' | 'released' | 'finished'): void {
    this.leaseEvents.inc({ event });
  }

  setLeasesHeld(count: number): void {
    this.leasesHeld.set(count);
  }

  setRecordsInFlight(count: number): void {
    this.recordsInFlight.set(count);
  }
}
