import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
// Not re-exported by cdk-nag's index; the same function renders the ids of IAM5 findings.
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

/** A wildcard an IAM policy may contain, and why it is needed. */
export interface AllowedWildcard {
  /** Matches the finding id of AwsSolutions-IAM5, e.g. `Action::kms:GenerateDataKey*` or `Resource::<Bucket.Arn>/raw/*`. */
  finding: RegExp;
  reason: string;
}

const allowed = new WeakMap<IConstruct, AllowedWildcard[]>();

/** Acknowledges one cdk-nag rule on a construct and its children, with the reason recorded. */
export function acknowledgeRule(scope: IConstruct, ruleId: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: ruleId, reason });
}

/** Declares the IAM wildcards policies under `scope` may contain; applied by acknowledgeAllowedWildcards. */
export function allowWildcards(scope: IConstruct, wildcards: AllowedWildcard[]): void {
  allowed.set(scope, [...(allowed.get(scope) ?? []), ...wildcards]);
}

/** Wildcards that every L2 grant adds: object-level actions and KMS data-key variants. */
export const GRANT_WILDCARDS = {
  kms: {
    finding: /^Action::kms:(GenerateDataKey|ReEncrypt)\*$/,
    reason: 'KMS grant from an L2 grant method: the data-key and re-encrypt variants of one key ARN',
  },
  s3Object: {
    finding: /^Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*$/,
    reason: 'S3 action families from an L2 grant method, scoped to one bucket or prefix by the resource',
  },
} as const satisfies Record<string, AllowedWildcard>;

/**
 * Acknowledges every IAM5 finding that a declared AllowedWildcard of the policy's scope (or an
 * ancestor) matches. Findings nobody declared stay violations and fail the nag test, so a new
 * wildcard needs a written reason. Call after all grants are made.
 */
export function acknowledgeAllowedWildcards(root: IConstruct): void {
  for (const node of root.node.findAll()) {
    if (!(node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy)) continue;
    const wildcards = ancestors(node).flatMap((scope) => allowed.get(scope) ?? []);
    if (!wildcards.length) continue;
    for (const finding of wildcardFindings(node)) {
      const match = wildcards.find((w) => w.finding.test(finding));
      if (match) acknowledgeRule(node, `AwsSolutions-IAM5[${finding}]`, match.reason);
    }
  }
}

/** The finding ids AwsSolutions-IAM5 reports for a policy (same rendering as cdk-nag). */
function wildcardFindings(policy: CfnResource & { policyDocument: unknown }): string[] {
  const stack = Stack.of(policy);
  const document = stack.resolve(stack.resolve(policy.policyDocument)) as { Statement?: Statement[] };
  const findings = new Set<string>();
  for (const statement of document.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    for (const action of list(statement.Action)) if (String(action).includes('*')) findings.add(`Action::${action}`);
    for (const resource of list(statement.Resource)) {
      const flat = flattenCfnReference(resource);
      if (flat.includes('*')) findings.add(`Resource::${flat}`);
    }
  }
  return [...findings];
}

interface Statement {
  Effect: string;
  Action?: unknown;
  Resource?: unknown;
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function ancestors(node: IConstruct): IConstruct[] {
  const chain: IConstruct[] = [];
  for (let current: IConstruct | undefined = node; current; current = current.node.scope) chain.push(current);
  return chain;
}
