import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { TimestreamQueryClient, QueryCommand } from '@aws-sdk/client-timestream-query';
import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import {
  ALERT_EVENT_SOURCE,
  DynamoDbKpiWindowStore,
  EventBridgeAlertBus,
  FirehoseDeadLetterSink,
  FirehoseRawEventSink,
  KinesisChangeFeedPublisher,
  kpiTableStores,
  TimestreamTrendStore,
} from '@plant/adapters';
import { createClient } from '@plant/aws';
import { AwsConnection, ResourceNames } from '@plant/config';
import { decodePlantEvent, DEFAULT_EVENT_TIME_BOUNDS, eventTimeViolation } from '@plant/contracts';
import { addCounters, Alert, DEFAULT_ALERT_RULES, emptyCounters, KpiDelta, kpiSnapshotOf, padSequence, planBatch } from '@plant/domain';
import type { LocalAwsStack } from '@plant/local-aws';
import type { ConsumedRecord } from '@plant/stream-consumer';
import { RouterSinks } from '../../src/routing/router';

export const ALERT_RULE = 'all-stream-writer-alerts';

/** A rule on the alert bus that logs every stream-writer alert, so tests can read what EventBridge delivered. */
export async function provisionRoutingExtras(connection: AwsConnection): Promise<void> {
  const events = createClient(EventBridgeClient, connection);
  try {
    await events.send(new PutRuleCommand({ Name: ALERT_RULE, EventBusName: ResourceNames.alertBus, EventPattern: JSON.stringify({ source: [ALERT_EVENT_SOURCE] }) }));
    await events.send(
      new PutTargetsCommand({
        Rule: ALERT_RULE,
        EventBusName: ResourceNames.alertBus,
        Targets: [{ Id: 'log', Arn: 'arn:aws:logs:eu-central-1:000000000000:log-group:/plant/alerts' }],
      }),
    );
  } finally {
    events.destroy();
  }
}

/** The real SDK adapters of every sink, against the given endpoint. */
export function realSinks(connection: AwsConnection) {
  const clients = {
    dynamodb: createClient(DynamoDBClient, connection),
    timestream: createClient(TimestreamWriteClient, connection),
    eventbridge: createClient(EventBridgeClient, connection),
    firehose: createClient(FirehoseClient, connection),
    kinesis: createClient(KinesisClient, connection),
  };
  const sinks: RouterSinks = {
    ...kpiTableStores(clients.dynamodb, { tableName: ResourceNames.kpiTable }),
    trendStore: new TimestreamTrendStore(clients.timestream, { databaseName: ResourceNames.timestreamDatabase, tableName: ResourceNames.timestreamTable }),
    alertBus: new EventBridgeAlertBus(clients.eventbridge, { busName: ResourceNames.alertBus }),
    rawEvents: new FirehoseRawEventSink(clients.firehose, { deliveryStreamName: ResourceNames.rawDeliveryStream }),
    deadLetters: new FirehoseDeadLetterSink(clients.firehose, { deliveryStreamName: ResourceNames.deadLetterDeliveryStream }),
    changeFeed: new KinesisChangeFeedPublisher(clients.kinesis, { streamName: ResourceNames.changeFeedStream }),
  };
  return { sinks, clients, destroy: () => Object.values(clients).forEach((c) => c.destroy()) };
}

/** What every sink must hold after the records were processed: computed from scratch, one batch per shard. */
export function expectedFromScratch(byShard: Map<string, readonly ConsumedRecord[]>) {
  const kpiItems = new Map<string, KpiDelta>();
  const alertChanges: Alert[] = [];
  let valid = 0;
  let trendPoints = 0;
  let malformed = 0;
  let outOfBounds = 0;
  for (const [shardId, records] of byShard) {
    const events = [];
    for (const r of records) {
      const decoded = decodePlantEvent(r.data);
      if (!decoded.ok) {
        malformed++;
        continue;
      }
      // The router's event-time rule (default bounds): such events reach no sink.
      if (eventTimeViolation(decoded.event, (r.approximateArrivalTimestamp ?? new Date()).getTime(), DEFAULT_EVENT_TIME_BOUNDS)) {
        outOfBounds++;
        continue;
      }
      valid++;
      if (['measurement', 'production', 'machine-state'].includes(decoded.event.kind)) trendPoints++;
      events.push({ sequence: padSequence(r.sequenceNumber), event: decoded.event });
    }
    const plan = planBatch({ shardId, events, states: new Map(), rules: DEFAULT_ALERT_RULES });
    // Line and plant items take contributions from every shard: sum them per item.
    for (const delta of plan.kpiDeltas) {
      const item = kpiItems.get(delta.itemId) ?? { ...delta, counters: emptyCounters() };
      addCounters(item.counters, delta.counters);
      item.lastEventMs = Math.max(item.lastEventMs, delta.lastEventMs);
      kpiItems.set(delta.itemId, item);
    }
    alertChanges.push(...plan.alertChanges);
  }
  return { kpiDeltas: [...kpiItems.values()], alertChanges, valid, trendPoints, malformed, outOfBounds };
}

/** Compares every expected KPI item with the stored one; returns the mismatches (empty when equal). */
export async function kpiMismatches(kpiWindows: DynamoDbKpiWindowStore, expected: KpiDelta[]): Promise<string[]> {
  const stored = await kpiWindows.getKpis(expected.map((d) => ({ scope: d.scope, scopeId: d.scopeId, window: d.window, windowStartMs: d.windowStartMs })));
  const mismatches: string[] = [];
  expected.forEach((delta, i) => {
    const want = kpiSnapshotOf({ ...delta, updatedAt: '' }).figures;
    const got = stored[i]?.figures;
    if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${delta.itemId}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
  });
  return mismatches;
}

/** Lines of every object under `<lake>/<prefix>` (after the Firehose buffers were flushed). */
export async function lakeLines(stack: LocalAwsStack, prefix: string): Promise<string[]> {
  await fetch(`${stack.endpoint}/_local/firehose/flush`, { method: 'POST' });
  const root = join(stack.lakeDir, prefix);
  const lines: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!name.startsWith('.')) lines.push(...readFileSync(path, 'utf8').split('\n').filter(Boolean));
    }
  };
  walk(root);
  return lines;
}

export async function timestreamCount(connection: AwsConnection): Promise<number> {
  const client = createClient(TimestreamQueryClient, connection);
  try {
    const out = await client.send(new QueryCommand({ QueryString: `SELECT count(*) AS n FROM "${ResourceNames.timestreamDatabase}"."${ResourceNames.timestreamTable}"` }));
    return Number(out.Rows?.[0]?.Data?.[0]?.ScalarValue ?? 0);
  } finally {
    client.destroy();
  }
}

export async function alertDeliveries(stack: LocalAwsStack): Promise<{ input: { detail: Alert; 'detail-type': string } }[]> {
  const res = await fetch(`${stack.endpoint}/_local/eventbridge/deliveries?bus=${ResourceNames.alertBus}&rule=${ALERT_RULE}`);
  return ((await res.json()) as { deliveries: { input: { detail: Alert; 'detail-type': string } }[] }).deliveries;
}

