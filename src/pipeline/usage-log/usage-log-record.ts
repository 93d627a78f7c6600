/**
 * One row of the usage log: what a request was, who made it, what it used and cost, how it went.
 * Times are epoch milliseconds; token counts follow core/usage.ts (cached/cache-write are subsets of
 * input, reasoning a subset of output).
 */
export interface UsageLogRecord {
  time: number;
  requestId: string;
  /** The calling key's name (never the secret). */
  keyName: string;
  /** What the client asked for: an alias or provider/model. */
  model: string;
  provider?: string;
  upstreamModel?: string;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  /** Undefined when the model has no price. */
  costUsd?: number;
  latencyMs: number;
  /** Time to first token; undefined for failed or non-streamed requests. */
  ttftMs?: number;
  status: number;
  cacheHit: boolean;
  attempts: number;
}

export type UsageDimension = 'keyName' | 'model' | 'provider';

export interface UsageQuery {
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
  keyName?: string;
  model?: string;
  provider?: string;
  /** UTC hour or day buckets. */
  bucket: 'hour' | 'day';
  /** Dimensions to break each bucket down by (none: one row per bucket). */
  groupBy?: readonly UsageDimension[];
}

export interface UsageAggregate {
  bucketStart: number;
  keyName?: string;
  model?: string;
  /** Null for requests that failed before a provider was chosen. */
  provider?: string | null;
  requests: number;
  errors: number;
  cacheHits: number;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  avgLatencyMs: number;
}

export const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;

/** Column names of the dimensions; the whitelist that makes it safe to put them into SQL text. */
export const DIMENSION_COLUMN: Record<UsageDimension, string> = {
  keyName: 'key_name',
  model: 'model',
  provider: 'provider',
};

/**
 * A record's values in the usage table's column order, shared by the SQL sinks so the order is written once.
 * Each sink encodes time and the cache flag its own way (a Date or epoch ms; a boolean or 0/1).
 */
export function usageRowValues<T, B>(
  r: UsageLogRecord,
  time: (ms: number) => T,
  flag: (value: boolean) => B,
): Array<string | number | null | T | B> {
  return [
    time(r.time),
    r.requestId,
    r.keyName,
    r.model,
    r.provider ?? null,
    r.upstreamModel ?? null,
    r.inputTokens,
    r.cachedInputTokens,
    r.cacheWriteTokens,
    r.outputTokens,
    r.reasoningTokens,
    r.costUsd ?? null,
    r.latencyMs,
    r.ttftMs ?? null,
    r.status,
    flag(r.cacheHit),
    r.attempts,
  ];
}
