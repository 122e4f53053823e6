import { z } from 'zod';
import type { InputShapes } from '../aws-json-handler';

/** Member types of the Timestream Write and Query operations we serve (null counts as absent, as in AWS JSON). */
const str = z.string().nullish();
const num = z.number().nullish();
const names = z.object({ DatabaseName: str, TableName: str });

export const TIMESTREAM_SHAPES: InputShapes = {
  CreateDatabase: names,
  DescribeDatabase: names,
  ListDatabases: z.object({ NextToken: str, MaxResults: num }),
  CreateTable: names.extend({
    RetentionProperties: z.object({ MemoryStoreRetentionPeriodInHours: num, MagneticStoreRetentionPeriodInDays: num }).nullish(),
    MagneticStoreWriteProperties: z.object({ EnableMagneticStoreWrites: z.boolean().nullish() }).nullish(),
  }),
  DescribeTable: names,
  ListTables: names,
  // Records are checked member by member in timestream-records.ts (their errors name the record).
  WriteRecords: names.extend({ CommonAttributes: z.record(z.string(), z.unknown()).nullish(), Records: z.array(z.unknown()).nullish() }),
  Query: z.object({ QueryString: str, NextToken: str, MaxRows: num, ClientToken: str }),
};
