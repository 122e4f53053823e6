import type { GatewayConfigSupergraph } from '@graphql-hive/gateway-runtime';
import { Identity, policiesOf } from '@plant/auth';
import { identityOfContext } from './authentication.plugin';

/**
 * Enforces the subgraphs' Federation auth directives (`@authenticated`, `@requiresScopes`,
 * `@policy`, composed into the supergraph) with `@envelop/generic-auth` in granular mode and Apollo
 * Router's semantics: an unauthorized field is removed before planning, answered as null with an
 * UNAUTHORIZED_FIELD_OR_TYPE error, and the rest of the operation is served
 * (https://www.apollographql.com/docs/graphos/routing/security/authorization#filtering-unauthorized-fields).
 * Scopes come from the role table (libs/auth roles.ts), policies from the role.
 */
export function authorizationOptions(): GatewayConfigSupergraph['genericAuth'] {
  return {
    mode: 'protect-granular',
    rejectUnauthenticated: false,
    resolveUserFn: (context: unknown) => identityOfContext(context) ?? null,
    extractScopes: (identity: Identity | null) => identity?.scopes ?? [],
    extractPolicies: (identity: Identity | null) => (identity ? policiesOf(identity) : []),
  } as GatewayConfigSupergraph['genericAuth'];
}
