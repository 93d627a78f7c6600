/**
 * Where runtime governance state lives: admin-created keys, admin overrides of config keys, and
 * policy changes. For one node, SQLite in `<data_dir>/state.db` (kept across restarts) or plain maps;
 * Redis so every node sees the same state. Every write bumps a version number that nodes poll cheaply
 * (once a second) to know when to reload.
 */
import type { KeyOverride, KeyRecord, PolicyField, PolicyOverrides, RuntimeSnapshot } from './key-record.js';

export interface RuntimeStore {
  /**
   * Whether other gateway nodes write to this store too. When none does, the state this node loaded is
   * all there is, so a secret it does not know is unknown without asking the store.
   */
  readonly shared: boolean;
  load(): Promise<RuntimeSnapshot>;
  version(): Promise<number>;
  /** Stores a new admin key; false when the name is already taken. */
  createKey(record: KeyRecord): Promise<boolean>;
  /**
   * Changes an existing admin key (limits, revoked, its secret) from its stored state, atomically: two
   * nodes changing one key at once both take effect, neither overwrites the other. `id` is the key's
   * `recordId`, which a rotation does not change; the secrets the key answers to (its `sha256` and
   * `previous`) are indexed in the same step. Undefined (and nothing written) when there is no such key.
   */
  updateKey(id: string, change: (current: KeyRecord) => KeyRecord): Promise<KeyRecord | undefined>;
  /**
   * The key whose current secret, or an earlier one in its `previous`, has this hash. Whether an
   * earlier secret's grace is over is the caller's to check (`acceptsSecret`).
   */
  findKeyByHash(sha256: string): Promise<KeyRecord | undefined>;
  /** Changes a config key's override from its stored state, atomically like `updateKey`. */
  updateOverride(name: string, change: (current: KeyOverride | undefined) => KeyOverride): Promise<void>;
  setPolicy<F extends PolicyField>(field: F, value: PolicyOverrides[F] | undefined): Promise<void>;
  close(): Promise<void>;
}
