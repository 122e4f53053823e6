import type { z } from 'zod';

/** One broken rule: where in the payload (dotted path, `[i]` for array items) and what rule it broke. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Turns zod issues into `{ path, message }` pairs a person can act on ("goodCount: must not be negative"). */
export function issuesOf(error: z.ZodError, pathPrefix = ''): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: joinPath(pathPrefix, issue.path), message: issue.message }));
}

export function formatIssues(issues: ValidationIssue[]): string {
  return issues.map((i) => `${i.path || '(payload)'}: ${i.message}`).join('; ');
}

function joinPath(prefix: string, path: PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
