/** Connection to the InfluxDB 2 HTTP API of Amazon Timestream for InfluxDB (or the local stack). */
export interface InfluxDbConnection {
  /** `https://<instance endpoint>:8086` in AWS, the local stack's endpoint locally. */
  url: string;
  /** API token (Secrets Manager `plant/<env>/trend-store-token` in AWS). */
  token: string;
  org: string;
  bucket: string;
  /** Per-request timeout; the caller's retry decides what happens next. */
  timeoutMs?: number;
}

/** An HTTP answer of InfluxDB that is not success; `status` tells permanent (4xx) from retryable. */
export class InfluxDbHttpError extends Error {
  override readonly name = 'InfluxDbHttpError';
  /** Shaped like the AWS SDK's, so the GraphQL layer's duck-typed mapping reads a 5xx as UNAVAILABLE. */
  readonly $metadata: { httpStatusCode: number };
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`InfluxDB answered HTTP ${status}: ${message}`);
    this.$metadata = { httpStatusCode: status };
  }
}

export async function influxRequest(connection: InfluxDbConnection, path: string, init: RequestInit): Promise<Response> {
  const response = await fetch(new URL(path, connection.url), {
    ...init,
    headers: { authorization: `Token ${connection.token}`, ...(init.headers as Record<string, string> | undefined) },
    signal: AbortSignal.timeout(connection.timeoutMs ?? 10_000),
  });
  if (response.ok) return response;
  const text = await response.text();
  let message = text;
  try {
    const body = JSON.parse(text) as { message?: string; error?: string };
    message = body.message ?? body.error ?? text;
  } catch {
    // not JSON: keep the text
  }
  throw new InfluxDbHttpError(response.status, message.slice(0, 500));
}

/** Readiness of the InfluxDB API (`GET /health`); token and bucket problems show in failed writes and queries. */
export async function influxHealth(connection: InfluxDbConnection): Promise<void> {
  await influxRequest(connection, '/health', { method: 'GET' });
}

/** Readiness probe of the InfluxDB trend store, named like the AWS probes of `@plant/aws`. */
export function influxBucketReady(connection: InfluxDbConnection): { name: string; check(): Promise<void> } {
  return { name: `influxdb:${connection.bucket}`, check: () => influxHealth(connection) };
}
