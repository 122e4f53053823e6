import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { KinesisChangeFeedPublisher, KinesisChangeFeedReader } from '@plant/adapters';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import type { Alert, ChangeFeedMessage } from '@plant/domain';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';

const alert = (alertId: string): Alert => ({
  alertId,
  ruleId: 'machine-down',
  enterpriseId: 'e',
  plantId: 'p',
  lineId: 'l',
  assetId: 'a',
  severity: 'major',
  status: 'open',
  message: 'machine down',
  raisedAt: '2026-11-25T08:00:00Z',
  updatedAt: '2026-11-25T08:00:00Z',
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Kinesis change feed (local stack)', () => {
  let stack: LocalAwsStack;
  let client: KinesisClient;
  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    client = createClient(KinesisClient, { region: 'eu-central-1', endpoint: stack.endpoint });
  });
  afterAll(async () => {
    client.destroy();
    await stack.stop();
  });

  it('every reader (replica) receives every message published after it started, none from before', async () => {
    const publisher = new KinesisChangeFeedPublisher(client, { streamName: ResourceNames.changeFeedStream });
    await publisher.publish([{ version: 1, type: 'alert-changed', alert: alert('before-start') }]);
    const seen: ChangeFeedMessage[][] = [[], []];
    const readers = [0, 1].map(() => new KinesisChangeFeedReader(client, { streamName: ResourceNames.changeFeedStream, idlePollMs: 20 }));
    const stops = await Promise.all(readers.map((r, i) => r.start((m) => seen[i].push(m))));
    const messages: ChangeFeedMessage[] = Array.from({ length: 1_200 }, (_, i) => ({ version: 1, type: 'alert-changed', alert: alert(`a-${i}`) }));
    await publisher.publish(messages);
    await until(() => seen.every((s) => s.length >= 1_200));
    await Promise.all(stops.map((stop) => stop()));
    for (const s of seen) expect(s.map((m) => (m.type === 'alert-changed' ? m.alert.alertId : ''))).toEqual(messages.map((_, i) => `a-${i}`));
  });

  it('skips a record that is not a change-feed message and keeps reading', async () => {
    const invalid: string[] = [];
    const seen: ChangeFeedMessage[] = [];
    const reader = new KinesisChangeFeedReader(client, { streamName: ResourceNames.changeFeedStream, idlePollMs: 20, onInvalid: (r) => invalid.push(r) });
    const stop = await reader.start((m) => seen.push(m));
    await client.send(new PutRecordsCommand({ StreamName: ResourceNames.changeFeedStream, Records: [{ PartitionKey: 'x', Data: Buffer.from('not json') }] }));
    await new KinesisChangeFeedPublisher(client, { streamName: ResourceNames.changeFeedStream }).publish([{ version: 1, type: 'alert-changed', alert: alert('after-bad') }]);
    await until(() => seen.length === 1);
    await stop();
    expect(invalid).toHaveLength(1);
  });
});
