import { accessToken } from '../../test/support/auth-tokens';

/**
 * The gateway benchmarks' realistic load: a KPI dashboard mix over the federation fixtures
 * (test/federation-fixtures: 5 lines × 20 assets), random ids so caches do not answer everything.
 */
export const LINES = 5;
export const ASSETS_PER_LINE = 20;

const rnd = (n: number) => 1 + Math.floor(Math.random() * n);

/** One request body of the dashboard mix, with random ids. */
export function randomBody(): string {
  const roll = Math.random();
  if (roll < 0.7) {
    return JSON.stringify({
      query: 'query Asset($id: ID!) { asset(id: $id) { id name kpi { oee availability performance quality goodCount scrapCount } failureRisk } }',
      variables: { id: `asset-${rnd(LINES)}-${rnd(ASSETS_PER_LINE)}` },
    });
  }
  if (roll < 0.9) {
    return JSON.stringify({
      query: 'query LineOee($id: ID!) { line(id: $id) { id name assets { id kpi { oee goodCount } } } }',
      variables: { id: `line-${rnd(LINES)}` },
    });
  }
  return JSON.stringify({
    query: 'query LineRisk($id: ID!) { line(id: $id) { id assets { id kpi { oee } failureRisk } } }',
    variables: { id: `line-${rnd(LINES)}` },
  });
}


/** Tokens of `count` analysts (BI clients): each stays under the gateway's per-token rate limit. */
export function analystTokens(count = 50): Promise<string[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => accessToken('analyst', undefined, { subject: `bench-analyst-${i}` })));
}

/** An autocannon request of the mix, sent with the next token in rotation. */
export function mixRequest(tokens: readonly string[]): { setupRequest: (req: any) => any } {
  let next = 0;
  return {
    setupRequest: (req: any) => ({
      ...req,
      headers: { ...req.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` },
      body: randomBody(),
    }),
  };
}
