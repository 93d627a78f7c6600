/**
 * Last stage: one usage record per request. Recording never blocks the request: the record is logged
 * and folded into in-memory totals (the persistent usage log arrives with governance).
 */
import type { Logger } from 'pino';
import type { Usage } from '../core/usage.js';

export interface UsageRecord {
  requestId: string;
  keyName: string;
  /** What the client asked for (alias or provider/model). */
  model: string;
  provider?: string;
  upstreamModel?: string;
  dialect: string;
  stream: boolean;
  fastPath: boolean;
  status: number;
  failureClass?: string;
  usage?: Usage;
  attempts: number;
  latencyMs: number;
  ttftMs?: number;
}

export interface UsageTotals {
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
}

export class UsageRecorder {
  private readonly totals = new Map<string, UsageTotals>();

  constructor(private readonly logger: Logger) {}

  record(record: UsageRecord): void {
    const totals = this.totals.get(record.keyName) ?? emptyTotals();
    totals.requests += 1;
    if (record.status >= 400) totals.errors += 1;
    if (record.usage) {
      totals.inputTokens += record.usage.inputTokens;
      totals.outputTokens += record.usage.outputTokens;
      totals.cachedInputTokens += record.usage.cachedInputTokens ?? 0;
      totals.reasoningTokens += record.usage.reasoningTokens ?? 0;
    }
    this.totals.set(record.keyName, totals);
    this.logger.info({ usage: record }, 'request completed');
  }

  totalsFor(keyName: string): UsageTotals {
    return { ...(this.totals.get(keyName) ?? emptyTotals()) };
  }
}

function emptyTotals(): UsageTotals {
  return {
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    reasoningTokens: 0,
  };
}
