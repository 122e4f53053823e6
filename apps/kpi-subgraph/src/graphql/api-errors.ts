import { formatGraphQLError as formatWith, toGraphQLError as toErrorWith } from '@plant/graphql';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';

export { ErrorCodes, errorCodeOf } from '@plant/graphql';

/** What clients read instead of a DynamoDB or Kinesis error's own message. */
export const KPI_PUBLIC_MESSAGES = { unavailable: 'The KPI store is unavailable; retry later' };

export const formatGraphQLError = (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError =>
  formatWith(formatted, error, KPI_PUBLIC_MESSAGES);

export const toGraphQLError = (err: unknown): GraphQLError => toErrorWith(err, KPI_PUBLIC_MESSAGES);
