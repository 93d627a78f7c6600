/**
 * The behaviour every UsageLog backend must show, run by each backend's test file with a factory that
 * opens a fresh, empty log.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { BatchingUsageLogOptions } from './batching-usage-log.js';
import type { UsageLog } from './usage-log.js';
import type { UsageLogRecord } from './usage-log-record.js';

export interface UsageLogHarness {
  /** A new log over an empty store. */
  open(options: BatchingUsageLogOptions): Promise<UsageLog>;
  cleanup(): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const H10 = Date.UTC(2025, 0, 10, 10); // 2025-01-10T10:00Z

export function usageRecord(overrides: Partial<UsageLogRecord> = {}): UsageLogRecord {
  return {
    time: H10 + 60_000,
    requestId: `req-${Math.random().toString(36).slice(2)}`,
    keyName: 'team-a',
    model: 'fast',
    provider: 'openai',
    upstreamModel: 'gpt-4.1-mini',
    inputTokens: 100,
    cachedInputTokens: 40,
    cacheWriteTokens: 0,
    outputTokens: 20,
    reasoningTokens: 5,
    costUsd: 0.00125,
    latencyMs: 300,
    ttftMs: 120,
    status: 200,
    cacheHit: false,
    attempts: 1,
    ...overrides,
  };
}

const quiet: BatchingUsageLogOptions = { flushIntervalMs: 60_000 };

export function usageLogContract(name: string, harness: UsageLogHarness): void {
  describe(`${name}: UsageLog contract`, () => {
    afterAll(() => harness.cleanup());

    it('aggregates by hour and day with exact sums, filters and breakdowns', async () => {
      const log = await harness.open(quiet);
      log.append(usageRecord());
      log.append(usageRecord({ time: H10 + 59 * 60_000, cacheHit: true, costUsd: 0.5, latencyMs: 100 }));
      log.append(usageRecord({ time: H10 + HOUR, keyName: 'team-b', model: 'smart', cacheWriteTokens: 7 }));
      log.append(
        usageRecord({
          time: H10 + HOUR + 1,
          provider: undefined,
          upstreamModel: undefined,
          status: 429,
          inputTokens: 0,
          cachedInputTokens: 0,
          outputTokens: 0,
          reasoningTokens: 0,
          costUsd: undefined,
          ttftMs: undefined,
          attempts: 0,
          latencyMs: 2,
        }),
      );
      log.append(usageRecord({ time: H10 + DAY, provider: 'anthropic' }));
      const hourly = await log.query({ from: H10, to: H10 + 2 * HOUR, bucket: 'hour' });
      expect(hourly).toEqual([
        {
          bucketStart: H10,
          requests: 2,
          errors: 0,
          cacheHits: 1,
          inputTokens: 200,
          cachedInputTokens: 80,
          cacheWriteTokens: 0,
          outputTokens: 40,
          reasoningTokens: 10,
          costUsd: 0.50125,
          avgLatencyMs: 200,
        },
        {
          bucketStart: H10 + HOUR,
          requests: 2,
          errors: 1,
          cacheHits: 0,
          inputTokens: 100,
          cachedInputTokens: 40,
          cacheWriteTokens: 7,
          outputTokens: 20,
          reasoningTokens: 5,
          costUsd: 0.00125,
          avgLatencyMs: 151,
        },
      ]);
      const daily = await log.query({ from: 0, to: H10 + 2 * DAY, bucket: 'day', groupBy: ['provider'] });
      expect(daily.map((row) => [row.bucketStart, row.provider, row.requests])).toEqual([
        [Date.UTC(2025, 0, 10), null, 1],
        [Date.UTC(2025, 0, 10), 'openai', 3],
        [Date.UTC(2025, 0, 11), 'anthropic', 1],
      ]);
      const byKey = await log.query({
        from: 0,
        to: H10 + 2 * DAY,
        bucket: 'day',
        groupBy: ['keyName', 'model'],
      });
      expect(byKey.map((row) => [row.keyName, row.model, row.requests])).toEqual([
        ['team-a', 'fast', 3],
        ['team-b', 'smart', 1],
        ['team-a', 'fast', 1],
      ]);
      const filtered = await log.query({
        from: 0,
        to: H10 + 2 * DAY,
        bucket: 'day',
        keyName: 'team-a',
        provider: 'openai',
      });
      expect(filtered.map((row) => row.requests)).toEqual([2]);
      // `from` is inclusive, `to` exclusive.
      expect(await log.query({ from: H10 + HOUR + 2, to: H10 + DAY, bucket: 'hour' })).toEqual([]);
      expect((await log.query({ from: H10 + HOUR + 1, to: H10 + DAY + 1, bucket: 'hour' })).length).toBe(2);
      expect(log.stats()).toEqual({ queued: 0, written: 5, dropped: 0, failedWrites: 0 });
      await log.close();
    });

    it('append returns at once and full batches are written without waiting for the interval', async () => {
      const log = await harness.open({ ...quiet, batchSize: 10 });
      for (let i = 0; i < 9; i++) log.append(usageRecord({ time: H10 + i }));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(log.stats()).toMatchObject({ queued: 9, written: 0 });
      log.append(usageRecord()); // the 10th fills a batch
      expect(log.stats()).toMatchObject({ queued: 10, written: 0 });
      await until(() => log.stats().written === 10);
      expect(log.stats().queued).toBe(0);
      await log.close();
    });

    it('writes on the flush interval', async () => {
      const log = await harness.open({ flushIntervalMs: 30 });
      log.append(usageRecord());
      await until(() => log.stats().written === 1);
      await log.close();
    });

    it('drops and counts records past the queue bound, and still writes the rest', async () => {
      const log = await harness.open({ ...quiet, maxQueue: 100, batchSize: 50 });
      for (let i = 0; i < 130; i++) log.append(usageRecord({ time: H10 + i }));
      expect(log.stats()).toMatchObject({ queued: 100, dropped: 30 });
      const [bucket] = await log.query({ from: 0, to: H10 + DAY, bucket: 'day' });
      expect(bucket?.requests).toBe(100);
      expect(log.stats()).toEqual({ queued: 0, written: 100, dropped: 30, failedWrites: 0 });
      await log.close();
    });

    it('deletes records past the retention period', async () => {
      const log = await harness.open({ ...quiet, retentionDays: 7, retentionIntervalMs: 60_000 });
      const now = H10 + 30 * DAY;
      log.append(usageRecord({ time: now - 8 * DAY }));
      log.append(usageRecord({ time: now - 8 * DAY + 1 }));
      log.append(usageRecord({ time: now - 6 * DAY }));
      await log.flush();
      expect(await log.applyRetention(now)).toBe(2);
      const rows = await log.query({ from: 0, to: now, bucket: 'day' });
      expect(rows.map((row) => [row.bucketStart, row.requests])).toEqual([[Date.UTC(2025, 1, 3), 1]]);
      await log.close();
    });

    it('close writes what is queued; later appends are dropped and counted', async () => {
      const log = await harness.open(quiet);
      log.append(usageRecord());
      log.append(usageRecord());
      await log.close();
      expect(log.stats()).toMatchObject({ written: 2, queued: 0 });
      log.append(usageRecord());
      expect(log.stats()).toMatchObject({ written: 2, queued: 0, dropped: 1 });
    });
  });
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
