import { ConflictError, InvalidArgumentError, NotFoundError, PartialFailureError, UnavailableError } from '@plant/domain';
import { errorCodeOf, ForbiddenError, RequestDeadlineError } from '@plant/graphql';

/** The public code of each domain error (docs/aws-plumbing.md, "Errors"); codes clients switch on never change. */
describe('errorCodeOf maps domain errors by class', () => {
  it.each([
    ['InvalidArgumentError', new InvalidArgumentError('first', 'must be between 1 and 100'), 'BAD_USER_INPUT'],
    ['NotFoundError', new NotFoundError('Asset', 'a-1'), 'NOT_FOUND'],
    ['ForbiddenError', new ForbiddenError('not your plant'), 'FORBIDDEN'],
    ['RequestDeadlineError', new RequestDeadlineError('late'), 'DEADLINE_EXCEEDED'],
    ['UnavailableError (throttled)', new UnavailableError('dynamodb', 'throttled'), 'UNAVAILABLE'],
    ['UnavailableError (timeout)', new UnavailableError('timestream', 'timeout'), 'UNAVAILABLE'],
    ['UnavailableError (unreachable)', new UnavailableError('dynamodb', 'unreachable'), 'UNAVAILABLE'],
    ['UnavailableError (server-error)', new UnavailableError('dynamodb', 'server-error'), 'UNAVAILABLE'],
    ['UnavailableError (missing-resource): a deployment fault', new UnavailableError('dynamodb', 'missing-resource'), 'INTERNAL_SERVER_ERROR'],
    ['UnavailableError (access-denied): a deployment fault', new UnavailableError('dynamodb', 'access-denied'), 'INTERNAL_SERVER_ERROR'],
    ['PartialFailureError of throttled entries', new PartialFailureError('dynamodb BatchGetItem', [{ code: 'UnprocessedKeys' }]), 'UNAVAILABLE'],
    ['PartialFailureError of invalid entries', new PartialFailureError('eventbridge PutEvents', [{ code: 'InvalidArgument' }]), 'INTERNAL_SERVER_ERROR'],
    ['ConflictError', new ConflictError('dynamodb: condition failed'), 'INTERNAL_SERVER_ERROR'],
  ])('%s → %s', (_name, error, code) => {
    expect(errorCodeOf(error)).toBe(code);
  });

  it('does not read error names: an SDK-shaped error no adapter translated is INTERNAL_SERVER_ERROR', () => {
    const raw = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    const lookalike = Object.assign(new Error('x'), { name: 'InvalidArgumentError' });
    expect(errorCodeOf(raw)).toBe('INTERNAL_SERVER_ERROR');
    expect(errorCodeOf(lookalike)).toBe('INTERNAL_SERVER_ERROR');
  });
});
