import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLSchema, parse } from 'graphql';
import { EventEmitter } from 'node:events';
import { PubSub, withFilter } from 'graphql-subscriptions';
import { describeIdentity, FixtureContext } from './subgraph-server';

/**
 * Test subgraph "assets" (stands in for kpi-subgraph): owns Line and Asset, serves current KPIs
 * from memory, and a `kpiUpdated` subscription fed by `emit`.
 */
export const assetSubgraphSdl = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Line @key(fields: "id") {
    id: ID!
    name: String!
    assets: [Asset!]!
  }

  type Asset @key(fields: "id") {
    id: ID!
    name: String!
    lineId: ID!
    kpi: AssetKpi!
  }

  type AssetKpi {
    oee: Float!
    availability: Float!
    performance: Float!
    quality: Float!
    goodCount: Int!
    scrapCount: Int!
    revision: Int!
  }

  type KpiUpdate {
    asset: Asset!
    sequence: Int!
    "Wall-clock ms (with fraction) when the subgraph emitted the event; lets clients measure delivery latency."
    emittedAtMs: Float!
  }

  type Query {
    asset(id: ID!): Asset
    line(id: ID!): Line
    "The forwarded identity as this subgraph verified it: subject, role, plants (forwarding check)."
    callerIdentity: String
  }

  type Mutation {
    recordGoodCount(assetId: ID!, goodCount: Int!): Asset!
  }

  type Subscription {
    kpiUpdated(assetId: ID): KpiUpdate!
  }
`;

interface AssetKpi {
  oee: number;
  availability: number;
  performance: number;
  quality: number;
  goodCount: number;
  scrapCount: number;
  revision: number;
}
interface AssetRecord {
  id: string;
  name: string;
  lineId: string;
  kpi: AssetKpi;
}
interface KpiUpdateEvent {
  asset: AssetRecord;
  sequence: number;
  emittedAtMs: number;
}

const KPI_UPDATED = 'KPI_UPDATED';

export class AssetStore {
  readonly assets = new Map<string, AssetRecord>();
  private readonly events = new EventEmitter().setMaxListeners(0);
  readonly pubsub = new PubSub<{ [KPI_UPDATED]: KpiUpdateEvent }>({ eventEmitter: this.events });
  private sequence = 0;

  constructor(lines = 5, assetsPerLine = 20) {
    for (let l = 1; l <= lines; l++) {
      for (let a = 1; a <= assetsPerLine; a++) {
        const id = `asset-${l}-${a}`;
        this.assets.set(id, { id, name: `Press ${l}.${a}`, lineId: `line-${l}`, kpi: initialKpi(l * 100 + a) });
      }
    }
  }

  assetIds(): string[] {
    return [...this.assets.keys()];
  }

  /** Updates an asset's KPIs and publishes the change to `kpiUpdated` subscribers. */
  emit(assetId: string): KpiUpdateEvent {
    const asset = this.required(assetId);
    asset.kpi = { ...asset.kpi, goodCount: asset.kpi.goodCount + 1, revision: asset.kpi.revision + 1 };
    const event = { asset, sequence: ++this.sequence, emittedAtMs: performance.timeOrigin + performance.now() };
    void this.pubsub.publish(KPI_UPDATED, event);
    return event;
  }

  /** Open `kpiUpdated` subscriptions on this subgraph (proves upstream subscriptions end). */
  activeSubscriptions(): number {
    return this.events.listenerCount(KPI_UPDATED);
  }

  required(id: string): AssetRecord {
    const asset = this.assets.get(id);
    if (!asset) throw new Error(`unknown asset ${id}`);
    return asset;
  }
}

function initialKpi(seed: number): AssetKpi {
  const availability = 0.8 + (seed % 17) / 100;
  const performance = 0.75 + (seed % 13) / 100;
  const quality = 0.9 + (seed % 7) / 100;
  return { oee: availability * performance * quality, availability, performance, quality, goodCount: seed * 10, scrapCount: seed % 9, revision: 0 };
}

export function buildAssetSubgraphSchema(store: AssetStore): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(assetSubgraphSdl),
    resolvers: {
      Query: {
        asset: (_: unknown, { id }: { id: string }) => store.assets.get(id) ?? null,
        line: (_: unknown, { id }: { id: string }) => ({ id }),
        callerIdentity: (_: unknown, __: unknown, ctx: FixtureContext) => describeIdentity(ctx.identity),
      },
      Mutation: {
        recordGoodCount: (_: unknown, { assetId, goodCount }: { assetId: string; goodCount: number }) => {
          const asset = store.required(assetId);
          asset.kpi = { ...asset.kpi, goodCount, revision: asset.kpi.revision + 1 };
          return asset;
        },
      },
      Subscription: {
        kpiUpdated: {
          subscribe: withFilter(
            () => store.pubsub.asyncIterableIterator(KPI_UPDATED),
            (event?: KpiUpdateEvent, args?: { assetId?: string | null }) => !args?.assetId || event?.asset.id === args.assetId,
          ),
          resolve: (event: KpiUpdateEvent) => event,
        },
      },
      Line: {
        __resolveReference: (ref: { id: string }) => ref,
        name: (line: { id: string }) => `Line ${line.id.replace('line-', '')}`,
        assets: (line: { id: string }) => [...store.assets.values()].filter((a) => a.lineId === line.id),
      },
      Asset: {
        __resolveReference: (ref: { id: string }) => store.assets.get(ref.id) ?? null,
      },
    } as any,
  });
}
