/**
 * `npm run bench:features`: online features through the gateway and point-in-time training set export.
 *
 * 1. Features of 100 assets in one query: the real gateway (auth and limits on, response cache OFF so
 *    every request reaches the subgraphs) over the kpi subgraph (the line's 100 assets, DynamoDB on
 *    the local stack) and the ml subgraph (one BatchGetRecord for the 100 records) at a steady rate
 *    (autocannon `overallRate`, default 20 req/s for 10 s, one data scientist's token). Baseline in the
 *    same run: the same query without `features` (what the kpi path alone costs), same rate.
 * 2. A 1,000,000-row point-in-time training set (100 assets, one offline record per asset per minute
 *    over 2 days = 288,000 records; 1,000,000 entity rows at random times) exported to Parquet by the
 *    engine behind `exportTrainingSet` (DuckDbTrainingSetQuery: GraphQL bodies are capped at 100 KB,
 *    so a million rows cannot be sent inline).
 * Last line: one JSON object with `features100P50Ms`, `features100P99Ms` (target p99 < 20 ms) and
 * `trainingSet1MRowsS`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DuckDbTrainingSetQuery, DynamoDbAssetDirectory } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ASSET_HEALTH_FEATURE_GROUP, offlineFeatureTable, ResourceNames, tablePrefix } from '@plant/config';
import { accessToken } from '../test/support/auth-tokens';
import { startMlPlatform } from '../test/ml/ml-platform';

const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ASSETS = 100;
const LINE = 'bench-line';
const NAMES = ['vibration_5m_mean', 'vibration_60m_slope', 'temperature_5m_mean', 'cycles_60m', 'scrap_rate_60m', 'oee_15m'];
const assetIds = Array.from({ length: ASSETS }, (_, i) => `bench-asset-${String(i).padStart(3, '0')}`);

const query = (withFeatures: boolean) =>
  JSON.stringify({
    query: `{ line(id: "${LINE}") { assets(first: ${ASSETS}) { edges { node { id ${withFeatures ? `features(names: ${JSON.stringify(NAMES)}) { name status value eventTime }` : ''} } } } } }`,
  });

async function steady(url: string, token: string, body: string): Promise<{ p50: number; p99: number; requests: number; non2xx: number; errors: number }> {
  const r = await autocannon({ url, connections: 4, overallRate: RATE, duration: SECONDS, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  return { p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

async function main(): Promise<void> {
  const platform = await startMlPlatform({ GATEWAY_RESPONSE_CACHE_TTL_MS: '0' }, { kpiFixtures: false });
  try {
    const connection = { region: 'eu-central-1', endpoint: platform.stack.endpoint };
    const dynamodb = createClient(DynamoDBClient, connection);
    await new DynamoDbAssetDirectory(dynamodb, { tableName: ResourceNames.kpiTable }).registerAssets(assetIds.map((assetId) => ({ enterpriseId: 'bench', plantId: 'bench-plant', lineId: LINE, assetId })));
    dynamodb.destroy();
    const now = new Date().toISOString();
    await platform.features.putRecords(
      assetIds.map((id, i) => ({
        featureGroupName: ASSET_HEALTH_FEATURE_GROUP.name,
        values: { asset_id: id, event_time: now, plant_id: 'bench-plant', line_id: LINE, vibration_5m_mean: String(2 + i / 100), vibration_60m_slope: '0.01', cycles_60m: String(100 + i), oee_15m: '0.8' },
      })),
    );
    const token = await accessToken('data_scientist', undefined, { subject: 'bench-scientist' });
    // Check the answer once: 100 assets with their features, no error.
    const check = await fetch(platform.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: query(true) }).then((r) => r.json());
    const edges = check.data?.line?.assets?.edges ?? [];
    if (check.errors || edges.length !== ASSETS || edges.some((e: any) => e.node.features[3].status !== 'PRESENT')) throw new Error(`unexpected answer: ${JSON.stringify(check).slice(0, 500)}`);
    await steady(platform.gateway.url, token, query(true)); // warm-up round, not reported
    const baseline = await steady(platform.gateway.url, token, query(false));
    const features = await steady(platform.gateway.url, token, query(true));
    console.log(`features of ${ASSETS} assets at ${RATE} req/s: p50 ${features.p50} ms, p99 ${features.p99} ms (${features.requests} requests); without features: p50 ${baseline.p50} ms, p99 ${baseline.p99} ms`);

    const trainingS = await exportMillionRows(platform.stack.lakeDir);
    console.log(`1,000,000-row point-in-time training set exported in ${trainingS.toFixed(1)} s`);
    console.log(
      JSON.stringify({
        features100P50Ms: features.p50,
        features100P99Ms: features.p99,
        features100Requests: features.requests,
        features100Non2xx: features.non2xx + features.errors,
        baselineNoFeaturesP50Ms: baseline.p50,
        baselineNoFeaturesP99Ms: baseline.p99,
        rateReqPerS: RATE,
        trainingSet1MRowsS: Number(trainingS.toFixed(2)),
        loadAvg1m: Number(loadavg()[0].toFixed(2)),
      }),
    );
  } finally {
    await platform.stop();
  }
}

/** Writes 288,000 offline records as the local Feature Store would, then exports 1,000,000 PIT rows. */
async function exportMillionRows(lakeDir: string): Promise<number> {
  const table = offlineFeatureTable(ASSET_HEALTH_FEATURE_GROUP);
  const start = Date.parse('2026-11-01T00:00:00.000Z');
  const minutes = 2 * 24 * 60;
  for (let day = 0; day < 2; day++) {
    const dir = join(lakeDir, tablePrefix(table), `dt=2026-11-0${day + 1}`);
    mkdirSync(dir, { recursive: true });
    const lines: string[] = [];
    for (let m = day * 1440; m < Math.min(minutes, (day + 1) * 1440); m++) {
      const eventTime = new Date(start + m * 60_000).toISOString();
      for (const [i, id] of assetIds.entries()) {
        lines.push(JSON.stringify({ asset_id: id, event_time: eventTime, plant_id: 'bench-plant', line_id: LINE, vibration_5m_mean: 2 + Math.sin(m / 30 + i), cycles_60m: 100 + ((m + i) % 50), write_time: eventTime, is_deleted: false }));
      }
    }
    writeFileSync(join(dir, 'records-bench.json'), `${lines.join('\n')}\n`);
  }
  const query = new DuckDbTrainingSetQuery(lakeDir);
  const entities = { sql: `SELECT 'bench-asset-' || lpad(CAST(i % ${ASSETS} AS VARCHAR), 3, '0') AS entity_id, TIMESTAMP '2026-11-01 00:00:00' + to_milliseconds((hash(i) % ${minutes * 60_000})::BIGINT) AS event_time FROM range(1000000) t(i)` };
  const started = process.hrtime.bigint();
  const out = await query.export({ featureGroups: [ASSET_HEALTH_FEATURE_GROUP], entities, label: { featureGroup: ASSET_HEALTH_FEATURE_GROUP, feature: 'cycles_60m', horizonSeconds: 3600 } }, join(lakeDir, 'features', 'exports', 'bench-1m'));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (out.rows !== 1_000_000) throw new Error(`exported ${out.rows} rows, expected 1,000,000`);
  return seconds;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
