import { InMemoryTtlCache } from '../src/runtime/in-memory-ttl-cache';

describe('InMemoryTtlCache', () => {
  let now = 0;
  const make = (max?: number) => new InMemoryTtlCache(max, 60_000, () => now);

  beforeEach(() => (now = 1_000_000));

  it('serves an entry until its TTL (seconds) and never after', () => {
    const cache = make();
    cache.set('k', 'v', { ttl: 1 });
    now += 999;
    expect(cache.get('k')).toBe('v');
    now += 1;
    expect(cache.get('k')).toBeUndefined();
    cache.dispose();
  });

  it('drops the oldest entry when full', () => {
    const cache = make(2);
    cache.set('a', 1, { ttl: 10 });
    cache.set('b', 2, { ttl: 10 });
    cache.set('c', 3, { ttl: 10 });
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
    cache.dispose();
  });

  it('lists live keys by prefix', () => {
    const cache = make();
    cache.set('response-cache:Asset.1:r1', {}, { ttl: 10 });
    cache.set('response-cache:Asset.1:r2', {}, { ttl: 0.001 });
    cache.set('response-cache:Asset.2:r3', {}, { ttl: 10 });
    now += 5;
    expect(cache.getKeysByPrefix('response-cache:Asset.1:')).toEqual(['response-cache:Asset.1:r1']);
    cache.dispose();
  });
});
