/**
 * /admin/usage: aggregates from the usage log by hour or day, optionally grouped by key, model and
 * provider and filtered by any of them; /admin/usage/stats: the log's queue (written, dropped, ...).
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../core/errors.js';
import type { Gateway } from '../gateway.js';
import type { UsageDimension, UsageQuery } from '../pipeline/usage-log/usage-log-record.js';
import { sendAdminError } from './admin-error.js';
import type { AdminHooks } from './admin-hooks.js';

interface UsageParams {
  from?: string;
  to?: string;
  bucket?: string;
  group_by?: string;
  key?: string;
  model?: string;
  provider?: string;
}

const DIMENSIONS: Record<string, UsageDimension> = { key: 'keyName', model: 'model', provider: 'provider' };
const DAY = 86_400_000;

export function registerUsageRoutes(app: FastifyInstance, gateway: Gateway, hooks: AdminHooks): void {
  const logOrThrow = () => {
    const log = gateway.governance.usageLog;
    if (!log)
      throw new GatewayError('not_found', 'The usage log is off ([usage] enabled = false)', {
        code: 'usage_disabled',
      });
    return log;
  };

  app.get<{ Querystring: UsageParams }>('/admin/usage', hooks, async (request, reply) => {
    try {
      const query = usageQuery(request.query);
      const rows = await logOrThrow().query(query);
      return {
        from: new Date(query.from).toISOString(),
        to: new Date(query.to).toISOString(),
        bucket: query.bucket,
        group_by: (query.groupBy ?? []).map((dimension) => (dimension === 'keyName' ? 'key' : dimension)),
        rows: rows.map((row) => ({
          bucket_start: new Date(row.bucketStart).toISOString(),
          ...(row.keyName === undefined ? {} : { key: row.keyName }),
          ...(row.model === undefined ? {} : { model: row.model }),
          ...(row.provider === undefined ? {} : { provider: row.provider }),
          requests: row.requests,
          errors: row.errors,
          cache_hits: row.cacheHits,
          input_tokens: row.inputTokens,
          cached_input_tokens: row.cachedInputTokens,
          cache_write_tokens: row.cacheWriteTokens,
          output_tokens: row.outputTokens,
          reasoning_tokens: row.reasoningTokens,
          cost_usd: row.costUsd,
          avg_latency_ms: row.avgLatencyMs,
        })),
      };
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });

  app.get('/admin/usage/stats', hooks, async (_request, reply) => {
    try {
      const stats = logOrThrow().stats();
      return {
        backend: gateway.governance.backends.usage ?? null,
        queued: stats.queued,
        written: stats.written,
        dropped: stats.dropped,
        failed_writes: stats.failedWrites,
        last_error: stats.lastError ?? null,
      };
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });
}

function usageQuery(params: UsageParams, now = Date.now()): UsageQuery {
  const to = params.to === undefined ? now + 1 : time(params.to, 'to');
  const from = params.from === undefined ? to - DAY : time(params.from, 'from');
  const bucket = params.bucket ?? 'hour';
  if (bucket !== 'hour' && bucket !== 'day') {
    throw new GatewayError('invalid_request', 'bucket must be "hour" or "day"', { param: 'bucket' });
  }
  const groupBy = (params.group_by ?? '')
    .split(',')
    .filter(Boolean)
    .map((name) => {
      const dimension = DIMENSIONS[name.trim()];
      if (!dimension)
        throw new GatewayError('invalid_request', 'group_by takes key, model and provider', {
          param: 'group_by',
        });
      return dimension;
    });
  return {
    from,
    to,
    bucket,
    ...(groupBy.length > 0 ? { groupBy } : {}),
    ...(params.key === undefined ? {} : { keyName: params.key }),
    ...(params.model === undefined ? {} : { model: params.model }),
    ...(params.provider === undefined ? {} : { provider: params.provider }),
  };
}

/** An ISO date or epoch milliseconds. */
function time(text: string, param: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value)) {
    throw new GatewayError('invalid_request', `${param} must be an ISO date or epoch milliseconds`, {
      param,
    });
  }
  return value;
}
