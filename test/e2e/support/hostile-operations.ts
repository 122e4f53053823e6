import fc from 'fast-check';

/**
 * Hostile requests against the gateway, generated deterministically (fast-check, fixed seed), each
 * with the HTTP status and error code it must be refused with. Sizes are drawn away from the
 * configured limits' edges (defaults of apps/gateway/src/limits/limits.config.ts), so every
 * operation has exactly one expected code.
 */
export interface HostileRequest {
  kind: string;
  /** The raw HTTP body (most are JSON; malformed ones are not). */
  body: string;
  status: number;
  code: string;
  /** The Authorization header to send instead of the flood's valid token; null sends none. */
  authorization?: string | null;
}

/** Tokens the gateway must refuse, minted by the test (jose is asynchronous, this module is not). */
export interface BadTokens {
  expired: string;
  forged: string;
  algNone: string;
}

const SEED = 20261201;
const json = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });
const wrap = (open: string, inner: string, times: number) => `${open.repeat(times)}${inner}${' }'.repeat(open.split('{').length - 1).repeat(times)}`;
const LINE = 'plt1-l1';
const ASSET = 'plt1-l1-press1';

/** The first killer: plants → lines → assets(first: 100) → kpi under many aliases, padded to 64 KB. */
export function aliasedKillerQuery(targetBytes = 64 * 1024): string {
  const one = (i: number) => `a${i}: plants { lines { assets(first: 100) { edges { node { id kpi { oee availability } } } } } }`;
  const parts: string[] = [];
  for (let i = 0, size = 4; size < targetBytes; i++) {
    parts.push(one(i));
    size += one(i).length + 1;
  }
  return `{ ${parts.join(' ')} }`;
}

/** The second killer: line { assets { edges { node { line { assets … nested `levels` times. */
export function nestedKillerQuery(levels: number): string {
  return `{ line(id: "${LINE}") { ${wrap('assets(first: 100) { edges { node { line { ', 'id', levels)} } }`;
}

const arbitraries: fc.Arbitrary<HostileRequest>[] = [
  // Deep nesting: depth 12..60 (limit 10), also through the line ↔ asset cycle.
  fc.integer({ min: 3, max: 15 }).map((levels) => ({
    kind: 'deep-nesting',
    body: json(nestedKillerQuery(levels)),
    status: 400,
    code: 'MAX_DEPTH_LIMIT',
  })),
  // Alias fan-out in one selection: 16..300 aliases (limit 15; ≤ 1,000 tokens).
  fc.integer({ min: 16, max: 300 }).map((n) => ({
    kind: 'alias-fan-out',
    body: json(`{ plants { ${Array.from({ length: n }, (_, i) => `a${i}: id`).join(' ')} } }`),
    status: 400,
    code: 'MAX_ALIASES_LIMIT',
  })),
  // Fragment fan-out: a fragment of k aliases spread m times (k·m > 15 aliases in all).
  fc.record({ k: fc.integer({ min: 2, max: 8 }), m: fc.integer({ min: 8, max: 40 }) }).map(({ k, m }) => ({
    kind: 'fragment-fan-out',
    body: json(
      `query { plants { ...Many } } fragment Many on Plant { ${Array.from({ length: m }, () => '...Few').join(' ')} } ` +
        `fragment Few on Plant { ${Array.from({ length: k }, (_, i) => `f${i}: id`).join(' ')} }`,
    ),
    status: 400,
    code: 'MAX_ALIASES_LIMIT',
  })),
  // The first killer small enough to parse: 2..8 aliases of plants → lines → assets(first: 100) → kpi (cost > 50,000).
  fc.integer({ min: 2, max: 8 }).map((n) => ({
    kind: 'cost-aliased-lists',
    body: json(`{ ${Array.from({ length: n }, (_, i) => `a${i}: plants { lines { assets(first: 100) { edges { node { kpi { oee } } } } } }`).join(' ')} }`),
    status: 400,
    code: 'COST_ESTIMATED_TOO_EXPENSIVE',
  })),
  // Huge `first` the cost estimate refuses at the gateway (as a literal or a variable).
  fc.record({ first: fc.integer({ min: 30_000, max: 2_147_483_647 }), asVariable: fc.boolean() }).map(({ first, asVariable }) => ({
    kind: 'huge-first-cost',
    body: asVariable
      ? json(`query Q($n: Int!) { line(id: "${LINE}") { assets(first: $n) { edges { node { id } } } } }`, { n: first })
      : json(`{ line(id: "${LINE}") { assets(first: ${first}) { edges { node { id } } } } }`),
    status: 400,
    code: 'COST_ESTIMATED_TOO_EXPENSIVE',
  })),
  // `first` out of the subgraph's 1..100 but cheap: the kpi subgraph's BAD_USER_INPUT reaches the client.
  fc.record({ first: fc.oneof(fc.integer({ min: 101, max: 20_000 }), fc.integer({ min: -1_000, max: 0 })), alerts: fc.boolean() }).map(({ first, alerts }) => ({
    kind: 'bad-first-subgraph',
    body: json(alerts ? `{ alerts(first: ${first}) { edges { node { id } } } }` : `{ line(id: "${LINE}") { assets(first: ${first}) { edges { node { id } } } } }`),
    status: 200,
    code: 'BAD_USER_INPUT',
  })),
  // A trend range beyond the 31-day limit, cheap in buckets: the history subgraph's BAD_USER_INPUT reaches the client.
  fc.constantFrom('40d', '90d', '365d').map((last) => ({
    kind: 'bad-trend-range',
    body: json(`{ assetTrend(assetId: "${ASSET}", measure: "temperature", last: "${last}", bucket: "1d") { points { avg } } }`),
    status: 200,
    code: 'BAD_USER_INPUT',
  })),
  // More trend buckets than the cost budget (one per bucket): refused by the gateway before planning.
  fc.constantFrom('30s', '10s', '1s').map((bucket) => ({
    kind: 'trend-buckets-over-budget',
    body: json(`{ assetTrend(assetId: "${ASSET}", measure: "temperature", last: "30d", bucket: "${bucket}") { points { avg } } }`),
    status: 400,
    code: 'COST_ESTIMATED_TOO_EXPENSIVE',
  })),
  // Directive floods: 21..130 directives on one field (limit 20; 7 tokens each, ≤ 1,000 tokens).
  fc.integer({ min: 21, max: 130 }).map((n) => ({
    kind: 'directive-flood',
    body: json(`{ plants { id ${'@include(if: true) '.repeat(n)}} }`),
    status: 400,
    code: 'MAX_DIRECTIVES_LIMIT',
  })),
  // Token floods: 1,001..20,000 tokens of otherwise harmless selections.
  fc.integer({ min: 1_001, max: 20_000 }).map((n) => ({
    kind: 'token-flood',
    body: json(`{ plants { ${'id '.repeat(n)}} }`),
    status: 400,
    code: 'MAX_TOKENS_LIMIT',
  })),
  // Root-field fan-out without aliases: 11..60 root fields (limit 10).
  fc.integer({ min: 11, max: 60 }).map((n) => ({
    kind: 'root-fields',
    body: json(`{ ${'plants { id } '.repeat(n)}}`),
    status: 400,
    code: 'MAX_ROOT_FIELDS_LIMIT',
  })),
  // Malformed JSON bodies.
  fc.string({ maxLength: 200 })
    .map((tail) => `{"query": "{ plants { id } }"${tail}`)
    .filter((body) => !parses(body))
    .map((body) => ({ kind: 'malformed-json', body, status: 400, code: 'BAD_REQUEST' })),
  // Unparsable GraphQL.
  fc.string({ minLength: 1, maxLength: 100 }).map((garbage) => ({
    kind: 'unparsable-graphql',
    body: json(`{ plants { id ${garbage.replace(/[{}]/g, '')} `),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  })),
  // Oversized bodies: 110 KB .. 1 MB (the body parser's limit is 100 KB).
  fc.integer({ min: 110_000, max: 1_000_000 }).map((size) => ({
    kind: 'oversized-body',
    body: json('{ plants { id } }', { pad: 'x'.repeat(size) }),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  })),
  // Batched requests (batching is off).
  fc.integer({ min: 2, max: 200 }).map((n) => ({
    kind: 'batch',
    body: JSON.stringify(Array.from({ length: n }, () => ({ query: '{ plants { id } }' }))),
    status: 400,
    code: 'BAD_REQUEST',
  })),
];

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Requests without valid credentials: each refused with 401 UNAUTHENTICATED before any work. */
function credentialRequests(perKind: number, bad: BadTokens): HostileRequest[] {
  const refused = { body: json('{ plants { id } }'), status: 401, code: 'UNAUTHENTICATED' };
  const garbage = fc.sample(fc.string({ minLength: 1, maxLength: 2_000, unit: 'grapheme-ascii' }), { seed: SEED - 1, numRuns: perKind });
  const each = Math.max(1, Math.floor(perKind / 4));
  return [
    ...garbage.map((g) => ({ ...refused, kind: 'garbage-token', authorization: `Bearer ${g}` })),
    ...Array.from({ length: each }, () => ({ ...refused, kind: 'no-token', authorization: null })),
    ...Array.from({ length: each }, () => ({ ...refused, kind: 'expired-token', authorization: `Bearer ${bad.expired}` })),
    ...Array.from({ length: each }, () => ({ ...refused, kind: 'forged-token', authorization: `Bearer ${bad.forged}` })),
    ...Array.from({ length: each }, () => ({ ...refused, kind: 'alg-none-token', authorization: `Bearer ${bad.algNone}` })),
  ];
}

/** `perKind` requests of every kind, bad credentials and the two killer queries, in a seeded shuffled order. */
export function hostileRequests(perKind: number, badTokens: BadTokens): HostileRequest[] {
  const all = arbitraries.flatMap((arb, i) => fc.sample(arb, { seed: SEED + i, numRuns: perKind }));
  all.push(...credentialRequests(perKind, badTokens));
  all.push(
    { kind: 'killer-64kb-aliases', body: json(aliasedKillerQuery()), status: 400, code: 'MAX_TOKENS_LIMIT' },
    { kind: 'killer-nested-walk', body: json(nestedKillerQuery(40)), status: 400, code: 'MAX_DEPTH_LIMIT' },
  );
  const order = fc.sample(fc.double({ min: 0, max: 1, noNaN: true }), { seed: SEED, numRuns: all.length });
  return all.map((r, i) => ({ r, k: order[i] })).sort((a, b) => a.k - b.k).map(({ r }) => r);
}
