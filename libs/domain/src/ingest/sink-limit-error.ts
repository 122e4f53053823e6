/**
 * A write refused BEFORE it was sent because it is over a documented limit of the sink (AwsLimits in
 * libs/config). Not transient: the same batch would fail again, so the consumer must not retry it
 * as is — splitting the batch (per-record isolation) either makes it fit or finds the record to
 * dead-letter, with this message as the reason.
 */
export class SinkLimitError extends Error {
  readonly transient = false;

  constructor(
    readonly sink: string,
    readonly limit: string,
    detail: string,
  ) {
    super(`${sink}: ${detail} (${limit})`);
    this.name = 'SinkLimitError';
  }
}
