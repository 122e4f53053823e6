import { FieldNode, getNamedType, GraphQLField, valueFromAST } from 'graphql';
import { trendBucketCount, trendRangeOf, parseDuration } from '@plant/domain';

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
