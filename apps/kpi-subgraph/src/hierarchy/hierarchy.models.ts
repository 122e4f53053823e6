import { Directive, Field, Float, ID, ObjectType } from '@nestjs/graphql';
import { Authenticated, Connection } from '@plant/graphql';
import type { AssetInfo, AssetStatus, LineInfo, PlantInfo, SensorValue } from '@plant/domain';
import { machineStateEnumOf, MachineStateEnum, MeasurementQualityEnum, qualityEnumOf } from '../graphql/graphql-enums';

/*
 * Plant, Line and Asset are owned by this subgraph (@key without resolvable: false); other
 * subgraphs extend them by id, e.g. history adds `Asset.trend`, ml adds `Asset.failureRisk`.
 * The classes hold the directory fields; everything else is a @ResolveField backed by a DataLoader.
 */

@ObjectType({ description: 'A plant of the enterprise.' })
@Directive('@key(fields: "id")')
@Authenticated()
export class Plant {
  @Field(() => ID, { description: 'Plant id (unique across the enterprise).' })
  id!: string;

  @Field()
  enterpriseId!: string;
}

@ObjectType({ description: 'A production line of a plant.' })
@Directive('@key(fields: "id")')
@Authenticated()
export class Line {
  @Field(() => ID, { description: 'Line id (unique across the enterprise).' })
  id!: string;

  @Field()
  enterpriseId!: string;

  @Field()
  plantId!: string;
}

@ObjectType({ description: 'A station, machine or other asset of a line.' })
@Directive('@key(fields: "id")')
@Authenticated()
export class Asset {
  @Field(() => ID, { description: 'Asset id (unique across the enterprise).' })
  id!: string;

  @Field()
  enterpriseId!: string;

  @Field()
  plantId!: string;

  @Field()
  lineId!: string;
}

@ObjectType({ description: 'Current machine state of an asset.' })
export class AssetState {
  @Field(() => MachineStateEnum)
  state!: MachineStateEnum;

  @Field({ description: 'ISO-8601 time the asset entered this state.' })
  since!: string;

  @Field(() => String, { nullable: true, description: 'Reason code reported with the state, if any.' })
  reasonCode?: string;

  @Field({ description: 'ISO-8601 event time of the newest event folded into the status.' })
  lastEventTime!: string;
}

@ObjectType({ description: 'Latest value of one measure of an asset.' })
export class SensorReading {
  @Field()
  measure!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => String, { nullable: true })
  unit?: string;

  @Field(() => MeasurementQualityEnum)
  quality!: MeasurementQualityEnum;

  @Field({ description: 'ISO-8601 event time of the reading.' })
  at!: string;
}

@ObjectType()
export class AssetConnection extends Connection(Asset, 'Asset') {}

export function toPlant(info: PlantInfo): Plant {
  return { id: info.plantId, enterpriseId: info.enterpriseId };
}

export function toLine(info: LineInfo): Line {
  return { id: info.lineId, enterpriseId: info.enterpriseId, plantId: info.plantId };
}

export function toAsset(info: AssetInfo): Asset {
  return { id: info.assetId, enterpriseId: info.enterpriseId, plantId: info.plantId, lineId: info.lineId };
}

export function toAssetState(status: AssetStatus): AssetState {
  return {
    state: machineStateEnumOf(status.state),
    since: status.stateSince,
    reasonCode: status.stateReasonCode,
    lastEventTime: status.lastEventTime,
  };
}

export function toSensorReading(value: SensorValue): SensorReading {
  return { ...value, quality: qualityEnumOf(value.quality) };
}
