import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient, ValidationError } from '@aws-sdk/client-sagemaker-runtime';
import { createClient } from '@plant/aws';
import { FAILURE_RISK_MODEL } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { FIXTURE_FEATURES, fixtureArtefact, publishFixture, sigmoid } from '../../../test/support/failure-risk-fixture';

const csvRow = (first: number | '') => [first, ...FIXTURE_FEATURES.slice(1).map(() => '')].join(',');
const text = (body: Uint8Array | undefined) => Buffer.from(body ?? []).toString('utf8');

describe('local SageMaker runtime InvokeEndpoint (real SDK client)', () => {
  let dataDir: string;
  let stack: LocalAwsStack;
  let client: SageMakerRuntimeClient;
  const invoke = (body: string, contentType = 'text/csv', accept = 'application/json', endpoint: string = FAILURE_RISK_MODEL.name) =>
    client.send(new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: contentType, Accept: accept, Body: Buffer.from(body) }));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sagemaker-runtime-'));
    stack = await startLocalAws({ port: 0, dataDir, modelPointerTtlMs: 50 });
    client = createClient(SageMakerRuntimeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
  });
  afterAll(async () => {
    client.destroy();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers ModelError (424, original 503) before any model was trained', async () => {
    const error = await invoke(csvRow(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).$metadata.httpStatusCode).toBe(424);
    expect((error as ModelError).OriginalStatusCode).toBe(503);
    expect((error as ModelError).message).toMatch(/npm run train/);
  });

  it('scores CSV rows with the current artefact: probability, contributions, variant header, version', async () => {
    publishFixture(stack.lakeDir, fixtureArtefact('v1', 0));
    await waitForVersion('v1');
    const out = await invoke(`${csvRow(2)}\n${csvRow('')}\n`);
    expect(out.InvokedProductionVariant).toBe('primary');
    expect(out.ContentType).toBe('application/json');
    expect(out.CustomAttributes).toBe('model-version=v1');
    const body = JSON.parse(text(out.Body)) as { modelVersion: string; predictions: { probability: number; label: number; contributions: { feature: string; value: number | null; contribution: number }[] }[] };
    expect(body.modelVersion).toBe('v1');
    expect(body.predictions[0].probability).toBeCloseTo(sigmoid(2), 12);
    expect(body.predictions[0].label).toBe(1);
    expect(body.predictions[0].contributions[0]).toEqual({ feature: FIXTURE_FEATURES[0], value: 2, contribution: 2 });
    // A missing value is imputed with the training mean: contribution 0, probability at the intercept.
    expect(body.predictions[1].probability).toBe(0.5);
    expect(body.predictions[1].contributions[0].value).toBeNull();
  });

  it('takes application/json instances (lists or objects by feature name) and answers text/csv', async () => {
    const out = await invoke(JSON.stringify({ instances: [{ [FIXTURE_FEATURES[0]]: 3 }, FIXTURE_FEATURES.map((_, i) => (i === 0 ? 1 : null))] }), 'application/json', 'text/csv');
    expect(out.ContentType).toBe('text/csv');
    expect(text(out.Body).split('\n').map(Number)).toEqual([sigmoid(4), 0.5]);
  });

  it('refuses rows of the wrong width or with non-numbers as ModelError with original status 400', async () => {
    for (const body of ['1,2,3', csvRow(1).replace(/^1/, 'abc')]) {
      const error = await invoke(body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).OriginalStatusCode).toBe(400);
    }
    const wrongType = await invoke('x', 'application/x-npy').catch((e: unknown) => e);
    expect((wrongType as ModelError).OriginalStatusCode).toBe(415);
  });

  it('answers an unknown endpoint with ValidationError', async () => {
    await expect(invoke(csvRow(1), 'text/csv', 'application/json', 'no-such-endpoint')).rejects.toBeInstanceOf(ValidationError);
  });

  it('serves a newly published version without a restart, and the same version after a restart', async () => {
    publishFixture(stack.lakeDir, fixtureArtefact('v2', 1));
    await waitForVersion('v2');
    const before = JSON.parse(text((await invoke(csvRow(1))).Body)) as { predictions: { probability: number }[] };
    expect(before.predictions[0].probability).toBeCloseTo(sigmoid(1), 12);

    client.destroy();
    await stack.stop();
    stack = await startLocalAws({ port: 0, dataDir, modelPointerTtlMs: 50 });
    client = createClient(SageMakerRuntimeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    expect((await invoke(csvRow(1))).CustomAttributes).toBe('model-version=v2');
  });

  /** Polls until the endpoint serves `version` (the pointer is re-read every 50 ms here). */
  async function waitForVersion(version: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const served = await invoke(csvRow(1)).then((out) => out.CustomAttributes, () => undefined);
      if (served === `model-version=${version}`) return;
      if (Date.now() > deadline) throw new Error(`endpoint still serves ${served} instead of ${version}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
});
