import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { GraphQLError } from 'graphql';
import { InMemoryTtlCache } from '../runtime/in-memory-ttl-cache';
import { roleOf } from './caller-role';
import { LimitCodes, limitError } from './limit-errors';

const APQ_TTL_S = 24 * 60 * 60;
/** Bounds the APQ store's memory (≤ 2,000 × 16 KB): a longer text is run but not kept. */
const APQ_MAX_ENTRIES = 2_000;
const APQ_MAX_QUERY_LENGTH = 16 * 1024;

interface ApqExtension {
  version: number;
  sha256Hash: string;
}

/**
 * Automatic persisted queries (Apollo's protocol: `extensions.persistedQuery.sha256Hash`; an
 * unknown hash gets PERSISTED_QUERY_NOT_FOUND and the client resends it with the text, which is
 * kept after its hash is verified) and, when a manifest is configured, the allow-list partners
 * must use: a partner's operation runs only when the SHA-256 of its text is in the manifest
 * (Apollo's persisted query manifest, `{ operations: [{ id, body }] }`); others get
 * PERSISTED_QUERY_REQUIRED. Manifest operations can be run by hash alone by everyone.
 *
 * `@graphql-yoga/plugin-apq` is not a dependency of this repository; the protocol is small.
 */
export function usePersistedOperations(manifestPath: string | undefined): GatewayPlugin {
  const allowList = manifestPath ? readManifest(manifestPath) : undefined;
  const apq = new InMemoryTtlCache(APQ_MAX_ENTRIES);
  const hashOfRequest = new WeakMap<Request, string>();
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  return {
    onParams({ params, request, setParams }) {
      // Thrown errors end the request here (Yoga's own query check would refuse a hash-only body next).
      const persisted = apqOf(params.extensions);
      let query = params.query;
      if (persisted) {
        if (query === undefined || query === null || query === '') {
          query = allowList?.get(persisted.sha256Hash) ?? (apq.get(persisted.sha256Hash) as string | undefined);
          if (query === undefined) throw notFound();
        } else if (sha256(query) !== persisted.sha256Hash) {
          throw limitError(LimitCodes.PERSISTED_QUERY_HASH_MISMATCH, 'The persisted query hash does not match the query.');
        } else {
          if (query.length <= APQ_MAX_QUERY_LENGTH) apq.set(persisted.sha256Hash, query, { ttl: APQ_TTL_S });
        }
        setParams({ ...params, query });
      }
      if (allowList && typeof query === 'string') hashOfRequest.set(request, persisted?.sha256Hash ?? sha256(query));
    },
    onExecute({ context, setResultAndStopExecution }) {
      const refusal = allowList && refuse(context, allowList, hashOfRequest);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
    onSubscribe({ context, setResultAndStopExecution }) {
      const refusal = allowList && refuse(context, allowList, hashOfRequest);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
  };
}

function refuse(context: unknown, allowList: Map<string, string>, hashOfRequest: WeakMap<Request, string>): GraphQLError | undefined {
  if (roleOf(context) !== 'partner') return undefined;
  const request = (context as { request?: Request }).request;
  const hash = request && hashOfRequest.get(request);
  if (hash && allowList.has(hash)) return undefined;
  return limitError(LimitCodes.PERSISTED_QUERY_REQUIRED, 'Partners may only run the persisted operations of the allow-list.', 403);
}

function notFound(): GraphQLError {
  // Apollo clients look for this exact message (and code) to resend the query with its text.
  return limitError(LimitCodes.PERSISTED_QUERY_NOT_FOUND, 'PersistedQueryNotFound', 200);
}

function apqOf(extensions: Record<string, unknown> | undefined): ApqExtension | undefined {
  const pq = extensions?.persistedQuery as Partial<ApqExtension> | undefined;
  if (!pq || pq.version !== 1 || typeof pq.sha256Hash !== 'string') return undefined;
  return pq as ApqExtension;
}

/** Apollo's persisted query manifest; every id must be the SHA-256 of its body. */
export function readManifest(path: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as { operations?: { id?: unknown; body?: unknown }[] };
  const operations = new Map<string, string>();
  for (const op of manifest.operations ?? []) {
    if (typeof op.id !== 'string' || typeof op.body !== 'string') throw new Error(`${path}: every operation needs a string id and body`);
    if (createHash('sha256').update(op.body).digest('hex') !== op.id) throw new Error(`${path}: operation ${op.id} is not the SHA-256 of its body`);
    operations.set(op.id, op.body);
  }
  return operations;
}
