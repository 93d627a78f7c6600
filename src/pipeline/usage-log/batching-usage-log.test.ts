import { describe, expect, it } from 'vitest';
import { BatchingUsageLog, type UsageLogLogger } from './batching-usage-log.js';
import { usageRecord } from './usage-log.contract.js';
import type { UsageLogRecord } from './usage-log-record.js';
import type { UsageSink } from './usage-sink.js';

/** A sink that fails while `failing` is set and remembers the batches it accepted. */
function fakeSink() {
  const batches: UsageLogRecord[][] = [];
  const state = { failing: false, closed: false };
  const sink: UsageSink = {
    insert: async (records) => {
      if (state.failing) throw new Error('connection refused');
      batches.push([...records]);
    },
    query: async () => [],
    deleteBefore: async () => 0,
    close: async () => {
      state.closed = true;
    },
  };
  return { sink, batches, state };
}

function logger(): UsageLogLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (_d, message) => lines.push(`warn: ${message}`),
    error: (_d, m) => lines.push(`error: ${m}`),
  };
}

describe('BatchingUsageLog', () => {
  it('writes in batches of batchSize, in order', async () => {
    const { sink, batches } = fakeSink();
    const log = new BatchingUsageLog(sink, { batchSize: 4, flushIntervalMs: 60_000 });
    for (let i = 0; i < 10; i++) log.append(usageRecord({ requestId: `r${i}` }));
    await log.flush();
    expect(batches.map((batch) => batch.map((record) => record.requestId))).toEqual([
      ['r0', 'r1', 'r2', 'r3'],
      ['r4', 'r5', 'r6', 'r7'],
      ['r8', 'r9'],
    ]);
    await log.close();
  });

  it('keeps a failed batch for the next flush, then gives up on it after maxAttempts and counts it', async () => {
    const { sink, batches, state } = fakeSink();
    const log = new BatchingUsageLog(sink, { batchSize: 2, maxAttempts: 3, flushIntervalMs: 60_000 });
    log.append(usageRecord({ requestId: 'a' }));
    log.append(usageRecord({ requestId: 'b' }));
    log.append(usageRecord({ requestId: 'c' }));
    state.failing = true;
    await log.flush();
    await log.flush();
    expect(log.stats()).toMatchObject({
      queued: 3,
      written: 0,
      failedWrites: 2,
      lastError: 'connection refused',
    });
    state.failing = false;
    await log.flush();
    expect(log.stats()).toMatchObject({ queued: 0, written: 3, dropped: 0 });
    state.failing = true;
    log.append(usageRecord({ requestId: 'd' }));
    for (let i = 0; i < 3; i++) await log.flush();
    expect(log.stats()).toMatchObject({ queued: 0, written: 3, dropped: 1, failedWrites: 5 });
    expect(batches.flat().map((record) => record.requestId)).toEqual(['a', 'b', 'c']);
  });

  it('logs an overflow once per episode while counting every dropped record', async () => {
    const { sink } = fakeSink();
    const log2 = logger();
    const log = new BatchingUsageLog(sink, { maxQueue: 2, flushIntervalMs: 60_000, logger: log2 });
    for (let i = 0; i < 5; i++) log.append(usageRecord());
    expect(log.stats().dropped).toBe(3);
    await log.flush();
    for (let i = 0; i < 4; i++) log.append(usageRecord());
    expect(log.stats().dropped).toBe(5);
    expect(log2.lines).toEqual([
      'warn: usage log queue full; dropping usage records',
      'warn: usage log queue full; dropping usage records',
    ]);
  });

  it('closes the sink after the last flush', async () => {
    const { sink, batches, state } = fakeSink();
    const log = new BatchingUsageLog(sink, { flushIntervalMs: 60_000 });
    log.append(usageRecord());
    await log.close();
    expect(batches).toHaveLength(1);
    expect(state.closed).toBe(true);
  });
});
