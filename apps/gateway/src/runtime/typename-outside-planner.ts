import {
  DocumentNode,
  FieldNode,
  getNamedType,
  getOperationAST,
  GraphQLObjectType,
  GraphQLSchema,
  InlineFragmentNode,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';

/**
 * Work-around for a Rust query planner bug (@graphql-hive/router-runtime 1.4 with
 * router-query-planner 0.0.38; report text in docs/gateway.md): a `__typename` selected under a
 * nested `@provides` path is planned as an `_entities` fetch from the type's owning subgraph
 * instead of being answered by the subgraph that provides the path. That fetch is needless at best;
 * when the owner does not know the entity, the runtime nulls a non-null field without an error.
 *
 * Where the type of a selection set is known statically, the gateway does not need the planner
 * for `__typename`: `withoutStaticTypenames` removes `__typename` from selection sets whose parent
 * type is an object type and that every enclosing selection set, up to the operation, is on an object
 * type too (so the type of every object in the result at those places is known without asking),
 * keeping at least one other field in each; `restoreStaticTypenames` writes the type names back
 * into the result, in the order the client selected the fields. Named fragments are left as they
 * are (one fragment can be spread under different parents). `__typename` with directives stays.
 */
export interface StrippedOperation {
  document: DocumentNode;
  /** Stripped `__typename` response keys per original selection set. */
  stripped: Map<SelectionSetNode, string[]>;
}

export function withoutStaticTypenames(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null): StrippedOperation | undefined {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return undefined;
  const stripped = new Map<SelectionSetNode, string[]>();
  const selectionSet = strip(root, operation.selectionSet, stripped);
  if (stripped.size === 0) return undefined;
  const rewritten: OperationDefinitionNode = { ...operation, selectionSet };
  return { document: { ...document, definitions: document.definitions.map((d) => (d === operation ? rewritten : d)) }, stripped };
}

function strip(type: GraphQLObjectType, set: SelectionSetNode, stripped: Map<SelectionSetNode, string[]>): SelectionSetNode {
  const isStaticTypename = (s: SelectionSetNode['selections'][number]): s is FieldNode =>
    s.kind === Kind.FIELD && s.name.value === '__typename' && !s.directives?.length;
  const typenames = set.selections.filter(isStaticTypename);
  const keep = typenames.length > 0 && set.selections.some((s) => s.kind === Kind.FIELD && !isStaticTypename(s));
  const selections = set.selections
    .filter((s) => !(keep && isStaticTypename(s)))
    .map((s) => {
      if (s.kind === Kind.FIELD && s.selectionSet) {
        const child = getNamedType(type.getFields()[s.name.value]?.type);
        return isObjectType(child) ? { ...s, selectionSet: strip(child, s.selectionSet, stripped) } : s;
      }
      if (isPlainFragmentOn(type, s)) return { ...s, selectionSet: strip(type, s.selectionSet, stripped) };
      return s;
    });
  if (keep) stripped.set(set, typenames.map((t) => t.alias?.value ?? '__typename'));
  return { ...set, selections };
}

/** An inline fragment on the same object type without directives: its fields are the parent's. */
function isPlainFragmentOn(type: GraphQLObjectType, s: SelectionSetNode['selections'][number]): s is InlineFragmentNode {
  return s.kind === Kind.INLINE_FRAGMENT && !s.directives?.length && (!s.typeCondition || s.typeCondition.name.value === type.name);
}

/** Puts the stripped type names back into `data`, keys in the client's order. */
export function restoreStaticTypenames(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  stripped: Map<SelectionSetNode, string[]>,
  data: Record<string, unknown>,
): Record<string, unknown> {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  return operation && root ? (restore(root, [operation.selectionSet], stripped, data) as Record<string, unknown>) : data;
}

function restore(type: GraphQLObjectType, sets: SelectionSetNode[], stripped: Map<SelectionSetNode, string[]>, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => restore(type, sets, stripped, item));
  const data = value as Record<string, unknown>;
  const fields = new Map<string, { name: string; sets: SelectionSetNode[] }>();
  const typenameKeys = new Set<string>();
  const collect = (set: SelectionSetNode) => {
    for (const key of stripped.get(set) ?? []) typenameKeys.add(key);
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        const entry = fields.get(key) ?? { name: s.name.value, sets: [] };
        if (s.selectionSet) entry.sets.push(s.selectionSet);
        fields.set(key, entry);
      } else if (isPlainFragmentOn(type, s)) {
        collect(s.selectionSet);
      }
    }
  };
  sets.forEach(collect);
  const out: Record<string, unknown> = {};
  for (const [key, { name, sets: childSets }] of fields) {
    if (typenameKeys.has(key)) {
      out[key] = type.name;
      continue;
    }
    if (!(key in data)) continue;
    const child = childSets.length ? getNamedType(type.getFields()[name]?.type) : undefined;
    out[key] = isObjectType(child) ? restore(child, childSets, stripped, data[key]) : data[key];
  }
  // Anything the walk did not account for (fields from named fragments) keeps its place after.
  for (const key of Object.keys(data)) if (!(key in out)) out[key] = data[key];
  return out;
}
