import 'reflect-metadata';
import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Args, Context, Field, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { Page, PageRequest } from '@plant/domain';
import { MetricsRegistry, ObservabilityModule } from '@plant/observability';
import { checkId, Connection, ConnectionPage, readConnectionPage, SubgraphAuth, subgraphGraphqlModule, SubgraphRequest } from '@plant/graphql';
import { internalIdentity, testIdentity, TEST_INTERNAL_AUTH_SECRET } from '../../../test/support/auth-tokens';

/**
 * The kit as a new subgraph uses it: a tiny code-first subgraph built only from
 * `subgraphGraphqlModule`, served by the real Nest app on a free port and called over HTTP.
 */

@ObjectType()
class Caller {
  @Field()
  subject!: string;

  @Field()
  subscription!: boolean;
}

@ObjectType()
class Item {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
class ItemConnection extends Connection(Item, 'Item') {}

const ITEMS = ['a', 'b', 'c', 'd', 'e'];

/** A list paged like a DynamoDB Query: the store's cursor is the last id it returned. */
async function itemPage(request: PageRequest): Promise<Page<Item>> {
  const start = request.after === undefined ? 0 : ITEMS.indexOf(request.after) + 1;
  const ids = ITEMS.slice(start, start + request.first);
  return { items: ids.map((id) => ({ id })), ...(start + request.first < ITEMS.length ? { endCursor: ids.at(-1) } : {}) };
}

@Resolver()
class KitResolver {
  @Query(() => Caller)
  caller(@Context() context: SubgraphRequest): Caller {
    return { subject: context.identity.subject, subscription: context.subscription };
  }

  @Query(() => Item)
  item(@Args('id', { type: () => ID }) id: string): Item {
    return { id: checkId('id', id) };
  }

  @Query(() => ItemConnection)
  items(
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<ConnectionPage<Item>> {
    return readConnectionPage(itemPage, first, after);
  }

  @Query(() => String)
  broken(): string {
    throw new Error('connect ECONNREFUSED 10.0.0.7:8000 (a backend detail clients must not read)');
  }
}

@Module({
  imports: [
    ObservabilityModule.forRoot({ app: 'kit-test', logLevel: 'silent' }),
    subgraphGraphqlModule({
      inject: [MetricsRegistry],
      useFactory: (metrics: MetricsRegistry) => ({
        auth: new SubgraphAuth(TEST_INTERNAL_AUTH_SECRET),
        metrics,
        requestDeadlineMs: 5_000,
        publicMessages: { unavailable: 'The kit store is unavailable; retry later' },
        context: (request: SubgraphRequest): SubgraphRequest => request,
      }),
    }),
  ],
  providers: [KitResolver],
})
class KitSubgraphModule {}

let app: INestApplication;
let url: string;

beforeAll(async () => {
  const moduleRef = await Test.createTestingModule({ imports: [KitSubgraphModule] }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/graphql`;
});

afterAll(async () => {
  await app?.close();
});

interface Answer {
  status: number;
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string; stacktrace?: unknown } }[];
}

async function call(query: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: res.status, ...((await res.json()) as Omit<Answer, 'status'>) };
}

describe('subgraph kit (libs/graphql/src/kit): a subgraph built from subgraphGraphqlModule alone', () => {
  it('refuses a call without the gateway-signed identity (401 UNAUTHENTICATED) and with a forged one', async () => {
    const forged = await internalIdentity(testIdentity('admin'), 'a-secret-only-the-attacker-knows-0123456789');
    for (const headers of [{}, forged]) {
      const answer = await call('{ caller { subject } }', headers);
      expect({ status: answer.status, code: answer.errors?.[0]?.extensions?.code, data: answer.data ?? null }).toEqual({ status: 401, code: 'UNAUTHENTICATED', data: null });
    }
  });

  it('hands the verified identity to the app’s context, marked as not a subscription', async () => {
    const answer = await call('{ caller { subject subscription } }', await internalIdentity(testIdentity('analyst', ['plant-1'], 'ana')));
    expect(answer.data).toEqual({ caller: { subject: 'ana', subscription: false } });
  });

  it('refuses an out-of-bounds id and page size with BAD_USER_INPUT naming the limit', async () => {
    const headers = await internalIdentity();
    const id = await call(`{ item(id: "${'x'.repeat(129)}") { id } }`, headers);
    expect(id.errors?.[0]).toMatchObject({ message: expect.stringContaining('1-128 characters'), extensions: { code: 'BAD_USER_INPUT' } });
    const page = await call('{ items(first: 101) { edges { cursor } } }', headers);
    expect(page.errors?.[0]).toMatchObject({ message: expect.stringContaining('between 1 and 100'), extensions: { code: 'BAD_USER_INPUT' } });
    const cursor = await call('{ items(after: "not a cursor") { edges { cursor } } }', headers);
    expect(cursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('pages a connection: every edge cursor resumes after its node, the last page says so', async () => {
    const headers = await internalIdentity();
    const first = await call('{ items(first: 2) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }', headers);
    expect(first.data!.items.edges.map((e: { node: Item }) => e.node.id)).toEqual(['a', 'b']);
    expect(first.data!.items.pageInfo.hasNextPage).toBe(true);
    const fromFirstEdge = await call(`{ items(first: 10, after: "${first.data!.items.edges[0].cursor}") { edges { node { id } } pageInfo { hasNextPage } } }`, headers);
    expect(fromFirstEdge.data!.items).toEqual({ edges: ['b', 'c', 'd', 'e'].map((id) => ({ node: { id } })), pageInfo: { hasNextPage: false } });
  });

  it('answers an unexpected failure with INTERNAL_SERVER_ERROR, no stack trace and no backend detail', async () => {
    const answer = await call('{ broken }', await internalIdentity());
    expect(answer.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(answer.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
    expect(JSON.stringify(answer.errors)).not.toContain('10.0.0.7');
  });

  it('builds a Federation 2 schema (the `@link` the composer needs) with the connection types', async () => {
    const answer = await call('{ _service { sdl } }', await internalIdentity());
    const sdl: string = answer.data!._service.sdl;
    expect(sdl).toMatch(/@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
    expect(sdl).toContain('type ItemConnection');
    expect(sdl).toMatch(/type PageInfo\s+@shareable/);
  });
});
