import type { NextFunction, Request, Response } from 'express';
import { errorBody, LimitCodes } from './limit-errors';

/**
 * Express error handler behind /graphql for what Nest's body parser refuses before GraphQL sees
 * the request: a body over the parser's limit (100 KB, HTTP 413, PAYLOAD_TOO_LARGE) and a body
 * that is not JSON (HTTP 400, BAD_REQUEST), as GraphQL error bodies with a code like every other
 * refusal, instead of Nest's `{ statusCode, message }`.
 */
export function bodyErrorsMiddleware(): (err: unknown, req: Request, res: Response, next: NextFunction) => void {
  return (err, _req, res, next) => {
    const { type, status } = (err ?? {}) as { type?: unknown; status?: unknown };
    if (res.headersSent || typeof status !== 'number' || status < 400 || status >= 500) return next(err);
    const tooLarge = type === 'entity.too.large' || status === 413;
    const code = tooLarge ? LimitCodes.PAYLOAD_TOO_LARGE : LimitCodes.BAD_REQUEST;
    const message = tooLarge ? 'The request body is too large.' : 'The request body is not valid JSON.';
    res.status(tooLarge ? 413 : 400).type('application/json').send(errorBody(code, message));
  };
}
