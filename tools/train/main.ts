import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { failureRiskPackageKey } from '@plant/config';
import { publishArtefact } from './src/artefact-store';
import { packageModel } from './src/package-model';
import { runTraining } from './src/run-training';

const USAGE = `npm run train -- [--hours 48] [--seed 1] [--lines 2] [--assets 6] [--lake-dir <dir>]
Simulates the plant in memory, trains the failure-risk model on the first 70 % of the hours, tests it on the rest,
writes models/asset-failure-risk/versions/<version>.json into the lake folder, points current.json at it
and packs models/asset-failure-risk/model.tar.gz (model.json + code/inference.py) for the AWS endpoint.
The lake folder defaults to $LOCAL_AWS_DATA_DIR/lake (.data/local-aws/lake: the one npm start serves).`;

const Args = z.object({
  hours: z.coerce.number().int().min(4).max(24 * 14),
  seed: z.coerce.number().int(),
  lines: z.coerce.number().int().min(1).max(10),
  assets: z.coerce.number().int().min(1).max(20),
  lakeDir: z.string().min(1),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hours: { type: 'string', default: '48' },
      seed: { type: 'string', default: '1' },
      lines: { type: 'string', default: '2' },
      assets: { type: 'string', default: '6' },
      'lake-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const parsed = Args.safeParse({ ...values, lakeDir: values['lake-dir'] ?? resolve(process.env.LOCAL_AWS_DATA_DIR ?? '.data/local-aws', 'lake') });
  if (!parsed.success) {
    console.error(`${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const args = parsed.data;
  const run = runTraining({ seed: args.seed, hours: args.hours, lines: args.lines, assetsPerLine: args.assets });
  const { artefactPath, pointerPath } = await publishArtefact(resolve(args.lakeDir), run.artefact);
  // What the AWS endpoint serves (infra ml.modelArtifactKey): upload it to the same key of the lake bucket.
  const packagePath = packageModel(run.artefact, join(resolve(args.lakeDir), failureRiskPackageKey()));
  const { metrics, training, threshold, version } = run.artefact;
  console.log(`trained ${version} on ${run.rows} rows (${run.failures} drift failures, ${training.assets} assets, ${args.hours} simulated h)`);
  console.log(`  train ${training.trainRange.from} → ${training.trainRange.to}: AUC ${metrics.train.auc.toFixed(3)}`);
  console.log(
    `  test  ${training.testRange.from} → ${training.testRange.to}: AUC ${metrics.test.auc.toFixed(3)}, at threshold ${threshold}: precision ${metrics.test.precision.toFixed(3)}, recall ${metrics.test.recall.toFixed(3)} (${metrics.test.positives}/${metrics.test.rows} positive rows)`,
  );
  console.log(`  artefact ${artefactPath}\n  pointer  ${pointerPath}\n  package  ${packagePath} (for the AWS endpoint)`);
  console.log(
    JSON.stringify({
      version,
      rows: run.rows,
      failures: run.failures,
      testAuc: metrics.test.auc,
      testPrecision: metrics.test.precision,
      testRecall: metrics.test.recall,
      threshold,
      simulateS: run.simulateMs / 1000,
      trainS: run.trainMs / 1000,
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
