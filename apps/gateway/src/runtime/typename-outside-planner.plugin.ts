import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { isAsyncIterable, isPromise, mapAsyncIterator } from '@graphql-tools/utils';
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import { restoreStaticTypenames, StrippedOperation, withoutStaticTypenames } from './typename-outside-planner';

/**
 * Answers statically known `__typename`s at the gateway instead of planning them (the Rust
 * planner's `@provides` bug; see typename-outside-planner.ts), for queries, mutations and every
 * subscription event. Register it before the response cache so that the cache stores the
 * restored answer.
 */
export function useTypenameOutsidePlanner(): GatewayPlugin {
  const plans = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, StrippedOperation | null>>>();
  const planFor = (args: ExecutionArgs): StrippedOperation | null => {
    let bySchema = plans.get(args.schema);
    if (!bySchema) plans.set(args.schema, (bySchema = new WeakMap()));
    let byName = bySchema.get(args.document);
    if (!byName) bySchema.set(args.document, (byName = new Map()));
    const name = args.operationName ?? '';
    if (!byName.has(name)) byName.set(name, withoutStaticTypenames(args.schema, args.document, args.operationName) ?? null);
    return byName.get(name)!;
  };
  const restore = (args: ExecutionArgs, plan: StrippedOperation) => (result: ExecutionResult): ExecutionResult =>
    result?.data ? { ...result, data: restoreStaticTypenames(args.schema, args.document, args.operationName, plan.stripped, result.data) } : result;
  const run = (fn: (a: ExecutionArgs) => unknown, args: ExecutionArgs) => {
    const plan = planFor(args);
    if (!plan) return fn(args);
    const done = (r: unknown): unknown =>
      isAsyncIterable(r) ? mapAsyncIterator(r as AsyncIterableIterator<ExecutionResult>, restore(args, plan)) : restore(args, plan)(r as ExecutionResult);
    const result = fn({ ...args, document: plan.document });
    return isPromise(result) ? result.then(done) : done(result);
  };
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args: ExecutionArgs) => run(executeFn as (a: ExecutionArgs) => unknown, args) as never);
    },
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      setSubscribeFn((args: ExecutionArgs) => run(subscribeFn as (a: ExecutionArgs) => unknown, args) as never);
    },
  };
}
