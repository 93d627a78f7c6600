/**
 * Exact-match response cache: a finished answer as its canonical events, so a hit can be encoded in
 * any dialect, streamed or not. Memory (bounded LRU) for one node, Redis for several.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';

export interface CacheEntry {
  events: CanonicalEvent[];
  /** What the client asked for, for admin listings. */
  model: string;
  keyName?: string;
  createdAt: number;
  expiresAt: number;
}

export interface CacheEntrySummary {
  key: string;
  model: string;
  keyName?: string;
  createdAt: number;
  expiresAt: number;
  bytes: number;
}

export interface ResponseCache {
  get(key: string): Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry): Promise<void>;
  list(limit: number): Promise<CacheEntrySummary[]>;
  /** Deletes every entry; returns how many. */
  clear(): Promise<number>;
  close(): Promise<void>;
}
