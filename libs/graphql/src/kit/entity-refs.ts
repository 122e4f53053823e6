import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/**
 * The kpi-subgraph owns Plant, Line and Asset. Other subgraphs add fields to them, keyed by id:
 * these are the key-only stubs they extend (one copy for history and ml; resolvers add the fields).
 */
@ObjectType('Asset')
@Directive('@key(fields: "id")')
export class AssetRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType('Line')
@Directive('@key(fields: "id")')
export class LineRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType('Plant')
@Directive('@key(fields: "id")')
export class PlantRef {
  @Field(() => ID)
  id!: string;
}
