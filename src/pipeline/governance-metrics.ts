/**
 * Governance counters on the gateway's Prometheus registry (served at /admin/metrics): guardrail
 * violations, limit refusals, cache results, and the usage log's queue (written / dropped / queued /
 * failed writes) read at scrape time.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { UsageLog } from './usage-log/usage-log.js';

export class GovernanceMetrics {
  private readonly violations: Counter<'where' | 'rule'>;
  private readonly refusals: Counter<'code'>;
  private readonly cache: Counter<'result'>;

  constructor(registry: Registry, usageLog: () => UsageLog | undefined, limitsDegraded: () => boolean) {
    this.violations = new Counter({
      name: 'junction_guardrail_violations_total',
      help: 'Requests and responses blocked by a guardrail rule',
      labelNames: ['where', 'rule'],
      registers: [registry],
    });
    this.refusals = new Counter({
      name: 'junction_limit_refusals_total',
      help: 'Requests refused by a rate limit, concurrency limit or budget, by error code',
      labelNames: ['code'],
      registers: [registry],
    });
    this.cache = new Counter({
      name: 'junction_cache_requests_total',
      help: 'Response cache lookups by result (hit, miss, bypass)',
      labelNames: ['result'],
      registers: [registry],
    });
    new Gauge({
      name: 'junction_usage_log_records',
      help: 'Usage log records by state: written, dropped (queue full or given up), queued, failed_writes (batches)',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const stats = usageLog()?.stats();
        if (!stats) return;
        this.set({ state: 'written' }, stats.written);
        this.set({ state: 'dropped' }, stats.dropped);
        this.set({ state: 'queued' }, stats.queued);
        this.set({ state: 'failed_writes' }, stats.failedWrites);
      },
    });
    new Gauge({
      name: 'junction_limits_store_degraded',
      help: '1 while the shared limits store (Redis) is unreachable and the failure policy applies',
      registers: [registry],
      collect() {
        this.set(limitsDegraded() ? 1 : 0);
      },
    });
  }

  violation(where: 'input' | 'output', rule: string): void {
    this.violations.inc({ where, rule });
  }

  refused(code: string): void {
    this.refusals.inc({ code });
  }

  cacheResult(result: 'hit' | 'miss' | 'bypass'): void {
    this.cache.inc({ result });
  }
}
