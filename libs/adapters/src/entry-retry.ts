import type { RetryPolicy } from '@plant/aws';

/**
 * Retries of the entries a batch API refused (PutRecordBatch, PutEvents, PutRecords), on top of the
 * SDK's own retries of whole calls: 6 attempts, 25–50 ms doubling up to 2 s, ≈ 2.5 s at most in
 * all. What is still refused then becomes a PartialFailureError and the stream consumer's
 * retry/bisection takes over (docs/stream-consumer.md).
 */
export const ENTRY_RETRY: RetryPolicy = { attempts: 6, minDelayMs: 25, maxDelayMs: 2_000 };
