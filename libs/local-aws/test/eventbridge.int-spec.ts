import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  InvalidEventPatternException,
  LimitExceededException,
  ListRulesCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';

const BUS = ResourceNames.alertBus;
const LOG_GROUP = 'arn:aws:logs:eu-central-1:000000000000:log-group:/local/alerts';
const alert = (severity: string, value: number, source = 'plant.stream-writer') => ({
  EventBusName: BUS,
  Source: source,
  DetailType: 'Alert Raised',
  Detail: JSON.stringify({ severity, value, asset: { id: 'a1' } }),
  Resources: ['asset/a1'],
});

interface DeliveryView {
  ruleName: string;
  targetId: string;
  eventId: string;
  input: { id: string; source: string; 'detail-type': string; time: string; detail: { severity: string } } | string;
  error?: string;
}
const deliveries = async (stack: LocalAwsStack, rule: string): Promise<DeliveryView[]> =>
  (await (await fetch(`${stack.endpoint}/_local/eventbridge/deliveries?bus=${BUS}&rule=${rule}`)).json()).deliveries;

describe('local EventBridge', () => {
  let stack: LocalAwsStack;
  let events: EventBridgeClient;

  describe('in memory', () => {
    beforeAll(async () => {
      stack = await startLocalAws({ port: 0 });
      events = createClient(EventBridgeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
    });
    afterAll(async () => {
      events.destroy();
      await stack.stop();
    });

    it('provisions the alert bus', async () => {
      const bus = await events.send(new DescribeEventBusCommand({ Name: BUS }));
      expect(bus.Arn).toBe(`arn:aws:events:eu-central-1:000000000000:event-bus/${BUS}`);
    });

    it('delivers only matching events, as the EventBridge envelope, to a log group target', async () => {
      await events.send(
        new PutRuleCommand({
          Name: 'critical-hot',
          EventBusName: BUS,
          EventPattern: JSON.stringify({ source: [{ prefix: 'plant.' }], detail: { severity: ['critical'], value: [{ numeric: ['>', 80] }] } }),
        }),
      );
      await events.send(new PutTargetsCommand({ Rule: 'critical-hot', EventBusName: BUS, Targets: [{ Id: 'log', Arn: LOG_GROUP }] }));
      const out = await events.send(
        new PutEventsCommand({ Entries: [alert('critical', 90), alert('critical', 50), alert('info', 99), { ...alert('critical', 95), Time: new Date('2026-11-25T08:00:00.123Z') }] }),
      );
      expect(out.FailedEntryCount).toBe(0);
      const delivered = await deliveries(stack, 'critical-hot');
      expect(delivered.map((d) => d.eventId)).toEqual([out.Entries![0].EventId, out.Entries![3].EventId]);
      expect(delivered[1].input).toMatchObject({
        version: '0',
        id: out.Entries![3].EventId,
        source: 'plant.stream-writer',
        'detail-type': 'Alert Raised',
        time: '2026-11-25T08:00:00Z',
        region: 'eu-central-1',
        resources: ['asset/a1'],
        detail: { severity: 'critical', value: 95, asset: { id: 'a1' } },
      });
      expect(delivered.every((d) => d.error === undefined)).toBe(true);
    });

    it('puts matched events into a Kinesis stream target of the same stack', async () => {
      const stream = ResourceNames.changeFeedStream;
      await events.send(new PutRuleCommand({ Name: 'to-kinesis', EventBusName: BUS, EventPattern: JSON.stringify({ detail: { severity: [{ 'anything-but': 'info' }] } }) }));
      await events.send(
        new PutTargetsCommand({
          Rule: 'to-kinesis',
          EventBusName: BUS,
          Targets: [{ Id: 'feed', Arn: `arn:aws:kinesis:eu-central-1:000000000000:stream/${stream}`, KinesisParameters: { PartitionKeyPath: '$.detail.asset.id' } }],
        }),
      );
      const out = await events.send(new PutEventsCommand({ Entries: [alert('major', 70)] }));
      expect((await deliveries(stack, 'to-kinesis')).map((d) => [d.eventId, d.error])).toEqual([[out.Entries![0].EventId, undefined]]);

      const kinesis = createClient(KinesisClient, { region: 'eu-central-1', endpoint: stack.endpoint });
      const shards = await kinesis.send(new ListShardsCommand({ StreamName: stream }));
      const iterator = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: shards.Shards![0].ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      const records = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }));
      kinesis.destroy();
      const received = records.Records!.map((r) => ({ key: r.PartitionKey, event: JSON.parse(Buffer.from(r.Data!).toString()) }));
      expect(received).toEqual([{ key: 'a1', event: expect.objectContaining({ id: out.Entries![0].EventId, detail: expect.objectContaining({ severity: 'major' }) }) }]);
    });

    it('delivers the InputPath selection when the target has one', async () => {
      await events.send(new PutRuleCommand({ Name: 'detail-only', EventBusName: BUS, EventPattern: JSON.stringify({ source: ['input-path-test'] }) }));
      await events.send(new PutTargetsCommand({ Rule: 'detail-only', EventBusName: BUS, Targets: [{ Id: 'log', Arn: LOG_GROUP, InputPath: '$.detail' }] }));
      await events.send(new PutEventsCommand({ Entries: [alert('critical', 1, 'input-path-test')] }));
      expect((await deliveries(stack, 'detail-only')).map((d) => d.input)).toEqual([{ severity: 'critical', value: 1, asset: { id: 'a1' } }]);
    });

    it('answers per-entry errors for bad entries and an unknown bus, and accepts the rest', async () => {
      const out = await events.send(
        new PutEventsCommand({
          Entries: [alert('info', 1), { ...alert('info', 1), Detail: '{not json' }, { ...alert('info', 1), Source: undefined }, { ...alert('info', 1), EventBusName: 'nope' }],
        }),
      );
      expect(out.FailedEntryCount).toBe(3);
      expect(out.Entries![0].EventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(out.Entries!.slice(1).map((e) => e.ErrorCode)).toEqual(['MalformedDetail', 'InvalidArgument', 'ResourceNotFoundException']);
    });

    it('rejects more than 10 entries and more than 256 KiB with ValidationException', async () => {
      const eleven = Array.from({ length: 11 }, () => alert('info', 1));
      await expect(events.send(new PutEventsCommand({ Entries: eleven }))).rejects.toMatchObject({ name: 'ValidationException' });
      const big = { ...alert('info', 1), Detail: JSON.stringify({ blob: 'x'.repeat(140 * 1024) }) };
      await expect(events.send(new PutEventsCommand({ Entries: [big, big] }))).rejects.toMatchObject({
        name: 'ValidationException',
        message: 'Total size of the entries in the request is over the limit.',
      });
    });

    it('rejects an invalid event pattern with InvalidEventPatternException', async () => {
      await expect(events.send(new PutRuleCommand({ Name: 'bad', EventBusName: BUS, EventPattern: '{"source": "x"}' }))).rejects.toBeInstanceOf(InvalidEventPatternException);
    });

    it('answers unknown rules and buses with ResourceNotFoundException', async () => {
      await expect(events.send(new DescribeRuleCommand({ Name: 'nope', EventBusName: BUS }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      await expect(events.send(new PutRuleCommand({ Name: 'r', EventBusName: 'nope', EventPattern: '{"source":["x"]}' }))).rejects.toBeInstanceOf(
        ResourceNotFoundException,
      );
    });

    it('limits a rule to five targets', async () => {
      await events.send(new PutRuleCommand({ Name: 'many', EventBusName: BUS, EventPattern: '{"source":["many"]}' }));
      const targets = Array.from({ length: 6 }, (_, i) => ({ Id: `t${i}`, Arn: LOG_GROUP }));
      await expect(events.send(new PutTargetsCommand({ Rule: 'many', EventBusName: BUS, Targets: targets }))).rejects.toBeInstanceOf(LimitExceededException);
    });

    it('finds no rule or bus named after an Object member and answers an unrepresentable Time per entry', async () => {
      await expect(events.send(new DescribeRuleCommand({ Name: 'constructor', EventBusName: BUS }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      await expect(events.send(new DeleteRuleCommand({ Name: 'toString', EventBusName: BUS }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      await expect(events.send(new DescribeEventBusCommand({ Name: '__proto__' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      // A Time no Date can hold (the SDK cannot send one; a raw client can).
      const res = await fetch(stack.endpoint, {
        method: 'POST',
        headers: { 'X-Amz-Target': 'AWSEvents.PutEvents', 'Content-Type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ Entries: [{ ...alert('high', 1), Time: 1e20 }, alert('high', 2)] }),
      });
      expect(res.status).toBe(200);
      const out = (await res.json()) as { FailedEntryCount: number; Entries: Array<{ ErrorCode?: string; EventId?: string }> };
      expect(out.FailedEntryCount).toBe(1);
      expect(out.Entries[0]).toMatchObject({ ErrorCode: 'InvalidArgument' });
      expect(out.Entries[1].EventId).toBeDefined();
    });

    it('answers a member of the wrong JSON type with SerializationException (400), not a 500', async () => {
      const err = await events.send(new ListRulesCommand({ EventBusName: 0 as unknown as string })).catch((e: unknown) => e as { name: string; $metadata: { httpStatusCode: number } });
      expect(err).toMatchObject({ name: 'SerializationException', $metadata: { httpStatusCode: 400 } });
    });

    it('lists and describes rules with their patterns', async () => {
      const rules = await events.send(new ListRulesCommand({ EventBusName: BUS, NamePrefix: 'critical' }));
      expect(rules.Rules!.map((r) => [r.Name, r.State, r.Arn])).toEqual([['critical-hot', 'ENABLED', `arn:aws:events:eu-central-1:000000000000:rule/${BUS}/critical-hot`]]);
    });
  });

  describe('with a data folder', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'local-eventbridge-'));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('keeps buses, rules and targets across a restart and appends log-group deliveries to a file', async () => {
      stack = await startLocalAws({ port: 0, dataDir });
      events = createClient(EventBridgeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
      await events.send(new PutRuleCommand({ Name: 'kept', EventBusName: BUS, EventPattern: '{"source":["kept"]}' }));
      await events.send(new PutTargetsCommand({ Rule: 'kept', EventBusName: BUS, Targets: [{ Id: 'log', Arn: LOG_GROUP }] }));
      events.destroy();
      await stack.stop();

      stack = await startLocalAws({ port: 0, dataDir });
      events = createClient(EventBridgeClient, { region: 'eu-central-1', endpoint: stack.endpoint });
      const out = await events.send(new PutEventsCommand({ Entries: [alert('info', 1, 'kept')] }));
      expect((await deliveries(stack, 'kept')).map((d) => d.eventId)).toEqual([out.Entries![0].EventId]);
      events.destroy();
      await stack.stop();
      const file = readFileSync(join(dataDir, 'eventbridge', 'log-groups', `${encodeURIComponent('/local/alerts')}.jsonl`), 'utf8');
      expect(JSON.parse(file.trim()).id).toBe(out.Entries![0].EventId);
    });
  });
});
