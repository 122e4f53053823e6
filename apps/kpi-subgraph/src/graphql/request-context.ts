import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { callerGoneSignal } from '@plant/graphql';
import type { KpiRepository } from '@plant/domain';
import { createKpiLoaders, KpiLoaders } from './kpi-loaders';

/** The header the gateway sets from the verified JWT's subject (see apps/gateway). */
export const USER_ID_HEADER = 'x-user-id';
export const ANONYMOUS_USER = 'anonymous';

export interface RequestContext {
  /** Who acts, as the gateway vouches for it; "anonymous" when no claim was passed. */
  userId: string;
  loaders: KpiLoaders;
  /** Aborted when the gateway closes the HTTP request before the answer (the deadline plugin stops). */
  signal?: AbortSignal;
}

/**
 * The GraphQL context for both transports: Apollo calls the context function with `{ req }` per
 * HTTP operation, graphql-ws with `{ extra: { request } }` once per subscription.
 */
type TransportContext = { req?: IncomingMessage; res?: ServerResponse; extra?: { request?: IncomingMessage } };

export function createRequestContext(repository: KpiRepository, transport: TransportContext): RequestContext {
  const subscription = transport.req === undefined;
  const request = transport.req ?? transport.extra?.request;
  return {
    userId: userIdOf(request?.headers ?? {}),
    loaders: createKpiLoaders(repository, { cache: !subscription }),
    signal: callerGoneSignal(transport.res),
  };
}

function userIdOf(headers: IncomingHttpHeaders): string {
  const raw = headers[USER_ID_HEADER];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value && value.length <= 256 ? value : ANONYMOUS_USER;
}
