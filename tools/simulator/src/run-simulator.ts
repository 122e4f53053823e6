import type { SourceSystem } from '@plant/contracts';
import { PlantSimulator, PlantSimulatorOptions, SimulatedRecord } from './plant-simulator';
import type { PutOutcome, RecordSink } from './record-sink';
import { PUT_RECORDS_MAX_RECORDS } from './record-sink.kinesis';

export interface RunSimulatorOptions extends PlantSimulatorOptions {
  sink: RecordSink;
  /** Records per second; Infinity sends as fast as the sink takes them. Default 200. */
  rate?: number;
  /**
   * Stops by itself after this many seconds; by default runs until stop(). With a finite rate the
   * run ends once rate × duration records went out (later than the duration if the sink lagged).
   */
  durationSeconds?: number;
  /** PutRecords calls kept in flight. Default: 1 up to 2,000 records/s (keeps per-asset order), more above. */
  inFlight?: number;
  /** Records per PutRecords call, at most 500. */
  batchSize?: number;
  /** At low rates, how often a (small) batch goes out. Default 100 ms. */
  flushIntervalMs?: number;
  /** How often a rate line is logged. Default 5 s; 0 = never. */
  logIntervalMs?: number;
  log?: (line: Record<string, unknown>) => void;
  /** Wall clock in epoch ms: paces the rate and stamps the events (eventTime, ingestTime). */
  now?: () => number;
}

export interface SimulatorTotals {
  generated: number;
  sent: number;
  failed: number;
  retried: number;
  malformed: number;
  calls: number;
  elapsedSeconds: number;
  recordsPerSecond: number;
  bySource: Record<SourceSystem, number>;
  /** The first error a record was finally refused with, if any. */
  firstError?: string;
}

export interface RunningSimulator {
  readonly simulator: PlantSimulator;
  /** Resolves with the totals once the run ended (duration reached or stop()) and every call settled. */
  readonly done: Promise<SimulatorTotals>;
  /** Stops generating, waits for the records in flight (and their retries), returns the totals. */
  stop(): Promise<SimulatorTotals>;
  totals(): SimulatorTotals;
}

/** Runs the simulator against a sink at a target rate, several PutRecords in flight, until stopped. */
export function runSimulator(options: RunSimulatorOptions): RunningSimulator {
  const rate = options.rate ?? 200;
  if (!(rate > 0)) throw new Error(`rate must be greater than 0 records/s, got ${rate}`);
  const batchSize = Math.min(options.batchSize ?? PUT_RECORDS_MAX_RECORDS, PUT_RECORDS_MAX_RECORDS);
  const maxInFlight = options.inFlight ?? (Number.isFinite(rate) ? Math.min(16, Math.max(1, Math.ceil(rate / 2_000))) : 8);
  const flushIntervalMs = options.flushIntervalMs ?? 100;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const simulator = new PlantSimulator(options);
  const sink = options.sink;

  const totals: SimulatorTotals = {
    generated: 0,
    sent: 0,
    failed: 0,
    retried: 0,
    malformed: 0,
    calls: 0,
    elapsedSeconds: 0,
    recordsPerSecond: 0,
    bySource: { 'pi-historian': 0, 'ampla-iqt': 0, das: 0, 'citect-scada': 0 },
  };
  const startMs = now();
  let stopping = false;
  let lastFlushMs = startMs;
  const inFlight = new Set<Promise<void>>();

  const account = (outcome: PutOutcome) => {
    totals.sent += outcome.sent;
    totals.failed += outcome.failed.length;
    totals.retried += outcome.retried;
    totals.calls += outcome.calls;
    if (outcome.failed.length > 0) {
      const first = outcome.failed[0];
      totals.firstError ??= `${first.errorCode}: ${first.errorMessage}`;
      log({ level: 'warn', msg: 'records refused after retries', count: outcome.failed.length, error: `${first.errorCode}: ${first.errorMessage}` });
    }
  };
  const snapshot = (): SimulatorTotals => {
    const elapsedSeconds = Math.max((now() - startMs) / 1000, 1e-3);
    return { ...totals, bySource: { ...totals.bySource }, elapsedSeconds, recordsPerSecond: Math.round(totals.sent / elapsedSeconds) };
  };

  let windowStart = { ms: startMs, sent: 0 };
  const logTimer =
    (options.logIntervalMs ?? 5_000) > 0
      ? setInterval(() => {
          const t = now();
          const perSecond = ((totals.sent - windowStart.sent) * 1000) / Math.max(t - windowStart.ms, 1);
          windowStart = { ms: t, sent: totals.sent };
          log({ level: 'info', msg: 'simulator rate', records_per_s: Math.round(perSecond), target_records_per_s: Number.isFinite(rate) ? rate : 'max', sent: totals.sent, failed: totals.failed, retried: totals.retried, malformed: totals.malformed, in_flight: inFlight.size });
        }, options.logIntervalMs ?? 5_000)
      : undefined;
  logTimer?.unref();

  const dispatch = (records: SimulatedRecord[]) => {
    totals.generated += records.length;
    for (const r of records) {
      totals.bySource[r.source]++;
      if (r.malformed) totals.malformed++;
    }
    const call: Promise<void> = sink.put(records).then(account, (err: unknown) =>
      account({ sent: 0, retried: 0, calls: 1, failed: records.map((record) => ({ record, errorCode: 'SinkError', errorMessage: String(err) })) }),
    );
    inFlight.add(call);
    void call.finally(() => inFlight.delete(call));
  };

  const loop = async (): Promise<SimulatorTotals> => {
    const endMs = options.durationSeconds === undefined ? Infinity : startMs + options.durationSeconds * 1000;
    const target = Number.isFinite(rate) && options.durationSeconds !== undefined ? Math.round(rate * options.durationSeconds) : Infinity;
    while (!stopping && totals.generated < target) {
      const t = now();
      // A finite rate with a duration means rate × duration records, even if the sink lags; max rate stops on time.
      if (t >= endMs && target === Infinity) break;
      if (inFlight.size >= maxInFlight) {
        await Promise.race(inFlight);
        continue;
      }
      let n = batchSize;
      if (Number.isFinite(rate)) {
        const due = Math.min(Math.floor((rate * (t - startMs)) / 1000), target) - totals.generated;
        const waitedMs = t - lastFlushMs;
        if (due <= 0 || (due < batchSize && waitedMs < flushIntervalMs)) {
          await sleep(Math.max(1, Math.min(flushIntervalMs - waitedMs, due <= 0 ? 1000 / rate : flushIntervalMs)));
          continue;
        }
        n = Math.min(due, batchSize);
      }
      lastFlushMs = t;
      dispatch(simulator.nextRecords(n, new Date(t)));
      // Let responses and timers run between batches even when the sink answers at once.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    while (inFlight.size > 0) await Promise.all(inFlight);
    if (logTimer) clearInterval(logTimer);
    return snapshot();
  };

  const done = loop();
  return {
    simulator,
    done,
    totals: snapshot,
    stop: () => {
      stopping = true;
      return done;
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
