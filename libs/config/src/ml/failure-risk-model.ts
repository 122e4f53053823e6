import { featureStem, HEALTH_MEASURES, HEALTH_WINDOWS_MINUTES } from './feature-groups';
import { LAKE_PREFIXES } from '../lake/lake-schema';
import { ResourceNames } from '../env-names';

/**
 * The failure-risk model's contract, declared once: which asset-health features it reads (in this
 * column order in every CSV row sent to the endpoint), what its label means, and where its
 * artefacts live in the lake. Training (`npm run train`), the local SageMaker runtime, the
 * ml-subgraph's adapter and the AWS inference script all read it.
 */
export const FAILURE_RISK_MODEL = {
  /** Model name: the endpoint name and the folder of its artefacts under the lake's `models/`. */
  name: ResourceNames.modelEndpoint,
  featureGroupName: 'asset-health',
  /**
   * Label: the asset goes down with a drift-failure reason within this many minutes. 20 min is the
   * simulator's longest drift (asset-dynamics.ts `driftMinutes`): earlier than that nothing has
   * started to move yet, so a longer horizon would only label noise as positive.
   */
  labelHorizonMinutes: 20,
  /**
   * Every rolling sensor statistic plus the 60-minute counters. OEE is left out on purpose: it comes
   * from the KPI store, which training does not run (see docs/ml-model.md).
   */
  featureNames: [
    ...HEALTH_MEASURES.flatMap((measure) =>
      HEALTH_WINDOWS_MINUTES.flatMap((minutes) => ['mean', 'std', 'slope'].map((stat) => `${featureStem(measure)}_${minutes}m_${stat}`)),
    ),
    'cycles_60m',
    'scrap_rate_60m',
    'downtime_events_60m',
    'downtime_seconds_60m',
    'alarm_count_60m',
  ] as readonly string[],
} as const;

/** `models/asset-failure-risk/`: the versioned artefacts and the pointer to the current one. */
export const failureRiskModelPrefix = (): string => `${LAKE_PREFIXES.models}${FAILURE_RISK_MODEL.name}/`;
/** The pointer object: `{ "version": "...", "key": "models/asset-failure-risk/versions/<v>.json" }`. */
export const failureRiskCurrentPointerKey = (): string => `${failureRiskModelPrefix()}current.json`;
export const failureRiskArtefactKey = (version: string): string => `${failureRiskModelPrefix()}versions/${version}.json`;
/**
 * The packed model the AWS endpoint serves (`model.tar.gz`: model.json + code/inference.py), at a
 * fixed key of the lake bucket; infra's ml.modelArtifactKey is this key.
 */
export const failureRiskPackageKey = (): string => `${failureRiskModelPrefix()}model.tar.gz`;
