import type { FailureRiskArtefact } from '@plant/domain';
import { generateLabelledSet, LabelledSetOptions } from './labelled-set';
import { trainFailureRisk } from './train-model';

export interface TrainingRun {
  artefact: FailureRiskArtefact;
  rows: number;
  failures: number;
  simulateMs: number;
  trainMs: number;
}

/** Simulates, labels and trains in one go (the CLI, the test and the bench share it). */
export function runTraining(options: LabelledSetOptions & { steps?: number; trainFraction?: number; now?: () => Date }): TrainingRun {
  const t0 = performance.now();
  const set = generateLabelledSet(options);
  const t1 = performance.now();
  const artefact = trainFailureRisk(set, { seed: options.seed, simulatedHours: options.hours, steps: options.steps, trainFraction: options.trainFraction, now: options.now });
  return { artefact, rows: set.rows.length, failures: set.failures, simulateMs: t1 - t0, trainMs: performance.now() - t1 };
}
