import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsConnection } from '@plant/config';

/** Credentials the local stack accepts; never used when no endpoint override is configured. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface ClientOptions {
  /** Max sockets per client; the SDK default (50) is fine for AWS, tests lower it. */
  maxSockets?: number;
  requestTimeoutMs?: number;
}

/**
 * Settings shared by every AWS SDK v3 client of the platform: the region, the endpoint from config
 * (the local AWS stack locally, unset in AWS) and an HTTP/1.1 keep-alive handler. The explicit
 * NodeHttpHandler matters: @aws-sdk/client-kinesis defaults to HTTP/2, which kinesalite rejects
 * with ERR_HTTP2_ERROR, and keep-alive saves a TCP handshake per call on the hot path.
 */
export function awsClientConfig(connection: AwsConnection, options: ClientOptions = {}) {
  const maxSockets = options.maxSockets ?? 50;
  const local = connection.endpoint !== undefined;
  return {
    region: connection.region,
    ...(local ? { endpoint: connection.endpoint, credentials: envCredentialsOr(LOCAL_CREDENTIALS) } : {}),
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      requestTimeout: options.requestTimeoutMs ?? 30_000,
    }),
    maxAttempts: 3,
  };
}

function envCredentialsOr(fallback: { accessKeyId: string; secretAccessKey: string }) {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY } = process.env;
  return AWS_ACCESS_KEY_ID && AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: AWS_ACCESS_KEY_ID, secretAccessKey: AWS_SECRET_ACCESS_KEY }
    : fallback;
}

/** Builds any AWS SDK v3 client with the shared settings: `createClient(KinesisClient, conn)`. */
export function createClient<C>(
  Client: new (config: ReturnType<typeof awsClientConfig>) => C,
  connection: AwsConnection,
  options?: ClientOptions,
): C {
  return new Client(awsClientConfig(connection, options));
}
