import { Type } from '@nestjs/common';
import { Directive, Field, ObjectType } from '@nestjs/graphql';

/** Relay page info. @shareable: other subgraphs may declare the same value type. */
@ObjectType()
@Directive('@shareable')
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` to read the next page.' })
  endCursor!: string | null;
}

/** Builds `<Name>Edge` and the fields of `<Name>Connection` for a node type (Relay cursor connection). */
export function Connection<T>(nodeType: Type<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field({ description: 'Pass as `after` to continue after this node.' })
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}
