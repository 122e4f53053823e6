import { FirehoseClient } from '@aws-sdk/client-firehose';
import { InternalServerException, ThrottlingException, ValidationException } from '@aws-sdk/client-timestream-write';
import { classifyFailure, FirehoseRawEventSink, putRecordBatches } from '@plant/adapters';
import { PartialFailureError } from '@plant/domain';
import { createClient } from '@plant/aws';
import { ResourceNames } from '@plant/config';
import { LocalAwsStack, startLocalAws } from '@plant/local-aws';
import { freePort } from '../../../apps/stream-writer/test/support/stream-io';

/** The errors are produced by the real SDK clients and adapters against the local stack (or a closed port). */
describe('classifyFailure on errors of real SDK calls', () => {
  let stack: LocalAwsStack;
  let connection: { region: string; endpoint: string };

  beforeAll(async () => {
    stack = await startLocalAws({ port: 0 });
    connection = { region: 'eu-central-1', endpoint: stack.endpoint };
  });
  afterAll(() => stack.stop());

  const failureOf = async (call: () => Promise<unknown>): Promise<unknown> => {
    try {
      await call();
    } catch (err) {
      return err;
    }
    throw new Error('the call did not fail');
  };

  it('a backend that does not answer (connection refused) is transient', async () => {
    const client = createClient(FirehoseClient, { region: 'eu-central-1', endpoint: `http://127.0.0.1:${await freePort()}` });
    const err = await failureOf(() => new FirehoseRawEventSink(client, { deliveryStreamName: 'x' }).put([{ source: 'das', eventTime: '', data: Buffer.from('{}') }]));
    client.destroy();
    expect(classifyFailure(err)).toBe('transient');
  });

  it('a missing delivery stream (deployment fault, no record to blame) is transient', async () => {
    const client = createClient(FirehoseClient, connection);
    const err = await failureOf(() => new FirehoseRawEventSink(client, { deliveryStreamName: 'no-such-stream' }).put([{ source: 'das', eventTime: '', data: Buffer.from('{}') }]));
    client.destroy();
    expect((err as Error).name).toBe('ResourceNotFoundException');
    expect(classifyFailure(err)).toBe('transient');
  });

  it('a record Firehose cannot take (over 1,000 KiB) is a record failure', async () => {
    const client = createClient(FirehoseClient, connection);
    const err = await failureOf(() =>
      // Straight to the batch writer: the raw sink's size rule shrinks a valid event before it gets here.
      putRecordBatches(client, ResourceNames.rawDeliveryStream, [Buffer.alloc(1_024_001, 32)]),
    );
    client.destroy();
    expect(err).toBeInstanceOf(RangeError);
    expect(classifyFailure(err)).toBe('record');
  });

  it('an InternalServerException the SDK gave up on is a record failure; 503 and throttling exceptions are transient', () => {
    // The SDK's own exception classes, as its deserializer builds them from a response.
    const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode }, message: 'm', Message: 'm' });
    expect(classifyFailure(new InternalServerException(meta(500)))).toBe('record');
    expect(classifyFailure(new ThrottlingException(meta(400)))).toBe('transient');
    expect(classifyFailure(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } }))).toBe('transient');
    expect(classifyFailure(new ValidationException(meta(400)))).toBe('record');
  });

  it('throttling and unavailability reported for entries after the adapter retried them are transient; other entry errors are record failures', () => {
    expect(classifyFailure(new PartialFailureError('firehose', Array(3).fill({ code: 'ServiceUnavailableException', message: 'slow down' })))).toBe('transient');
    expect(classifyFailure(new PartialFailureError('eventbridge', [{ code: 'ThrottlingException', message: 'rate' }]))).toBe('transient');
    expect(classifyFailure(new PartialFailureError('eventbridge', [{ code: 'MalformedDetail', message: 'detail is not JSON' }]))).toBe('record');
  });

  it('errors of our own code (validation, range, type) are record failures', () => {
    expect(classifyFailure(new RangeError('Invalid time value'))).toBe('record');
    expect(classifyFailure(new TypeError('x is undefined'))).toBe('record');
    expect(classifyFailure('a string')).toBe('record');
  });
});
