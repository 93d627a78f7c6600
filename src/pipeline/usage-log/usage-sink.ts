/** Where batches of usage records are written: one implementation per database. */
import type { UsageAggregate, UsageLogRecord, UsageQuery } from './usage-log-record.js';

export interface UsageSink {
  insert(records: readonly UsageLogRecord[]): Promise<void>;
  query(query: UsageQuery): Promise<UsageAggregate[]>;
  /** Deletes records older than `cutoff` (epoch ms) and returns how many. */
  deleteBefore(cutoff: number): Promise<number>;
  close(): Promise<void>;
}
