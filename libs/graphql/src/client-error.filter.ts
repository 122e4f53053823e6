import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { InvalidArgumentError, NotFoundError } from '@plant/domain';

/**
 * The client's own mistakes (a bad argument, an id that does not exist) pass to GraphQL as they
 * are, where `formatGraphQLError` gives them their code. Without this filter NestJS logs every
 * error a resolver throws with its stack, unless it extends Nest's IntrinsicException, which
 * domain errors cannot (libs/domain imports no framework). Backend errors are still logged.
 * Register it in a subgraph's module: `{ provide: APP_FILTER, useClass: ClientErrorFilter }`.
 */
@Catch(InvalidArgumentError, NotFoundError)
export class ClientErrorFilter implements GqlExceptionFilter {
  catch(error: InvalidArgumentError | NotFoundError): Error {
    // graphql-js turns an Error returned by a resolver into a field error, exactly as if thrown.
    return error;
  }
}
