import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { ConsumedRecord } from '@plant/stream-consumer';

/** Puts payloads into a stream, 500 per PutRecords call, retrying failed entries. */
export async function putAll(kinesis: KinesisClient, streamName: string, payloads: { partitionKey: string; data: Uint8Array }[]): Promise<void> {
  for (let i = 0; i < payloads.length; i += 500) {
    let pending = payloads.slice(i, i + 500).map((p) => ({ PartitionKey: p.partitionKey, Data: p.data }));
    while (pending.length) {
      const out = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: pending }));
      pending = pending.filter((_, j) => out.Records?.[j]?.ErrorCode);
    }
  }
}

/** Every record of every shard from TRIM_HORIZON, in shard order (what a from-scratch computation reads). */
export async function readAll(kinesis: KinesisClient, streamName: string): Promise<Map<string, ConsumedRecord[]>> {
  const shards = (await kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
  const byShard = new Map<string, ConsumedRecord[]>();
  for (const shard of shards) {
    const records: ConsumedRecord[] = [];
    let iterator = (await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' })))
      .ShardIterator;
    // Page until an empty page that is caught up (or a closed shard's end, where NextShardIterator is
    // null). Not `MillisBehindLatest === 0` alone: the local Kinesis reports 0 on every page, so a
    // shard holding more than one page (10,000 records) would be under-read.
    while (iterator) {
      const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const r of out.Records ?? []) {
        records.push({
          shardId: shard.ShardId!,
          sequenceNumber: r.SequenceNumber!,
          partitionKey: r.PartitionKey!,
          data: r.Data!,
          ...(r.ApproximateArrivalTimestamp ? { approximateArrivalTimestamp: r.ApproximateArrivalTimestamp } : {}),
        });
      }
      if (!out.Records?.length && !out.MillisBehindLatest) break;
      iterator = out.NextShardIterator;
    }
    byShard.set(shard.ShardId!, records);
  }
  return byShard;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

const root = resolve(__dirname, '../../../..');

/** Starts the real stream-writer process (`node -r @swc-node/register apps/stream-writer/src/main.ts`). */
export function spawnStreamWriter(env: Record<string, string>): ChildProcess & { output: string[] } {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/stream-writer/src/main.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: string[] };
  child.output = [];
  child.stdout!.on('data', (c: Buffer) => child.output.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => child.output.push(c.toString()));
  return child;
}

/** The value of a Prometheus counter sample on the app's /metrics (0 when absent or unreachable). */
export async function metricValue(port: number, name: string, labels: string): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  } catch {
    return 0;
  }
}

export async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
