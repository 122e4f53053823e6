import { ApolloServer } from '@apollo/server';
import { formatGraphQLError } from '../src/api-errors';
import { CancellableContext, requestDeadlinePlugin } from '../src/request-deadline.plugin';

/** A chain of nodes, each a resolver step; `resolved` counts the steps that ran. */
function chainServer(deadlineMs: number, onStep: (depth: number, ctx: CancellableContext) => Promise<void> | void) {
  let resolved = 0;
  const server = new ApolloServer<CancellableContext & { controller?: AbortController }>({
    typeDefs: 'type Node { depth: Int! next: Node } type Query { chain: Node }',
    resolvers: {
      Query: { chain: () => ({ depth: 0 }) },
      Node: {
        next: async (parent: { depth: number }, _args: unknown, ctx: CancellableContext) => {
          resolved++;
          await onStep(parent.depth + 1, ctx);
          return { depth: parent.depth + 1 };
        },
      },
    },
    plugins: [requestDeadlinePlugin(deadlineMs)],
    formatError: (formatted, error) => formatGraphQLError(formatted, error, { unavailable: 'unavailable' }),
  });
  return { server, resolved: () => resolved };
}

const DEEP = `{ chain { ${'next { '.repeat(20)}depth${' }'.repeat(20)} } }`;

async function run(server: ApolloServer<CancellableContext & { controller?: AbortController }>, contextValue: CancellableContext & { controller?: AbortController }) {
  await server.start();
  try {
    const res = await server.executeOperation({ query: DEEP }, { contextValue });
    return res.body.kind === 'single' ? res.body.singleResult : undefined;
  } finally {
    await server.stop();
  }
}

describe('requestDeadlinePlugin (subgraph self-protection)', () => {
  it('starts no further field once the caller cancelled, each refused with DEADLINE_EXCEEDED', async () => {
    const controller = new AbortController();
    const { server, resolved } = chainServer(60_000, (depth) => {
      if (depth === 3) controller.abort();
    });
    const result = await run(server, { signal: controller.signal });
    expect(resolved()).toBe(3);
    expect(result?.errors?.[0].extensions?.code).toBe('DEADLINE_EXCEEDED');
    expect(result?.errors?.[0].message).toBe('The caller cancelled the request.');
  });

  it('starts no further field after the deadline', async () => {
    // Every step waits 20 ms, so the 1 ms deadline has passed when the second step would start
    // (on a loaded machine it may have passed before the first).
    const { server, resolved } = chainServer(1, () => new Promise((r) => setTimeout(r, 20)));
    const result = await run(server, {});
    expect(resolved()).toBeLessThanOrEqual(1);
    expect(result?.errors?.[0].extensions?.code).toBe('DEADLINE_EXCEEDED');
  });

  it('lets an operation within its deadline complete', async () => {
    const { server, resolved } = chainServer(60_000, () => undefined);
    const result = await run(server, {});
    expect(resolved()).toBe(20);
    expect(result?.errors).toBeUndefined();
  });
});
