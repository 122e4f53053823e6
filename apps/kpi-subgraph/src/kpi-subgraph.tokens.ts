/** Injection token of the KpiRepository port (DynamoDB adapter in production, see app.module.ts). */
export const KPI_REPOSITORY = Symbol('KPI_REPOSITORY');
/** Injection token of the ChangeFeedReader port (Kinesis adapter in production). */
export const CHANGE_FEED_READER = Symbol('CHANGE_FEED_READER');
/** The AWS clients behind the ports (`AwsClients`), shared with the health checks and destroyed on shutdown. */
export const AWS_CLIENTS = Symbol('AWS_CLIENTS');
