/** Write side of the trend store (port): Timestream today, a second adapter (e.g. InfluxDB) possible. */
export type TrendValue = { name: string; type: 'DOUBLE'; value: number } | { name: string; type: 'BIGINT'; value: number } | { name: string; type: 'VARCHAR'; value: string };

export interface TrendPoint {
  timeMs: number;
  dimensions: { enterprise: string; plant: string; line: string; asset: string; source: string };
  /** What was measured: a sensor/tag name, or `production` / `machine_state`. */
  measureName: string;
  values: TrendValue[];
  /** Deterministic per event (its ingest time): a replay writes the same version and is accepted as identical. */
  version: number;
  eventId: string;
}

export interface RejectedTrendPoint {
  point: TrendPoint;
  reason: string;
}

export interface TrendStore {
  /** Resolves with the points the store rejected for good (they go to the dead letters); throws on retryable failures. */
  write(points: readonly TrendPoint[]): Promise<RejectedTrendPoint[]>;
}
