import { NormalisationError } from '@plant/contracts';

/** The issues a normaliser reports for a payload it must refuse; fails the test if it accepts it. */
export function normalisationIssues(normaliser: { normalise(payload: unknown): unknown }, payload: unknown) {
  try {
    normaliser.normalise(payload);
  } catch (err) {
    if (err instanceof NormalisationError) return err.issues;
    throw err;
  }
  throw new Error('payload was accepted');
}
