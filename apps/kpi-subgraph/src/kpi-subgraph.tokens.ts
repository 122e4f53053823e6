/** Injection tokens of the KPI table's ports (DynamoDB adapters in production, see kpi-store.module.ts). */
export const KPI_WINDOW_STORE = Symbol('KPI_WINDOW_STORE');
export const ASSET_DIRECTORY = Symbol('ASSET_DIRECTORY');
export const ASSET_STATE_STORE = Symbol('ASSET_STATE_STORE');
export const ALERT_STORE = Symbol('ALERT_STORE');
/** Injection token of the ChangeFeedReader port (Kinesis adapter in production). */
export const CHANGE_FEED_READER = Symbol('CHANGE_FEED_READER');
/** The AWS clients behind the ports (`AwsClients`), shared with the health checks and destroyed on shutdown. */
export const AWS_CLIENTS = Symbol('AWS_CLIENTS');
