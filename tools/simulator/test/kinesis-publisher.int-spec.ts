import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { KinesisPublisher, OutgoingRecord } from '@plant/simulator';
import { readWholeStream } from './stream-reader';

/**
 * Kinesalite never refuses single entries, so partial failures are injected by a proxy in front of
 * the real local stack: it refuses the entries `refuse` picks (as throttled), forwards the rest to
 * kinesalite and merges both into one PutRecords response, as Kinesis does.
 */
class ThrottlingProxy {
  readonly putRecordsSizes: number[] = [];
  private server?: Server;
  endpoint = '';

  constructor(
    private readonly upstream: string,
    private readonly refuse: (data: string) => boolean,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((r) => this.server!.close(() => r()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: string }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = String(req.headers['x-amz-target']);
    const headers = { 'x-amz-target': target, 'content-type': String(req.headers['content-type']), authorization: String(req.headers.authorization), 'x-amz-date': String(req.headers['x-amz-date']) };
    const forward = async (body: string) => {
      const r = await fetch(this.upstream, { method: 'POST', headers, body });
      return { status: r.status, body: await r.text() };
    };
    if (!target.endsWith('.PutRecords')) return forward(Buffer.concat(chunks).toString());
    const request = JSON.parse(Buffer.concat(chunks).toString()) as { StreamName: string; Records: { Data: string; PartitionKey: string }[] };
    this.putRecordsSizes.push(request.Records.length);
    const refused = request.Records.map((r) => this.refuse(Buffer.from(r.Data, 'base64').toString()));
    const accepted = request.Records.filter((_, i) => !refused[i]);
    const upstream = accepted.length ? JSON.parse((await forward(JSON.stringify({ ...request, Records: accepted }))).body) : { Records: [] };
    let next = 0;
    const Records = refused.map((no) =>
      no ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-000000000000' } : upstream.Records[next++],
    );
    return { status: 200, body: JSON.stringify({ FailedRecordCount: refused.filter(Boolean).length, Records }) };
  }
}

describe('KinesisPublisher', () => {
  let stack: LocalAwsStack;
  let proxy: ThrottlingProxy | undefined;
  let reader: KinesisClient;
  const stream = ResourceNames.plantEventsStream;
  const records = (n: number, tag = 'r'): OutgoingRecord[] =>
    Array.from({ length: n }, (_, i) => ({ partitionKey: `asset-${i % 7}`, data: Buffer.from(`${tag}-${i}`) }));

  beforeEach(async () => {
    stack = await startLocalAws({ port: 0 });
    reader = createClient(KinesisClient, { region: 'eu-central-1', endpoint: stack.endpoint });
  });
  afterEach(async () => {
    reader.destroy();
    await proxy?.stop();
    proxy = undefined;
    await stack.stop();
  });

  it('sends 1,200 records as PutRecords calls of at most 500, each record once', async () => {
    proxy = await new ThrottlingProxy(stack.endpoint, () => false).start();
    const publisher = new KinesisPublisher({ region: 'eu-central-1', endpoint: proxy.endpoint }, { streamName: stream });
    const outcome = await publisher.put(records(1200));
    publisher.close();
    expect(outcome).toEqual({ sent: 1200, failed: [], retried: 0, calls: 3 });
    expect(proxy.putRecordsSizes.sort((a, b) => a - b)).toEqual([200, 500, 500]);
    const read = await readWholeStream(reader, stream);
    expect(read.map((r) => Buffer.from(r.data).toString()).sort()).toEqual(records(1200).map((r) => Buffer.from(r.data).toString()).sort());
  });

  it('retries only the entries a response refused, until all are in the stream once', async () => {
    const attempts = new Map<string, number>();
    // Every third record is refused on its first two attempts.
    proxy = await new ThrottlingProxy(stack.endpoint, (data) => {
      const n = (attempts.get(data) ?? 0) + 1;
      attempts.set(data, n);
      return Number(data.split('-')[1]) % 3 === 0 && n <= 2;
    }).start();
    const publisher = new KinesisPublisher({ region: 'eu-central-1', endpoint: proxy.endpoint }, { streamName: stream, baseBackoffMs: 5 });
    const outcome = await publisher.put(records(600));
    publisher.close();
    expect(outcome.sent).toBe(600);
    expect(outcome.failed).toEqual([]);
    expect(outcome.retried).toBe(400);
    // First round: 500 + 100; then only the refused (167 of the first chunk, 33 of the second), twice.
    expect(proxy.putRecordsSizes.sort((a, b) => a - b)).toEqual([33, 33, 100, 167, 167, 500]);
    const read = (await readWholeStream(reader, stream)).map((r) => Buffer.from(r.data).toString());
    expect(read).toHaveLength(600);
    expect(new Set(read).size).toBe(600);
  });

  it('reports the records still refused after the last attempt with their error, and sends the rest', async () => {
    proxy = await new ThrottlingProxy(stack.endpoint, (data) => data === 'r-7').start();
    const publisher = new KinesisPublisher({ region: 'eu-central-1', endpoint: proxy.endpoint }, { streamName: stream, maxAttempts: 3, baseBackoffMs: 1 });
    const outcome = await publisher.put(records(20));
    publisher.close();
    expect(outcome.sent).toBe(19);
    expect(outcome.failed).toHaveLength(1);
    expect(Buffer.from(outcome.failed[0].record.data).toString()).toBe('r-7');
    expect(outcome.failed[0].errorCode).toBe('ProvisionedThroughputExceededException');
    expect(outcome.calls).toBe(3);
  });

  it('fails every record at once, without retrying, when the stream does not exist', async () => {
    const publisher = new KinesisPublisher({ region: 'eu-central-1', endpoint: stack.endpoint }, { streamName: 'no-such-stream' });
    const outcome = await publisher.put(records(3));
    publisher.close();
    expect(outcome.sent).toBe(0);
    expect(outcome.calls).toBe(1);
    expect(outcome.failed.map((f) => f.errorCode)).toEqual(['ResourceNotFoundException', 'ResourceNotFoundException', 'ResourceNotFoundException']);
  });
});
