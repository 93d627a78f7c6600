/**
 * In-process cache bounded by bytes (the JSON size of each entry): least recently used entries are
 * evicted first, expired ones on read.
 */
import type { CacheEntry, CacheEntrySummary, ResponseCache } from './response-cache.js';

interface Stored {
  entry: CacheEntry;
  bytes: number;
}

export class MemoryResponseCache implements ResponseCache {
  // A Map iterates in insertion order; re-inserting on read makes the first entry the least recent.
  private readonly entries = new Map<string, Stored>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async get(key: string): Promise<CacheEntry | undefined> {
    const stored = this.entries.get(key);
    if (!stored) return undefined;
    this.entries.delete(key);
    if (stored.entry.expiresAt <= this.clock()) {
      this.bytes -= stored.bytes;
      return undefined;
    }
    this.entries.set(key, stored);
    return stored.entry;
  }

  async set(key: string, entry: CacheEntry): Promise<void> {
    const bytes = JSON.stringify(entry).length;
    if (bytes > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.bytes;
    }
    this.entries.set(key, { entry, bytes });
    this.bytes += bytes;
    for (const [oldest, stored] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= stored.bytes;
    }
  }

  async list(limit: number): Promise<CacheEntrySummary[]> {
    const now = this.clock();
    const out: CacheEntrySummary[] = [];
    for (const [key, { entry, bytes }] of this.entries) {
      if (entry.expiresAt <= now) continue;
      out.push(summary(key, entry, bytes));
      if (out.length >= limit) break;
    }
    return out;
  }

  async clear(): Promise<number> {
    const count = this.entries.size;
    this.entries.clear();
    this.bytes = 0;
    return count;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  async close(): Promise<void> {}
}

export function summary(key: string, entry: CacheEntry, bytes: number): CacheEntrySummary {
  return {
    key,
    model: entry.model,
    ...(entry.keyName === undefined ? {} : { keyName: entry.keyName }),
    createdAt: entry.createdAt,
    expiresAt: entry.expiresAt,
    bytes,
  };
}
