import { z } from 'zod';

/** Thrown when the environment does not satisfy an app's config schema; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once at boot into a typed object. Every problem is reported at once,
 * each with the variable's name and the rule it broke, so a bad deployment fails fast and clearly.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = issue.path.length ? env[String(issue.path[0])] : undefined;
    const shown = value === undefined ? 'is missing' : `is ${JSON.stringify(value)}`;
    return `${name} ${shown}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** A whole number from an env var string, within [min, max], with a default. */
export const intVar = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

/** A TCP port number from an env var string. */
export const portVar = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(fallback);

/** An http(s) URL from an env var string. */
export const urlVar = () =>
  z
    .string()
    .url('must be an http(s) URL such as http://127.0.0.1:4566')
    .refine((v) => /^https?:\/\//.test(v), 'must start with http:// or https://');

/** A name of an AWS resource: letters, digits, dot, dash and underscore. */
export const resourceNameVar = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,255}$/, 'must be 1-255 letters, digits, ".", "_" or "-"')
    .default(fallback);
