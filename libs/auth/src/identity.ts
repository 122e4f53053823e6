/**
 * Who calls the API, as the gateway verified it. The gateway puts it in the GraphQL context
 * (`context.identity`) and forwards it to the subgraphs in a signed internal header; every decision
 * about roles, scopes and plants is made from it, never from arguments or raw headers.
 */
export const ROLES = ['operator', 'analyst', 'data_scientist', 'partner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Every plant (`'*'`) or the listed plant ids. */
export type PlantScope = string[] | '*';

export interface Identity {
  /** The token's `sub`: user, client or service id. */
  subject: string;
  role: Role;
  /** The plants whose rows the caller may see (Lake Formation's row filter, in the API). */
  plants: PlantScope;
  /** From the role → scopes table (`ROLE_SCOPES`), never from the token. */
  scopes: string[];
  /** Epoch ms: the end of the caller's token; open subscriptions end then. */
  expiresAt: number;
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** True when the caller may see rows of this plant. */
export function canSeePlant(identity: Pick<Identity, 'plants'>, plantId: string): boolean {
  return identity.plants === '*' || identity.plants.includes(plantId);
}

/** The plants to filter by, or undefined when the caller sees every plant. */
export function plantFilterOf(identity: Pick<Identity, 'plants'>): readonly string[] | undefined {
  return identity.plants === '*' ? undefined : identity.plants;
}

/**
 * What two callers must share to share a cached response or an upstream subscription: results
 * depend on the role (scopes, policies) and the plants, not on who the caller is.
 */
export function scopeKeyOf(identity: Pick<Identity, 'role' | 'plants'>): string {
  const plants = identity.plants === '*' ? '*' : [...identity.plants].sort().join(',');
  return `${identity.role}|${plants}`;
}
