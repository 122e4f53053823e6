import { ConflictException, CreateDatabaseCommand, CreateTableCommand, TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import { createClient } from '@plant/aws';
import { AwsConnection, ResourceNames } from '@plant/config';

/**
 * Creates the Timestream database and table the stream-writer writes trend points into. Memory
 * store retention covers the live trend windows (up to a day); magnetic writes stay enabled so a
 * replayed backlog older than that is still accepted instead of rejected. Idempotent.
 */
export async function provisionTimestream(connection: AwsConnection): Promise<void> {
  const client = createClient(TimestreamWriteClient, connection);
  const ignoreExisting = (err: unknown) => {
    if (!(err instanceof ConflictException)) throw err;
  };
  try {
    await client.send(new CreateDatabaseCommand({ DatabaseName: ResourceNames.timestreamDatabase })).catch(ignoreExisting);
    await client
      .send(
        new CreateTableCommand({
          DatabaseName: ResourceNames.timestreamDatabase,
          TableName: ResourceNames.timestreamTable,
          RetentionProperties: { MemoryStoreRetentionPeriodInHours: 24, MagneticStoreRetentionPeriodInDays: 365 },
          MagneticStoreWriteProperties: { EnableMagneticStoreWrites: true },
        }),
      )
      .catch(ignoreExisting);
  } finally {
    client.destroy();
  }
}
