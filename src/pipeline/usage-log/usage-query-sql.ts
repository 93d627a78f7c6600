/**
 * The parts of the aggregate query both SQL backends share: which dimension columns to group by and
 * how a result row becomes a UsageAggregate.
 */
import {
  DIMENSION_COLUMN,
  type UsageAggregate,
  type UsageDimension,
  type UsageQuery,
} from './usage-log-record.js';

export function groupColumns(query: UsageQuery): Array<[UsageDimension, string]> {
  const dimensions = [...new Set(query.groupBy ?? [])];
  return dimensions.map((dimension) => [dimension, DIMENSION_COLUMN[dimension]]);
}

/** Filters as [column, value] pairs, for the dimensions the query pins down. */
export function filterColumns(query: UsageQuery): Array<[string, string]> {
  const filters: Array<[string, string]> = [];
  if (query.keyName !== undefined) filters.push(['key_name', query.keyName]);
  if (query.model !== undefined) filters.push(['model', query.model]);
  if (query.provider !== undefined) filters.push(['provider', query.provider]);
  return filters;
}

export type AggregateRow = Record<string, unknown>;

export function toAggregate(
  row: AggregateRow,
  groups: ReadonlyArray<[UsageDimension, string]>,
): UsageAggregate {
  const aggregate: UsageAggregate = {
    bucketStart: Number(row.bucket_start),
    requests: Number(row.requests),
    errors: Number(row.errors),
    cacheHits: Number(row.cache_hits),
    inputTokens: Number(row.input_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    outputTokens: Number(row.output_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    costUsd: Number(row.cost_usd ?? 0),
    avgLatencyMs: Number(row.avg_latency_ms),
  };
  for (const [dimension, column] of groups) {
    const value = row[column];
    if (dimension === 'provider') aggregate.provider = typeof value === 'string' ? value : null;
    else aggregate[dimension] = String(value);
  }
  return aggregate;
}

/** The aggregate expressions (identical in SQLite and PostgreSQL once booleans are integers). */
export const AGGREGATES = `
  COUNT(*) AS requests,
  SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,
  SUM(CASE WHEN cache_hit THEN 1 ELSE 0 END) AS cache_hits,
  SUM(input_tokens) AS input_tokens,
  SUM(cached_input_tokens) AS cached_input_tokens,
  SUM(cache_write_tokens) AS cache_write_tokens,
  SUM(output_tokens) AS output_tokens,
  SUM(reasoning_tokens) AS reasoning_tokens,
  COALESCE(SUM(cost_usd), 0) AS cost_usd,
  AVG(latency_ms) AS avg_latency_ms`;
