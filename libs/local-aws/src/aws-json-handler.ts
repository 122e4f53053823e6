import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

/**
 * A service behind the local stack's single port. `target` handlers answer AWS JSON protocol
 * requests (`X-Amz-Target: <prefix>.<Operation>`); `rest` handlers answer REST-style APIs by path.
 */
export type RawHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

/** An AWS error as the JSON protocols return it: `__type` names the exception, HTTP 400 by default. */
export class AwsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
    /** Members the exception carries besides the message, e.g. Timestream's `RejectedRecords`. */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Operation table of one JSON-protocol service: operation name → async handler of the parsed body. */
export type JsonOperations = Record<string, (input: any) => unknown>;

/**
 * Member types of each operation's input, as the service model declares them (zod, validation only:
 * the handler gets the body unchanged). AWS answers a member of the wrong JSON type with
 * `SerializationException` (HTTP 400) before the operation runs; without this a number where a
 * string belongs reached the handlers and came back as a 500.
 */
export type InputShapes = Record<string, z.ZodType>;

function shapeError(error: z.ZodError): AwsApiError {
  const issue = error.issues[0];
  const member = issue.path.length ? issue.path.join('.') : 'the request';
  return new AwsApiError('SerializationException', `Cannot deserialize ${member}: ${issue.message}`);
}

/**
 * Wraps an operation table as a RawHandler speaking the AWS JSON 1.0/1.1 protocol: parses the body,
 * dispatches on the operation named in X-Amz-Target, and serialises results and AwsApiErrors the
 * way the SDK's deserialisers expect (`__type` + `message`).
 */
export function jsonProtocol(operations: JsonOperations, contentType = 'application/x-amz-json-1.1', shapes: InputShapes = {}): RawHandler {
  return async (req, res, body) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.slice(target.indexOf('.') + 1);
    const send = (status: number, payload: unknown) => {
      const text = JSON.stringify(payload);
      res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const handler = operations[operation];
    if (!handler) {
      send(400, { __type: 'UnknownOperationException', message: `Operation ${operation} is not supported by the local stack` });
      return;
    }
    let input: unknown;
    try {
      input = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      send(400, { __type: 'SerializationException', message: 'Request body is not valid JSON' });
      return;
    }
    // Every AWS JSON operation takes a structure; `null`, a list or a number is a client error too.
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      send(400, { __type: 'SerializationException', message: 'Request body must be a JSON object' });
      return;
    }
    try {
      const checked = shapes[operation]?.safeParse(input);
      if (checked && !checked.success) throw shapeError(checked.error);
      send(200, (await handler(input)) ?? {});
    } catch (err) {
      if (err instanceof AwsApiError) send(err.statusCode, { ...err.fields, __type: err.type, message: err.message, Message: err.message });
      else send(500, { __type: 'InternalServerException', message: err instanceof Error ? err.message : String(err) });
    }
  };
}
