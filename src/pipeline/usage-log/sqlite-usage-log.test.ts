import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchingUsageLog } from './batching-usage-log.js';
import { openUsageLog } from './open-usage-log.js';
import { SqliteUsageSink } from './sqlite-usage-sink.js';
import { usageLogContract, usageRecord } from './usage-log.contract.js';

const dataDir = mkdtempSync(join(tmpdir(), 'junction-usage-'));
let files = 0;

usageLogContract('sqlite', {
  open: async (options) =>
    new BatchingUsageLog(new SqliteUsageSink(join(dataDir, `usage-${files++}.db`)), options),
  cleanup: async () => {},
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('SQLite usage log file', () => {
  it('is created with its schema under the data directory, in WAL mode, and survives a reopen', async () => {
    const dir = join(dataDir, 'nested', 'data');
    const sink = new SqliteUsageSink(join(dir, 'usage.db'));
    expect(sink.journalMode()).toBe('wal');
    await sink.close();
    const first = await openUsageLog({ dataDir: dir, flushIntervalMs: 60_000 });
    first.append(usageRecord());
    await first.close();
    const second = await openUsageLog({ dataDir: dir, flushIntervalMs: 60_000 });
    const rows = await second.query({ from: 0, to: Date.UTC(2030, 0, 1), bucket: 'day' });
    expect(rows.map((row) => row.requests)).toEqual([1]);
    await second.close();
  });
});
