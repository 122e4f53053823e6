import type { IncomingMessage } from 'node:http';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { callerKey, CONNECTION_AUTHORIZATION } from './caller-key';
import { LimitCodes, limitError } from './limit-errors';

/**
 * At most `max` open subscriptions per bearer token (per IP without one), graphql-ws and SSE
 * counted together: an envelop `onSubscribe` hook sees both transports. A slot is taken before the
 * subscription is set up (no race between concurrent subscribes) and given back when its stream
 * ends for any reason (client stop, socket close, upstream end) or when it never started.
 */
export function useSubscriptionCap(max: number): GatewayPlugin {
  const open = new Map<string, number>();
  const release = (key: string) => {
    const n = (open.get(key) ?? 1) - 1;
    if (n <= 0) open.delete(key);
    else open.set(key, n);
  };
  return {
    onSubscribe({ context, setResultAndStopExecution }) {
      const ctx = context as Record<string, unknown> & { request?: Request; req?: IncomingMessage };
      const authorization = (ctx[CONNECTION_AUTHORIZATION] as string | undefined) ?? ctx.request?.headers?.get?.('authorization');
      const { key } = callerKey(authorization, ctx.req?.socket?.remoteAddress);
      const current = open.get(key) ?? 0;
      if (current >= max) {
        setResultAndStopExecution({
          errors: [limitError(LimitCodes.TOO_MANY_SUBSCRIPTIONS, `At most ${max} subscriptions may be open per token; close one first.`, 429)],
        });
        return;
      }
      open.set(key, current + 1);
      let released = false;
      const releaseOnce = () => {
        if (released) return;
        released = true;
        release(key);
      };
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) {
            releaseOnce();
            return;
          }
          return { onEnd: releaseOnce };
        },
      };
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return value != null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}
