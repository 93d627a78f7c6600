/**
 * Where runtime governance state lives: admin-created keys, admin overrides of config keys, and
 * policy changes. Memory for one node; Redis so every node sees the same state. Every write bumps a
 * version number that nodes poll cheaply (one GET a second) to know when to reload.
 */
import type { KeyOverride, KeyRecord, PolicyField, PolicyOverrides, RuntimeSnapshot } from './key-record.js';

export interface RuntimeStore {
  load(): Promise<RuntimeSnapshot>;
  version(): Promise<number>;
  /** Stores a new admin key; false when the name is already taken. */
  createKey(record: KeyRecord): Promise<boolean>;
  /** Replaces an existing admin key (limits changed, revoked). */
  updateKey(record: KeyRecord): Promise<void>;
  findKeyByHash(sha256: string): Promise<KeyRecord | undefined>;
  setOverride(name: string, override: KeyOverride): Promise<void>;
  setPolicy<F extends PolicyField>(field: F, value: PolicyOverrides[F] | undefined): Promise<void>;
  close(): Promise<void>;
}
