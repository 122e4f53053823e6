import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsLimits } from '@plant/config';
import { AwsApiError, jsonProtocol } from '../aws-json-handler';
import type { ServiceRoute } from '../local-aws-stack';
import { InvalidPatternError, matchesPattern, parseEventPattern } from './event-pattern';
import { Target, TargetDelivery, unsupportedTarget } from './event-targets';
import { EVENTBRIDGE_SHAPES } from './eventbridge-shapes';

/**
 * EventBridge (`AWSEvents.*`, JSON 1.1): event buses, rules with event patterns, targets and
 * PutEvents. Limits from https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 * (1–10 entries, 256 KiB per call) and quotas (5 targets per rule).
 */

const REGION = 'eu-central-1';
const ACCOUNT = '000000000000';
export const MAX_PUT_EVENTS_ENTRIES = AwsLimits.eventBridge.putEventsMaxEntries;
export const MAX_PUT_EVENTS_BYTES = AwsLimits.eventBridge.putEventsMaxBytes;
const MAX_TARGETS_PER_RULE = 5;
const NAME = /^[\w.-]{1,64}$/;
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;

interface Rule {
  Name: string;
  EventBusName: string;
  EventPattern?: string;
  ScheduleExpression?: string;
  State: 'ENABLED' | 'DISABLED';
  Description?: string;
  targets: Target[];
}
interface Bus {
  Name: string;
  CreationTime: number;
  rules: Record<string, Rule>;
}

interface PutEventsEntry {
  Time?: number;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
}

const busArn = (name: string) => `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`;
const ruleArn = (rule: Rule) => `arn:aws:events:${REGION}:${ACCOUNT}:rule/${rule.EventBusName === 'default' ? '' : `${rule.EventBusName}/`}${rule.Name}`;
/** EventBusName parameters accept a name or an ARN. */
const busNameOf = (nameOrArn: string | undefined) => (nameOrArn ?? 'default').replace(/^arn:aws:events:[^:]*:\d*:event-bus\//, '');
const validation = (message: string) => new AwsApiError('ValidationException', message);
/** Buses and rules live in plain objects (persisted as JSON): `constructor` or `__proto__` must not find Object's members. */
const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

export interface EventBridgeOptions {
  dataDir?: string;
  /** The stack's own endpoint, for delivering to its Kinesis streams. */
  endpoint: () => string;
}

export function eventBridgeRoutes(options: EventBridgeOptions): { api: ServiceRoute; inspection: ServiceRoute; delivery: TargetDelivery } {
  const dir = options.dataDir && join(options.dataDir, 'eventbridge');
  const stateFile = dir && join(dir, 'state.json');
  const buses: Record<string, Bus> =
    stateFile && existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : { default: { Name: 'default', CreationTime: Date.now() / 1000, rules: {} } };
  const save = () => {
    if (!dir || !stateFile) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(buses, null, 2));
    renameSync(`${stateFile}.tmp`, stateFile);
  };
  const delivery = new TargetDelivery(options.endpoint, dir && join(dir, 'log-groups'));

  const requireBus = (nameOrArn: string | undefined) => {
    const name = busNameOf(nameOrArn);
    const bus = own(buses, name);
    if (!bus) throw new AwsApiError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return bus;
  };
  const requireRule = (name: string | undefined, busName: string | undefined) => {
    const bus = requireBus(busName);
    const rule = own(bus.rules, name ?? '');
    if (!rule) throw new AwsApiError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus.Name}.`);
    return rule;
  };
  const ruleShape = (rule: Rule) => ({
    Name: rule.Name,
    Arn: ruleArn(rule),
    EventPattern: rule.EventPattern,
    ScheduleExpression: rule.ScheduleExpression,
    State: rule.State,
    Description: rule.Description,
    EventBusName: rule.EventBusName,
  });

  const operations = {
    CreateEventBus: (input: { Name?: string }) => {
      if (!input.Name || !BUS_NAME.test(input.Name) || input.Name === 'default') throw validation(`Event bus name ${input.Name} is not valid.`);
      if (own(buses, input.Name)) throw new AwsApiError('ResourceAlreadyExistsException', `Event bus ${input.Name} already exists.`);
      buses[input.Name] = { Name: input.Name, CreationTime: Date.now() / 1000, rules: {} };
      save();
      return { EventBusArn: busArn(input.Name) };
    },
    DescribeEventBus: (input: { Name?: string }) => {
      const bus = requireBus(input.Name);
      return { Name: bus.Name, Arn: busArn(bus.Name), CreationTime: bus.CreationTime, LastModifiedTime: bus.CreationTime };
    },
    ListEventBuses: () => ({ EventBuses: Object.values(buses).map((b) => ({ Name: b.Name, Arn: busArn(b.Name), CreationTime: b.CreationTime })) }),

    PutRule: (input: Partial<Rule>) => {
      if (!input.Name || !NAME.test(input.Name)) throw validation(`Rule name ${input.Name} is not valid: 1-64 letters, digits, ".", "-" or "_".`);
      if (!input.EventPattern && !input.ScheduleExpression) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
      if (input.ScheduleExpression) throw validation('ScheduleExpression rules are not supported by the local stack.');
      try {
        parseEventPattern(input.EventPattern!);
      } catch (err) {
        if (err instanceof InvalidPatternError) throw new AwsApiError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${err.message}`);
        throw err;
      }
      const bus = requireBus(input.EventBusName);
      const existing = own(bus.rules, input.Name);
      const rule: Rule = {
        Name: input.Name,
        EventBusName: bus.Name,
        EventPattern: input.EventPattern,
        State: input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
        Description: input.Description,
        targets: existing?.targets ?? [],
      };
      bus.rules[rule.Name] = rule;
      save();
      return { RuleArn: ruleArn(rule) };
    },
    DescribeRule: (input: { Name?: string; EventBusName?: string }) => ruleShape(requireRule(input.Name, input.EventBusName)),
    ListRules: (input: { NamePrefix?: string; EventBusName?: string; Limit?: number; NextToken?: string }) => {
      const rules = Object.values(requireBus(input.EventBusName).rules)
        .filter((r) => !input.NamePrefix || r.Name.startsWith(input.NamePrefix))
        .sort((a, b) => (a.Name < b.Name ? -1 : 1));
      const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64url').toString()) : 0;
      const limit = input.Limit ?? 100;
      const page = rules.slice(start, start + limit);
      const next = start + limit < rules.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
      return { Rules: page.map(ruleShape), ...(next ? { NextToken: next } : {}) };
    },
    DeleteRule: (input: { Name?: string; EventBusName?: string }) => {
      const rule = requireRule(input.Name, input.EventBusName);
      if (rule.targets.length) throw validation("Rule can't be deleted since it has targets.");
      delete buses[rule.EventBusName].rules[rule.Name];
      save();
      return {};
    },

    PutTargets: (input: { Rule?: string; EventBusName?: string; Targets?: Target[] }) => {
      const rule = requireRule(input.Rule, input.EventBusName);
      const targets = input.Targets ?? [];
      if (targets.length < 1 || targets.length > 10) throw validation("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 10");
      for (const t of targets) {
        if (!t.Id || !t.Arn) throw validation('Every target needs an Id and an Arn.');
        const why = unsupportedTarget(t.Arn);
        if (why) throw validation(why);
        if (t.Input !== undefined && t.InputPath !== undefined) throw validation('Only one of Input, InputPath can be specified for a target.');
      }
      const merged = new Map(rule.targets.map((t) => [t.Id, t]));
      for (const t of targets) merged.set(t.Id, t);
      if (merged.size > MAX_TARGETS_PER_RULE) throw new AwsApiError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
      rule.targets = [...merged.values()];
      save();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    ListTargetsByRule: (input: { Rule?: string; EventBusName?: string }) => ({ Targets: requireRule(input.Rule, input.EventBusName).targets }),
    RemoveTargets: (input: { Rule?: string; EventBusName?: string; Ids?: string[] }) => {
      const rule = requireRule(input.Rule, input.EventBusName);
      rule.targets = rule.targets.filter((t) => !(input.Ids ?? []).includes(t.Id));
      save();
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    PutEvents: (input: { Entries?: PutEventsEntry[] }) => {
      const entries = input.Entries ?? [];
      if (entries.length < 1 || entries.length > MAX_PUT_EVENTS_ENTRIES) {
        throw validation(`1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PUT_EVENTS_ENTRIES}`);
      }
      if (entries.reduce((sum, e) => sum + entrySize(e), 0) > MAX_PUT_EVENTS_BYTES) throw validation('Total size of the entries in the request is over the limit.');
      const results = entries.map((entry) => putEvent(entry));
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    },
  };

  /** Validates one entry, builds the event envelope and starts delivery to every matching rule's targets. */
  function putEvent(entry: PutEventsEntry): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      if (!entry[field]) return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail!);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const time = new Date(entry.Time !== undefined && entry.Time !== null ? entry.Time * 1000 : Date.now());
    if (Number.isNaN(time.getTime())) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid. Reason: it is not a representable timestamp.' };
    const bus = own(buses, busNameOf(entry.EventBusName));
    if (!bus) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busNameOf(entry.EventBusName)} does not exist.` };
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType!,
      source: entry.Source!,
      account: ACCOUNT,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: REGION,
      resources: entry.Resources ?? [],
      detail,
    };
    for (const rule of Object.values(bus.rules)) {
      if (rule.State !== 'ENABLED' || !rule.EventPattern || !matchesPattern(parseEventPattern(rule.EventPattern), event)) continue;
      for (const target of rule.targets) delivery.deliver(bus.Name, rule.Name, target, event);
    }
    return { EventId: event.id };
  }

  const api: ServiceRoute = {
    name: 'eventbridge',
    targetPrefix: 'AWSEvents.',
    handler: jsonProtocol(operations, 'application/x-amz-json-1.1', EVENTBRIDGE_SHAPES),
    close: () => delivery.close(),
  };
  // Not an AWS API: what each rule delivered, for tests and tools (`?bus=…&rule=…`).
  const inspection: ServiceRoute = {
    name: 'eventbridge-inspection',
    pathPrefix: '/_local/eventbridge/deliveries',
    handler: async (req, res) => {
      const query = new URL(req.url ?? '/', 'http://local').searchParams;
      const deliveries = await delivery.deliveries({ eventBusName: query.get('bus') ?? undefined, ruleName: query.get('rule') ?? undefined });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ deliveries }));
    },
  };
  return { api, inspection, delivery };
}

/** Entry size as EventBridge counts it toward the 256 KiB limit (Time counts 14 bytes). */
function entrySize(entry: PutEventsEntry): number {
  const bytes = (s?: string) => (s ? Buffer.byteLength(s) : 0);
  return (entry.Time !== undefined ? AwsLimits.eventBridge.entryTimeBytes : 0) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + (entry.Resources ?? []).reduce((n, r) => n + bytes(r), 0);
}
