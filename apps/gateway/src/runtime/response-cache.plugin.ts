import type { GatewayConfigContext, GatewayPlugin } from '@graphql-hive/gateway-runtime';
import useMeshResponseCache, { ResponseCacheConfig } from '@graphql-mesh/plugin-response-cache';
import { isPromise } from '@graphql-tools/utils';
import { DocumentNode, ExecutionArgs, ExecutionResult, Kind, SelectionSetNode, visit } from 'graphql';
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
 * calls the execute function it was handed): it removes exactly the fields the cache added (its two
 * aliases) and derives the entity marks from the result instead (`markCachedEntities`), so mutations
 * still invalidate the cached responses that hold the entities they return. Only the cache's own
 * additions are undone: other plugins' rewrites of the document (generic-auth removes the fields a
 * caller may not see) must reach the planner as they are. Both plugins must be
 * registered together and in this order; hence one factory. The cache is given here rather than
 * through the runtime's `responseCaching` option, which places it before every custom plugin.
 */
export function useResponseCacheAsSent(context: GatewayConfigContext, options: ResponseCacheOptions): GatewayPlugin[] {
  return [useOriginalOperation(), useMeshResponseCache({ ...options, cache: context.cache! }) as GatewayPlugin];
}

/** Executes the document without the fields the response cache added to it. */
export function useOriginalOperation(): GatewayPlugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((rewritten: ExecutionArgs) => {
        const asSent = { ...rewritten, document: withoutCacheFields(rewritten.document) };
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

/** The aliases `@envelop/response-cache` gives the `__typename` and `id` fields it adds. */
const CACHE_ALIASES = new Set(['__responseCacheTypeName', '__responseCacheId']);
const stripped = new WeakMap<DocumentNode, DocumentNode>();

/** The document with the cache's added fields removed (memoised: the cache memoises its rewrite per document). */
export function withoutCacheFields(document: DocumentNode): DocumentNode {
  let result = stripped.get(document);
  if (!result) {
    result = visit(document, {
      [Kind.SELECTION_SET]: (set: SelectionSetNode) => {
        const kept = set.selections.filter((s) => !(s.kind === Kind.FIELD && s.alias && CACHE_ALIASES.has(s.alias.value)));
        // A set left empty keeps the cache's `__typename` (the cache removes it from the result): when
        // generic-auth removed every field the caller may not see, `mutation { }` would not parse.
        return kept.length === set.selections.length || kept.length === 0 ? undefined : { ...set, selections: kept };
      },
    });
    stripped.set(document, result);
  }
  return result;
}
