import { CreateEventBusCommand, EventBridgeClient, ResourceAlreadyExistsException } from '@aws-sdk/client-eventbridge';
import { createClient } from '@plant/aws';
import { AwsConnection, ResourceNames } from '@plant/config';

/** Creates the alert bus unless it exists; rules and targets belong to the apps that consume alerts. */
export async function provisionEventBridge(connection: AwsConnection): Promise<void> {
  const client = createClient(EventBridgeClient, connection);
  try {
    await client.send(new CreateEventBusCommand({ Name: ResourceNames.alertBus }));
  } catch (err) {
    if (!(err instanceof ResourceAlreadyExistsException)) throw err;
  } finally {
    client.destroy();
  }
}
