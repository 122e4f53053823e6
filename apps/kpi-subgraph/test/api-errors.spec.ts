import { GraphQLError } from 'graphql';
import { InvalidCursorError, toDomainError } from '@plant/adapters';
import { InvalidArgumentError, NotFoundError, PartialFailureError } from '@plant/domain';
import { formatGraphQLError } from '../src/graphql/api-errors';

const formatted = (message: string) => ({ message, path: ['asset'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } });
const fromResolver = (err: Error) => new GraphQLError(err.message, { originalError: err, path: ['asset'] });

describe('formatGraphQLError', () => {
  it('maps an invalid argument to BAD_USER_INPUT and keeps its message', () => {
    const err = new InvalidArgumentError('id', 'must be 1-128 characters');
    const out = formatGraphQLError(formatted(err.message), fromResolver(err));
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(out.message).toBe('id: must be 1-128 characters');
  });

  it('maps a missing entity to NOT_FOUND', () => {
    const err = new NotFoundError('Asset', 'a-1');
    expect(formatGraphQLError(formatted(err.message), fromResolver(err)).extensions?.code).toBe('NOT_FOUND');
  });

  // SDK-shaped errors reach the GraphQL layer as the domain errors the adapters translate them into.
  it('maps a refused connection below an SDK error to UNAVAILABLE without backend details', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const err = toDomainError(new Error('request failed', { cause: socket }), 'dynamodb') as Error;
    const out = formatGraphQLError(formatted(err.message), fromResolver(err));
    expect(out.extensions).toEqual({ code: 'UNAVAILABLE' });
    expect(out.message).not.toContain('127.0.0.1');
  });

  it('maps an AWS SDK error that got no HTTP answer, or a 5xx, to UNAVAILABLE', () => {
    const noAnswer = Object.assign(new Error('AWS SDK error wrapper for Error: socket hang up'), { $metadata: { attempts: 3 } });
    const serverError = Object.assign(new Error('Internal'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    const clientError = Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    const codeOf = (err: Error) => formatGraphQLError(formatted('x'), fromResolver(toDomainError(err, 'dynamodb') as Error)).extensions?.code;
    expect(codeOf(noAnswer)).toBe('UNAVAILABLE');
    expect(codeOf(serverError)).toBe('UNAVAILABLE');
    expect(codeOf(clientError)).toBe('INTERNAL_SERVER_ERROR');
  });

  it('maps a batch call still refusing throttled entries to UNAVAILABLE, and one refusing invalid entries to INTERNAL_SERVER_ERROR', () => {
    const throttled = new PartialFailureError('dynamodb BatchGetItem', [{ code: 'UnprocessedKeys' }]);
    const invalid = new PartialFailureError('eventbridge PutEvents', [{ code: 'MalformedDetail', message: 'not JSON' }]);
    expect(formatGraphQLError(formatted('x'), fromResolver(throttled)).extensions?.code).toBe('UNAVAILABLE');
    expect(formatGraphQLError(formatted('x'), fromResolver(invalid)).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('maps the adapter’s InvalidCursorError to BAD_USER_INPUT', () => {
    const err = new InvalidCursorError('x');
    expect(formatGraphQLError(formatted(err.message), fromResolver(err)).extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('hides the message and stack of an unexpected error', () => {
    const err = new TypeError('Cannot read properties of undefined (reading "pk")');
    const out = formatGraphQLError(formatted(err.message), fromResolver(err));
    expect(out).toEqual({ message: 'Internal server error', path: ['asset'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('keeps the code of errors GraphQL itself raised, without a stack trace', () => {
    const out = formatGraphQLError(
      { message: 'Cannot query field "nope"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['at y'] } },
      new GraphQLError('Cannot query field "nope"'),
    );
    expect(out.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
