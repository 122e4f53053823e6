import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';

describe('local AWS stack', () => {
  let dataDir: string;
  let stack: LocalAwsStack | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-aws-'));
  });
  afterEach(async () => {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const connect = (s: LocalAwsStack) => ({ region: 'eu-central-1', endpoint: s.endpoint });

  it('serves Kinesis and DynamoDB on one port to the real SDK clients', async () => {
    stack = await startLocalAws({ port: 0, dataDir });
    const kinesis = createClient(KinesisClient, connect(stack));
    const put = await kinesis.send(
      new PutRecordsCommand({
        StreamName: ResourceNames.plantEventsStream,
        Records: [{ PartitionKey: 'asset-1', Data: Buffer.from('{"hello":"plant"}') }],
      }),
    );
    expect(put.FailedRecordCount).toBe(0);
    const shardId = put.Records![0].ShardId!;
    const it = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: ResourceNames.plantEventsStream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const got = await kinesis.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
    expect(Buffer.from(got.Records![0].Data!).toString()).toBe('{"hello":"plant"}');
    kinesis.destroy();
  });

  it('keeps streams, records and items in its data folder across a restart', async () => {
    stack = await startLocalAws({ port: 0, dataDir });
    let dynamodb = createClient(DynamoDBClient, connect(stack));
    await dynamodb.send(
      new PutItemCommand({ TableName: ResourceNames.kpiTable, Item: { pk: { S: 'ASSET#a1' }, sk: { S: 'CURRENT' }, oee: { N: '0.8' } } }),
    );
    dynamodb.destroy();
    await stack.stop();

    stack = await startLocalAws({ port: 0, dataDir });
    dynamodb = createClient(DynamoDBClient, connect(stack));
    const item = await dynamodb.send(
      new GetItemCommand({ TableName: ResourceNames.kpiTable, Key: { pk: { S: 'ASSET#a1' }, sk: { S: 'CURRENT' } } }),
    );
    expect(item.Item?.oee?.N).toBe('0.8');
    const kinesis = createClient(KinesisClient, connect(stack));
    const shards = await kinesis.send(new ListShardsCommand({ StreamName: ResourceNames.plantEventsStream }));
    expect(shards.Shards).toHaveLength(4);
    dynamodb.destroy();
    kinesis.destroy();
  });

  it('answers an unknown service with an AWS-shaped error instead of hanging', async () => {
    stack = await startLocalAws({ port: 0 });
    const res = await fetch(stack.endpoint, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'NoSuchService_2020.DoThing', 'Content-Type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});
