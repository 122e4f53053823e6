import { Duration } from 'aws-cdk-lib';
import { PLATFORM_CONFIGS, platformConfigFor, validatePlatformConfig } from '../src/config/environments';
import { PlatformConfig } from '../src/config/platform-config';
import { parseEcrImage } from '../src/constructs/ml-platform';

const CERTIFICATE = 'arn:aws:acm:eu-central-1:111122223333:certificate/abc';

/** The changes spread copies, so the committed config object is never mutated. */
const withChanges = (change: (config: PlatformConfig) => PlatformConfig) => validatePlatformConfig(change(PLATFORM_CONFIGS.dev));

describe('platform config', () => {
  it('accepts the committed dev config, and prod once it is given a certificate', () => {
    expect(validatePlatformConfig(PLATFORM_CONFIGS.dev)).toEqual([]);
    expect(validatePlatformConfig({ ...PLATFORM_CONFIGS.prod, services: { ...PLATFORM_CONFIGS.prod.services, certificateArn: CERTIFICATE } })).toEqual([]);
  });

  it('refuses to build prod without a certificate: the gateway would take tokens over plain HTTP', () => {
    expect(() => platformConfigFor('prod')).toThrow(/prod requires TLS: pass -c certificateArn=/);
    expect(() => platformConfigFor('prod', { certificateArn: 'not-an-arn' })).toThrow(/is not an ACM certificate ARN/);
    expect(() => platformConfigFor('dev')).not.toThrow();
  });

  it('refuses the mutable image tag latest for prod, and accepts immutable tags, digests and the asset', () => {
    expect(() => platformConfigFor('prod', { certificateArn: CERTIFICATE, imageTag: 'latest' })).toThrow(/prod refuses the mutable image tag "latest"/);
    expect(platformConfigFor('prod', { certificateArn: CERTIFICATE, imageTag: 'git-3f2a9c1' }).services.image).toEqual({
      source: 'ecr',
      repositoryName: 'plant-platform',
      tag: 'git-3f2a9c1',
    });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(platformConfigFor('prod', { certificateArn: CERTIFICATE, imageTag: digest }).services.image).toMatchObject({ tag: digest });
    expect(platformConfigFor('prod', { certificateArn: CERTIFICATE }).services.image).toEqual({ source: 'asset' });
    expect(() => platformConfigFor('dev', { imageTag: 'bad tag' })).toThrow(/is neither an ECR tag nor a sha256 digest/);
  });

  it('lists three availability zones for prod and rejects zones of another region or duplicates', () => {
    expect(PLATFORM_CONFIGS.prod.services.availabilityZones).toEqual(['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);
    expect(withChanges((c) => ({ ...c, services: { ...c.services, availabilityZones: ['eu-central-1a', 'eu-central-1a'] } }))).toEqual([
      'services.availabilityZones must be distinct zones of eu-central-1',
    ]);
    expect(withChanges((c) => ({ ...c, services: { ...c.services, availabilityZones: ['eu-west-1a', 'eu-west-1b'] } }))).toEqual([
      'services.availabilityZones must be distinct zones of eu-central-1',
    ]);
  });

  it('rejects a model entry point that is not a Python file', () => {
    expect(withChanges((c) => ({ ...c, ml: { ...c.ml, entryPoint: '' } }))).toEqual(['ml.entryPoint "" must be a Python file name (SAGEMAKER_PROGRAM)']);
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
    const config = platformConfigFor('prod', { imageTag: 'v1.2.3', account: '111122223333', certificateArn: CERTIFICATE });
    expect(config.services.image).toEqual({ source: 'ecr', repositoryName: 'plant-platform', tag: 'v1.2.3' });
    expect(config.account).toBe('111122223333');
    expect(PLATFORM_CONFIGS.prod.services.image).toEqual({ source: 'asset' });
    expect(PLATFORM_CONFIGS.prod.services.certificateArn).toBeUndefined();
  });

  it('derives the ECR repository ARN of the model image and rejects other URIs', () => {
    expect(parseEcrImage('492215442770.dkr.ecr.eu-central-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3')).toEqual({
      repositoryArn: 'arn:aws:ecr:eu-central-1:492215442770:repository/sagemaker-scikit-learn',
    });
    expect(() => parseEcrImage('docker.io/library/python:3.12')).toThrow(/is not an ECR image URI/);
  });
});
