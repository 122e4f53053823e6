import type { Role } from '@plant/auth';
import { identityOfContext } from '../runtime/authentication.plugin';

export type CallerRole = Role;

/**
 * The caller's role from the verified identity: `context.identity`, or during validation (before
 * the context is built) the identity verified for the HTTP request. The limits read nothing else.
 */
export function roleOf(context: unknown): CallerRole | undefined {
  return identityOfContext(context)?.role;
}
