import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { createClient } from '@plant/aws';
import pRetry from 'p-retry';

/**
 * Delivery of matched events to rule targets: a Kinesis stream of the same stack (through its own
 * Kinesis endpoint, so the event lands exactly as a real target would put it), or a CloudWatch
 * Logs log group kept by the stack for inspection. Every delivery, failed or not, is recorded per
 * rule so tests can read what each rule delivered.
 */

export interface Target {
  Id: string;
  Arn: string;
  Input?: string;
  InputPath?: string;
  KinesisParameters?: { PartitionKeyPath?: string };
}

export interface Delivery {
  eventBusName: string;
  ruleName: string;
  targetId: string;
  targetArn: string;
  eventId: string;
  /** What the target received (the event, or the target's Input / InputPath selection). */
  input: unknown;
  deliveredAt: string;
  error?: string;
}

const KINESIS_ARN = /^arn:aws:kinesis:[\w-]+:\d{12}:stream\/([\w.-]+)$/;
const LOGS_ARN = /^arn:aws:logs:[\w-]+:\d{12}:log-group:([\w./#-]+?)(:\*)?$/;
const DELIVERY_LOG_SIZE = 10_000;
const ATTEMPTS = 3;

/** Why a target ARN cannot be served locally, or undefined when it can. */
export function unsupportedTarget(arn: string): string | undefined {
  return KINESIS_ARN.test(arn) || LOGS_ARN.test(arn)
    ? undefined
    : `Target ${arn} is not supported by the local stack: use a Kinesis stream or CloudWatch Logs log group ARN.`;
}

/** `$.detail.severity` → the value at that path; EventBridge InputPath and PartitionKeyPath use this JSONPath subset. */
export function selectPath(event: unknown, path: string): unknown {
  if (path === '$') return event;
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), event);
}

export class TargetDelivery {
  private readonly log: Delivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private kinesis?: KinesisClient;

  constructor(
    private readonly endpoint: () => string,
    private readonly logGroupDir?: string,
  ) {}

  /** Starts the delivery (EventBridge delivers asynchronously after PutEvents answered). */
  deliver(eventBusName: string, ruleName: string, target: Target, event: { id: string }): void {
    const run = this.attempt(eventBusName, ruleName, target, event).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  /** Deliveries recorded so far, after every delivery in flight has finished. */
  async deliveries(filter: { eventBusName?: string; ruleName?: string } = {}): Promise<Delivery[]> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
    return this.log.filter(
      (d) => (!filter.eventBusName || d.eventBusName === filter.eventBusName) && (!filter.ruleName || d.ruleName === filter.ruleName),
    );
  }

  async close(): Promise<void> {
    await this.deliveries();
    this.kinesis?.destroy();
  }

  private async attempt(eventBusName: string, ruleName: string, target: Target, event: { id: string }): Promise<void> {
    const input = target.Input !== undefined ? JSON.parse(target.Input) : target.InputPath ? selectPath(event, target.InputPath) : event;
    let error: string | undefined;
    try {
      await pRetry(() => this.send(target, event, input), { retries: ATTEMPTS - 1, minTimeout: 50, maxTimeout: 200 });
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    this.log.push({ eventBusName, ruleName, targetId: target.Id, targetArn: target.Arn, eventId: event.id, input, deliveredAt: new Date().toISOString(), ...(error ? { error } : {}) });
    if (this.log.length > DELIVERY_LOG_SIZE) this.log.shift();
  }

  private async send(target: Target, event: { id: string }, input: unknown): Promise<void> {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    const stream = KINESIS_ARN.exec(target.Arn)?.[1];
    if (stream) {
      this.kinesis ??= createClient(KinesisClient, { region: 'eu-central-1', endpoint: this.endpoint() }, { maxSockets: 8 });
      const keyPath = target.KinesisParameters?.PartitionKeyPath;
      // Without PartitionKeyPath EventBridge uses the event id as the partition key.
      const partitionKey = String((keyPath && selectPath(event, keyPath)) ?? event.id);
      await this.kinesis.send(new PutRecordCommand({ StreamName: stream, PartitionKey: partitionKey, Data: Buffer.from(text) }));
      return;
    }
    const logGroup = LOGS_ARN.exec(target.Arn)?.[1];
    if (logGroup && this.logGroupDir) {
      await mkdir(this.logGroupDir, { recursive: true });
      await appendFile(join(this.logGroupDir, `${encodeURIComponent(logGroup)}.jsonl`), `${text}\n`);
    }
  }
}
