import type { FailureRiskMetrics } from '@plant/domain';

/**
 * Area under the ROC curve as the Mann-Whitney U statistic: the chance that a random positive
 * scores above a random negative (ties count half). 0.5 is a coin.
 */
export function rocAuc(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const order = scores.map((score, i) => ({ score, label: labels[i] })).sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j].score === order[i].score) j++;
    const midRank = (i + 1 + j) / 2; // ties share the mean of their 1-based ranks
    for (let k = i; k < j; k++) {
      if (order[k].label === 1) {
        positives++;
        rankSum += midRank;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (!positives || !negatives) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function precisionRecall(scores: readonly number[], labels: readonly (0 | 1)[], threshold: number): { precision: number; recall: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  scores.forEach((score, i) => {
    const flagged = score >= threshold;
    if (flagged && labels[i] === 1) tp++;
    else if (flagged) fp++;
    else if (labels[i] === 1) fn++;
  });
  return { precision: tp + fp ? tp / (tp + fp) : 0, recall: tp + fn ? tp / (tp + fn) : 0 };
}

/** The threshold with the best F1 among the scores themselves (chosen on training rows only). */
export function bestF1Threshold(scores: readonly number[], labels: readonly (0 | 1)[]): number {
  const candidates = [...new Set(scores.map((s) => Number(s.toPrecision(3))))].sort((a, b) => a - b);
  let best = { f1: -1, threshold: 0.5 };
  for (const threshold of candidates) {
    const { precision, recall } = precisionRecall(scores, labels, threshold);
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) best = { f1, threshold };
  }
  return best.threshold;
}

export function evaluate(scores: readonly number[], labels: readonly (0 | 1)[], threshold: number): FailureRiskMetrics {
  return { auc: rocAuc(scores, labels), ...precisionRecall(scores, labels, threshold), rows: labels.length, positives: labels.filter((l) => l === 1).length };
}
