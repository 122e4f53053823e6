import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { SageMakerFeatureStoreRuntimeClient } from '@aws-sdk/client-sagemaker-featurestore-runtime';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import type { AwsConnection } from '@plant/config';
import { type ClientOptions, createClient } from './client-factory';

const CLIENT_CLASSES = {
  dynamodb: DynamoDBClient,
  kinesis: KinesisClient,
  firehose: FirehoseClient,
  eventbridge: EventBridgeClient,
  timestreamWrite: TimestreamWriteClient,
  timestreamQuery: TimestreamQueryClient,
  athena: AthenaClient,
  featureStore: SageMakerFeatureStoreRuntimeClient,
  sagemakerRuntime: SageMakerRuntimeClient,
};
export type AwsService = keyof typeof CLIENT_CLASSES;
type ClientOf<S extends AwsService> = InstanceType<(typeof CLIENT_CLASSES)[S]>;

/**
 * The AWS SDK clients of one app, built on first use with the shared settings (`createClient`) and
 * destroyed together at shutdown. Apps hold this and hand its clients to the adapters and probes,
 * so no app imports `@aws-sdk/*` itself (ESLint enforces it).
 */
export class AwsClients {
  private readonly built = new Map<AwsService, { destroy(): void }>();

  constructor(
    private readonly connection: AwsConnection,
    /** Per-service client options, e.g. a short request timeout for a GraphQL read path. */
    private readonly options: Partial<Record<AwsService, ClientOptions>> = {},
  ) {}

  get dynamodb(): DynamoDBClient {
    return this.client('dynamodb');
  }
  get kinesis(): KinesisClient {
    return this.client('kinesis');
  }
  get firehose(): FirehoseClient {
    return this.client('firehose');
  }
  get eventbridge(): EventBridgeClient {
    return this.client('eventbridge');
  }
  get timestreamWrite(): TimestreamWriteClient {
    return this.client('timestreamWrite');
  }
  get timestreamQuery(): TimestreamQueryClient {
    return this.client('timestreamQuery');
  }
  get athena(): AthenaClient {
    return this.client('athena');
  }
  get featureStore(): SageMakerFeatureStoreRuntimeClient {
    return this.client('featureStore');
  }
  get sagemakerRuntime(): SageMakerRuntimeClient {
    return this.client('sagemakerRuntime');
  }

  /** Destroys every client built so far (their keep-alive sockets); call after the last request. */
  destroy(): void {
    for (const client of this.built.values()) client.destroy();
    this.built.clear();
  }

  private client<S extends AwsService>(service: S): ClientOf<S> {
    let client = this.built.get(service);
    if (!client) {
      const Client = CLIENT_CLASSES[service] as unknown as new (config: object) => ClientOf<S>;
      client = createClient(Client, this.connection, this.options[service]);
      this.built.set(service, client);
    }
    return client as ClientOf<S>;
  }
}
