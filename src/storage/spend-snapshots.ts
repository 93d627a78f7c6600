/**
 * Keeps budget spend across a restart on the memory backend: every `intervalMs` (and once more on a
 * graceful shutdown) the settled spend of every budget counter that moved since the last write is saved
 * to a file, and at start it is put back into the memory counters before the first request. All of it
 * runs on a timer, off the request path: a request touches only the memory counters, as before.
 *
 * A crash loses at most the spend settled since the last write. Rate-limit windows, concurrency slots and
 * held reservations are not saved: they last seconds to a minute, or belong to requests that died.
 */

/** A budget counter's saved spend (micro-USD) and expiry (epoch ms; Infinity: never). */
export interface SpendRow {
  key: string;
  used: number;
  expiresAt: number;
}

/** What to write for one counter: `amount` added to the saved spend, or replacing it. */
export interface SpendChange {
  key: string;
  amount: number;
  expiresAt: number;
  /** The counter started over (its spend went down): the saved spend is replaced, not added to. */
  replace?: boolean;
}

/** The counters whose spend is saved (MemoryCounterStore). */
export interface SpendSource {
  forEachSpend(visit: (key: string, used: number, expiresAt: number) => void): void;
  restoreSpend(key: string, used: number, expiresAt: number): void;
}

/** Where it is saved (SqliteSpendStore). */
export interface SpendFile {
  /** The saved spend of every counter not expired at `now`. */
  load(now: number): SpendRow[];
  /** Applies every change in one transaction, and drops what expired by `now`. */
  write(changes: readonly SpendChange[], now: number): void;
  close(): void;
}

export interface SpendSnapshotsLogger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface SpendSnapshotsOptions {
  intervalMs: number;
  logger?: SpendSnapshotsLogger;
  clock?: () => number;
}

export class SpendSnapshots {
  /** Each counter's spend as the file holds it (from this process), so only what moved is written. */
  private readonly written = new Map<string, number>();
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  /** When the file last held all the spend the counters had (a write, or nothing to write). */
  private savedAt: number | undefined;

  constructor(
    private readonly source: SpendSource,
    private readonly file: SpendFile,
    private readonly options: SpendSnapshotsOptions,
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Puts the saved spend back into the counters; returns how many counters it restored. */
  restore(): number {
    const rows = this.file.load(this.clock());
    for (const row of rows) {
      this.source.restoreSpend(row.key, row.used, row.expiresAt);
      this.written.set(row.key, row.used);
    }
    return rows.length;
  }

  /** Writes every `intervalMs` from now on. */
  start(): void {
    this.timer = setInterval(() => this.flush(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Writes what moved since the last write; a failed write is logged and retried next time. */
  flush(): void {
    const changes: SpendChange[] = [];
    const seen = new Set<string>();
    this.source.forEachSpend((key, used, expiresAt) => {
      seen.add(key);
      const before = this.written.get(key) ?? 0;
      if (used > before) changes.push({ key, amount: used - before, expiresAt });
      else if (used < before) changes.push({ key, amount: used, expiresAt, replace: true });
    });
    // Counters the memory store swept (expired) need no baseline any more.
    for (const key of this.written.keys()) if (!seen.has(key)) this.written.delete(key);
    if (changes.length === 0) {
      if (!this.failing) this.savedAt = this.clock();
      return;
    }
    try {
      this.file.write(changes, this.clock());
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.options.logger?.warn(
          { err: error },
          'budget spend could not be saved; retrying, a restart now would lose the spend since the last save',
        );
      }
      return;
    }
    for (const change of changes) {
      const before = change.replace ? 0 : (this.written.get(change.key) ?? 0);
      this.written.set(change.key, before + change.amount);
    }
    this.savedAt = this.clock();
    if (this.failing) {
      this.failing = false;
      this.options.logger?.info({}, 'budget spend saved again');
    }
  }

  /** For /admin/health: when the spend was last all saved, and whether saving is failing now. */
  status(): { savedAt: number | undefined; failing: boolean } {
    return { savedAt: this.savedAt, failing: this.failing };
  }

  /** Stops the timer, writes a last time and closes the file (graceful shutdown). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
    this.file.close();
  }
}
