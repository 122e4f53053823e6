export * from './sql-dialect';
export * from './etl-step';
export * from './etl-steps';
export * from './spark-sql';
export * from './lake-folder';
export * from './duckdb-etl-runner';
export * from './transforms/raw-to-curated';
export * from './transforms/curated-to-refined';
