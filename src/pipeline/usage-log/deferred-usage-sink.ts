/**
 * A UsageSink whose database is still opening (PostgreSQL connects asynchronously; the gateway is
 * built synchronously). Calls wait for the open; if it failed they fail, and the batching log counts
 * the records it could not write, so a database that is down at start is visible, not silent.
 */
import type { UsageAggregate, UsageLogRecord, UsageQuery } from './usage-log-record.js';
import type { UsageSink } from './usage-sink.js';

export class DeferredUsageSink implements UsageSink {
  constructor(private readonly opening: Promise<UsageSink>) {
    // Observed here so a failed open is never an unhandled rejection; callers see it on use.
    opening.catch(() => undefined);
  }

  ready(): Promise<UsageSink> {
    return this.opening;
  }

  async insert(records: readonly UsageLogRecord[]): Promise<void> {
    await (await this.opening).insert(records);
  }

  async query(query: UsageQuery): Promise<UsageAggregate[]> {
    return (await this.opening).query(query);
  }

  async deleteBefore(cutoff: number): Promise<number> {
    return (await this.opening).deleteBefore(cutoff);
  }

  async close(): Promise<void> {
    await (await this.opening.catch(() => undefined))?.close();
  }
}
