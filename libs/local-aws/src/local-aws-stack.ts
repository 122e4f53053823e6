import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import kinesalite from 'kinesalite';
import type { RawHandler } from './aws-json-handler';

export interface LocalAwsOptions {
  /** 0 picks a free port (tests). */
  port?: number;
  host?: string;
  /** Folder for every service's data; undefined keeps everything in memory (tests). */
  dataDir?: string;
  /** How long a new stream or table stays CREATING; AWS takes seconds, tests want 0. */
  createMs?: number;
}

/** An extra service endpoint: matched by X-Amz-Target prefix (JSON APIs) or by path prefix (REST APIs). */
export interface ServiceRoute {
  name: string;
  targetPrefix?: string;
  pathPrefix?: string;
  handler: RawHandler;
  close?: () => Promise<void>;
}

/**
 * The local AWS stack: one HTTP port that serves the real wire APIs of the AWS services the
 * platform uses, like a single AWS endpoint. Kinesis and DynamoDB requests go to kinesalite and
 * dynalite (their request listeners are called directly, no proxy hop); the services that have no
 * emulator register their own routes (see `ServiceRoute`). Apps reach it through AWS_ENDPOINT_URL.
 */
export class LocalAwsStack {
  private readonly routes: ServiceRoute[] = [];
  private server?: Server;
  private kinesis?: Server;
  private dynamodb?: Server;
  endpoint = '';
  port = 0;

  constructor(private readonly options: LocalAwsOptions = {}) {}

  get dataDir(): string | undefined {
    return this.options.dataDir;
  }

  private tempLakeDir?: string;

  /**
   * Folder of the lake bucket (the local S3): `<dataDir>/lake`, or a temp folder when data stays in
   * memory (left behind on stop so a test can still read what the final flush wrote).
   */
  get lakeDir(): string {
    if (this.options.dataDir) return join(this.options.dataDir, 'lake');
    this.tempLakeDir ??= mkdtempSync(join(tmpdir(), 'local-aws-lake-'));
    return this.tempLakeDir;
  }

  addRoute(route: ServiceRoute): void {
    this.routes.push(route);
  }

  async start(): Promise<this> {
    const { dataDir, createMs = 0 } = this.options;
    const storePath = (name: string) => {
      if (!dataDir) return undefined;
      const dir = join(dataDir, name);
      mkdirSync(dir, { recursive: true });
      return dir;
    };
    this.kinesis = kinesalite({
      path: storePath('kinesis'),
      createStreamMs: createMs,
      deleteStreamMs: createMs,
      updateStreamMs: createMs,
      shardLimit: 50,
    });
    this.dynamodb = dynalite({
      path: storePath('dynamodb'),
      createTableMs: createMs,
      deleteTableMs: createMs,
      updateTableMs: createMs,
    });
    // The emulators' close() closes their LevelDB stores only after their own HTTP server closed,
    // so each listens on a private loopback port even though requests reach it through our router.
    await Promise.all([this.kinesis, this.dynamodb].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    const kinesisListener = this.kinesis.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
    const dynamoListener = this.dynamodb.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;

    this.server = createServer((req, res) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!target && req.method === 'GET' && req.url === '/health') return this.health(res);
      if (target.startsWith('Kinesis_')) return kinesisListener(req, res);
      if (target.startsWith('DynamoDB')) return dynamoListener(req, res);
      const route = this.routes.find((r) =>
        r.targetPrefix ? target.startsWith(r.targetPrefix) : !!r.pathPrefix && (req.url ?? '').startsWith(r.pathPrefix),
      );
      if (!route) return unknownService(res, target, req.url);
      readBody(req)
        .then((body) => route.handler(req, res, body))
        .catch((err: unknown) => {
          if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ __type: 'InternalFailure', message: String(err) }));
        });
    });
    // Kinesis GetRecords long-polling consumers keep sockets open; keep-alive must outlive their pauses.
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.endpoint = `http://${this.options.host ?? '127.0.0.1'}:${this.port}`;
    return this;
  }

  /** Liveness of the stack itself (`npm start` waits for it); the services' own state is checked by the apps. */
  private health(res: ServerResponse): void {
    const services = ['kinesis', 'dynamodb', ...this.routes.map((r) => r.name)];
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', services }));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
    for (const route of this.routes) await route.close?.();
    await Promise.all(
      [this.kinesis, this.dynamodb].map(
        (s) =>
          s &&
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function unknownService(res: ServerResponse, target: string, url?: string): void {
  const message = `The local AWS stack serves no service for X-Amz-Target "${target}" at ${url}`;
  res.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify({ __type: 'UnknownOperationException', message }));
}
