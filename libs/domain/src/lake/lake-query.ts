/**
 * Read side of the lake (port): SQL over the curated and refined zones. Athena in AWS and in the
 * local stack (`lake-query.athena.ts`); the reports never see which engine runs the text.
 *
 * User input never becomes SQL text: a statement's text is a constant of the service that builds
 * it, and every value the caller chose travels as a typed parameter that the adapter renders as a
 * validated literal bound to a `?` (Athena's `ExecutionParameters`).
 */

/** A value bound to one `?`, typed so that it can be rendered as a literal that cannot end early. */
export type LakeParameter =
  | { kind: 'string'; value: string }
  | { kind: 'date'; value: string }
  | { kind: 'timestamp'; value: string }
  | { kind: 'number'; value: number };

export const lakeParam = {
  string: (value: string): LakeParameter => ({ kind: 'string', value }),
  /** yyyy-MM-dd */
  date: (value: string): LakeParameter => ({ kind: 'date', value }),
  /** ISO-8601 instant (UTC) */
  timestamp: (value: string): LakeParameter => ({ kind: 'timestamp', value }),
  number: (value: number): LakeParameter => ({ kind: 'number', value }),
};

export interface LakeStatement {
  /** Constant SQL text with `?` placeholders, in Athena's (Trino) dialect. */
  sql: string;
  parameters: readonly LakeParameter[];
  /**
   * The `dt` partitions (yyyy-MM-dd, inclusive) the statement reads. The cache uses it: a result
   * over finished partitions only is kept; one that reaches today's may change and expires soon.
   */
  partitions: { from: string; to: string };
}

export interface LakeColumn {
  name: string;
  /** Athena type name: varchar, bigint, double, timestamp, date, boolean … */
  type: string;
}

export interface LakeResult {
  columns: LakeColumn[];
  /** Values as the engine prints them; null for SQL NULL. */
  rows: (string | null)[][];
}

export interface LakeQueryOptions {
  /** Aborts the query (and stops it in the engine): the request's deadline or the client going away. */
  signal?: AbortSignal;
}

export interface LakeQuery {
  /** Runs the statement and returns every row (the adapter follows the engine's pages). */
  query(statement: LakeStatement, options?: LakeQueryOptions): Promise<LakeResult>;
}

export type LakeQueryErrorCode =
  /** The query ran past the adapter's timeout; it was stopped. */
  | 'TIMEOUT'
  /** The caller aborted; the query was stopped. */
  | 'CANCELLED'
  /** The engine refused to scan that much (work group's bytes-scanned cutoff). */
  | 'TOO_EXPENSIVE'
  /** The engine refused or failed the statement (a defect of the statement, not of the caller). */
  | 'FAILED'
  /** The engine cannot be reached or throttles. */
  | 'UNAVAILABLE';

/** A named error of the port; the GraphQL layer maps each code to an error code for clients. */
export class LakeQueryError extends Error {
  override readonly name = 'LakeQueryError';
  constructor(
    readonly code: LakeQueryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The literal Athena's `ExecutionParameters` take for a parameter: strings single-quoted with
 * quotes doubled (the literal cannot be closed early), dates and timestamps validated first.
 */
export function lakeLiteral(parameter: LakeParameter): string {
  switch (parameter.kind) {
    case 'string':
      return `'${parameter.value.replace(/'/g, "''")}'`;
    case 'date':
      if (!DATE.test(parameter.value) || Number.isNaN(Date.parse(parameter.value))) throw new LakeQueryError('FAILED', `not a date: ${parameter.value}`);
      return `DATE '${parameter.value}'`;
    case 'timestamp': {
      const ms = Date.parse(parameter.value);
      if (Number.isNaN(ms)) throw new LakeQueryError('FAILED', `not a timestamp: ${parameter.value}`);
      return `TIMESTAMP '${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;
    }
    case 'number':
      if (!Number.isFinite(parameter.value)) throw new LakeQueryError('FAILED', `not a finite number: ${parameter.value}`);
      return String(parameter.value);
  }
}
