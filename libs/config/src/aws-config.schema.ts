import { z } from 'zod';
import { EnvNames } from './env-names';
import { urlVar } from './load-config';

/** The part of every app's config that says how to reach AWS (or the local AWS stack). */
export const awsConfigShape = {
  [EnvNames.AWS_REGION]: z.string().min(1, 'must not be empty').default('eu-central-1'),
  [EnvNames.AWS_ENDPOINT_URL]: urlVar().optional(),
  [EnvNames.LOG_LEVEL]: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  [EnvNames.NODE_ENV]: z
    .enum(['development', 'production', 'test'], { message: 'must be development, production or test' })
    .default('development'),
};

export interface AwsConnection {
  region: string;
  /** Unset in AWS: the SDK then uses the real regional endpoints. */
  endpoint?: string;
}

export function awsConnectionOf(config: { AWS_REGION: string; AWS_ENDPOINT_URL?: string }): AwsConnection {
  return { region: config.AWS_REGION, endpoint: config.AWS_ENDPOINT_URL };
}
