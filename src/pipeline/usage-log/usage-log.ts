/**
 * The usage log as the request path sees it: `append` never blocks and never throws. Records wait in
 * a bounded in-memory queue and are written in batches; when the queue is full, records are dropped
 * and counted in `stats().dropped` (and logged), never silently lost.
 */
import type { UsageAggregate, UsageLogRecord, UsageQuery } from './usage-log-record.js';

export interface UsageLogStats {
  queued: number;
  written: number;
  dropped: number;
  failedWrites: number;
  lastError?: string;
}

export interface UsageLog {
  append(record: UsageLogRecord): void;
  /** Writes everything queued so far (resolves even when the database refuses; see stats()). */
  flush(): Promise<void>;
  stats(): UsageLogStats;
  /** Aggregates by time bucket; flushes first so the caller sees its own recent requests. */
  query(query: UsageQuery): Promise<UsageAggregate[]>;
  /** Deletes records past the retention period now (it also runs periodically); returns the count. */
  applyRetention(now?: number): Promise<number>;
  close(): Promise<void>;
}
