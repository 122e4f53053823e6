import type { Page, PageRequest } from '@plant/domain';
import { InvalidArgumentError } from '@plant/domain';
import { decodeCursor, encodeCursor, readConnectionPage } from '../src/kit/pagination';

/** A list paged like a DynamoDB Query: the store's cursor is the last key it returned. */
function storeOf(ids: string[]) {
  const calls: PageRequest[] = [];
  const fetchPage = async (request: PageRequest): Promise<Page<string>> => {
    calls.push(request);
    const start = request.after === undefined ? 0 : ids.indexOf(request.after) + 1;
    const items = ids.slice(start, start + request.first);
    const more = start + request.first < ids.length;
    return { items, ...(more ? { endCursor: items.at(-1) } : {}) };
  };
  return { fetchPage, calls };
}

const ids = Array.from({ length: 10 }, (_, i) => `asset-${String(i).padStart(2, '0')}`);

describe('readConnectionPage', () => {
  it('walks the whole list page by page through endCursor', async () => {
    const { fetchPage } = storeOf(ids);
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await readConnectionPage(fetchPage, 3, after);
      seen.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? undefined;
    }
    expect(seen).toEqual(ids);
  });

  it('resumes right after any edge, not only the last one of a page', async () => {
    const { fetchPage } = storeOf(ids);
    const first = await readConnectionPage(fetchPage, 4, undefined);
    const resumed = await readConnectionPage(fetchPage, 3, first.edges[1].cursor);
    expect(resumed.edges.map((e) => e.node)).toEqual(['asset-02', 'asset-03', 'asset-04']);
  });

  it('reports no next page and a null endCursor past the end', async () => {
    const { fetchPage } = storeOf(ids);
    const last = await readConnectionPage(fetchPage, 20, undefined);
    expect(last.pageInfo.hasNextPage).toBe(false);
    const beyond = await readConnectionPage(fetchPage, 5, last.edges[9].cursor);
    expect(beyond).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('asks the store for at most 100 items per call when skipping', async () => {
    const many = Array.from({ length: 250 }, (_, i) => `a${String(i).padStart(3, '0')}`);
    const { fetchPage, calls } = storeOf(many);
    const page = await readConnectionPage(fetchPage, 2, encodeCursor({ skip: 230 }));
    expect(page.edges.map((e) => e.node)).toEqual(['a230', 'a231']);
    expect(Math.max(...calls.map((c) => c.first))).toBeLessThanOrEqual(100);
  });

  it.each([0, -1, 101, 2.5])('rejects first = %p', async (first) => {
    const { fetchPage } = storeOf(ids);
    await expect(readConnectionPage(fetchPage, first, undefined)).rejects.toThrow(InvalidArgumentError);
  });

  it.each(['not a cursor!', Buffer.from('{"s":-1}').toString('base64url'), Buffer.from('[1]').toString('base64url'), 'bm9wZQ'])(
    'rejects the foreign cursor %p',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(InvalidArgumentError);
    },
  );
});
