/**
 * SQL text as code and non-code segments, so that the local endpoints' dialect translations
 * (Athena/Trino and Timestream → DuckDB) rewrite only code, never a string literal, a quoted
 * identifier or a comment.
 */
export interface SqlSegment {
  text: string;
  /** False for a single-quoted literal, a double-quoted identifier or a comment. */
  code: boolean;
}

/** Splits SQL into code and non-code segments (single-quoted literals, double-quoted identifiers, comments). */
export function sqlSegments(sql: string): SqlSegment[] {
  const out: SqlSegment[] = [];
  let code = '';
  const push = (text: string) => {
    if (code) out.push({ text: code, code: true });
    code = '';
    out.push({ text, code: false });
  };
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      const end = closingQuote(sql, i, ch);
      push(sql.slice(i, end));
      i = end;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      push(sql.slice(i, stop));
      i = stop;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      push(sql.slice(i, stop));
      i = stop;
    } else {
      code += ch;
      i++;
    }
  }
  if (code) out.push({ text: code, code: true });
  return out;
}

/** Index just past the quote that closes the one at `start`; a doubled quote is an escaped one. */
function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

