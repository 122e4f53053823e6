/**
 * The caller's role as the auth work puts it in the gateway context (`context.identity.role`,
 * from the verified JWT). The limits read nothing else of the identity.
 */
export type CallerRole = 'operator' | 'analyst' | 'data_scientist' | 'partner' | 'admin';

export function roleOf(context: unknown): CallerRole | undefined {
  const identity = (context as { identity?: { role?: unknown } } | undefined)?.identity;
  const role = identity?.role;
  return typeof role === 'string' ? (role as CallerRole) : undefined;
}
