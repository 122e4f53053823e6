import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';
import { roleOf } from './caller-role';
import { LimitCodes } from './limit-errors';

/** Callers from whom the schema is hidden: everyone but admins, in production only. */
export function schemaHiddenFrom(production: boolean): (context: unknown) => boolean {
  return (context) => production && roleOf(context) !== 'admin';
}

/**
 * The runtime's `disableIntrospection` option (graphql's NoSchemaIntrospectionCustomRule, added
 * per request) for callers from whom the schema is hidden; undefined when nobody is refused.
 */
export function introspectionOption(production: boolean): { disableIf: (args: { context: unknown }) => boolean } | undefined {
  const hidden = schemaHiddenFrom(production);
  return production ? { disableIf: ({ context }) => hidden(context) } : undefined;
}

/**
 * For the same callers, validation errors lose their field suggestions ("Did you mean …?" leaks
 * field names) and introspection refusals get the INTROSPECTION_DISABLED code.
 */
export function useSchemaExposure(production: boolean): GatewayPlugin {
  const hidden = schemaHiddenFrom(production);
  return {
    onValidate({ context }) {
      if (!hidden(context)) return;
      return ({ result, setResult }) => {
        if (result.length) setResult(result.map(maskError));
      };
    },
  };
}

function maskError(error: Error): Error {
  if (!(error instanceof GraphQLError)) return error;
  const introspection = /introspection has been disabled/i.test(error.message);
  const message = error.message.replace(/ ?Did you mean .*\?$/, '');
  if (!introspection && message === error.message) return error;
  return new GraphQLError(introspection ? 'Introspection is disabled for this caller.' : message, {
    nodes: error.nodes,
    extensions: introspection ? { ...error.extensions, code: LimitCodes.INTROSPECTION_DISABLED } : error.extensions,
  });
}
