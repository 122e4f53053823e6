import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { DocumentNode, print } from 'graphql';
import { scopeKeyOf } from '@plant/auth';
import { identityOfContext } from './authentication.plugin';
import { SharedSubscriptions } from './shared-subscriptions';

/**
 * Routes every client subscription through `SharedSubscriptions`, keyed by document, operation
 * name, variables and the caller's scope (role and plants, from the verified identity): identical
 * subscriptions of clients with the same scope become one upstream subscription and one execution per event (fan-out happens after execution).
 */
export function useSharedSubscriptions(shared: SharedSubscriptions): GatewayPlugin {
  const printed = new WeakMap<DocumentNode, string>();
  const textOf = (doc: DocumentNode) => {
    let text = printed.get(doc);
    if (text === undefined) {
      text = print(doc);
      printed.set(doc, text);
    }
    return text;
  };
  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const identity = identityOfContext(args.contextValue);
      const key = JSON.stringify([
        textOf(args.document),
        args.operationName ?? null,
        args.variableValues ?? null,
        identity ? scopeKeyOf(identity) : null,
      ]);
      setSubscribeFn((subscribeArgs) => shared.subscribe(key, () => subscribeFn(subscribeArgs)) as never);
    },
  };
}
