import type { Identity } from '@plant/auth';
import type { FeatureLoaders } from './feature.service';

/** Per request: the caller the gateway vouched for and the feature loaders (one BatchGetRecord per group and 100 ids). */
export interface MlContext {
  identity: Identity;
  features: FeatureLoaders;
  /** Aborted when the gateway closes the HTTP request before the answer. */
  signal?: AbortSignal;
}
