import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import {
  DocumentNode,
  ExecutionArgs,
  GraphQLError,
  Kind,
  ParseOptions,
  SelectionSetNode,
  Source,
  ValidationContext,
  ValidationRule,
} from 'graphql';
import { estimateCost } from './cost-estimate';
import { LimitCode, LimitCodes, limitError } from './limit-errors';
import type { GatewayLimits } from './limits.config';

type OperationLimits = Pick<GatewayLimits, 'maxDepth' | 'maxAliases' | 'maxRootFields' | 'maxTokens' | 'maxDirectives' | 'maxCost' | 'assumedListSize'>;

/**
 * Refuses expensive operations before anything is planned or sent to a subgraph, each limit with
 * its own code: tokens while parsing (graphql-armor's counting lexer, so a 64 KB document stops at
 * the limit instead of being parsed whole), depth, aliases, directives (graphql-armor's rules) and
 * root fields (our rule) during validation, the cost estimate when the variables are known
 * (before execution starts; validation results are cached per document, costs depend on variables).
 */
export function useOperationLimits(limits: OperationLimits): GatewayPlugin {
  const rules = [
    armorRule(maxDepthRule, LimitCodes.MAX_DEPTH_LIMIT, { n: limits.maxDepth, ignoreIntrospection: true }),
    armorRule(maxAliasesRule, LimitCodes.MAX_ALIASES_LIMIT, { n: limits.maxAliases }),
    armorRule(maxDirectivesRule, LimitCodes.MAX_DIRECTIVES_LIMIT, { n: limits.maxDirectives }),
    maxRootFieldsRule(limits.maxRootFields),
  ];
  // Documents are parsed once per text (Yoga's parse cache), so a variable-free operation's cost
  // is computed once; with variables it depends on their values and is computed per request.
  const costOfConstantDocument = new WeakMap<DocumentNode, number>();
  const costCheck = (args: ExecutionArgs): GraphQLError | undefined => {
    const constant = !args.variableValues || Object.keys(args.variableValues).length === 0;
    let cost = constant ? costOfConstantDocument.get(args.document) : undefined;
    if (cost === undefined) {
      cost = estimateCost(args.schema, args.document, args.variableValues ?? undefined, args.operationName ?? undefined, limits.assumedListSize);
      if (constant && !args.operationName) costOfConstantDocument.set(args.document, cost);
    }
    if (cost <= limits.maxCost) return undefined;
    return limitError(
      LimitCodes.COST_ESTIMATED_TOO_EXPENSIVE,
      `Operation estimated cost ${cost} exceeds the maximum of ${limits.maxCost}; ask for fewer items (first/last) or fewer nested lists.`,
      400,
      { cost: { estimated: cost, max: limits.maxCost } },
    );
  };
  return {
    onParse({ setParseFn }) {
      setParseFn((source: string | Source, options?: ParseOptions) => parseWithTokenLimit(source, options, limits.maxTokens));
    },
    onValidate({ addValidationRule }) {
      for (const rule of rules) addValidationRule(rule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const error = costCheck(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = costCheck(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

function parseWithTokenLimit(source: string | Source, options: ParseOptions | undefined, maxTokens: number): DocumentNode {
  const onReject: GraphQLArmorRejectCallback = () => {
    throw limitError(LimitCodes.MAX_TOKENS_LIMIT, `The operation has more than ${maxTokens} tokens.`);
  };
  return new MaxTokensParserWLexer(source, { ...options, n: maxTokens, onReject: [onReject] }).parseDocument();
}

/** A graphql-armor rule that reports its rejection with our code instead of throwing "Syntax Error". */
function armorRule<O extends { n?: number }>(
  rule: (options: O) => (context: ValidationContext) => unknown,
  code: LimitCode,
  options: O,
): ValidationRule {
  return (context) => {
    const onReject: GraphQLArmorRejectCallback = (_ctx, error) =>
      context.reportError(limitError(code, error.message.replace(/^Syntax Error: /, '')));
    return rule({ ...options, exposeLimits: true, propagateOnRejection: false, onReject: [onReject] })(context) as ReturnType<ValidationRule>;
  };
}

/** Apollo Router's `max_root_fields`: fields at the top of an operation, through fragments, `__typename` aside. */
export function maxRootFieldsRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const seen = new Set<string>();
      const countIn = (selectionSet: SelectionSetNode): number => {
        let n = 0;
        for (const selection of selectionSet.selections) {
          if (selection.kind === Kind.FIELD) n += selection.name.value === '__typename' ? 0 : 1;
          else if (selection.kind === Kind.INLINE_FRAGMENT) n += countIn(selection.selectionSet);
          else if (!seen.has(selection.name.value)) {
            seen.add(selection.name.value);
            const fragment = context.getFragment(selection.name.value);
            if (fragment) n += countIn(fragment.selectionSet);
          }
        }
        return n;
      };
      const found = countIn(operation.selectionSet);
      if (found > max) {
        context.reportError(limitError(LimitCodes.MAX_ROOT_FIELDS_LIMIT, `The operation selects ${found} root fields; the maximum is ${max}.`));
      }
    },
  });
}
