import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { callerKey } from './caller-key';
import { errorBody, LimitCodes } from './limit-errors';

export interface RateLimits {
  /** Requests per second per bearer token; 0 = off. */
  perToken: number;
  /** Requests per second per IP for requests without a token; 0 = off. */
  perIp: number;
}

/**
 * Express middleware in front of /graphql: at most `perToken` requests per second per bearer token,
 * `perIp` per client IP without one (rate-limiter-flexible, in memory: one gateway process, limits
 * per replica). Over the limit: HTTP 429, `Retry-After` in whole seconds, a GraphQL error body with
 * RATE_LIMITED. Counted before any GraphQL work (parse, plan, subgraph calls).
 */
export function rateLimitMiddleware(limits: RateLimits): (req: Request, res: Response, next: NextFunction) => void {
  const byToken = limits.perToken > 0 ? new RateLimiterMemory({ points: limits.perToken, duration: 1 }) : undefined;
  const byIp = limits.perIp > 0 ? new RateLimiterMemory({ points: limits.perIp, duration: 1 }) : undefined;
  return (req, res, next) => {
    // req.ip: the socket's address, or X-Forwarded-For's client once express's `trust proxy` is set (behind the ALB).
    const caller = callerKey(req.headers.authorization, req.ip ?? req.socket.remoteAddress);
    const limiter = caller.byToken ? byToken : byIp;
    if (!limiter) return next();
    limiter.consume(caller.key).then(
      () => next(),
      (rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) return next(rejection);
        const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        res
          .status(429)
          .set({ 'retry-after': String(retryAfter), 'content-type': 'application/json' })
          .send(errorBody(LimitCodes.RATE_LIMITED, `Too many requests; retry after ${retryAfter} s.`));
      },
    );
  };
}
