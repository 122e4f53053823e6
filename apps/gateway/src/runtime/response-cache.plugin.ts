import type { GatewayConfigContext, GatewayPlugin } from '@graphql-hive/gateway-runtime';
import useMeshResponseCache, { ResponseCacheConfig } from '@graphql-mesh/plugin-response-cache';
import { isPromise } from '@graphql-tools/utils';
import type { DocumentNode, ExecutionArgs, ExecutionResult } from 'graphql';
import { markCachedEntities } from './cache-entity-marks';

export type ResponseCacheOptions = Omit<ResponseCacheConfig, 'cache'>;

/**
 * The response cache (`@graphql-mesh/plugin-response-cache`, i.e. `@envelop/response-cache`)
 * without its rewrite of the client's operation.
 *
 * On a miss the library adds `__typename` and `id` (aliased `__responseCacheTypeName` /
 * `__responseCacheId`) to every selection set, to learn which entities a response holds, and
 * executes that document: the query planner then plans something the client never asked for. That
 * changed answers (docs/gateway.md, "Optimisations never change an answer"): an unrequested
 * non-null `id` that fails nulled its parent, a `@shareable` root field was also sent to a
 * subgraph that only the added `id` needed, and an added `__typename` under a `@provides` path made
 * the Rust planner fetch from the wrong subgraph. The library has no option to skip the rewrite.
 *
 * `useOriginalOperation` sits directly before the cache (hooks run in plugin order, and the cache
 * calls the execute function it was handed): it executes the operation exactly as the client sent
 * it and derives the entity marks from the result instead (`markCachedEntities`), so mutations still
 * invalidate the cached responses that hold the entities they return. Both plugins must be
 * registered together and in this order; hence one factory. The cache is given here rather than
 * through the runtime's `responseCaching` option, which places it before every custom plugin.
 */
export function useResponseCacheAsSent(context: GatewayConfigContext, options: ResponseCacheOptions): GatewayPlugin[] {
  return [useOriginalOperation(), useMeshResponseCache({ ...options, cache: context.cache! }) as GatewayPlugin];
}

/** Executes the document the client sent, whatever the plugins after this one pass down. */
export function useOriginalOperation(): GatewayPlugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const sent: DocumentNode = args.document;
      setExecuteFn((rewritten: ExecutionArgs) => {
        const asSent = { ...rewritten, document: sent };
        const result = executeFn(asSent) as ExecutionResult | Promise<ExecutionResult>;
        const mark = (r: ExecutionResult) => {
          if (r && typeof r === 'object' && !(Symbol.asyncIterator in r)) markCachedEntities(asSent, r);
          return r;
        };
        return isPromise(result) ? result.then(mark) : mark(result);
      });
    },
  };
}
