/** RuntimeStore for a single node: plain maps, gone with the process (tests, configs without a data_dir). */
import {
  type KeyOverride,
  type KeyRecord,
  type PolicyField,
  type PolicyOverrides,
  type RuntimeSnapshot,
  recordId,
  secretHashes,
} from './key-record.js';
import type { RuntimeStore } from './runtime-store.js';

export class MemoryRuntimeStore implements RuntimeStore {
  readonly shared = false;
  /** Admin keys by `recordId`. */
  private readonly keys = new Map<string, KeyRecord>();
  /** Secret hashes other than a key's id (rotated secrets), to the key's id. */
  private readonly secrets = new Map<string, string>();
  private readonly names = new Set<string>();
  private readonly overrides = new Map<string, KeyOverride>();
  private policy: PolicyOverrides = {};
  private currentVersion = 0;

  async load(): Promise<RuntimeSnapshot> {
    return {
      version: this.currentVersion,
      keys: [...this.keys.values()].map((key) => structuredClone(key)),
      overrides: Object.fromEntries(this.overrides),
      policy: { ...this.policy },
    };
  }

  async version(): Promise<number> {
    return this.currentVersion;
  }

  async createKey(record: KeyRecord): Promise<boolean> {
    if (this.names.has(record.name)) return false;
    this.names.add(record.name);
    this.keys.set(recordId(record), structuredClone(record));
    this.currentVersion += 1;
    return true;
  }

  async updateKey(id: string, change: (current: KeyRecord) => KeyRecord): Promise<KeyRecord | undefined> {
    const current = this.keys.get(id);
    if (!current) return undefined;
    const next = change(structuredClone(current));
    for (const hash of secretHashes(current)) if (this.secrets.get(hash) === id) this.secrets.delete(hash);
    for (const hash of secretHashes(next)) if (hash !== id) this.secrets.set(hash, id);
    this.keys.set(id, structuredClone(next));
    this.currentVersion += 1;
    return next;
  }

  async findKeyByHash(sha256: string): Promise<KeyRecord | undefined> {
    const found = this.keys.get(this.secrets.get(sha256) ?? sha256);
    return found && secretHashes(found).includes(sha256) ? structuredClone(found) : undefined;
  }

  async updateOverride(
    name: string,
    change: (current: KeyOverride | undefined) => KeyOverride,
  ): Promise<void> {
    const current = this.overrides.get(name);
    this.overrides.set(name, { ...change(current ? { ...current } : undefined) });
    this.currentVersion += 1;
  }

  async setPolicy<F extends PolicyField>(field: F, value: PolicyOverrides[F] | undefined): Promise<void> {
    const next = { ...this.policy };
    if (value === undefined) delete next[field];
    else next[field] = value;
    this.policy = next;
    this.currentVersion += 1;
  }

  async close(): Promise<void> {}
}
