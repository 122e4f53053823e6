/**
 * `npm run bench:trends`: a 7-day, 1-minute trend of one asset through the real gateway and history
 * subgraph (own processes, authentication and limits on) over 7 days of 1 Hz readings (604,800
 * points) loaded into the local Timestream first through the real WriteRecords API (the trend store
 * adapter: 100 records per call, 8 calls in flight). Each request asks for every aggregate
 * (AVG, TIME_WEIGHTED_AVG, MIN, MAX, P95, COUNT, GOOD_PERCENT) of 10,080 buckets; its range moves by
 * a millisecond per request so the gateway's response cache and request merging never answer for
 * the store. Baseline in the same run: the same query with AVG, MIN, MAX, COUNT only (no window
 * functions, no percentile). Last line: one JSON object.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { TimestreamTrendStore } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import type { TrendPoint } from '@plant/domain';
import { startLocalAws } from '@plant/local-aws';
import { freePort, postGraphQL, startGateway } from '../apps/gateway/test/gateway-harness';
import { percentile } from '../test/federation-fixtures/raw-ws-subscriber';
import { bearer } from '../test/support/auth-tokens';
import { spawnHistorySubgraph } from './support/history-subgraph-process';
import { report90dOnFixturePlant } from './support/report90d';

const DAYS = Number(process.env.BENCH_TREND_DAYS ?? 7);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const ASSET = 'bench-press-1';
const MINUTE = 60_000;
const ALL = 'AVG, TIME_WEIGHTED_AVG, MIN, MAX, P95, COUNT, GOOD_PERCENT';
const QUERY = (aggregates: string) =>
  `query ($from: String!, $to: String!) { assetTrend(assetId: "${ASSET}", measure: "temperature", from: $from, to: $to, bucket: "1m", aggregates: [${aggregates}]) { points { time avg timeWeightedAvg min max p95 count goodPercent } } }`;

/** 1 Hz readings of one asset: a slow sine with noise, 2 % uncertain and 1 % bad quality. */
function* readings(fromMs: number, toMs: number): Generator<TrendPoint> {
  for (let t = fromMs, i = 0; t < toMs; t += 1_000, i++) {
    const quality = i % 100 === 0 ? 'bad' : i % 50 === 1 ? 'uncertain' : 'good';
    yield {
      timeMs: t,
      dimensions: { enterprise: 'bench', plant: 'bench-plant', line: 'bench-line', asset: ASSET, source: 'pi' },
      measureName: 'temperature',
      values: [
        { name: 'value', type: 'DOUBLE', value: Math.round((60 + 10 * Math.sin(i / 3_600) + ((i * 7_919) % 100) / 50) * 100) / 100 },
        { name: 'quality', type: 'VARCHAR', value: quality },
        { name: 'unit', type: 'VARCHAR', value: 'degC' },
      ],
      version: 1,
      eventId: `${ASSET}-${t}`,
    };
  }
}

async function measure(url: string, headers: Record<string, string>, aggregates: string, endMs: number, requests: number) {
  const latencies: number[] = [];
  let buckets = 0;
  for (let i = 0; i < requests; i++) {
    const to = endMs - i;
    const variables = { from: new Date(to - DAYS * 86_400_000).toISOString(), to: new Date(to).toISOString() };
    const started = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: QUERY(aggregates), variables }) });
    const body = (await res.json()) as { data?: { assetTrend: { points: unknown[] } }; errors?: unknown[] };
    latencies.push(performance.now() - started);
    if (process.env.BENCH_VERBOSE) console.error(`${aggregates}: ${Math.round(latencies.at(-1)!)} ms`);
    if (body.errors || !body.data) throw new Error(`trend query failed: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
    buckets = body.data.assetTrend.points.length;
  }
  const sorted = latencies.sort((a, b) => a - b);
  const r = (n: number) => Math.round(n * 10) / 10;
  return { p50Ms: r(percentile(sorted, 50)), p99Ms: r(percentile(sorted, 99)), maxMs: r(sorted.at(-1) ?? NaN), buckets };
}

async function main(): Promise<void> {
  const load0 = loadavg()[0];
  const stack = await startLocalAws({ port: 0 });
  const connection = { region: 'eu-central-1', endpoint: stack.endpoint };
  const store = new TimestreamTrendStore(createClient(TimestreamWriteClient, connection), {
    databaseName: ResourceNames.timestreamDatabase,
    tableName: ResourceNames.timestreamTable,
  });
  // Whole minutes, so 7 days are exactly 10,080 one-minute buckets.
  const endMs = Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE;
  const loadStarted = performance.now();
  let points = 0;
  let batch: TrendPoint[] = [];
  for (const point of readings(endMs - DAYS * 86_400_000, endMs)) {
    batch.push(point);
    if (batch.length === 4_000) {
      const rejected = await store.write(batch);
      if (rejected.length) throw new Error(`${rejected.length} points rejected: ${rejected[0].reason}`);
      points += batch.length;
      batch = [];
    }
  }
  if (batch.length) points += batch.length - (await store.write(batch)).length;
  const loadMs = performance.now() - loadStarted;
  console.error(`loaded ${points} points in ${Math.round(loadMs)} ms`);

  // Timeouts raised so that a slow answer is measured rather than cut off (the defaults: 5 s deadline, 8 s upstream).
  const history = await spawnHistorySubgraph({ AWS_ENDPOINT_URL: stack.endpoint, SUBGRAPH_REQUEST_DEADLINE_MS: '60000' });
  const gateway = await startGateway(readFileSync(resolve(__dirname, '../apps/gateway/supergraph.graphql'), 'utf8'), {
    HISTORY_SUBGRAPH_URL: history.url,
    KPI_SUBGRAPH_URL: `http://127.0.0.1:${await freePort()}/graphql`,
    GATEWAY_UPSTREAM_TIMEOUT_MS: '60000',
    GATEWAY_REQUEST_TIMEOUT_MS: '60000',
  });
  const headers = await bearer('analyst', undefined, { subject: 'bench' });
  const check = await postGraphQL(gateway.url, '{ __typename }', undefined, headers);
  if (check.status !== 200) throw new Error(`gateway answered ${check.status}`);

  await measure(gateway.url, headers, ALL, endMs - 10_000, 5); // warm-up: JIT, sockets, DuckDB caches
  const baseline = await measure(gateway.url, headers, 'AVG, MIN, MAX, COUNT', endMs - 20_000, REQUESTS);
  const all = await measure(gateway.url, headers, ALL, endMs - 30_000, REQUESTS);

  await gateway.stop();
  await history.stop();
  await stack.stop();
  // issue 11 item 6: the 90-day daily OEE report of a line from the refined zone, on its own platform.
  const report90d = await report90dOnFixturePlant();
  console.log(
    JSON.stringify({
      bench: 'trends',
      path: 'client → gateway (auth + limits on) → history-subgraph → local Timestream (DuckDB)',
      points,
      loadMs: Math.round(loadMs),
      loadPointsPerSecond: Math.round(points / (loadMs / 1000)),
      buckets: all.buckets,
      requests: REQUESTS,
      trend7dP50Ms: all.p50Ms,
      trend7dP99Ms: all.p99Ms,
      trend7dMaxMs: all.maxMs,
      targetP99Ms: 200,
      baselineAvgMinMaxCount: baseline,
      ...report90d,
      loadAverageAtStart: Math.round(load0 * 100) / 100,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
