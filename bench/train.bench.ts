/**
 * `npm run bench:train [-- --hours 48]`: the full failure-risk training run (simulate → features →
 * labels → fit → held-out evaluation) with its metrics and CPU time (wall time on the shared machine
 * says more about the neighbours than about training), then the cost of serving it: InvokeEndpoint
 * on the local SageMaker runtime with 100 CSV rows (what `failureRisk` of 100 assets sends in one
 * call) against 1 row as the baseline, sequentially. Last line: one JSON object with the figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { createClient } from '@plant/aws';
import { FAILURE_RISK_MODEL } from '@plant/config';
import { startLocalAws } from '@plant/local-aws';
import { publishArtefact } from '../tools/train/src/artefact-store';
import { generateLabelledSet } from '../tools/train/src/labelled-set';
import { runTraining } from '../tools/train/src/run-training';

const CALLS = 200;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { hours: { type: 'string', default: '48' } } });
  const hours = Number(values.hours);
  const cpu0 = process.cpuUsage();
  const run = runTraining({ seed: 1, hours, lines: 2, assetsPerLine: 6 });
  const cpu = process.cpuUsage(cpu0);
  const { test, train } = run.artefact.metrics;
  console.log(`trained on ${run.rows} rows (${run.failures} failures): train AUC ${train.auc.toFixed(3)}, test AUC ${test.auc.toFixed(3)}, precision ${test.precision.toFixed(3)}, recall ${test.recall.toFixed(3)} at ${run.artefact.threshold}`);

  const dataDir = mkdtempSync(join(tmpdir(), 'bench-train-'));
  const stack = await startLocalAws({ port: 0, dataDir });
  const client = createClient(SageMakerRuntimeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
  try {
    await publishArtefact(stack.lakeDir, run.artefact);
    // Real feature rows of the simulated plant, as the ml-subgraph would send them.
    const rows = generateLabelledSet({ seed: 2, hours: 2, lines: 2, assetsPerLine: 6 }).rows.slice(0, 100);
    const csv = (n: number) => rows.slice(0, n).map((r) => r.values.map((v) => (v === undefined ? '' : String(v))).join(',')).join('\n');
    const timeCalls = async (body: string) => {
      const ms: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        const t = performance.now();
        await client.send(new InvokeEndpointCommand({ EndpointName: FAILURE_RISK_MODEL.name, ContentType: 'text/csv', Accept: 'application/json', Body: Buffer.from(body) }));
        ms.push(performance.now() - t);
      }
      return ms.sort((a, b) => a - b);
    };
    await timeCalls(csv(1)); // warm-up: connection, artefact load
    const one = await timeCalls(csv(1));
    const hundred = await timeCalls(csv(100));
    console.log(
      JSON.stringify({
        hours,
        rows: run.rows,
        failures: run.failures,
        trainAuc: train.auc,
        testAuc: test.auc,
        testPrecision: test.precision,
        testRecall: test.recall,
        threshold: run.artefact.threshold,
        trainingCpuS: (cpu.user + cpu.system) / 1e6,
        trainingWallS: (run.simulateMs + run.trainMs) / 1000,
        invoke1P50Ms: percentile(one, 50),
        invoke1P99Ms: percentile(one, 99),
        invoke100P50Ms: percentile(hundred, 50),
        invoke100P99Ms: percentile(hundred, 99),
        loadAvg1m: loadavg()[0],
      }),
    );
  } finally {
    client.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
