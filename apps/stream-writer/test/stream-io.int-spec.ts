import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { putAll, readAll } from './support/stream-io';

jest.setTimeout(120_000);

/** The test support that from-scratch computations rely on: it must read every shard to its end. */
describe('readAll (test support)', () => {
  let stack: LocalAwsStack;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    kinesis = createClient(KinesisClient, { region: 'eu-central-1', endpoint: stack.endpoint });
  });
  afterAll(async () => {
    kinesis.destroy();
    await stack.stop();
  });

  it('reads a shard holding more than one GetRecords page (> 10,000 records) to its end, in order', async () => {
    // One partition key: every record lands on the same shard, 10,500 > the 10,000-record page.
    const count = 10_500;
    await putAll(
      kinesis,
      ResourceNames.plantEventsStream,
      Array.from({ length: count }, (_, i) => ({ partitionKey: 'one-asset', data: Buffer.from(String(i)) })),
    );

    const byShard = await readAll(kinesis, ResourceNames.plantEventsStream);

    const filled = [...byShard.values()].filter((records) => records.length > 0);
    expect(filled).toHaveLength(1);
    expect(filled[0].map((r) => Number(Buffer.from(r.data).toString()))).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(filled[0].every((r) => r.approximateArrivalTimestamp instanceof Date)).toBe(true);
  });
});
