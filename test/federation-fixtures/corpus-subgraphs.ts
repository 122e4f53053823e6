import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, GraphQLSchema, parse } from 'graphql';
import { EventEmitter } from 'node:events';
import { PubSub } from 'graphql-subscriptions';
import { composeSupergraph } from '../../tools/compose/compose-supergraph';
import { RunningSubgraph, startSubgraphServer } from './subgraph-server';

/**
 * Two small subgraphs that exercise the federation features a gateway layer can get wrong:
 * entities across subgraphs, `@requires`, `@provides`, an interface with a `@shareable`
 * `node(id:)` root field in both subgraphs, a union, `@inaccessible`, null propagation from failing
 * non-null fields, and a subscription whose events need the other subgraph. Each has a trap that a
 * gateway which rewrites the client's operation falls into (see docs/gateway.md, "Optimisations
 * never change an answer"):
 * - `SparePart.id` is non-null and fails for a discontinued part: asking for it nulls the parent.
 * - work order `wo-3` references machine `m-retired`, which only maintenance knows: the plant
 *   subgraph's `_entities` answers null for it, so a planner that leaves the `@provides` path and
 *   asks plant for that machine nulls the work orders.
 * - `site` is `@shareable` in both; plant's fails and only plant has `SiteInfo.id`: adding `id`
 *   to `{ site { shift } }` sends the plan to plant as well.
 */
export const plantCorpusSdl = /* GraphQL */ `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable", "@inaccessible"])

  interface Node {
    id: ID!
  }

  type Machine implements Node @key(fields: "id") {
    id: ID!
    name: String!
    serial: String!
    status: MachineStatus!
    sensors: [Sensor!]!
    "Internal only: composed away from the public API."
    internalCode: String @inaccessible
  }

  enum MachineStatus {
    RUNNING
    DOWN
  }

  type Sensor implements Node @key(fields: "id") {
    id: ID!
    name: String!
    machine: Machine!
    "Nullable: fails for one sensor (an error at its path, the rest served)."
    reading: Float
    "Non-null: fails for one sensor, which nulls that sensor (its list item is nullable)."
    calibratedReading: Float!
  }

  union Equipment = Machine | Sensor

  "A value type (no key) that both subgraphs serve; only this one has its id."
  type SiteInfo @shareable {
    id: ID!
    name: String!
  }

  type Query {
    machines: [Machine!]!
    machine(id: ID!): Machine
    sensors: [Sensor]!
    equipment: [Equipment!]!
    node(id: ID!): Node @shareable
    "Fails here (the site directory is down); maintenance serves the same field."
    site: SiteInfo @shareable
  }

  type Subscription {
    machineChanged: MachineChange!
  }

  type MachineChange {
    sequence: Int!
    machine: Machine!
  }
`;

export const maintenanceCorpusSdl = /* GraphQL */ `
  extend schema
    @link(
      url: "https://specs.apollo.dev/federation/v2.6"
      import: ["@key", "@shareable", "@external", "@requires", "@provides"]
    )

  interface Node {
    id: ID!
  }

  type Machine implements Node @key(fields: "id") {
    id: ID!
    name: String! @external
    serial: String! @external
    "Computed from the serial, which lives in the plant subgraph (@requires)."
    nextServiceDue: String @requires(fields: "serial")
    sensors: [Sensor!]! @external
    workOrders: [WorkOrder!]!
    spareParts: [SparePart!]!
  }

  type Sensor @key(fields: "id") {
    id: ID!
    name: String! @external
  }

  type WorkOrder implements Node @key(fields: "id") {
    id: ID!
    title: String!
    "The work order carries its machine's name and sensors' names (@provides, nested)."
    machine: Machine! @provides(fields: "name sensors { name }")
  }

  type SiteInfo @shareable {
    name: String!
    shift: String!
  }

  type SparePart @key(fields: "partNo") {
    partNo: String!
    name: String!
    "Non-null and unresolvable for a discontinued part."
    id: ID!
  }

  type Query {
    openWorkOrders: [WorkOrder!]!
    node(id: ID!): Node @shareable
    site: SiteInfo @shareable
  }
`;

interface MachineRecord {
  id: string;
  name: string;
  serial: string;
  status: 'RUNNING' | 'DOWN';
}
interface SensorRecord {
  id: string;
  name: string;
  machineId: string;
}
interface WorkOrderRecord {
  id: string;
  title: string;
  machine: { id: string; name: string; sensors: { id: string; name: string }[] };
}

const machines: MachineRecord[] = [
  { id: 'm-1', name: 'Press 1', serial: 'SN-100', status: 'RUNNING' },
  { id: 'm-2', name: 'Press 2', serial: 'SN-200', status: 'DOWN' },
];
const sensors: SensorRecord[] = [
  { id: 's-1', name: 'Temperature', machineId: 'm-1' },
  { id: 's-2', name: 'Vibration', machineId: 'm-1' },
  { id: 's-3', name: 'Current', machineId: 'm-2' },
];
const workOrders: WorkOrderRecord[] = [
  { id: 'wo-1', title: 'Replace seal', machine: { id: 'm-1', name: 'Press 1', sensors: [{ id: 's-1', name: 'Temperature' }, { id: 's-2', name: 'Vibration' }] } },
  { id: 'wo-2', title: 'Grease spindle', machine: { id: 'm-2', name: 'Press 2', sensors: [{ id: 's-3', name: 'Current' }] } },
  // Only maintenance still knows this machine: the plant subgraph retired it.
  { id: 'wo-3', title: 'Scrap frame', machine: { id: 'm-retired', name: 'Old press', sensors: [{ id: 's-old', name: 'Pressure' }] } },
];
const sparePartsByMachine: Record<string, { partNo: string; name: string }[]> = {
  'm-1': [{ partNo: 'P-1', name: 'Seal' }, { partNo: 'P-OLD', name: 'Gasket (discontinued)' }],
  'm-2': [{ partNo: 'P-2', name: 'Spindle bearing' }],
};

const machineById = (id: string) => machines.find((m) => m.id === id) ?? null;
const sensorById = (id: string) => sensors.find((s) => s.id === id) ?? null;
const failure = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/** The plant-side state a test changes: subscription events. */
export class CorpusStore {
  private sequence = 0;
  readonly pubsub = new PubSub({ eventEmitter: new EventEmitter().setMaxListeners(0) });

  emit(machineId: string): void {
    void this.pubsub.publish('MACHINE_CHANGED', { sequence: ++this.sequence, machine: machineById(machineId) });
  }
}

export function buildPlantCorpusSchema(store: CorpusStore): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(plantCorpusSdl),
    resolvers: {
      Query: {
        machines: () => machines,
        machine: (_: unknown, { id }: { id: string }) => machineById(id),
        sensors: () => sensors,
        equipment: () => [...machines.map((m) => ({ ...m, __typename: 'Machine' })), ...sensors.map((s) => ({ ...s, __typename: 'Sensor' }))],
        node: (_: unknown, { id }: { id: string }) => machineById(id) ?? sensorById(id),
        site: () => {
          throw failure('site directory unavailable', 'UNAVAILABLE');
        },
      },
      Subscription: {
        machineChanged: { subscribe: () => store.pubsub.asyncIterableIterator('MACHINE_CHANGED'), resolve: (e: unknown) => e },
      },
      Node: { __resolveType: (n: { id: string }) => (n.id.startsWith('s-') ? 'Sensor' : 'Machine') },
      Equipment: { __resolveType: (n: { __typename: string }) => n.__typename },
      Machine: {
        __resolveReference: (ref: { id: string }) => machineById(ref.id),
        sensors: (m: MachineRecord) => sensors.filter((s) => s.machineId === m.id),
        internalCode: (m: MachineRecord) => `IC-${m.id}`,
      },
      Sensor: {
        __resolveReference: (ref: { id: string }) => sensorById(ref.id),
        machine: (s: SensorRecord) => machineById(s.machineId),
        reading: (s: SensorRecord) => {
          if (s.id === 's-2') throw failure('sensor s-2 did not answer', 'UNAVAILABLE');
          return s.id === 's-1' ? 71.5 : 3.2;
        },
        calibratedReading: (s: SensorRecord) => {
          if (s.id === 's-3') throw failure('sensor s-3 has no calibration', 'NOT_FOUND');
          return 70;
        },
      },
    } as any,
  });
}

export function buildMaintenanceCorpusSchema(): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(maintenanceCorpusSdl),
    resolvers: {
      Query: {
        openWorkOrders: () => workOrders,
        node: (_: unknown, { id }: { id: string }) => workOrders.find((w) => w.id === id) ?? (id.startsWith('m-') ? { id } : null),
        site: () => ({ name: 'Plant Nord', shift: 'early' }),
      },
      Node: { __resolveType: (n: { id: string }) => (n.id.startsWith('wo-') ? 'WorkOrder' : 'Machine') },
      Machine: {
        __resolveReference: (ref: { id: string; serial?: string }) => ref,
        nextServiceDue: (m: { id: string; serial?: string }) => (m.serial ? `2027-0${m.serial.length % 9}-15 (${m.serial})` : null),
        workOrders: (m: { id: string }) => workOrders.filter((w) => w.machine.id === m.id),
        spareParts: (m: { id: string }) => sparePartsByMachine[m.id] ?? [],
      },
      WorkOrder: {
        __resolveReference: (ref: { id: string }) => workOrders.find((w) => w.id === ref.id) ?? null,
      },
      Sensor: { __resolveReference: (ref: { id: string }) => ref },
      SparePart: {
        __resolveReference: (ref: { partNo: string }) =>
          Object.values(sparePartsByMachine).flat().find((p) => p.partNo === ref.partNo) ?? null,
        id: (p: { partNo: string }) => {
          if (p.partNo === 'P-OLD') throw failure(`part ${p.partNo} is discontinued`, 'NOT_FOUND');
          return `part:${p.partNo}`;
        },
      },
    } as any,
  });
}

export interface CorpusSubgraphs {
  plant: RunningSubgraph;
  maintenance: RunningSubgraph;
  store: CorpusStore;
  supergraphSdl: string;
  stop(): Promise<void>;
}

/** Both corpus subgraphs on free ports, with the supergraph composed like `npm run compose` does. */
export async function startCorpusSubgraphs(): Promise<CorpusSubgraphs> {
  const store = new CorpusStore();
  const plant = await startSubgraphServer('plant', buildPlantCorpusSchema(store));
  const maintenance = await startSubgraphServer('maintenance', buildMaintenanceCorpusSchema());
  const supergraphSdl = composeSupergraph([
    { name: 'plant', url: plant.url, sdl: plantCorpusSdl },
    { name: 'maintenance', url: maintenance.url, sdl: maintenanceCorpusSdl },
  ]);
  return {
    plant,
    maintenance,
    store,
    supergraphSdl,
    stop: async () => {
      await Promise.all([plant.stop(), maintenance.stop()]);
    },
  };
}
