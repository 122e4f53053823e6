import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sparkScripts } from '@plant/lake';

/**
 * `npm run etl:sql [-- --check]`: writes the Spark SQL that Glue runs (infra/etl/<step>.sql) from
 * the ETL definition in libs/lake; `--check` fails when a committed file differs (CI), so the
 * DuckDB and Spark forms cannot drift apart. (The ML feature tables are written by the Feature
 * Store's offline store, not by this ETL: libs/config/src/ml/feature-groups.ts.)
 */
export const ETL_SQL_DIR = resolve(__dirname, '../../infra/etl');

export function renderedScripts(dir = ETL_SQL_DIR): { path: string; sql: string }[] {
  return sparkScripts().map((s) => ({ path: join(dir, s.file), sql: s.sql }));
}

function main(): number {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const { path, sql } of renderedScripts()) {
    let committed: string | undefined;
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      committed = undefined;
    }
    if (committed === sql) continue;
    if (check) stale.push(path);
    else writeFileSync(path, sql);
  }
  if (stale.length > 0) {
    console.error(`stale Spark SQL (run npm run etl:sql): ${stale.join(', ')}`);
    return 1;
  }
  console.log(check ? 'Spark SQL up to date' : 'Spark SQL written');
  return 0;
}

if (require.main === module) process.exit(main());
