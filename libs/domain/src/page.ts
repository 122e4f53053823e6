/** One page of a list read through a port. */
export interface Page<T> {
  items: T[];
  /** Opaque; pass back as `after` for the next page; undefined on the last page. */
  endCursor?: string;
}

export interface PageRequest {
  first: number;
  after?: string;
}
