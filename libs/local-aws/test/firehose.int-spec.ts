import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  InvalidArgumentException,
  PutRecordBatchCommand,
  PutRecordCommand,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-firehose';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';

const STREAM = ResourceNames.rawDeliveryStream;
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));
const event = (source: string, eventTime: string, eventId: string) => encode({ source, eventTime, eventId });

/** Every object under the lake folder: key → its lines. */
function lakeObjects(lakeDir: string): Map<string, string[]> {
  const objects = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else objects.set(relative(lakeDir, path), readFileSync(path, 'utf8').split('\n').filter(Boolean));
    }
  };
  walk(lakeDir);
  return objects;
}

const flush = (stack: LocalAwsStack) => fetch(`${stack.endpoint}/_local/firehose/flush`, { method: 'POST' }).then((r) => r.json());

describe('local Firehose', () => {
  let stack: LocalAwsStack;
  let firehose: FirehoseClient;

  describe('in memory', () => {
    beforeAll(async () => {
      stack = await startLocalAws({ port: 0, firehoseBuffering: { maxIntervalMs: 60_000 } });
      firehose = createClient(FirehoseClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    });
    afterAll(async () => {
      firehose.destroy();
      await stack.stop();
      rmSync(stack.lakeDir, { recursive: true, force: true });
    });
    beforeEach(() => rmSync(join(stack.lakeDir, 'raw'), { recursive: true, force: true }));

    it('provisions the raw-zone stream with dynamic partitioning', async () => {
      const out = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: STREAM }));
      expect(out.DeliveryStreamDescription).toMatchObject({ DeliveryStreamName: STREAM, DeliveryStreamStatus: 'ACTIVE' });
      expect(out.DeliveryStreamDescription!.Destinations![0].ExtendedS3DestinationDescription!.DynamicPartitioningConfiguration).toEqual({ Enabled: true });
    });

    it('writes a batch as JSON lines partitioned by source and arrival date and hour, not event time', async () => {
      const arrival = (at: Date) => `dt=${at.toISOString().slice(0, 10)}/hour=${at.toISOString().slice(11, 13)}`;
      const before = arrival(new Date());
      const out = await firehose.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: STREAM,
          Records: [
            { Data: event('das', '2001-11-25T08:15:00Z', 'e1') },
            { Data: event('das', '2001-11-25T08:59:59.900Z', 'e2') },
            { Data: event('pi-historian', '2001-11-25T09:00:00Z', 'e3') },
          ],
        }),
      );
      const after = arrival(new Date());
      expect(out.FailedPutCount).toBe(0);
      expect(out.RequestResponses).toHaveLength(3);
      expect(new Set(out.RequestResponses!.map((r) => r.RecordId)).size).toBe(3);
      await flush(stack);
      const objects = [...lakeObjects(stack.lakeDir)].filter(([key]) => key.startsWith('raw/'));
      const bySource = new Map<string, string[]>();
      for (const [key, lines] of objects) {
        const [, source, partition] = /^raw\/source=([^/]+)\/(dt=[^/]+\/hour=\d\d)\/[^/]+$/.exec(key)!;
        // The arrival hour of the call: the one at its start, or at its end when it crossed an hour.
        expect([before, after]).toContain(partition);
        bySource.set(source, [...(bySource.get(source) ?? []), ...lines.map((l) => JSON.parse(l).eventId)]);
      }
      expect(Object.fromEntries(bySource)).toEqual({ das: ['e1', 'e2'], 'pi-historian': ['e3'] });
      for (const [key] of objects) expect(key).toMatch(/\/plant-raw-1-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9a-f-]{36}\.jsonl$/);
    });

    it('sends records it cannot partition to the error prefix with the reason and the raw data', async () => {
      await firehose.send(new PutRecordCommand({ DeliveryStreamName: STREAM, Record: { Data: Buffer.from('not json') } }));
      await firehose.send(new PutRecordCommand({ DeliveryStreamName: STREAM, Record: { Data: encode({ eventTime: '2026-11-25T08:00:00Z' }) } }));
      await flush(stack);
      const errors = [...lakeObjects(stack.lakeDir)].filter(([key]) => key.startsWith('raw-errors/partitioning-failed/')).flatMap(([, lines]) => lines.map((l) => JSON.parse(l)));
      expect(errors.map((e) => Buffer.from(e.rawData, 'base64').toString())).toEqual(expect.arrayContaining(['not json', '{"eventTime":"2026-11-25T08:00:00Z"}']));
      expect(errors.every((e) => e.errorCode === 'DynamicPartitioning.MetadataExtractionFailed')).toBe(true);
      expect(errors.map((e) => e.errorMessage)).toEqual(expect.arrayContaining(['partition key source is null']));
    });

    it('writes an object once a buffer reaches its size without waiting for the interval', async () => {
      await firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: 'size-test',
          ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::plant-lake', RoleARN: 'arn:aws:iam::000000000000:role/x', Prefix: 'size/', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 } },
        }),
      );
      const chunk = Buffer.alloc(600 * 1024, 'a');
      await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'size-test', Records: [{ Data: chunk }, { Data: chunk }] }));
      const deadline = Date.now() + 5000;
      let sizes: number[] = [];
      while (Date.now() < deadline && sizes.length === 0) {
        await new Promise((r) => setTimeout(r, 50));
        // The folder appears with the first object (the writer creates it just before writing).
        if (!existsSync(join(stack.lakeDir, 'size'))) continue;
        sizes = readdirSync(join(stack.lakeDir, 'size'), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile() && e.name.startsWith('size-test-'))
          .map((e) => readFileSync(join(e.parentPath, e.name)).length);
      }
      expect(sizes).toEqual([1200 * 1024]);
    });

    it('rejects a batch of more than 500 records with ValidationException', async () => {
      const records = Array.from({ length: 501 }, () => ({ Data: encode({}) }));
      await expect(firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: records }))).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining('less than or equal to 500'),
      });
    });

    it('rejects a record over 1,000 KiB with ValidationException and a batch over 4 MiB with InvalidArgumentException', async () => {
      await expect(firehose.send(new PutRecordCommand({ DeliveryStreamName: STREAM, Record: { Data: Buffer.alloc(1_024_001) } }))).rejects.toMatchObject({
        name: 'ValidationException',
      });
      const big = { Data: Buffer.alloc(1_000_000) };
      await expect(firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: [big, big, big, big, big] }))).rejects.toBeInstanceOf(
        InvalidArgumentException,
      );
    });

    it('answers an unknown stream with ResourceNotFoundException and a duplicate with ResourceInUseException', async () => {
      await expect(firehose.send(new PutRecordCommand({ DeliveryStreamName: 'nope', Record: { Data: encode({}) } }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      await expect(
        firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: STREAM, ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::b', RoleARN: 'r' } })),
      ).rejects.toBeInstanceOf(ResourceInUseException);
    });

    it('refuses an error prefix with partition keys and prefixes that climb out of the bucket folder', async () => {
      const create = (name: string, destination: Record<string, unknown>) =>
        firehose.send(
          new CreateDeliveryStreamCommand({
            DeliveryStreamName: name,
            ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::plant-lake', RoleARN: 'r', ...destination },
          }),
        );
      const partitioned = {
        DynamicPartitioningConfiguration: { Enabled: true },
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'MetadataExtraction' as const, Parameters: [{ ParameterName: 'MetadataExtractionQuery' as const, ParameterValue: '{k: .k}' }] }] },
      };
      // Records reach the error prefix because their keys are missing: it could never be rendered.
      await expect(create('err-keys', { ...partitioned, Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'e/!{partitionKeyFromQuery:k}/' })).rejects.toBeInstanceOf(
        InvalidArgumentException,
      );
      await expect(create('climb', { Prefix: '../../x/', ErrorOutputPrefix: 'e/' })).rejects.toBeInstanceOf(InvalidArgumentException);
      await expect(create('climb-error', { Prefix: 'x/', ErrorOutputPrefix: '../../../e/' })).rejects.toBeInstanceOf(InvalidArgumentException);
      await expect(create('abs', { Prefix: '/x/' })).rejects.toBeInstanceOf(InvalidArgumentException);
    });

    it('refuses partitioning without an error prefix, as Firehose does', async () => {
      await expect(
        firehose.send(
          new CreateDeliveryStreamCommand({
            DeliveryStreamName: 'no-error-prefix',
            ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::b', RoleARN: 'r', Prefix: 'x/', DynamicPartitioningConfiguration: { Enabled: true } },
          }),
        ),
      ).rejects.toBeInstanceOf(InvalidArgumentException);
    });
  });

  describe('with a data folder', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'local-firehose-'));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('has every acknowledged record on disk before it answers: a copy of its folder taken then delivers them', async () => {
      stack = await startLocalAws({ port: 0, dataDir, firehoseBuffering: { maxIntervalMs: 60_000 } });
      firehose = createClient(FirehoseClient, { region: 'eu-central-1', endpoint: stack.endpoint });
      const ids = Array.from({ length: 50 }, (_, i) => `acked-${i}`);
      await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: STREAM, Records: ids.slice(0, 49).map((id) => ({ Data: event('das', '2026-11-25T11:00:00Z', id) })) }));
      await firehose.send(new PutRecordCommand({ DeliveryStreamName: STREAM, Record: { Data: event('das', '2026-11-25T11:00:00Z', ids[49]) } }));
      // What a kill -9 right now would leave behind: the folder as it is, buffers never written.
      const crashed = mkdtempSync(join(tmpdir(), 'local-firehose-crashed-'));
      cpSync(dataDir, crashed, { recursive: true });
      firehose.destroy();
      await stack.stop();
      expect(existsSync(join(crashed, 'lake', 'raw'))).toBe(false);

      stack = await startLocalAws({ port: 0, dataDir: crashed });
      await flush(stack);
      const lines = [...lakeObjects(stack.lakeDir)].filter(([key]) => key.startsWith('raw/')).flatMap(([, l]) => l.map((line) => JSON.parse(line).eventId));
      expect(lines.sort()).toEqual([...ids].sort());
      await stack.stop();
      // Delivered, the log is released: the next start replays nothing.
      expect(readdirSync(join(crashed, 'firehose', 'wal'))).toEqual([]);
      rmSync(crashed, { recursive: true, force: true });
      rmSync(join(dataDir, 'lake'), { recursive: true, force: true });
    });

    it('flushes buffered records on stop and keeps its streams across a restart', async () => {
      stack = await startLocalAws({ port: 0, dataDir, firehoseBuffering: { maxIntervalMs: 60_000 } });
      firehose = createClient(FirehoseClient, { region: 'eu-central-1', endpoint: stack.endpoint });
      await firehose.send(
        new CreateDeliveryStreamCommand({ DeliveryStreamName: 'kept', ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::plant-lake', RoleARN: 'r', Prefix: 'kept/' } }),
      );
      await firehose.send(new PutRecordCommand({ DeliveryStreamName: STREAM, Record: { Data: event('das', '2026-11-25T10:00:00Z', 'flushed-on-stop') } }));
      firehose.destroy();
      await stack.stop();
      expect(stack.lakeDir).toBe(join(dataDir, 'lake'));
      const lines = [...lakeObjects(stack.lakeDir).values()].flat();
      expect(lines.map((l) => JSON.parse(l).eventId)).toEqual(['flushed-on-stop']);

      stack = await startLocalAws({ port: 0, dataDir });
      firehose = createClient(FirehoseClient, { region: 'eu-central-1', endpoint: stack.endpoint });
      const kept = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'kept' }));
      expect(kept.DeliveryStreamDescription!.DeliveryStreamStatus).toBe('ACTIVE');
      firehose.destroy();
      await stack.stop();
    });
  });
});
