import { responseCacheKey } from '../src/runtime/response-cache-key';

describe('responseCacheKey', () => {
  const base = { documentString: '{ asset(id: $id) { id } }', variableValues: { id: 'a-1' }, operationName: 'A', sessionId: 'Bearer x' };

  it('is the same for the same request', () => {
    expect(responseCacheKey(base)).toBe(responseCacheKey({ ...base }));
  });

  it('differs by variables, operation and session', () => {
    const keys = new Set([
      responseCacheKey(base),
      responseCacheKey({ ...base, variableValues: { id: 'a-2' } }),
      responseCacheKey({ ...base, operationName: 'B' }),
      responseCacheKey({ ...base, sessionId: 'Bearer y' }),
      responseCacheKey({ ...base, sessionId: null }),
    ]);
    expect(keys.size).toBe(5);
  });

  it('contains no ":" (the cache splits invalidation keys on it)', () => {
    expect(responseCacheKey(base)).not.toContain(':');
  });
});
