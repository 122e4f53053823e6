import type { MetricsRegistry } from '@plant/observability';
import type { ConsumedRecord } from './record-processor';

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

  constructor(registry: MetricsRegistry) {
    this.records = registry.counter('stream_consumer_records_total', 'Records acknowledged by the processor', ['shard']);
    this.batches = registry.counter('stream_consumer_batches_total', 'Batches handed to the processor, by outcome', ['shard', 'outcome']);
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

  batchRejected(shard: string): void {
    this.batches.inc({ shard, outcome: 'rejected' });
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
