import { ConditionalCheckFailedException, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { toDomainError } from '@plant/adapters';
import {
  AwsClients,
  deliveryStreamReady,
  dynamoTableReady,
  eventBusReady,
  kinesisStreamReady,
  type ReadinessProbe,
  sendInBatches,
  timestreamTableReady,
} from '@plant/aws';
import { AwsLimits, ResourceNames } from '@plant/config';
import { ConflictError, UnavailableError } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { freePort } from '../../../apps/stream-writer/test/support/stream-io';

/** The plumbing of libs/aws and the SDK error translation, against the local stack with the real SDK clients. */
describe('AWS plumbing against the local stack', () => {
  let stack: LocalAwsStack;
  let clients: AwsClients;

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    clients = new AwsClients({ region: 'eu-central-1', endpoint: stack.endpoint });
  });
  afterAll(async () => {
    clients.destroy();
    await stack.stop();
  });

  describe('sendInBatches on EventBridge PutEvents (the local endpoint refuses entries without Detail, per entry)', () => {
    const entry = (i: number): PutEventsRequestEntry => ({
      EventBusName: ResourceNames.alertBus,
      Source: 'plant.test',
      DetailType: 'probe',
      ...(i % 5 === 4 ? {} : { Detail: JSON.stringify({ i }) }),
    });

    it('sends again only the refused entries, gives up after the attempts and reports them with the service code', async () => {
      const calls: number[][] = [];
      const accepted: number[] = [];
      const report = await sendInBatches({
        items: Array.from({ length: 25 }, (_, i) => i),
        limits: { maxEntries: AwsLimits.eventBridge.putEventsMaxEntries },
        send: async (batch) => {
          calls.push([...batch]);
          const out = await clients.eventbridge.send(new PutEventsCommand({ Entries: batch.map(entry) }));
          return batch.map((_, i) => (out.Entries?.[i]?.ErrorCode ? { code: out.Entries[i].ErrorCode!, message: out.Entries[i].ErrorMessage } : undefined));
        },
        onAccepted: (items) => accepted.push(...items),
        retry: { attempts: 3, minDelayMs: 1, maxDelayMs: 5 },
      });
      const refused = [4, 9, 14, 19, 24];
      // Calls of 10, 10 and 5 entries, in order; each call's refused entries twice more before the next call.
      expect(calls.map((c) => c.length)).toEqual([10, 2, 2, 10, 2, 2, 5, 1, 1]);
      expect([calls[1], calls[2], calls[4], calls[5], calls[7], calls[8]]).toEqual([[4, 9], [4, 9], [14, 19], [14, 19], [24], [24]]);
      expect(accepted.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i).filter((i) => !refused.includes(i)));
      expect(report.failed.map((f) => f.item).sort((a, b) => a - b)).toEqual(refused);
      expect(new Set(report.failed.map((f) => f.failure.code))).toEqual(new Set(['InvalidArgument']));
      expect(report.retried).toBe(10);
    });
  });

  describe('toDomainError on errors of real SDK calls', () => {
    it('a failed DynamoDB condition is a ConflictError', async () => {
      const put = (condition?: string) =>
        clients.dynamodb.send(
          new PutItemCommand({ TableName: ResourceNames.kpiTable, Item: { pk: { S: 'plumbing' }, sk: { S: 'conflict' } }, ConditionExpression: condition }),
        );
      await put();
      const err = await put('attribute_not_exists(pk)').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConditionalCheckFailedException);
      const domain = toDomainError(err, 'dynamodb');
      expect(domain).toBeInstanceOf(ConflictError);
      expect((domain as ConflictError).cause).toBe(err);
    });

    it('a missing resource and an unreachable endpoint are UnavailableErrors with their reason', async () => {
      const missing = await clients.dynamodb.send(new DescribeTableCommand({ TableName: 'no-such-table' })).catch((e: unknown) => e);
      expect(toDomainError(missing, 'dynamodb')).toMatchObject({ reason: 'missing-resource', retryable: true });
      const nowhere = new AwsClients({ region: 'eu-central-1', endpoint: `http://127.0.0.1:${await freePort()}` });
      const refused = await nowhere.dynamodb.send(new DescribeTableCommand({ TableName: ResourceNames.kpiTable })).catch((e: unknown) => e);
      nowhere.destroy();
      const domain = toDomainError(refused, 'dynamodb');
      expect(domain).toBeInstanceOf(UnavailableError);
      expect((domain as UnavailableError).reason).toBe('unreachable');
    });

    it('a request the service refuses for its content stays the service error', async () => {
      const err = await clients.dynamodb.send(new DescribeTableCommand({ TableName: 'x' })).catch((e: unknown) => e);
      expect((err as Error).name).toBe('ValidationException');
      expect(toDomainError(err, 'dynamodb')).toBe(err);
    });
  });

  describe('readiness probes', () => {
    const outcome = (probe: ReadinessProbe) => probe.check().then(() => 'ready', (err: Error) => `failed: ${err.name}`);

    it('answer ready for every provisioned resource, named <service>:<resource>', async () => {
      const probes = [
        dynamoTableReady(clients.dynamodb, ResourceNames.kpiTable),
        kinesisStreamReady(clients.kinesis, ResourceNames.changeFeedStream),
        timestreamTableReady(clients.timestreamWrite, ResourceNames.timestreamDatabase, ResourceNames.timestreamTable),
        eventBusReady(clients.eventbridge, ResourceNames.alertBus),
        deliveryStreamReady(clients.firehose, ResourceNames.rawDeliveryStream),
      ];
      expect(probes.map((p) => p.name)).toEqual(['dynamodb:plant-kpis', 'kinesis:plant-changes', 'timestream:plant.telemetry', 'eventbridge:plant-alerts', 'firehose:plant-raw']);
      expect(await Promise.all(probes.map(outcome))).toEqual(probes.map(() => 'ready'));
    });

    it('fail for a resource that does not exist', async () => {
      const probes = [
        dynamoTableReady(clients.dynamodb, 'no-such-table'),
        kinesisStreamReady(clients.kinesis, 'no-such-stream'),
        timestreamTableReady(clients.timestreamWrite, ResourceNames.timestreamDatabase, 'no-such-table'),
        eventBusReady(clients.eventbridge, 'no-such-bus'),
        deliveryStreamReady(clients.firehose, 'no-such-stream'),
      ];
      expect(await Promise.all(probes.map(outcome))).toEqual(probes.map(() => 'failed: ResourceNotFoundException'));
    });
  });
});
