import {
  ExecutionArgs,
  ExecutionResult,
  FragmentDefinitionNode,
  getNamedType,
  getOperationAST,
  GraphQLCompositeType,
  GraphQLObjectType,
  GraphQLSchema,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  SelectionSetNode,
} from 'graphql';

/**
 * The result key from which `@envelop/response-cache` reads an object's type when it records the
 * entities of a response (and which it deletes before anything is cached or returned).
 */
export const CACHE_TYPENAME_KEY = '__responseCacheTypeName';

/**
 * Marks every object of `result.data` whose concrete type is known with its type name under
 * `CACHE_TYPENAME_KEY`, walking the document the client sent. The response cache then records
 * `Type:id` for each marked object that has its `id` selected, and a mutation that returns such an
 * entity invalidates the cached responses that hold it. Known means: the field's type is an object
 * type, or the client selected `__typename` on an interface or union. An object of an abstract type
 * without `__typename` stays unmarked; its cached responses then expire by TTL alone.
 */
export function markCachedEntities(args: Pick<ExecutionArgs, 'schema' | 'document' | 'operationName'>, result: ExecutionResult): void {
  const operation = getOperationAST(args.document, args.operationName);
  const root = operation && args.schema.getRootType(operation.operation);
  if (!operation || !root || !result.data) return;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of args.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  markValue(args.schema, fragments, root, [operation.selectionSet], result.data);
}

function markValue(
  schema: GraphQLSchema,
  fragments: Map<string, FragmentDefinitionNode>,
  type: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
  value: unknown,
): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) markValue(schema, fragments, type, selectionSets, item);
    return;
  }
  const data = value as Record<string, unknown>;
  const named = typeof data.__typename === 'string' ? schema.getType(data.__typename) : undefined;
  const concrete = isObjectType(type) ? type : isObjectType(named) ? named : undefined;
  if (concrete) data[CACHE_TYPENAME_KEY] = concrete.name;

  // A union of unknown member has no fields of its own (only `__typename`).
  const fieldsOf = concrete ?? type;
  const fields = 'getFields' in fieldsOf ? fieldsOf.getFields() : {};
  for (const [key, { name, sets }] of collectFields(schema, fragments, concrete, type, selectionSets)) {
    const child = fields[name] && getNamedType(fields[name].type);
    if (child && isCompositeType(child)) markValue(schema, fragments, child, sets, data[key]);
  }
}

/** Fields by response key that apply to an object of `concrete` type (or of abstract `type` when unknown). */
function collectFields(
  schema: GraphQLSchema,
  fragments: Map<string, FragmentDefinitionNode>,
  concrete: GraphQLObjectType | undefined,
  type: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
  into = new Map<string, { name: string; sets: SelectionSetNode[] }>(),
): Map<string, { name: string; sets: SelectionSetNode[] }> {
  const applies = (condition: string | undefined) => {
    if (!condition || condition === type.name) return true;
    if (!concrete) return false;
    const conditionType = schema.getType(condition);
    return condition === concrete.name || (isAbstractType(conditionType) && schema.isSubType(conditionType, concrete));
  };
  for (const set of selectionSets) {
    for (const selection of set.selections) {
      switch (selection.kind) {
        case Kind.FIELD: {
          const key = selection.alias?.value ?? selection.name.value;
          const entry = into.get(key) ?? { name: selection.name.value, sets: [] };
          if (selection.selectionSet) entry.sets.push(selection.selectionSet);
          into.set(key, entry);
          break;
        }
        case Kind.INLINE_FRAGMENT:
          if (applies(selection.typeCondition?.name.value)) collectFields(schema, fragments, concrete, type, [selection.selectionSet], into);
          break;
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments.get(selection.name.value);
          if (fragment && applies(fragment.typeCondition.name.value)) {
            collectFields(schema, fragments, concrete, type, [fragment.selectionSet], into);
          }
          break;
        }
      }
    }
  }
  return into;
}
