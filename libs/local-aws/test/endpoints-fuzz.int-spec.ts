import * as DynamoDb from '@aws-sdk/client-dynamodb';
import * as EventBridge from '@aws-sdk/client-eventbridge';
import * as Firehose from '@aws-sdk/client-firehose';
import * as Kinesis from '@aws-sdk/client-kinesis';
import * as TimestreamQuery from '@aws-sdk/client-timestream-query';
import * as TimestreamWrite from '@aws-sdk/client-timestream-write';
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { createClient } from '@plant/aws';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { dynamoDbRequests, eventBridgeRequests, firehoseRequests, FuzzRequest, kinesisRequests, rawRequests, timestreamRequests } from './support/fuzz-requests';

/**
 * Random valid and invalid API requests, through the real SDK clients, against every endpoint of
 * the local stack (our Timestream Write + Query, Firehose and EventBridge, and the router in front
 * of kinesalite and dynalite): a client error must come back as a 4xx AWS error (`__type`,
 * `message`), never as a 500 / InternalServerException, a dropped connection or a dead stack.
 * Fixed seed and bounded runs, so a failure reproduces.
 */

// FUZZ_SEED / FUZZ_RUNS explore beyond CI's fixed run (a failure prints the seed and path to replay).
const SEED = Number(process.env.FUZZ_SEED ?? 9);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

type Outcome = 'accepted' | 'rejected' | 'refused-by-sdk';
interface AnyClient {
  send(command: unknown): Promise<unknown>;
  destroy(): void;
}
type Module = Record<string, unknown>;

/** Sends one request; resolves its outcome, throws a description when the server failed. */
async function send(client: AnyClient, module: Module, { op, input }: FuzzRequest): Promise<Outcome> {
  const Command = module[`${op}Command`] as new (input: unknown) => unknown;
  try {
    await client.send(new Command(input));
    return 'accepted';
  } catch (err) {
    const e = err as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number }; $response?: unknown };
    const status = e.$metadata?.httpStatusCode;
    const failure = `${op} → ${status ?? e.code ?? 'no answer'} ${e.name}: ${String(e.message).slice(0, 300)}`;
    if (status === undefined) {
      // Thrown before anything was sent (the SDK refused to serialise the input) vs a broken connection.
      if (e.code || e.name === 'TimeoutError' || e.$response) throw new Error(failure, { cause: err });
      return 'refused-by-sdk';
    }
    if (status >= 500 || /Internal|ServiceUnavailable/.test(e.name ?? '')) throw new Error(failure, { cause: err });
    return 'rejected';
  }
}

describe('local AWS endpoints under random requests', () => {
  let stack: LocalAwsStack;
  const connection = () => ({ region: 'eu-central-1', endpoint: stack.endpoint });
  const outcomes: Record<string, Record<Outcome, number>> = {};

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0, firehoseBuffering: { maxIntervalMs: 200 } });
  });
  afterAll(async () => {
    console.log(JSON.stringify({ fuzz: outcomes }));
    await stack.stop();
    rmSync(stack.lakeDir, { recursive: true, force: true });
  });

  const services: Array<[string, new (config: ReturnType<typeof import('@plant/aws').awsClientConfig>) => AnyClient, Module, fc.Arbitrary<FuzzRequest>]> = [
    ['Timestream Write', TimestreamWrite.TimestreamWriteClient, TimestreamWrite, timestreamRequests.filter((r) => r.op !== 'Query')],
    ['Timestream Query', TimestreamQuery.TimestreamQueryClient, TimestreamQuery, timestreamRequests.filter((r) => r.op === 'Query')],
    ['Firehose', Firehose.FirehoseClient, Firehose, firehoseRequests],
    ['EventBridge', EventBridge.EventBridgeClient, EventBridge, eventBridgeRequests],
    ['Kinesis (kinesalite behind the router)', Kinesis.KinesisClient, Kinesis, kinesisRequests],
    ['DynamoDB (dynalite behind the router)', DynamoDb.DynamoDBClient, DynamoDb, dynamoDbRequests],
  ];

  it.each(services)('%s answers every client error with a 4xx AWS error', async (label, Client, module, requests) => {
    const client = createClient(Client, connection());
    const counts: Record<Outcome, number> = { accepted: 0, rejected: 0, 'refused-by-sdk': 0 };
    outcomes[label] = counts;
    try {
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          counts[await send(client, module, request)]++;
        }),
        { seed: SEED, numRuns: RUNS },
      );
    } finally {
      client.destroy();
    }
    // The run reached the server with both good and bad requests: it cannot pass by sending nothing.
    expect(counts.accepted).toBeGreaterThan(0);
    expect(counts.rejected).toBeGreaterThan(0);
    expect((await fetch(`${stack.endpoint}/health`)).status).toBe(200);
  });

  it('answers raw bodies of any shape on every route with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(rawRequests, async ({ target, body }) => {
        const res = await fetch(stack.endpoint, { method: 'POST', headers: { 'X-Amz-Target': target, 'Content-Type': 'application/x-amz-json-1.1' }, body });
        const text = await res.text();
        if (res.status >= 500) throw new Error(`${target} ${body.toString('utf8').slice(0, 100)} → ${res.status} ${text.slice(0, 300)}`);
        expect(res.status).toBeGreaterThanOrEqual(200);
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
  });
});
