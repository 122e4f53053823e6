import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AwsApiError } from '../aws-json-handler';

/**
 * Where results go and how they look: Athena writes `<OutputLocation><QueryExecutionId>.csv` with a
 * header row, every value double-quoted and NULL as an empty field. Locally `s3://<bucket>/<key>`
 * is the folder `<s3Root>/<bucket>/<key>` (the lake bucket is the lake folder itself).
 */
export class LocalS3Paths {
  constructor(
    private readonly s3Root: string,
    private readonly lake: { bucket: string; dir: string },
  ) {}

  pathOf(uri: string): string {
    const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.*)$/.exec(uri);
    if (!match) throw new AwsApiError('InvalidRequestException', `OutputLocation must be an s3://bucket/prefix/ URI, got ${JSON.stringify(uri)}`);
    const [, bucket, key] = match;
    if (key.split('/').includes('..')) throw new AwsApiError('InvalidRequestException', 'OutputLocation must not contain ".."');
    return bucket === this.lake.bucket ? join(this.lake.dir, key) : join(this.s3Root, bucket, key);
  }
}

const csvField = (value: string | null) => (value === null ? '' : `"${value.replace(/"/g, '""')}"`);

/** Writes the result CSV atomically (temp file + rename), as a reader of the bucket would see it appear. */
export function writeResultCsv(path: string, header: string[], rows: (string | null)[][]): void {
  mkdirSync(dirname(path), { recursive: true });
  const lines = [header.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))];
  const partial = `${path}.partial`;
  writeFileSync(partial, `${lines.join('\n')}\n`);
  renameSync(partial, path);
}

/** Reads a CSV that `writeResultCsv` wrote (after a restart of the stack): header row first. */
export function readResultCsv(path: string): (string | null)[][] {
  const text = readFileSync(path, 'utf8');
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    // One field: a quoted value, or nothing (NULL) before the separator.
    if (text[i] === '"') {
      let value = '';
      i++;
      while (i < text.length && !(text[i] === '"' && text[i + 1] !== '"')) {
        value += text[i];
        i += text[i] === '"' ? 2 : 1;
      }
      i++;
      row.push(value);
    } else row.push(null);
    if (text[i] === '\n') {
      rows.push(row);
      row = [];
    }
    i++;
  }
  return rows;
}

/** Page tokens of GetQueryResults: opaque to clients, bound to one execution. */
export function pageToken(executionId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ e: executionId, o: offset })).toString('base64url');
}

export function offsetOf(token: string, executionId: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { e?: unknown; o?: unknown };
    if (parsed.e === executionId && Number.isInteger(parsed.o) && (parsed.o as number) >= 0) return parsed.o as number;
  } catch {
    // fall through: a token that is not ours
  }
  throw new AwsApiError('InvalidRequestException', 'NextToken is not valid for this query execution', 400, { AthenaErrorCode: 'INVALID_INPUT' });
}
