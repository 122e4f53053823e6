/** Plant, Line and Asset as this subgraph extends them: the shared key-only stubs of the subgraph kit. */
export { AssetRef as Asset, LineRef as Line, PlantRef as Plant } from '@plant/graphql';
