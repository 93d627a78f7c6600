/**
 * The end of every generation request, whichever surface ran it: stages end (settling reservations and
 * cost), then the one usage record and the request metrics.
 *
 * An answer cut off after the upstream began it (the client went away, the stream broke) usually ends
 * before the upstream reported its usage, yet the provider bills the prompt and what it generated. Such a
 * request is charged an estimate rather than nothing: the estimated prompt, and the output delivered so
 * far (at most the request's max output), so budgets and token limits cannot be escaped by hanging up.
 * The same estimate is charged for a whole answer from an upstream that was not asked for its usage
 * because it refuses the field that asks (`usageNotAsked`), unless it reported usage anyway.
 */
import type { CanonicalEvent } from '../core/canonical-events.js';
import type { CanonicalRequest } from '../core/canonical-request.js';
import { estimateRequestTokens } from '../core/estimate-tokens.js';
import type { Usage } from '../core/usage.js';
import type { Gateway } from '../gateway.js';
import type { StageRun } from '../pipeline/stage.js';
import { endStages } from '../pipeline/stage.js';
import type { UsageRecord } from '../pipeline/usage-recorder.js';

/** A promise only while a stage's end is still settling; else everything is done on return. */
export function finishRequest(
  gateway: Gateway,
  runs: readonly StageRun[],
  record: UsageRecord,
  started: number,
  stream: boolean,
  request?: CanonicalRequest,
): Promise<void> | undefined {
  if (request) {
    const estimated = cutOffUsage(record, request);
    if (estimated) record.usage = estimated;
  }
  const ended = endStages(runs, {
    status: record.status,
    ...(record.usage ? { usage: record.usage } : {}),
    ...(record.failureClass ? { failureClass: record.failureClass } : {}),
    ...(record.provider ? { provider: record.provider } : {}),
    ...(record.upstreamModel ? { upstreamModel: record.upstreamModel } : {}),
  });
  const done = (): void => {
    record.latencyMs = performance.now() - started;
    recordRequest(gateway, record, stream);
  };
  if (ended) return ended.then(done);
  done();
  return undefined;
}

/** The request's one log line and usage log record, and its count in the request metrics. */
export function recordRequest(gateway: Gateway, record: UsageRecord, stream: boolean): void {
  gateway.usage.record(record);
  gateway.metrics.request(record.dialect, record.status, record.provider, record.latencyMs / 1000, stream);
}

/**
 * The usage to charge for an answer that failed after its upstream began it without (full) usage, or that
 * came without usage from an upstream not asked for it.
 */
export function cutOffUsage(record: UsageRecord, request: CanonicalRequest): Usage | undefined {
  if (record.provider === undefined || record.cacheHit) return undefined;
  const unreported = record.usageNotAsked === true && record.usage === undefined;
  if (record.failureClass === undefined && !unreported) return undefined;
  const reported = record.usage;
  const seen = Math.ceil((record.outputSeen ?? 0) / 4);
  const cap = request.maxOutputTokens ?? Number.POSITIVE_INFINITY;
  return {
    ...reported,
    inputTokens: reported && reported.inputTokens > 0 ? reported.inputTokens : estimateRequestTokens(request),
    outputTokens: Math.max(reported?.outputTokens ?? 0, Math.min(seen, cap)),
  };
}

/** Counts the answer's output characters (text, reasoning, tool arguments) into `record.outputSeen`. */
export function countOutput(record: UsageRecord, event: CanonicalEvent): void {
  let chars = 0;
  if (event.type === 'text-delta' || event.type === 'reasoning-delta') chars = event.text.length;
  else if (event.type === 'tool-call-delta') chars = event.argumentsDelta.length;
  if (chars > 0) record.outputSeen = (record.outputSeen ?? 0) + chars;
}

/**
 * The byte relay does not decode what it passes on: a relayed stream event counts as about one token
 * (providers stream a token or a few per event), four characters of `outputSeen`.
 */
export const RELAYED_EVENT_CHARS = 4;
