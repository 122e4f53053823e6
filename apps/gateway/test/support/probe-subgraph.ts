import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, GraphQLError, parse, validate } from 'graphql';
import { composeSupergraph } from '../../../../tools/compose/compose-supergraph';

/**
 * A small real subgraph for the gateway's limit tests, in the test process so a test can see what
 * reached it: slow fields (does the gateway abort them?), fields that fail with the subgraph's own
 * codes (do they reach the client unchanged?), lists sized by `first` and a recursive type.
 */
export const probeSubgraphSdl = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Item @key(fields: "id") {
    id: ID!
    children(first: Int = 10): [Item!]!
    child: Item
  }

  type Query {
    "Answers after ms milliseconds."
    slow(ms: Int!): String
    items(first: Int = 10): [Item!]!
    item: Item
    "Fails with BAD_USER_INPUT naming the argument, like the kpi subgraph."
    badInput(first: Int!): String
    "Fails with NOT_FOUND."
    missing: String
    ping: String
  }
`;

export interface ProbeSubgraph {
  url: string;
  supergraphSdl: string;
  /** HTTP requests whose connection closed before the subgraph answered (the gateway aborted them). */
  aborted: number;
  /** HTTP requests that started a `slow` field. */
  slowStarted: number;
  requests: number;
  /** While true, every request gets HTTP 502 with an HTML body (a proxy in front of a dead subgraph). */
  failWithoutGraphQL: boolean;
  stop(): Promise<void>;
}

export async function startProbeSubgraph(): Promise<ProbeSubgraph> {
  const state = { aborted: 0, slowStarted: 0, requests: 0, failWithoutGraphQL: false };
  const item = (id: string) => ({ id });
  const schema = buildSubgraphSchema({
    typeDefs: parse(probeSubgraphSdl),
    resolvers: {
      Query: {
        slow: async (_: unknown, { ms }: { ms: number }) => {
          state.slowStarted++;
          await new Promise((r) => setTimeout(r, ms));
          return `slept ${ms}`;
        },
        items: (_: unknown, { first }: { first: number }) => Array.from({ length: Math.min(first, 100) }, (_x, i) => item(`i${i}`)),
        item: () => item('root'),
        badInput: () => {
          throw new GraphQLError('first: must be between 1 and 100', { extensions: { code: 'BAD_USER_INPUT', argument: 'first' } });
        },
        missing: () => {
          throw new GraphQLError('Thing "x" not found', { extensions: { code: 'NOT_FOUND' } });
        },
        ping: () => 'pong',
      },
      Item: {
        __resolveReference: (ref: { id: string }) => ref,
        children: (parent: { id: string }, { first }: { first: number }) =>
          Array.from({ length: Math.min(first, 100) }, (_x, i) => item(`${parent.id}.${i}`)),
        child: (parent: { id: string }) => item(`${parent.id}.c`),
      },
    } as never,
  });

  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    state.requests++;
    if (state.failWithoutGraphQL) {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>');
      return;
    }
    res.on('close', () => {
      if (!res.writableEnded) state.aborted++;
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown> };
      const document = parse(query);
      const errors = validate(schema, document);
      const answer = errors.length ? Promise.resolve({ errors }) : Promise.resolve(execute({ schema, document, variableValues: variables }));
      void answer.then((result) => {
        if (res.destroyed) return;
        const text = JSON.stringify(result);
        res.writeHead(200, { 'content-type': 'application/json' }).end(text);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    supergraphSdl: composeSupergraph([{ name: 'probe', url, sdl: probeSubgraphSdl }]),
    get aborted() {
      return state.aborted;
    },
    get slowStarted() {
      return state.slowStarted;
    },
    get requests() {
      return state.requests;
    },
    get failWithoutGraphQL() {
      return state.failWithoutGraphQL;
    },
    set failWithoutGraphQL(value: boolean) {
      state.failWithoutGraphQL = value;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
