/**
 * After every stage ended: one usage record per request. Recording never blocks the request: the
 * record is logged and appended to the usage log's bounded queue
 * (written in batches off the request path; overflow is dropped and counted, see usage-log/).
 */
import type { Logger } from 'pino';
import type { Usage } from '../core/usage.js';
import type { CallerIdentity } from './authenticate.js';
import type { UsageLog } from './usage-log/usage-log.js';
import type { UsageLogRecord } from './usage-log/usage-log-record.js';

export interface UsageRecord {
  requestId: string;
  keyName: string;
  /** The key was presented by its secret from before its last rotation (inside the grace period). */
  previousSecret?: true;
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
  /** USD, set by the pricing stage; undefined when the model has no price. */
  costUsd?: number;
  /** Answered from the response cache. */
  cacheHit?: boolean;
  /**
   * Output characters delivered so far (text, reasoning, tool arguments; on the byte relay, stream
   * events), for an answer cut off before the upstream reported usage (see finish-request.ts).
   */
  outputSeen?: number;
  /**
   * The upstream was not asked to report usage (an OpenAI-wire provider that refuses `stream_options`):
   * an answer without usage is charged an estimate, as a cut-off one is (see finish-request.ts).
   */
  usageNotAsked?: boolean;
}

/** A request's record before anything is known about it; the request fills it in as it goes. */
export function newUsageRecord(requestId: string, dialect: UsageRecord['dialect']): UsageRecord {
  return {
    requestId,
    keyName: 'anonymous',
    model: '',
    dialect,
    stream: false,
    fastPath: false,
    status: 200,
    attempts: 0,
    latencyMs: 0,
  };
}

/** Who called, on the request's record. */
export function recordCaller(record: UsageRecord, identity: CallerIdentity): void {
  record.keyName = identity.keyName;
  if (identity.previousSecret) record.previousSecret = true;
}

export class UsageRecorder {
  constructor(
    private readonly logger: Logger,
    private readonly log?: UsageLog,
  ) {}

  record(record: UsageRecord): void {
    this.logger.info({ usage: record }, 'request completed');
    this.log?.append(toLogRecord(record));
  }
}

export function toLogRecord(record: UsageRecord, now = Date.now()): UsageLogRecord {
  const usage = record.usage;
  return {
    time: Math.round(now - record.latencyMs),
    requestId: record.requestId,
    keyName: record.keyName,
    model: record.model,
    ...(record.provider === undefined ? {} : { provider: record.provider }),
    ...(record.upstreamModel === undefined ? {} : { upstreamModel: record.upstreamModel }),
    inputTokens: usage?.inputTokens ?? 0,
    cachedInputTokens: usage?.cachedInputTokens ?? 0,
    cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    ...(record.costUsd === undefined ? {} : { costUsd: record.costUsd }),
    latencyMs: Math.round(record.latencyMs),
    ...(record.ttftMs === undefined ? {} : { ttftMs: Math.round(record.ttftMs) }),
    status: record.status,
    cacheHit: record.cacheHit === true,
    attempts: record.attempts,
  };
}
