/**
 * UsageLog over any UsageSink: a bounded queue, flushed in batches on an interval and as soon as a
 * batch is full, plus periodic retention. A failed batch goes back to the head of the queue and is
 * retried on the next flush; after `maxAttempts` failures it is dropped (and counted) so one bad batch
 * cannot wedge the log forever.
 */
import type { UsageLog, UsageLogStats } from './usage-log.js';
import type { UsageAggregate, UsageLogRecord, UsageQuery } from './usage-log-record.js';
import type { UsageSink } from './usage-sink.js';

export interface UsageLogLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface BatchingUsageLogOptions {
  maxQueue?: number;
  batchSize?: number;
  flushIntervalMs?: number;
  maxAttempts?: number;
  /** Records older than this many days are deleted; undefined keeps everything. */
  retentionDays?: number;
  retentionIntervalMs?: number;
  logger?: UsageLogLogger;
}

const DAY_MS = 86_400_000;

export class BatchingUsageLog implements UsageLog {
  private queue: UsageLogRecord[] = [];
  private readonly maxQueue: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly timers: NodeJS.Timeout[] = [];
  private written = 0;
  private dropped = 0;
  private failedWrites = 0;
  private attempts = 0;
  private lastError: string | undefined;
  /** Set while the queue is over its bound, so an overflow episode is logged once. */
  private overflowing = false;
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly sink: UsageSink,
    private readonly options: BatchingUsageLogOptions = {},
  ) {
    this.maxQueue = options.maxQueue ?? 10_000;
    this.batchSize = Math.min(options.batchSize ?? 500, this.maxQueue);
    this.maxAttempts = options.maxAttempts ?? 3;
    this.every(options.flushIntervalMs ?? 1000, () => this.flush());
    if (options.retentionDays !== undefined) {
      this.every(options.retentionIntervalMs ?? 3_600_000, () => this.applyRetention());
    }
  }

  append(record: UsageLogRecord): void {
    if (this.closed || this.queue.length >= this.maxQueue) {
      this.drop(1, this.closed ? 'usage log closed' : 'usage log queue full');
      return;
    }
    this.overflowing = false;
    this.queue.push(record);
    if (this.queue.length >= this.batchSize && !this.flushScheduled) {
      // Not inline: append runs on the request path and must return at once.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        void this.flush();
      });
    }
  }

  flush(): Promise<void> {
    // One drain at a time; a flush requested meanwhile runs after it, so it sees every record appended
    // before it was called.
    this.flushing = this.flushing.then(() => this.drain());
    return this.flushing;
  }

  stats(): UsageLogStats {
    return {
      queued: this.queue.length,
      written: this.written,
      dropped: this.dropped,
      failedWrites: this.failedWrites,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  async query(query: UsageQuery): Promise<UsageAggregate[]> {
    await this.flush();
    return this.sink.query(query);
  }

  async applyRetention(now = Date.now()): Promise<number> {
    if (this.options.retentionDays === undefined) return 0;
    try {
      return await this.sink.deleteBefore(now - this.options.retentionDays * DAY_MS);
    } catch (error) {
      this.options.logger?.error({ err: error }, 'usage log retention failed');
      return 0;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.flush();
    await this.sink.close();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.batchSize);
      try {
        await this.sink.insert(batch);
      } catch (error) {
        this.failed(batch, error);
        return;
      }
      // Appends during the insert went to the tail, so the batch is still the head.
      this.queue.splice(0, batch.length);
      this.written += batch.length;
      this.attempts = 0;
    }
  }

  private failed(batch: readonly UsageLogRecord[], error: unknown): void {
    this.failedWrites += 1;
    this.attempts += 1;
    this.lastError = error instanceof Error ? error.message : String(error);
    this.options.logger?.error(
      { err: error, records: batch.length, attempt: this.attempts },
      'usage log write failed',
    );
    if (this.attempts >= this.maxAttempts) {
      this.queue.splice(0, batch.length);
      this.attempts = 0;
      this.drop(batch.length, 'usage log batch given up after repeated write failures');
    }
  }

  private drop(count: number, reason: string): void {
    this.dropped += count;
    if (!this.overflowing) {
      this.overflowing = true;
      this.options.logger?.warn({ dropped: this.dropped }, `${reason}; dropping usage records`);
    }
  }

  private every(intervalMs: number, task: () => Promise<unknown>): void {
    const timer = setInterval(() => void task(), intervalMs);
    timer.unref();
    this.timers.push(timer);
  }
}
