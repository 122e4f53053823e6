import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { DocumentNode, execute, GraphQLError, GraphQLSchema, parse, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

/** What a fixture resolver sees of the caller: the forwarded headers (HTTP) or connection params (ws). */
export interface FixtureContext {
  authorization?: string;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  /** Connection-init payloads of every WebSocket connection this subgraph accepted. */
  connectionParams: Record<string, unknown>[];
  /** Authorization header of every HTTP request, in order. */
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
          contextValue: { authorization } satisfies FixtureContext,
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
      context: (ctx): FixtureContext => ({ authorization: ctx.connectionParams?.authorization as string | undefined }),
      onConnect: (ctx) => {
        state.connectionParams.push(ctx.connectionParams ?? {});
        return true;
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
