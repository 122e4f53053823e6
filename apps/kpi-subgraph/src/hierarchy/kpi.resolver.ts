import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Asset, Line, Plant } from './hierarchy.models';
import { Kpi } from './kpi.models';

/**
 * The entity a KPI belongs to, built from the snapshot's own hierarchy without a store read: a
 * subscription event then costs no read unless the client asks for more of the entity (and
 * through the gateway, other subgraphs' fields of Asset resolve by its id).
 */
@Resolver(() => Kpi)
export class KpiResolver {
  @ResolveField(() => Plant)
  plant(@Parent() kpi: Kpi): Plant {
    const { hierarchy } = kpi.snapshot;
    return { id: hierarchy.plantId, enterpriseId: hierarchy.enterpriseId };
  }

  @ResolveField(() => Line, { nullable: true, description: 'Null for plant KPIs.' })
  line(@Parent() kpi: Kpi): Line | undefined {
    const { hierarchy } = kpi.snapshot;
    return hierarchy.lineId === undefined
      ? undefined
      : { id: hierarchy.lineId, enterpriseId: hierarchy.enterpriseId, plantId: hierarchy.plantId };
  }

  @ResolveField(() => Asset, { nullable: true, description: 'Null for line and plant KPIs.' })
  asset(@Parent() kpi: Kpi): Asset | undefined {
    const { hierarchy } = kpi.snapshot;
    return hierarchy.assetId === undefined || hierarchy.lineId === undefined
      ? undefined
      : { id: hierarchy.assetId, enterpriseId: hierarchy.enterpriseId, plantId: hierarchy.plantId, lineId: hierarchy.lineId };
  }
}
