import { Duration } from 'aws-cdk-lib';
import { PLATFORM_CONFIGS, platformConfigFor, validatePlatformConfig } from '../src/config/environments';
import { PlatformConfig } from '../src/config/platform-config';
import { parseEcrImage } from '../src/constructs/ml-platform';

/** The changes spread copies, so the committed config object is never mutated. */
const withChanges = (change: (config: PlatformConfig) => PlatformConfig) => validatePlatformConfig(change(PLATFORM_CONFIGS.dev));

describe('platform config', () => {
  it('accepts the committed dev and prod configs', () => {
    expect(validatePlatformConfig(PLATFORM_CONFIGS.dev)).toEqual([]);
    expect(validatePlatformConfig(PLATFORM_CONFIGS.prod)).toEqual([]);
  });

  it('rejects a Firehose buffer below the 64 MiB dynamic partitioning minimum', () => {
    expect(withChanges((c) => ({ ...c, firehose: { ...c.firehose, bufferSizeMiB: 5 } }))).toEqual([
      'firehose.bufferSizeMiB must be 64-128 with dynamic partitioning',
    ]);
  });

  it('rejects a raw Glacier transition that is not after the Infrequent Access one', () => {
    const problems = withChanges((c) => ({ ...c, lake: { ...c.lake, rawToGlacierAfter: Duration.days(30) } }));
    expect(problems).toEqual(['lake.rawToGlacierAfter must be later than lake.rawToInfrequentAccessAfter']);
  });

  it('rejects a partner plant id that could break out of the row filter expression', () => {
    const problems = withChanges((c) => ({ ...c, governance: { ...c.governance, partnerPlantIds: ["x') OR (1=1"] } }));
    expect(problems).toEqual([`governance.partnerPlantIds: "x') OR (1=1" is not a plant id`]);
  });

  it('rejects task counts where the minimum exceeds the maximum', () => {
    const problems = withChanges((c) => ({
      ...c,
      services: { ...c.services, apps: { ...c.services.apps, gateway: { ...c.services.apps.gateway, minTasks: 3, maxTasks: 2 } } },
    }));
    expect(problems).toEqual(['services.apps.gateway: need 1 <= minTasks <= maxTasks']);
  });

  it('rejects a GetRecords limit above the 10,000 records Kinesis allows', () => {
    const problems = withChanges((c) => ({ ...c, streamConsumer: { ...c.streamConsumer, maxRecordsPerGet: 20_000 } }));
    expect(problems).toEqual(['streamConsumer.maxRecordsPerGet must be at most 10000']);
  });

  it('rejects a stream consumer setting that is not a positive whole number', () => {
    const problems = withChanges((c) => ({ ...c, streamConsumer: { ...c.streamConsumer, pollIntervalMs: 0.5 } }));
    expect(problems).toEqual(['streamConsumer.pollIntervalMs must be a whole number of at least 1']);
  });

  it('names every problem at once when an override makes the config invalid', () => {
    expect(() => platformConfigFor('dev', { partnerPlantIds: ['ok-1', 'bad plant', "o'hara"] })).toThrow(
      /Invalid dev platform config:\n {2}- governance.partnerPlantIds: "bad plant" is not a plant id\n {2}- governance.partnerPlantIds: "o'hara" is not a plant id/,
    );
  });

  it('applies context overrides without touching the committed config', () => {
    const config = platformConfigFor('prod', { imageTag: 'v1.2.3', account: '111122223333' });
    expect(config.services.imageTag).toBe('v1.2.3');
    expect(config.account).toBe('111122223333');
    expect(PLATFORM_CONFIGS.prod.services.imageTag).toBe('latest');
  });

  it('derives the ECR repository ARN of the model image and rejects other URIs', () => {
    expect(parseEcrImage('492215442770.dkr.ecr.eu-central-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3')).toEqual({
      repositoryArn: 'arn:aws:ecr:eu-central-1:492215442770:repository/sagemaker-scikit-learn',
    });
    expect(() => parseEcrImage('docker.io/library/python:3.12')).toThrow(/is not an ECR image URI/);
  });
});
