import { Directive } from '@nestjs/graphql';
import type { Policy, Scope } from '@plant/auth';

/*
 * Federation 2 authorization directives for code-first schemas, named from the one role → scopes
 * table (libs/auth roles.ts). Subgraphs only declare them; the gateway enforces them on the composed
 * supergraph (apps/gateway/src/runtime/authorization.ts).
 */

const list = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

/** Any caller with a verified token. */
export const Authenticated = () => Directive('@authenticated');

/** The caller needs every one of these scopes. */
export const RequiresScopes = (...scopes: Scope[]) => Directive(`@requiresScopes(scopes: [${list(scopes)}])`);

/** The caller's role grants this policy (e.g. `staff`: every role but partner). */
export const RequiresPolicy = (policy: Policy) => Directive(`@policy(policies: [${list([policy])}])`);
