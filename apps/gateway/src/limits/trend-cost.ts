import { FieldNode, getNamedType, GraphQLField, valueFromAST } from 'graphql';
import { kpiInstanceCount, KpiWindow, parseDuration, trendBucketCount, trendRangeOf } from '@plant/domain';

/**
 * How many buckets a trend field asks for: the size of its `points` list, so a trend costs what it
 * returns (Apollo's `@listSize(sizedFields: ["points"])` with the size derived from the range and
 * bucket arguments). A field is a trend when it has a String `bucket` argument; `last` or `from`/`to`
 * give the range (the subgraph's defaults otherwise: 1h, 1m). Arguments the subgraph would refuse
 * (malformed durations or times) give no size here: the subgraph answers them BAD_USER_INPUT.
 */
export function trendBucketsOf(field: GraphQLField<unknown, unknown>, node: FieldNode, vars: Record<string, unknown>, nowMs = Date.now()): number | undefined {
  const bucketArg = field.args.find((a) => a.name === 'bucket');
  if (!bucketArg || getNamedType(bucketArg.type).name !== 'String') return undefined;
  const arg = (name: string): string | null | undefined => {
    const def = field.args.find((a) => a.name === name);
    if (!def) return undefined;
    const given = node.arguments?.find((a) => a.name.value === name);
    const value = given ? valueFromAST(given.value, def.type, vars) : def.defaultValue;
    return typeof value === 'string' ? value : null;
  };
  try {
    const { fromMs, toMs } = trendRangeOf({ last: arg('last'), from: arg('from'), to: arg('to') }, nowMs);
    return trendBucketCount(fromMs, toMs, parseDuration('bucket', arg('bucket') ?? '1m'));
  } catch {
    return undefined;
  }
}

const KPI_WINDOWS: Record<string, KpiWindow> = { ONE_MINUTE: '1m', FIFTEEN_MINUTES: '15m', SHIFT: 'shift', DAY: 'day' };

/**
 * How many window instances a `kpis(window, from, to)` list holds: its size in the estimate (instead
 * of the assumed list size), so a long range of minute KPIs costs what it returns.
 */
export function kpiInstancesOf(field: GraphQLField<unknown, unknown>, node: FieldNode, vars: Record<string, unknown>, nowMs = Date.now()): number | undefined {
  const windowArg = field.args.find((a) => a.name === 'window');
  const fromArg = field.args.find((a) => a.name === 'from');
  if (!windowArg || !fromArg || getNamedType(windowArg.type).name !== 'KpiWindow') return undefined;
  const value = (name: string) => {
    const def = field.args.find((a) => a.name === name)!;
    const given = node.arguments?.find((a) => a.name.value === name);
    return given ? valueFromAST(given.value, def.type, vars) : def.defaultValue;
  };
  const window = KPI_WINDOWS[String(value('window'))];
  const fromMs = Date.parse(String(value('from')));
  const to = field.args.some((a) => a.name === 'to') ? value('to') : undefined;
  const toMs = typeof to === 'string' ? Date.parse(to) : nowMs;
  if (!window || Number.isNaN(fromMs) || Number.isNaN(toMs) || toMs <= fromMs) return undefined;
  return kpiInstanceCount(window, fromMs, toMs);
}
