import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { periodCounter } from './budget-period.js';
import { MemoryCounterStore } from './memory/memory-counter-store.js';
import { type SpendChange, type SpendFile, SpendSnapshots } from './spend-snapshots.js';
import { SqliteSpendStore } from './sqlite/sqlite-spend-store.js';

const dir = mkdtempSync(join(tmpdir(), 'junction-spend-'));
let files = 0;
const newFile = () => join(dir, `state-${files++}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = Date.UTC(2026, 10, 23, 12);
const DAY = periodCounter('budget:key:team', 'day', NOW);
const TOTAL = periodCounter('budget:key:team', 'total', NOW);

/** Spends `amount` on a counter as the budget guard does: reserve, then settle. */
async function spend(store: MemoryCounterStore, key: string, amount: number, keyTtlMs?: number) {
  const hold = await store.reserve(key, amount, 1_000_000, 60_000, {
    now: NOW,
    ...(keyTtlMs === undefined ? {} : { keyTtlMs }),
  });
  if (!hold.ok) throw new Error('refused');
  await store.settle(key, hold.reservationId, amount);
}

/** A process: memory counters, snapshots of them to `path`, restored at start. */
function processOn(path: string) {
  const counters = new MemoryCounterStore();
  const snapshots = new SpendSnapshots(counters, new SqliteSpendStore(path), {
    intervalMs: 60_000,
    clock: () => NOW,
  });
  snapshots.restore();
  return { counters, snapshots };
}

describe('SpendSnapshots', () => {
  it('puts the settled spend back after a restart, with its period; held reservations are not kept', async () => {
    const path = newFile();
    const first = processOn(path);
    await spend(first.counters, DAY.key, 300, DAY.keyTtlMs);
    await spend(first.counters, TOTAL.key, 700);
    await first.counters.reserve(TOTAL.key, 50, 1_000_000, 60_000, { now: NOW });
    first.snapshots.close();
    await first.counters.close();

    const second = processOn(path);
    expect(await second.counters.balance(DAY.key, NOW)).toEqual({ used: 300, held: 0 });
    expect(await second.counters.balance(TOTAL.key, NOW)).toEqual({ used: 700, held: 0 });
    // The day's counter still ends with its period: a week after, it is a fresh one.
    const later = NOW + DAY.keyTtlMs! + 1;
    expect(await second.counters.balance(DAY.key, later)).toEqual({ used: 0, held: 0 });
    second.snapshots.close();
    await second.counters.close();

    // Nor is an expired row loaded by a process started after the expiry.
    const counters = new MemoryCounterStore();
    const afterExpiry = new SpendSnapshots(counters, new SqliteSpendStore(path), {
      intervalMs: 60_000,
      clock: () => later,
    });
    expect(afterExpiry.restore()).toBe(1);
    afterExpiry.close();
    await counters.close();
  });

  it('writes only what moved since the last write, and two processes on one file add up', async () => {
    const path = newFile();
    const writes: SpendChange[][] = [];
    const file = new SqliteSpendStore(path);
    const recording: SpendFile = {
      load: (now) => file.load(now),
      write: (changes, now) => {
        writes.push([...changes]);
        file.write(changes, now);
      },
      close: () => file.close(),
    };
    const counters = new MemoryCounterStore();
    const snapshots = new SpendSnapshots(counters, recording, { intervalMs: 60_000, clock: () => NOW });
    snapshots.restore();
    const other = processOn(path);

    await spend(counters, TOTAL.key, 100);
    snapshots.flush();
    snapshots.flush(); // nothing moved: nothing written
    await spend(counters, TOTAL.key, 20);
    await spend(other.counters, TOTAL.key, 5);
    snapshots.flush();
    other.snapshots.flush();
    expect(writes.map((changes) => changes.map((change) => change.amount))).toEqual([[100], [20]]);

    snapshots.close();
    other.snapshots.close();
    const restarted = processOn(path);
    expect(await restarted.counters.balance(TOTAL.key, NOW)).toEqual({ used: 125, held: 0 });
    restarted.snapshots.close();
    for (const store of [counters, other.counters, restarted.counters]) await store.close();
  });

  it('keeps what a failed write did not save, and writes it the next time', async () => {
    const path = newFile();
    const file = new SqliteSpendStore(path);
    let failNext = true;
    const flaky: SpendFile = {
      load: (now) => file.load(now),
      write: (changes, now) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        file.write(changes, now);
      },
      close: () => file.close(),
    };
    const warnings: string[] = [];
    const counters = new MemoryCounterStore();
    const snapshots = new SpendSnapshots(counters, flaky, {
      intervalMs: 60_000,
      clock: () => NOW,
      logger: { warn: (_details, message) => warnings.push(message), info: () => undefined },
    });
    await spend(counters, TOTAL.key, 40);
    expect(snapshots.status()).toEqual({ savedAt: undefined, failing: false });
    snapshots.flush();
    expect(warnings).toHaveLength(1);
    // /admin/health says so until a write goes through.
    expect(snapshots.status()).toEqual({ savedAt: undefined, failing: true });
    snapshots.flush();
    expect(snapshots.status()).toEqual({ savedAt: NOW, failing: false });
    snapshots.close();
    await counters.close();
    const restarted = processOn(path);
    expect(await restarted.counters.balance(TOTAL.key, NOW)).toEqual({ used: 40, held: 0 });
    restarted.snapshots.close();
    await restarted.counters.close();
  });
});
