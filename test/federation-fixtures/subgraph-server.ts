import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { DocumentNode, execute, GraphQLError, GraphQLSchema, parse, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { Identity, INTERNAL_IDENTITY_HEADER, verifyInternalIdentity } from '@plant/auth';
import { TEST_INTERNAL_AUTH_SECRET } from '../support/auth-tokens';

/** What a fixture resolver sees of the caller: the identity the gateway signed (HTTP header or connection-init payload). */
export interface FixtureContext {
  identity?: Identity;
}

/** `subject role plants` of the identity, for resolvers that echo who called. */
export const describeIdentity = (identity: Identity | undefined): string | null =>
  identity ? `${identity.subject} ${identity.role} ${identity.plants === '*' ? '*' : identity.plants.join(',')}` : null;

/** Like the real subgraphs, fixtures serve only callers the gateway vouches for. */
const identityOf = (token: unknown): Promise<Identity | undefined> =>
  typeof token === 'string' ? verifyInternalIdentity(token, process.env.INTERNAL_AUTH_SECRET ?? TEST_INTERNAL_AUTH_SECRET).catch(() => undefined) : Promise.resolve(undefined);

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  /** Connection-init payloads of every WebSocket connection this subgraph accepted. */
  connectionParams: Record<string, unknown>[];
  /** Authorization header of every HTTP request, in order (the gateway must never forward the caller's). */
  httpAuthorizations: (string | undefined)[];
  httpRequests: number;
  stop(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

/**
 * A deliberately lean GraphQL server for a test subgraph: HTTP POST with parsed-and-validated
 * documents cached per query text, and graphql-ws on the same path. Apollo Server would spend the
 * shared CPU that benchmarks need for the gateway, which is what they measure.
 */
export async function startSubgraphServer(
  name: string,
  schema: GraphQLSchema,
  port = 0,
): Promise<RunningSubgraph> {
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const state = { connectionParams: [] as Record<string, unknown>[], httpAuthorizations: [] as (string | undefined)[], httpRequests: 0 };

  const documentFor = (query: string): DocumentNode | readonly GraphQLError[] => {
    let doc = documents.get(query);
    if (!doc) {
      try {
        const parsed = parse(query);
        const errors = validate(schema, parsed);
        doc = errors.length ? errors : parsed;
      } catch (err) {
        doc = [err as GraphQLError];
      }
      if (documents.size < 1_000) documents.set(query, doc);
    }
    return doc;
  };

  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/health')) return sendJson(res, 200, { status: 'ok' });
    if (req.method !== 'POST' || !req.url?.startsWith(GRAPHQL_PATH)) return sendJson(res, 404, { error: 'not found' });
    readBody(req)
      .then(async (body) => {
        state.httpRequests++;
        const authorization = req.headers.authorization;
        state.httpAuthorizations.push(authorization);
        if (state.httpAuthorizations.length > 10_000) state.httpAuthorizations.splice(0, 5_000);
        const identity = await identityOf(req.headers[INTERNAL_IDENTITY_HEADER]);
        if (!identity) return sendJson(res, 401, { errors: [{ message: 'no internal identity', extensions: { code: 'UNAUTHENTICATED' } }] });
        const { query, variables, operationName } = JSON.parse(body) as {
          query: string;
          variables?: Record<string, unknown>;
          operationName?: string;
        };
        const doc = documentFor(query);
        if (Array.isArray(doc)) return sendJson(res, 400, { errors: doc.map((e) => e.toJSON()) });
        const result = await execute({
          schema,
          document: doc as DocumentNode,
          variableValues: variables,
          operationName,
          contextValue: { identity } satisfies FixtureContext,
        });
        sendJson(res, 200, result);
      })
      .catch((err: unknown) => sendJson(res, 400, { errors: [{ message: String(err) }] }));
  });
  server.keepAliveTimeout = 60_000;

  const wss = new WebSocketServer({ noServer: true });
  const wsServer = useServer(
    {
      schema,
      context: (ctx): FixtureContext => ({ identity: (ctx.extra as { identity?: Identity }).identity }),
      onConnect: async (ctx) => {
        state.connectionParams.push(ctx.connectionParams ?? {});
        const identity = await identityOf(ctx.connectionParams?.[INTERNAL_IDENTITY_HEADER]);
        (ctx.extra as { identity?: Identity }).identity = identity;
        return identity !== undefined;
      },
    },
    wss,
  );
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!req.url?.startsWith(GRAPHQL_PATH)) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    name,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}${GRAPHQL_PATH}`,
    get connectionParams() {
      return state.connectionParams;
    },
    get httpAuthorizations() {
      return state.httpAuthorizations;
    },
    get httpRequests() {
      return state.httpRequests;
    },
    async stop() {
      // Going away (1001) for every socket, like a process that shuts down; then the HTTP side.
      await wsServer.dispose();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
