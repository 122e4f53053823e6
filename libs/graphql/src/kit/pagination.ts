import type { Page, PageRequest } from '@plant/domain';
import { InvalidArgumentError } from '@plant/domain';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * Position in a list: the repository's opaque page cursor (`after`, undefined = the start) plus
 * how many items past it. The repository port only returns a cursor per page, but Relay needs one
 * per edge; `skip` makes every edge a valid resume point without knowing the store's key format.
 */
interface Position {
  after?: string;
  skip: number;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}
export interface ConnectionPage<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify({ a: position.after, s: position.skip }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const invalid = () => new InvalidArgumentError('after', 'is not a cursor returned by this API');
  if (!/^[A-Za-z0-9_-]{1,4096}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { a, s } = (parsed ?? {}) as { a?: unknown; s?: unknown };
  if ((a !== undefined && typeof a !== 'string') || typeof s !== 'number' || !Number.isInteger(s) || s < 0) throw invalid();
  return { after: a, skip: s };
}

export function checkPageSize(first: number | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new InvalidArgumentError('first', `must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return size;
}

export type PageFetcher<T> = (request: PageRequest) => Promise<Page<T>>;

/** Reads one Relay page of `first` items after the client's cursor through a repository list method. */
export async function readConnectionPage<T>(
  fetchPage: PageFetcher<T>,
  first: number | undefined,
  after: string | undefined,
): Promise<ConnectionPage<T>> {
  const size = checkPageSize(first);
  const start = await skipTo(fetchPage, after === undefined ? { skip: 0 } : decodeCursor(after));
  if (!start) return { edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const page = await fetchPage({ first: size, after: start.after });
  const edges = page.items.map((node, i) => {
    const last = i === page.items.length - 1;
    const position: Position =
      last && page.endCursor !== undefined ? { after: page.endCursor, skip: 0 } : { after: start.after, skip: i + 1 };
    return { cursor: encodeCursor(position), node };
  });
  return {
    edges,
    pageInfo: { hasNextPage: page.endCursor !== undefined, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** Walks over `skip` items in pages of at most MAX_PAGE_SIZE; undefined when the list ends first. */
async function skipTo<T>(fetchPage: PageFetcher<T>, position: Position): Promise<{ after?: string } | undefined> {
  let { after, skip } = position;
  while (skip > 0) {
    const page = await fetchPage({ first: Math.min(skip, MAX_PAGE_SIZE), after });
    if (page.endCursor === undefined) return undefined;
    after = page.endCursor;
    skip -= page.items.length;
  }
  return { after };
}
