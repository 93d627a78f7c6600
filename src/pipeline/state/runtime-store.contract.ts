/**
 * The one behaviour every RuntimeStore backend must show. Backends run it from their own test file with a
 * harness that opens `count` stores over one shared state (separate connections for Redis, as separate
 * gateway nodes would have). Every test uses fresh names, so backends need no reset between tests.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { hashKey } from '../hash-key.js';
import { type KeyRecord, recordId } from './key-record.js';
import type { RuntimeStore } from './runtime-store.js';

export interface RuntimeStoreHarness {
  /** Opens `count` stores over the same shared state. */
  open(count: number): Promise<RuntimeStore[]>;
  /** Closes what open() created and deletes what the tests wrote. */
  cleanup(): Promise<void>;
}

function newKey(limits: Partial<KeyRecord> = {}): { record: KeyRecord; secret: string } {
  const secret = `jk-${randomUUID()}`;
  const record: KeyRecord = {
    name: `key-${randomUUID().slice(0, 8)}`,
    sha256: hashKey(secret),
    source: 'admin',
    createdAt: 1_700_000_000_000,
    ...limits,
  };
  return { record, secret };
}

export function runtimeStoreContract(backend: string, harness: RuntimeStoreHarness): void {
  describe(`RuntimeStore contract (${backend})`, () => {
    afterAll(() => harness.cleanup());

    it('a created key is found by its hash and loaded on every node, and the version moves', async () => {
      const [a, b] = await harness.open(2);
      const before = await b!.version();
      const { record } = newKey({ rpm: 10 });
      expect(await a!.createKey(record)).toBe(true);
      expect(await b!.version()).toBeGreaterThan(before);
      expect(await b!.findKeyByHash(record.sha256)).toEqual(record);
      const loaded = await b!.load();
      expect(loaded.version).toBe(await b!.version());
      expect(loaded.keys.find((key) => key.name === record.name)).toEqual(record);
      expect(await b!.findKeyByHash(hashKey('never-issued'))).toBeUndefined();
    });

    it('a name is taken once, even when two nodes create it at the same time', async () => {
      const [a, b] = await harness.open(2);
      const first = newKey().record;
      const second = { ...newKey().record, name: first.name };
      const results = await Promise.all([a!.createKey(first), b!.createKey(second)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const loaded = await a!.load();
      expect(loaded.keys.filter((key) => key.name === first.name)).toHaveLength(1);
      expect(await a!.createKey({ ...newKey().record, name: first.name })).toBe(false);
    });

    it('changes a key from its stored state: concurrent changes from two nodes are all kept', async () => {
      const [a, b] = await harness.open(2);
      for (let i = 0; i < 10; i++) {
        const { record } = newKey({ rpm: 100 });
        await a!.createKey(record);
        await Promise.all([
          a!.updateKey(record.sha256, (current) => ({ ...current, revoked: true })),
          b!.updateKey(record.sha256, (current) => ({ ...current, rpm: 5 })),
          b!.updateKey(record.sha256, (current) => ({ ...current, tpm: 1000 + i })),
        ]);
        expect(await a!.findKeyByHash(record.sha256)).toMatchObject({ revoked: true, rpm: 5, tpm: 1000 + i });
      }
    });

    it('updateKey returns the stored result, and undefined (writing nothing) for an unknown key', async () => {
      const [a] = await harness.open(1);
      const { record } = newKey();
      await a!.createKey(record);
      expect(await a!.updateKey(record.sha256, (current) => ({ ...current, rpm: 7 }))).toEqual({
        ...record,
        rpm: 7,
      });
      const version = await a!.version();
      let called = false;
      const missing = await a!.updateKey(hashKey('no-such-key'), (current) => {
        called = true;
        return current;
      });
      expect(missing).toBeUndefined();
      expect(called).toBe(false);
      expect(await a!.version()).toBe(version);
    });

    it('a key whose secret changes keeps its id: found by every secret it answers to, by no other', async () => {
      const [a, b] = await harness.open(2);
      const { record } = newKey({ rpm: 10 });
      await a!.createKey(record);
      const id = recordId(record);
      const second = hashKey(`second-${randomUUID()}`);
      const third = hashKey(`third-${randomUUID()}`);
      // Rotated with the first secret kept for a while.
      const rotated = await a!.updateKey(id, (current) => ({
        ...current,
        id,
        sha256: second,
        previous: [{ sha256: current.sha256, expiresAt: 2_000_000_000_000 }],
      }));
      expect(rotated).toMatchObject({ id, sha256: second, rpm: 10 });
      for (const hash of [second, record.sha256]) expect(await b!.findKeyByHash(hash), hash).toEqual(rotated);
      // Rotated again, keeping the second secret only: the first answers to nothing any more.
      await b!.updateKey(id, (current) => ({
        ...current,
        sha256: third,
        previous: [{ sha256: second, expiresAt: 2_000_000_000_000 }],
      }));
      expect(await a!.findKeyByHash(record.sha256)).toBeUndefined();
      expect(await a!.findKeyByHash(second)).toMatchObject({ sha256: third });
      expect(await a!.findKeyByHash(third)).toMatchObject({ sha256: third });
      // And once more with nothing kept: only the current secret is found.
      const fourth = hashKey(`fourth-${randomUUID()}`);
      await a!.updateKey(id, ({ previous: _previous, ...current }) => ({ ...current, sha256: fourth }));
      expect(await b!.findKeyByHash(second)).toBeUndefined();
      expect(await b!.findKeyByHash(third)).toBeUndefined();
      expect(await b!.findKeyByHash(fourth)).toMatchObject({ name: record.name, rpm: 10 });
      // Still one key, under its id; still the name's only holder.
      const loaded = (await b!.load()).keys.filter((key) => key.name === record.name);
      expect(loaded).toEqual([expect.objectContaining({ id, sha256: fourth })]);
      expect(await b!.createKey({ ...newKey().record, name: record.name })).toBe(false);
    });

    it('a rotation and limit changes from two nodes at once are all kept', async () => {
      const [a, b] = await harness.open(2);
      for (let i = 0; i < 10; i++) {
        const { record } = newKey({ rpm: 100 });
        await a!.createKey(record);
        const id = recordId(record);
        const next = hashKey(`next-${randomUUID()}`);
        await Promise.all([
          a!.updateKey(id, (current) => ({ ...current, id, sha256: next })),
          b!.updateKey(id, (current) => ({ ...current, rpm: 5 })),
          b!.updateKey(id, (current) => ({ ...current, revoked: true })),
        ]);
        expect(await a!.findKeyByHash(next)).toMatchObject({ id, sha256: next, rpm: 5, revoked: true });
        expect(await b!.findKeyByHash(record.sha256)).toBeUndefined();
      }
    });

    it('changes a config key’s override from its stored state: concurrent changes are all kept', async () => {
      const [a, b] = await harness.open(2);
      const name = `config-${randomUUID().slice(0, 8)}`;
      await Promise.all([
        a!.updateOverride(name, (current) => ({ ...current, revoked: true })),
        b!.updateOverride(name, (current) => ({ ...current, rpm: 3 })),
      ]);
      expect((await b!.load()).overrides[name]).toEqual({ revoked: true, rpm: 3 });
    });

    it('sets and clears a policy field, seen by every node', async () => {
      const [a, b] = await harness.open(2);
      const before = await b!.version();
      await a!.setPolicy('systemPrompt', { value: 'Be brief.' });
      expect(await b!.version()).toBeGreaterThan(before);
      expect((await b!.load()).policy.systemPrompt).toEqual({ value: 'Be brief.' });
      await a!.setPolicy('systemPrompt', undefined);
      expect((await b!.load()).policy.systemPrompt).toBeUndefined();
    });
  });
}
