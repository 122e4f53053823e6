import 'reflect-metadata';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { runApp } from '@plant/observability';
import { GatewayModule } from '../../src/app.module';
import { GatewayConfigSchema } from '../../src/config';

/**
 * The real gateway app with one extra plugin standing in for the auth work: it puts
 * `identity.role` from the test-only `x-test-role` header into the context, where the auth work
 * puts the verified JWT's role. Only tests start this entry.
 */
const testIdentity: GatewayPlugin = {
  // As early as a JWT plugin would (the server context, before validation), so field suggestions
  // can be shown to admins.
  onParams({ request, context }) {
    const role = request.headers.get('x-test-role');
    if (role) Object.assign(context, { identity: { subject: 'test', role, plants: '*', scopes: [], expiresAt: Date.now() + 60_000 } });
  },
};

runApp(GatewayConfigSchema, (config) => GatewayModule.forRoot(config, [testIdentity]));
