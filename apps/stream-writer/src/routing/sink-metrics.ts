import type { Counter, Histogram } from 'prom-client';
import { classifyFailure } from '@plant/adapters';
import type { MetricsRegistry } from '@plant/observability';

export const SINK_NAMES = ['kpi-store', 'trend-store', 'alert-bus', 'alert-store', 'raw-events', 'dead-letters', 'change-feed', 'asset-state', 'feature-store'] as const;
export type SinkName = (typeof SINK_NAMES)[number];

/** Outcome of the last writes of one sink, for its health check. */
export interface SinkWriteState {
  /** Transient failures in a row (a write refused for a record's sake says nothing about the backend's health). */
  consecutiveFailures: number;
  lastError?: string;
  lastSuccessAt?: number;
}

/**
 * Per-sink metrics (`/metrics`): records written, failed writes and write latency, plus the state
 * the sink health checks read. One instance per router.
 */
export class SinkMetrics {
  private readonly records: Counter<'sink'>;
  private readonly errors: Counter<'sink'>;
  private readonly latency: Histogram<'sink'>;
  private readonly deadLetters: Counter<'stage'>;
  readonly state = new Map<SinkName, SinkWriteState>(SINK_NAMES.map((s) => [s, { consecutiveFailures: 0 }]));

  constructor(metrics: MetricsRegistry) {
    this.records = metrics.counter('stream_writer_sink_records_total', 'Records (events, items, messages) a sink acknowledged', ['sink']);
    this.errors = metrics.counter('stream_writer_sink_errors_total', 'Sink writes that failed (the batch is retried)', ['sink']);
    this.latency = metrics.histogram('stream_writer_sink_write_seconds', 'Time a sink took to acknowledge one batch', ['sink']);
    this.deadLetters = metrics.counter('stream_writer_dead_letters_total', 'Records dead-lettered, by the stage that refused them', ['stage']);
  }

  /** Whether a failed write counts against the sink's health: only transient ones (docs/stream-consumer.md). */
  private readonly countsAgainstHealth = (err: unknown) => classifyFailure(err) === 'transient';

  /** Runs one sink write, recording its count, latency and outcome. */
  async time<T>(sink: SinkName, count: number, write: () => Promise<T>): Promise<T> {
    const stop = this.latency.startTimer({ sink });
    const state = this.state.get(sink)!;
    try {
      const result = await write();
      stop();
      this.records.inc({ sink }, count);
      state.consecutiveFailures = 0;
      state.lastSuccessAt = Date.now();
      return result;
    } catch (err) {
      stop();
      this.errors.inc({ sink });
      if (this.countsAgainstHealth(err)) state.consecutiveFailures++;
      state.lastError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  deadLettered(stage: string, count: number): void {
    if (count > 0) this.deadLetters.inc({ stage }, count);
  }
}
