/**
 * The feature store port (SageMaker Feature Store runtime in AWS and in the local stack). Values
 * travel as strings, like Feature Store's `ValueAsString`; the feature group definitions in
 * `@plant/config` say what each name means and its type.
 */

/** One record to write: every feature by name (the record identifier and event time included). */
export interface FeatureRecordWrite {
  featureGroupName: string;
  values: Readonly<Record<string, string>>;
  /** The online store drops the record this long after its event time (the group's retention). */
  retentionSeconds?: number;
}

/** One record read from the online store. */
export interface FeatureRecordRead {
  recordId: string;
  values: Readonly<Record<string, string>>;
  /** When the online store drops the record (Feature Store `ExpiresAt`), if it has a retention. */
  expiresAt?: string;
}

export interface FeatureStore {
  /** Writes every record (idempotent: the same record twice leaves the same state). */
  putRecords(records: readonly FeatureRecordWrite[]): Promise<void>;
  /**
   * Reads the newest record of each id (missing or dropped ids are absent from the map); only
   * `featureNames` when given. Any number of ids: the adapter splits them into calls the service takes.
   */
  batchGetRecords(featureGroupName: string, recordIds: readonly string[], featureNames?: readonly string[]): Promise<Map<string, FeatureRecordRead>>;
}
