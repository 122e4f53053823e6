import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { DocumentNode, GraphQLError, Kind, SelectionSetNode } from 'graphql';
import { roleOf } from './caller-role';
import { LimitCodes, limitError } from './limit-errors';

/**
 * In production only admins may introspect the schema or get field suggestions ("Did you mean
 * …?" in validation errors leaks field names); in development everyone may (GraphiQL needs it).
 *
 * Introspection is refused when execution starts, not during validation (the runtime's
 * `disableIntrospection`): the context is complete only then, whichever hook the authentication
 * sets `identity` in, and validation results are cached per document. Suggestions can only be
 * removed from validation errors, so they are removed unless the caller is known to be an admin
 * by then (a fail-safe default).
 */
export function useSchemaExposure(production: boolean): GatewayPlugin {
  const hidden = (context: unknown) => production && roleOf(context) !== 'admin';
  const refusal = () => limitError(LimitCodes.INTROSPECTION_DISABLED, 'Introspection is disabled for this caller.');
  return {
    onValidate({ context }) {
      if (!hidden(context)) return;
      return ({ result, setResult }) => {
        if (result.length) setResult(result.map(withoutSuggestion));
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      if (hidden(args.contextValue) && introspects(args.document)) setResultAndStopExecution({ errors: [refusal()] });
    },
  };
}

function withoutSuggestion(error: Error): Error {
  if (!(error instanceof GraphQLError)) return error;
  const message = error.message.replace(/ ?Did you mean .*\?$/, '');
  return message === error.message ? error : new GraphQLError(message, { nodes: error.nodes, extensions: error.extensions });
}

/** `__schema` or `__type` at the root of a query (the only place they exist), through fragments. */
function introspects(document: DocumentNode): boolean {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const seen = new Set<string>();
  const inSet = (set: SelectionSetNode): boolean =>
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === '__schema' || s.name.value === '__type';
      if (s.kind === Kind.INLINE_FRAGMENT) return inSet(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      const fragment = fragments.get(s.name.value);
      return fragment ? inSet(fragment.selectionSet) : false;
    });
  return document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && inSet(d.selectionSet));
}
