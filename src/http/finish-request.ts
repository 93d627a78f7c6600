/**
 * The end of every generation request, whichever surface ran it: stages end (settling reservations and
 * cost), then the one usage record and the request metrics.
 */
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
): Promise<void> | undefined {
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
