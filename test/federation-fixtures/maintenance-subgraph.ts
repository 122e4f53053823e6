import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLSchema, parse } from 'graphql';
import { describeIdentity, FixtureContext } from './subgraph-server';

/**
 * Test subgraph "maintenance" (stands in for ml-subgraph): adds `failureRisk` to Asset. Tests change
 * the value between subscription events to prove that each event's cross-subgraph fields are fresh.
 */
export const maintenanceSubgraphSdl = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Asset @key(fields: "id") {
    id: ID!
    failureRisk: Float!
    "How many times this subgraph resolved the asset: proves per-event resolution."
    resolveCount: Int!
    "The forwarded identity of the _entities request that resolved this asset (subject, role, plants)."
    seenIdentity: String
  }
`;

export class MaintenanceStore {
  private readonly risks = new Map<string, number>();
  private readonly resolveCounts = new Map<string, number>();

  setRisk(assetId: string, risk: number): void {
    this.risks.set(assetId, risk);
  }

  risk(assetId: string): number {
    return this.risks.get(assetId) ?? 0.05;
  }

  countResolve(assetId: string): number {
    const n = (this.resolveCounts.get(assetId) ?? 0) + 1;
    this.resolveCounts.set(assetId, n);
    return n;
  }
}

export function buildMaintenanceSubgraphSchema(store: MaintenanceStore): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(maintenanceSubgraphSdl),
    resolvers: {
      Asset: {
        __resolveReference: (ref: { id: string }, ctx: FixtureContext) => ({
          id: ref.id,
          failureRisk: store.risk(ref.id),
          resolveCount: store.countResolve(ref.id),
          seenIdentity: describeIdentity(ctx.identity),
        }),
      },
    } as any,
  });
}
