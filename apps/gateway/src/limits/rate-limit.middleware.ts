import type { NextFunction, Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { callerKey } from './caller-key';
import { errorBody, LimitCodes } from './limit-errors';

export interface RateLimits {
  /** Requests per second per bearer token; 0 = off. */
  perToken: number;
  /** Requests per second per IP for requests without a valid token; 0 = off. */
  perIp: number;
  /**
   * Whether an Authorization value verifies (cached by the authenticator). Only a valid token gets a
   * bucket of its own: a flood of made-up tokens would otherwise escape the per-IP limit, one fresh
   * bucket per made-up token. Unset: every token counts as valid (tests of the limiter alone).
   */
  verifies?: (authorization: string) => Promise<boolean>;
}

/**
 * Express middleware in front of /graphql: at most `perToken` requests per second per bearer token,
 * `perIp` per client IP without one (rate-limiter-flexible, in memory: one gateway process, limits
 * per replica). Requests with a token that does not verify count against their IP. Over the limit: HTTP 429, `Retry-After` in whole seconds, a GraphQL error body with
 * RATE_LIMITED. Counted before any GraphQL work (parse, plan, subgraph calls).
 */
export function rateLimitMiddleware(limits: RateLimits): (req: Request, res: Response, next: NextFunction) => void {
  const byToken = limits.perToken > 0 ? new RateLimiterMemory({ points: limits.perToken, duration: 1 }) : undefined;
  const byIp = limits.perIp > 0 ? new RateLimiterMemory({ points: limits.perIp, duration: 1 }) : undefined;
  const verifies = limits.verifies ?? (() => Promise.resolve(true));
  return (req, res, next) => {
    const authorization = req.headers.authorization;
    const counted = authorization ? verifies(authorization) : Promise.resolve(false);
    counted.then((valid) => limit(req, res, next, valid ? authorization : undefined), next);
  };

  function limit(req: Request, res: Response, next: NextFunction, authorization: string | undefined): void {
    // req.ip: the socket's address, or X-Forwarded-For's client once express's `trust proxy` is set (behind the ALB).
    const caller = callerKey(authorization, req.ip ?? req.socket.remoteAddress);
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
  }
}
