import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { isAsyncIterable, isPromise, mapAsyncIterator } from '@graphql-tools/utils';
import { DocumentNode, ExecutionArgs, ExecutionResult, FieldNode, Kind, SelectionSetNode, visit } from 'graphql';

/** Alias of the `__typename` that stands in for the fields authorization removed. */
export const PLACEHOLDER_ALIAS = '__authorizedNothing';
const PLACEHOLDER: FieldNode = {
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: PLACEHOLDER_ALIAS },
  name: { kind: Kind.NAME, value: '__typename' },
};
const filled = new WeakMap<DocumentNode, DocumentNode | null>();

/**
 * generic-auth (granular mode) removes every field the caller may not see before planning. When
 * that removes every field of a selection set — `mutation { acknowledgeAlert … }` for an analyst —
 * the document left has an empty selection set, which the Rust planner cannot parse ("Unexpected
 * end of input", answered as INTERNAL_SERVER_ERROR instead of UNAUTHORIZED_FIELD_OR_TYPE). Such a
 * set gets a `__typename` placeholder, removed from the result again; generic-auth then answers the
 * removed fields as null with their errors, as for any other unauthorized field. Registered after
 * the runtime's own plugins (generic-auth among them), so it sees the filtered document.
 */
export function useEmptySelectionsFilled(): GatewayPlugin {
  const strip = (result: ExecutionResult): ExecutionResult => (result?.data ? { ...result, data: withoutPlaceholders(result.data) as ExecutionResult['data'] } : result);
  return {
    onExecute({ executeFn, setExecuteFn }) {
      // Wrapped, not read here: generic-auth filters `args.document` in its own onExecute hook, and the
      // execute function is called with the args every hook has seen.
      setExecuteFn(((args: ExecutionArgs) => {
        const document = withPlaceholders(args.document);
        if (!document) return executeFn(args);
        const result = executeFn({ ...args, document }) as ExecutionResult | Promise<ExecutionResult> | AsyncIterable<ExecutionResult>;
        if (isPromise(result)) return result.then((r) => (isAsyncIterable(r) ? mapAsyncIterator(r as AsyncIterable<ExecutionResult>, strip) : strip(r)));
        return isAsyncIterable(result) ? mapAsyncIterator(result, strip) : strip(result);
      }) as never);
    },
  };
}

/** The document with a placeholder in every empty selection set, or null when it has none. */
export function withPlaceholders(document: DocumentNode): DocumentNode | null {
  // generic-auth already drops fields and fragments it emptied: only a definition's own selection set
  // can be left empty. Checked without a visit (a new document per request reaches this hook).
  if (document.definitions.every((d) => !('selectionSet' in d) || d.selectionSet.selections.length > 0)) return null;
  if (!filled.has(document)) {
    let changed = false;
    const result = visit(document, {
      [Kind.SELECTION_SET]: (set: SelectionSetNode) => {
        if (set.selections.length) return undefined;
        changed = true;
        return { ...set, selections: [PLACEHOLDER] };
      },
    });
    filled.set(document, changed ? result : null);
  }
  return filled.get(document)!;
}

function withoutPlaceholders(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPlaceholders);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (key !== PLACEHOLDER_ALIAS) out[key] = withoutPlaceholders(v);
  return out;
}
