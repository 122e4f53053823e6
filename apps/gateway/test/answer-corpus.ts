import { startCorpusSubgraphs, CorpusSubgraphs } from '../../../test/federation-fixtures/corpus-subgraphs';
import { postGraphQL, startGateway } from './gateway-harness';
import { SubscriptionProbe } from './subscription-probe';

/**
 * A corpus of federated operations over the corpus subgraphs (test/federation-fixtures/
 * corpus-subgraphs.ts) and the check that a gateway configuration answers every one of them
 * exactly like a reference gateway with every optimisation off. Used by
 * `optimisations-answer.int-spec.ts` and by `npm run bench:gateway` (a configuration's ratio is
 * reported only when it passes).
 */
export interface CorpusOperation {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

export const ANSWER_CORPUS: CorpusOperation[] = [
  { name: 'entities across subgraphs, @requires', query: '{ machines { id name status nextServiceDue workOrders { id title } } }' },
  { name: 'entity list without the id a failing field would need', query: '{ machines { name spareParts { partNo name } } }' },
  { name: 'failing non-null id asked for: parent nulled', query: '{ machines { id spareParts { id partNo } } }' },
  { name: '@provides, nested', query: '{ openWorkOrders { title machine { name sensors { name } } } }' },
  { name: '@provides with __typename beside a provided field', query: '{ openWorkOrders { machine { sensors { __typename name } } } }' },
  { name: '@provides, key and provided fields', query: '{ openWorkOrders { id machine { id name } } }' },
  { name: 'interface via shareable node(id:), owner subgraph', query: '{ node(id: "m-1") { id ... on Machine { name nextServiceDue } } }' },
  { name: 'interface via shareable node(id:), other subgraph', query: '{ node(id: "wo-1") { ... on WorkOrder { title machine { name } } } }' },
  { name: 'interface with __typename and nested entity', query: '{ node(id: "s-1") { __typename ... on Sensor { name machine { name } } } }' },
  { name: 'interface, unknown id', query: '{ node(id: "nope") { id } }' },
  { name: 'union with a failing nullable field', query: '{ equipment { __typename ... on Machine { name status } ... on Sensor { name reading } } }' },
  { name: 'union without __typename', query: '{ equipment { ... on Machine { id serial } ... on Sensor { id name } } }' },
  { name: 'null propagation into a nullable list item', query: '{ sensors { id name reading calibratedReading } }' },
  { name: 'shareable root value type, field both serve', query: '{ site { name } }' },
  { name: 'shareable root value type, one subgraph only', query: '{ site { shift } }' },
  { name: '@inaccessible field refused', query: '{ machine(id: "m-1") { internalCode } }' },
  { name: '@inaccessible type members stay usable', query: '{ machine(id: "m-2") { id name serial status } }' },
  {
    name: 'named fragment, variables, non-null list nulled',
    query: 'query M($id: ID!) { machine(id: $id) { ...F } } fragment F on Machine { name sensors { name calibratedReading } }',
    variables: { id: 'm-2' },
  },
  { name: 'aliases', query: '{ a: machine(id: "m-1") { n: name } b: machine(id: "m-2") { n: name s: serial } }' },
  { name: 'missing entity', query: '{ machine(id: "nope") { name } }' },
  {
    name: '@skip and @include',
    query: 'query($s: Boolean!) { machines { name serial @skip(if: $s) nextServiceDue @include(if: $s) } }',
    variables: { s: true },
  },
  { name: '__typename at the root and on entities', query: '{ __typename machines { __typename id } }' },
];

export const CORPUS_SUBSCRIPTION =
  'subscription { machineChanged { sequence machine { id name nextServiceDue workOrders { title machine { name } } } } }';

/** What a client sees of a response: status, data, and each error's message, path and code. */
export interface ComparableAnswer {
  status: number;
  data: unknown;
  errors?: { message: string; path?: unknown; code?: unknown }[];
}

export interface AnswerDifference {
  operation: string;
  expected: unknown;
  actual: unknown;
}

export async function answerOf(url: string, op: CorpusOperation): Promise<ComparableAnswer> {
  const res = await postGraphQL(url, op.query, op.variables);
  return comparable(res.status, res.body);
}

function comparable(status: number, body: { data?: unknown; errors?: { message: string; path?: unknown; extensions?: Record<string, unknown> }[] }): ComparableAnswer {
  return {
    status,
    data: body.data ?? null,
    ...(body.errors ? { errors: body.errors.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })) } : {}),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

/**
 * Every corpus operation against both gateways; the candidate answers each twice (the second
 * answer may come from its response cache). Returns the operations whose answers differ.
 */
export async function compareQueries(referenceUrl: string, candidateUrl: string): Promise<AnswerDifference[]> {
  const differences: AnswerDifference[] = [];
  for (const op of ANSWER_CORPUS) {
    const expected = await answerOf(referenceUrl, op);
    for (const round of ['first', 'repeated']) {
      const actual = await answerOf(candidateUrl, op);
      if (!same(expected, actual)) differences.push({ operation: `${op.name} (${round})`, expected, actual });
    }
  }
  return differences;
}

/**
 * The corpus subscription on both gateways (twice on the candidate, so that shared upstream
 * subscriptions are exercised), events emitted until every client has one, then the event with
 * the same sequence number compared across clients.
 */
export async function compareSubscription(fixtures: CorpusSubgraphs, referenceWsUrl: string, candidateWsUrl: string): Promise<AnswerDifference[]> {
  const probes = [referenceWsUrl, candidateWsUrl, candidateWsUrl].map((url) => new SubscriptionProbe(url, CORPUS_SUBSCRIPTION));
  try {
    const machines = ['m-1', 'm-2'];
    for (let i = 0; i < 100 && probes.some((p) => p.events.length < 2); i++) {
      fixtures.store.emit(machines[i % 2]);
      await new Promise((r) => setTimeout(r, 50));
    }
    const bySequence = probes.map((p) => new Map(p.events.map((e) => [e.data?.machineChanged?.sequence as number, e])));
    const common = [...bySequence[0].keys()].filter((s) => bySequence.every((m) => m.has(s)));
    if (common.length === 0) {
      return [{ operation: 'subscription: no common event', expected: probes[0].events, actual: probes.map((p) => p.error ?? p.events) }];
    }
    const differences: AnswerDifference[] = [];
    for (const sequence of common) {
      const expected = bySequence[0].get(sequence);
      for (const m of bySequence.slice(1)) {
        if (!same(expected, m.get(sequence))) differences.push({ operation: `subscription event ${sequence}`, expected, actual: m.get(sequence) });
      }
    }
    return differences;
  } finally {
    await Promise.all(probes.map((p) => p.close()));
  }
}

/** Environment of a gateway with every optimisation off: the reference answers. */
export const ALL_OPTIMISATIONS_OFF = {
  GATEWAY_QUERY_PLANNER: 'rust',
  GATEWAY_RESPONSE_CACHE_TTL_MS: '0',
  GATEWAY_DEDUPE_UPSTREAM: 'false',
  GATEWAY_SHARE_SUBSCRIPTIONS: 'false',
};

/**
 * Starts the corpus subgraphs, a reference gateway (every optimisation off) and one with `env`,
 * compares queries and the subscription, and stops everything. For the benchmark, which measures
 * other subgraphs and must know whether a configuration keeps answers unchanged.
 */
export async function checkAnswersUnchanged(env: Record<string, string>): Promise<AnswerDifference[]> {
  const fixtures = await startCorpusSubgraphs();
  const reference = await startGateway(fixtures.supergraphSdl, ALL_OPTIMISATIONS_OFF);
  const candidate = await startGateway(fixtures.supergraphSdl, env);
  try {
    return [...(await compareQueries(reference.url, candidate.url)), ...(await compareSubscription(fixtures, reference.wsUrl, candidate.wsUrl))];
  } finally {
    await Promise.all([reference.stop(), candidate.stop()]);
    await fixtures.stop();
  }
}
