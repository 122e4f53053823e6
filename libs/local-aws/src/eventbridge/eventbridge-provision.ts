import { CreateEventBusCommand, EventBridgeClient, ResourceAlreadyExistsException } from '@aws-sdk/client-eventbridge';
import { createClient } from '@plant/aws';
import { AlertBus, AwsConnection } from '@plant/config';
import { createUnlessExists } from '../provision-steps';

/** Creates the alert bus unless it exists; rules and targets belong to the apps that consume alerts. */
export async function provisionEventBridge(connection: AwsConnection): Promise<void> {
  const client = createClient(EventBridgeClient, connection);
  try {
    await createUnlessExists(() => client.send(new CreateEventBusCommand({ Name: AlertBus.name })), (err) => err instanceof ResourceAlreadyExistsException);
  } finally {
    client.destroy();
  }
}
