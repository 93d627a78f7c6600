/**
 * Prometheus metrics (prom-client), one registry per gateway so tests can run several in one process.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface AttemptMetrics {
  attempt(provider: string, target: string, status: number, failureClass: string): void;
}

/** Distinct `target` label values kept before new ones are folded into `<provider>/other`. */
const MAX_TARGETS = 1_000;

export class GatewayMetrics implements AttemptMetrics {
  readonly registry = new Registry();
  private readonly attempts: Counter<'provider' | 'target' | 'status' | 'class'>;
  private readonly requests: Counter<'dialect' | 'status' | 'provider'>;
  private readonly latency: Histogram<'dialect' | 'stream'>;
  private readonly tokens: Counter<'provider' | 'kind'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'junction_' });
    this.attempts = new Counter({
      name: 'junction_upstream_attempts_total',
      help: 'Upstream attempts by target, status and failure class',
      labelNames: ['provider', 'target', 'status', 'class'],
      registers: [this.registry],
    });
    this.requests = new Counter({
      name: 'junction_requests_total',
      help: 'Client requests by dialect, final status and serving provider',
      labelNames: ['dialect', 'status', 'provider'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'junction_request_duration_seconds',
      help: 'Whole request latency as the client sees it',
      labelNames: ['dialect', 'stream'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [this.registry],
    });
    this.tokens = new Counter({
      name: 'junction_tokens_total',
      help: 'Tokens by provider and kind (input, output, cached_input, reasoning)',
      labelNames: ['provider', 'kind'],
      registers: [this.registry],
    });
  }

  /**
   * Label children by joined label values, so prom-client does not hash a label object on every count.
   * Targets are partly client-named (`provider/<any model>`), so distinct target labels are capped: past
   * MAX_TARGETS a new one is counted as `<provider>/other`, and a client cannot grow memory without bound.
   */
  private readonly children = new Map<string, { inc(): void }>();
  private readonly latencyChildren = new Map<string, { observe(value: number): void }>();
  private readonly targets = new Set<string>();

  attempt(provider: string, target: string, status: number, failureClass: string): void {
    let label = target;
    if (!this.targets.has(target)) {
      if (this.targets.size < MAX_TARGETS) this.targets.add(target);
      else label = `${provider}/other`;
    }
    const key = `${provider}\0${label}\0${status}\0${failureClass}`;
    let child = this.children.get(key);
    if (!child) {
      child = this.attempts.labels(provider, label, String(status), failureClass);
      this.children.set(key, child);
    }
    child.inc();
  }

  request(
    dialect: string,
    status: number,
    provider: string | undefined,
    seconds: number,
    stream: boolean,
  ): void {
    // Dialects, statuses and configured providers are few, so these children need no cap.
    const requestKey = `${dialect}\0${status}\0${provider ?? 'none'}`;
    let counted = this.children.get(requestKey);
    if (!counted) {
      counted = this.requests.labels(dialect, String(status), provider ?? 'none');
      this.children.set(requestKey, counted);
    }
    counted.inc();
    const latencyKey = `${dialect}\0${stream}`;
    let timed = this.latencyChildren.get(latencyKey);
    if (!timed) {
      timed = this.latency.labels(dialect, String(stream));
      this.latencyChildren.set(latencyKey, timed);
    }
    timed.observe(seconds);
  }

  tokensUsed(provider: string, kind: 'input' | 'output' | 'cached_input' | 'reasoning', count: number): void {
    if (count > 0) this.tokens.inc({ provider, kind }, count);
  }
}
