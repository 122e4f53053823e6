import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLSchema,
  isCompositeType,
  isListType,
  isUnionType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  typeFromAST,
  valueFromAST,
} from 'graphql';
import { kpiInstancesOf, trendBucketsOf } from './trend-cost';

/**
 * Static cost estimate of an operation, the model of Apollo Router's demand control
 * (https://www.apollographql.com/docs/graphos/routing/security/demand-control#calculating-operation-cost):
 * every field returning an object, interface or union costs 1, scalars and enums 0, a mutation
 * costs 10 more; a field's cost is multiplied by the sizes of the lists above it. A list's size is
 * the value of its `first` or `last` argument (Apollo's `@listSize(slicingArguments:)`); on a
 * connection (a field with `first`/`last` returning an object) the size applies to its `edges`
 * and `nodes` (Apollo's `sizedFields`); a trend's `points` hold one item per bucket of its range
 * and `kpis(window, from, to)` one per window instance (trend-cost.ts); any other list is assumed to hold `assumedListSize` items.
 *
 * Why not the runtime's `demandControl`: it estimates per subgraph request while the plan runs
 * (after the first subgraph did its work) and, without `@listSize` in the subgraph schemas, gives
 * every list the same size regardless of `first` (gateway-runtime 2.12 `useDemandControl`).
 *
 * Linear in the document size: a fragment's cost is computed once per parent type and scaled, so
 * fragment fan-out (a fragment spreading another ten times, and so on) cannot make it exponential.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  assumedListSize: number,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) operation ??= def;
  }
  if (!operation) return 0;
  const vars = { ...defaultsOf(schema, operation), ...(variables ?? {}) };
  const memo = new Map<string, number>();
  const inProgress = new Set<string>();

  const selectionCost = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, sizedFields: number | undefined): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += fieldCost(selection, parent, sizedFields);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) cost += selectionCost(selection.selectionSet, type, sizedFields);
      } else {
        const fragment = fragments.get(selection.name.value);
        const type = fragment && schema.getType(fragment.typeCondition.name.value);
        if (!fragment || !type || !isCompositeType(type)) continue;
        const key = `${fragment.name.value}@${sizedFields ?? ''}`;
        if (inProgress.has(key)) continue; // a fragment cycle: validation refuses the document anyway
        let fragmentCost = memo.get(key);
        if (fragmentCost === undefined) {
          inProgress.add(key);
          fragmentCost = selectionCost(fragment.selectionSet, type, sizedFields);
          inProgress.delete(key);
          memo.set(key, fragmentCost);
        }
        cost += fragmentCost;
      }
    }
    return cost;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLCompositeType, sizedFields: number | undefined): number => {
    const field = fieldDef(parent, node.name.value);
    if (!field) return 0;
    const returnType = getNullableType(field.type);
    const named = getNamedType(field.type);
    const slicing = slicingSize(field, node, vars) ?? trendBucketsOf(field, node, vars) ?? kpiInstancesOf(field, node, vars);
    const ownCost = isCompositeType(named) && !named.name.startsWith('__') ? 1 : 0;
    let factor = 1;
    let childSized: number | undefined;
    if (sizedFields !== undefined && SIZED_FIELDS.has(node.name.value)) factor = sizedFields;
    else if (isListType(returnType)) factor = slicing ?? assumedListSize;
    else if (slicing !== undefined) childSized = slicing;
    const children = node.selectionSet && isCompositeType(named) ? selectionCost(node.selectionSet, named, childSized) : 0;
    return factor * (ownCost + children);
  };

  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  return (operation.operation === 'mutation' ? 10 : 0) + selectionCost(operation.selectionSet, root, undefined);
}

/** Lists sized by their parent's slicing argument or bucket count (connections, trends). */
const SIZED_FIELDS = new Set(['edges', 'nodes', 'points']);

function fieldDef(parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  // A union has no fields of its own (only __typename, which costs nothing).
  return isUnionType(parent) ? undefined : parent.getFields()[name];
}

/** The value of the field's `first` or `last` Int argument (literal, variable or schema default). */
function slicingSize(field: GraphQLField<unknown, unknown>, node: FieldNode, vars: Record<string, unknown>): number | undefined {
  let size: number | undefined;
  for (const name of ['first', 'last']) {
    const arg = field.args.find((a) => a.name === name);
    if (!arg || getNamedType(arg.type).name !== 'Int') continue;
    const given = node.arguments?.find((a) => a.name.value === name);
    const value = given ? valueFromAST(given.value, arg.type, vars) : arg.defaultValue;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) size = Math.max(size ?? 0, value);
  }
  return size;
}

function defaultsOf(schema: GraphQLSchema, operation: OperationDefinitionNode): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const def of operation.variableDefinitions ?? []) {
    if (!def.defaultValue) continue;
    const type = typeFromAST(schema, def.type);
    if (type) defaults[def.variable.name.value] = valueFromAST(def.defaultValue, type as never);
  }
  return defaults;
}
