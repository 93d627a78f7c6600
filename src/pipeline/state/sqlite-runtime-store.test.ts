import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashKey } from '../hash-key.js';
import { runtimeStoreContract } from './runtime-store.contract.js';
import { SqliteRuntimeStore } from './sqlite-runtime-store.js';

const dir = mkdtempSync(join(tmpdir(), 'junction-runtime-store-'));
const path = join(dir, 'state.db');
const opened: SqliteRuntimeStore[] = [];

// Each "node" is its own connection to one file, as two processes on one data_dir would be.
runtimeStoreContract('sqlite', {
  open: async (count) =>
    Array.from({ length: count }, () => {
      const store = new SqliteRuntimeStore(path);
      opened.push(store);
      return store;
    }),
  cleanup: async () => {
    for (const store of opened) await store.close();
    rmSync(dir, { recursive: true, force: true });
  },
});

describe('SqliteRuntimeStore across a restart', () => {
  it('a store opened again on the file has every key, secret, override, policy and the version', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'junction-runtime-restart-')), 'state.db');
    const before = new SqliteRuntimeStore(file);
    const record = { name: 'kept', sha256: hashKey('first'), source: 'admin' as const, createdAt: 1, rpm: 3 };
    await before.createKey(record);
    await before.updateKey(record.sha256, (current) => ({
      ...current,
      id: record.sha256,
      sha256: hashKey('second'),
      previous: [{ sha256: record.sha256, expiresAt: 2_000_000_000_000 }],
    }));
    await before.updateOverride('from-config', () => ({ revoked: true }));
    await before.setPolicy('systemPrompt', { value: 'Kept.' });
    const version = await before.version();
    const snapshot = await before.load();
    await before.close();

    const after = new SqliteRuntimeStore(file);
    expect(await after.version()).toBe(version);
    expect(await after.load()).toEqual(snapshot);
    expect(await after.findKeyByHash(hashKey('second'))).toMatchObject({ name: 'kept', rpm: 3 });
    expect(await after.findKeyByHash(record.sha256)).toMatchObject({ name: 'kept' });
    expect(await after.createKey({ ...record, sha256: hashKey('third') })).toBe(false);
    await after.close();
    rmSync(join(file, '..'), { recursive: true, force: true });
  });
});
