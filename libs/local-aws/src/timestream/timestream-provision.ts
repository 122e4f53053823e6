import { ConflictException, CreateDatabaseCommand, CreateTableCommand, TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { createClient } from '@plant/aws';
import { AwsConnection, TelemetryTable } from '@plant/config';
import { createUnlessExists } from '../provision-steps';

/**
 * Creates the Timestream database and table the stream-writer writes trend points into, as
 * `TelemetryTable` in @plant/config describes it (local retention: the memory store covers the live
 * trend windows, up to a day; magnetic writes accept a replayed backlog older than that). Idempotent.
 */
export async function provisionTimestream(connection: AwsConnection): Promise<void> {
  const client = createClient(TimestreamWriteClient, connection);
  const exists = (err: unknown) => err instanceof ConflictException;
  try {
    await createUnlessExists(() => client.send(new CreateDatabaseCommand({ DatabaseName: TelemetryTable.database })), exists);
    const { memoryStoreRetentionHours, magneticStoreRetentionDays } = TelemetryTable.local;
    await createUnlessExists(
      () =>
        client.send(
          new CreateTableCommand({
            DatabaseName: TelemetryTable.database,
            TableName: TelemetryTable.table,
            RetentionProperties: { MemoryStoreRetentionPeriodInHours: memoryStoreRetentionHours, MagneticStoreRetentionPeriodInDays: magneticStoreRetentionDays },
            MagneticStoreWriteProperties: { EnableMagneticStoreWrites: TelemetryTable.magneticStoreWrites },
          }),
        ),
      exists,
    );
  } finally {
    client.destroy();
  }
}
