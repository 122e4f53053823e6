import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/**
 * The kpi-subgraph owns Plant, Line and Asset; this subgraph adds trend and report fields to them,
 * keyed by id. One class per entity here, shared by the trends and reports modules.
 */
@ObjectType()
@Directive('@key(fields: "id")')
export class Asset {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class Line {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class Plant {
  @Field(() => ID)
  id!: string;
}
