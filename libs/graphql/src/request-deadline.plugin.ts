import type { ApolloServerPlugin } from '@apollo/server';
import { IntrinsicException } from '@nestjs/common';
import { z } from 'zod';
import { EnvNames, SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS } from '@plant/config';

/** The subgraphs' deadline variable with its default (below the gateway's 8 s upstream timeout). */
export const requestDeadlineShape = {
  [EnvNames.SUBGRAPH_REQUEST_DEADLINE_MS]: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(100, 'must be at least 100')
    .max(600_000, 'must be at most 600000')
    .default(SUBGRAPH_REQUEST_DEADLINE_DEFAULT_MS),
};

/** The request ran past its deadline, or its caller (the gateway) went away. */
export class RequestDeadlineError extends IntrinsicException {
  override readonly name = 'RequestDeadlineError';
  constructor(reason: string) {
    super(reason);
  }
}

/** What the deadline reads from a request's context: the caller's connection, when known. */
export interface CancellableContext {
  /** Aborted when the HTTP caller closes its connection before the answer. */
  signal?: AbortSignal;
}

/**
 * A subgraph protects itself from an operation that would run for minutes (and grow its heap
 * meanwhile): every field about to be resolved first checks the request's age and whether the
 * caller is still there; past the deadline, or once the gateway aborted the request, no further
 * field starts — each fails with DEADLINE_EXCEEDED, no backend call is made, and the operation ends
 * within one resolver step.
 */
export function requestDeadlinePlugin(deadlineMs: number): ApolloServerPlugin<CancellableContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async executionDidStart() {
          return {
            willResolveField() {
              if (contextValue.signal?.aborted) throw new RequestDeadlineError('The caller cancelled the request.');
              if (performance.now() - started > deadlineMs) throw new RequestDeadlineError(`The request ran past its ${deadlineMs} ms deadline.`);
            },
          };
        },
      };
    },
  };
}

/** An AbortSignal that fires when the response's connection closes before the response was sent. */
export function callerGoneSignal(res: { writableEnded: boolean; once(event: 'close', listener: () => void): unknown } | undefined): AbortSignal | undefined {
  if (!res) return undefined;
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableEnded) controller.abort();
  });
  return controller.signal;
}
