/**
 * How one route is executed: the load-balancing strategy, which failures move on to the next target,
 * retries per target and the deadlines. Built from an alias's config over the `[routing]` defaults.
 */
import type { FailureClass, GatewayError } from '../core/errors.js';
import type { Strategy } from './order-targets.js';

export interface RoutePolicy {
  strategy: Strategy;
  /** Upstream HTTP statuses and failure classes that move a request to the next target. */
  failoverOn: { statuses: ReadonlySet<number>; classes: ReadonlySet<FailureClass> };
  /** Retries on the same target (for retryable failures) before moving on. */
  retries: number;
  /** Whole-request deadline across every attempt. */
  timeoutMs?: number;
  /** Per attempt: time to the first upstream event. */
  firstByteTimeoutMs?: number;
  /** Per attempt: longest silence between stream events. */
  idleTimeoutMs?: number;
  /** Continue a stream that broke mid-way on the next target (see docs/routing.md for the limits). */
  resumeStreams: boolean;
}

export const DEFAULT_FAILOVER_ON: Array<number | string> = [
  429,
  500,
  502,
  503,
  504,
  'timeout',
  'network',
  'overloaded',
];

export const DEFAULT_POLICY: RoutePolicy = {
  strategy: 'fallback',
  failoverOn: parseFailoverOn(DEFAULT_FAILOVER_ON),
  retries: 0,
  resumeStreams: false,
};

export function parseFailoverOn(entries: ReadonlyArray<number | string>): RoutePolicy['failoverOn'] {
  const statuses = new Set<number>();
  const classes = new Set<FailureClass>();
  for (const entry of entries) {
    if (typeof entry === 'number') statuses.add(entry);
    else classes.add(entry as FailureClass);
  }
  return { statuses, classes };
}

/**
 * Whether an error moves the request on to the next target. Client errors never do: another provider
 * would refuse the same malformed request, and failing over would only multiply the cost.
 */
export function shouldFailOver(policy: RoutePolicy, error: GatewayError): boolean {
  if (NEVER_FAIL_OVER.has(error.failureClass)) return false;
  const status = error.upstreamStatus ?? error.status;
  return policy.failoverOn.statuses.has(status) || policy.failoverOn.classes.has(error.failureClass);
}

const NEVER_FAIL_OVER: ReadonlySet<FailureClass> = new Set([
  'invalid_request',
  'content_filter',
  'payload_too_large',
  'unsupported',
]);
