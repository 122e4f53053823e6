import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { plantFilterOf, type Identity } from '@plant/auth';
import { InvalidArgumentError, LakeQuery, LakeQueryError, LakeResult, LakeStatement, UnavailableError } from '@plant/domain';
import { RequestDeadlineError } from '@plant/graphql';
import { DailyKpi, DowntimeParetoEntry, RawEvent, RawEventConnection, ShiftReport } from './report.models';
import { dailyKpisStatement, downtimeByReasonStatement, rawEventsStatement, ReportScope, shiftReportStatement } from './report-statements';
import { decodeCursor, encodeCursor, validDay, validDayRange, validFirst, validInstantRange } from './report-args';

export const LAKE_QUERY = Symbol('LAKE_QUERY');

/** Entities per lake query (`IN` list): bounds one query's text and result size. */
export const MAX_REPORT_BATCH = 50;

interface RangeKey {
  scope: ReportScope;
  id: string;
  from: string;
  to: string;
}
interface ShiftKey {
  lineId: string;
  day: string;
}
interface RawEventsKey {
  assetId: string;
  from: string;
  to: string;
  first: number;
  after?: { eventTime: string; eventId: string };
}

export interface ReportLoaders {
  daily: DataLoader<RangeKey, DailyKpi[], string>;
  pareto: DataLoader<RangeKey, DowntimeParetoEntry[], string>;
  shifts: DataLoader<ShiftKey, ShiftReport[], string>;
  rawEvents: DataLoader<RawEventsKey, RawEventConnection, string>;
}

/** Athena prints timestamps as `yyyy-MM-dd HH:mm:ss.SSS` (UTC); the API speaks ISO-8601. */
const isoOf = (athena: string | null) => (athena ? `${athena.replace(' ', 'T').slice(0, 23)}Z` : '');
const num = (v: string | null) => (v === null ? 0 : Number(v));
const opt = (v: string | null) => (v === null ? undefined : v);
const optNum = (v: string | null) => (v === null ? undefined : Number(v));

/** Rows as objects keyed by column name. */
function records(result: LakeResult): Record<string, string | null>[] {
  const names = result.columns.map((c) => c.name);
  return result.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])));
}

/** Groups keys that can share one statement (same scope and range), preserving each key's index. */
function groupBy<K>(keys: readonly K[], groupKey: (k: K) => string): Map<string, { key: K; index: number }[]> {
  const groups = new Map<string, { key: K; index: number }[]>();
  keys.forEach((key, index) => groups.set(groupKey(key), [...(groups.get(groupKey(key)) ?? []), { key, index }]));
  return groups;
}

/**
 * Lake reports (Athena over the refined and curated zones) of one GraphQL operation: N entities'
 * reports in a response become one query per (report, range). The caller's plants filter every
 * statement (server side, from the verified identity): another plant's entity reads as empty,
 * like an unknown one.
 */
@Injectable()
export class ReportService {
  constructor(@Inject(LAKE_QUERY) private readonly lake: LakeQuery) {}

  createLoaders(identity: Identity, signal?: AbortSignal): ReportLoaders {
    const plantIds = plantFilterOf(identity);
    const run = (statement: LakeStatement) => (plantIds?.length === 0 ? Promise.resolve({ columns: [], rows: [] }) : this.query(statement, signal));
    const options = <K>(cacheKeyFn: (k: K) => string) => ({ maxBatchSize: MAX_REPORT_BATCH, cacheKeyFn });
    const rangeKey = (k: RangeKey) => `${k.scope}|${k.id}|${k.from}|${k.to}`;
    return {
      daily: new DataLoader(async (keys) => {
        const out: DailyKpi[][] = keys.map(() => []);
        for (const group of groupBy(keys, (k) => `${k.scope}|${k.from}|${k.to}`).values()) {
          const { scope, from, to } = group[0].key;
          const rows = records(await run(dailyKpisStatement({ scope, from, to, ids: group.map((g) => g.key.id), plantIds })));
          for (const { key, index } of group) out[index] = rows.filter((r) => r.scope_id === key.id).map(dailyKpiOf);
        }
        return out;
      }, options(rangeKey)),
      pareto: new DataLoader(async (keys) => {
        const out: DowntimeParetoEntry[][] = keys.map(() => []);
        for (const group of groupBy(keys, (k) => `${k.scope}|${k.from}|${k.to}`).values()) {
          const { scope, from, to } = group[0].key;
          const rows = records(await run(downtimeByReasonStatement({ scope, from, to, ids: group.map((g) => g.key.id), plantIds })));
          for (const { key, index } of group) out[index] = paretoOf(rows.filter((r) => r.scope_id === key.id));
        }
        return out;
      }, options(rangeKey)),
      shifts: new DataLoader(async (keys) => {
        const out: ShiftReport[][] = keys.map(() => []);
        for (const group of groupBy(keys, (k) => k.day).values()) {
          const rows = records(await run(shiftReportStatement(group.map((g) => g.key.lineId), group[0].key.day, plantIds)));
          for (const { key, index } of group) out[index] = rows.filter((r) => r.line_id === key.lineId).map(shiftReportOf);
        }
        return out;
      }, options((k: ShiftKey) => `${k.lineId}|${k.day}`)),
      rawEvents: new DataLoader(async (keys) => {
        const out: RawEventConnection[] = keys.map(() => ({ edges: [], pageInfo: { hasNextPage: false } }));
        for (const group of groupBy(keys, (k) => `${k.from}|${k.to}|${k.first}|${k.after ? encodeCursor(k.after) : ''}`).values()) {
          const { from, to, first, after } = group[0].key;
          const rows = records(await run(rawEventsStatement({ assetIds: group.map((g) => g.key.assetId), from, to, first, after, plantIds })));
          for (const { key, index } of group) out[index] = connectionOf(rows.filter((r) => r.asset_id === key.assetId).map(rawEventOf), first);
        }
        return out;
      }, options((k: RawEventsKey) => `${k.assetId}|${k.from}|${k.to}|${k.first}|${k.after ? encodeCursor(k.after) : ''}`)),
    };
  }

  dailyKpis(loaders: ReportLoaders, scope: ReportScope, id: string, from: string, to: string): Promise<DailyKpi[]> {
    validDayRange(from, to);
    return loaders.daily.load({ scope, id, from, to });
  }

  downtimePareto(loaders: ReportLoaders, scope: ReportScope, id: string, from: string, to: string): Promise<DowntimeParetoEntry[]> {
    validDayRange(from, to);
    return loaders.pareto.load({ scope, id, from, to });
  }

  shiftReport(loaders: ReportLoaders, lineId: string, day: string): Promise<ShiftReport[]> {
    validDay('date', day);
    return loaders.shifts.load({ lineId, day });
  }

  rawEvents(loaders: ReportLoaders, assetId: string, from: string, to: string, first: number, after?: string): Promise<RawEventConnection> {
    const range = validInstantRange(from, to);
    validFirst(first);
    return loaders.rawEvents.load({ assetId, ...range, first, after: after === undefined ? undefined : decodeCursor(after) });
  }

  /** Port errors → the codes clients see. */
  private async query(statement: LakeStatement, signal?: AbortSignal): Promise<LakeResult> {
    try {
      return await this.lake.query(statement, { signal });
    } catch (err) {
      if (!(err instanceof LakeQueryError)) throw err;
      switch (err.code) {
        case 'TIMEOUT':
        case 'CANCELLED':
          throw new RequestDeadlineError(err.message);
        case 'TOO_EXPENSIVE':
          throw new InvalidArgumentError('from', err.message);
        case 'UNAVAILABLE':
          throw new UnavailableError('athena', 'unreachable', { cause: err, detail: err.message });
        case 'FAILED':
          throw err;
      }
    }
  }
}

function dailyKpiOf(r: Record<string, string | null>): DailyKpi {
  return {
    day: r.dt ?? '',
    goodCount: num(r.good_count),
    scrapCount: num(r.scrap_count),
    runSeconds: num(r.run_seconds),
    downtimeSeconds: num(r.down_seconds),
    availability: num(r.availability),
    performance: num(r.performance),
    quality: num(r.quality),
    oee: num(r.oee),
  };
}

function shiftReportOf(r: Record<string, string | null>): ShiftReport {
  return {
    shiftStart: isoOf(r.shift_start),
    shiftName: r.shift_name ?? '',
    goodCount: num(r.good_count),
    scrapCount: num(r.scrap_count),
    runSeconds: num(r.run_seconds),
    downtimeSeconds: num(r.down_seconds),
    availability: num(r.availability),
    performance: num(r.performance),
    quality: num(r.quality),
    oee: num(r.oee),
    topDowntimeReason: opt(r.top_downtime_reason),
    topDowntimeSeconds: optNum(r.top_downtime_seconds),
  };
}

function rawEventOf(r: Record<string, string | null>): RawEvent {
  return {
    eventId: r.event_id ?? '',
    source: r.source ?? '',
    kind: r.kind ?? '',
    eventTime: isoOf(r.event_time),
    ingestTime: isoOf(r.ingest_time),
    measure: opt(r.measure),
    value: optNum(r.value),
    quality: opt(r.quality),
    goodCount: optNum(r.good_count),
    scrapCount: optNum(r.scrap_count),
    idealCycleSeconds: optNum(r.ideal_cycle_seconds),
    state: opt(r.state),
    reasonCode: opt(r.reason_code),
  };
}

/** Largest reason first (ties by reason code), each with its share and the running share. */
export function paretoOf(rows: Record<string, string | null>[]): DowntimeParetoEntry[] {
  const bars = rows
    .map((r) => ({ reasonCode: r.reason_code ?? 'unknown', downtimeSeconds: num(r.down_seconds), events: num(r.events) }))
    .sort((a, b) => b.downtimeSeconds - a.downtimeSeconds || a.reasonCode.localeCompare(b.reasonCode));
  const total = bars.reduce((sum, b) => sum + b.downtimeSeconds, 0);
  let running = 0;
  return bars.map((b) => {
    running += b.downtimeSeconds;
    return { ...b, percent: total > 0 ? (100 * b.downtimeSeconds) / total : 0, cumulativePercent: total > 0 ? (100 * running) / total : 0 };
  });
}

/** The statement asked for `first + 1` rows: the extra one says a next page exists and is not returned. */
function connectionOf(events: RawEvent[], first: number): RawEventConnection {
  const page = events.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor({ eventTime: node.eventTime, eventId: node.eventId }), node }));
  return { edges, pageInfo: { hasNextPage: events.length > first, endCursor: edges.at(-1)?.cursor } };
}
