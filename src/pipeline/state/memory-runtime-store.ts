/** RuntimeStore for a single node: plain maps. */
import type { KeyOverride, KeyRecord, PolicyField, PolicyOverrides, RuntimeSnapshot } from './key-record.js';
import type { RuntimeStore } from './runtime-store.js';

export class MemoryRuntimeStore implements RuntimeStore {
  private readonly keys = new Map<string, KeyRecord>();
  private readonly names = new Set<string>();
  private readonly overrides = new Map<string, KeyOverride>();
  private policy: PolicyOverrides = {};
  private currentVersion = 0;

  async load(): Promise<RuntimeSnapshot> {
    return {
      version: this.currentVersion,
      keys: [...this.keys.values()].map((key) => ({ ...key })),
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
    this.keys.set(record.sha256, { ...record });
    this.currentVersion += 1;
    return true;
  }

  async updateKey(sha256: string, change: (current: KeyRecord) => KeyRecord): Promise<KeyRecord | undefined> {
    const current = this.keys.get(sha256);
    if (!current) return undefined;
    const next = change({ ...current });
    this.keys.set(sha256, { ...next });
    this.currentVersion += 1;
    return next;
  }

  async findKeyByHash(sha256: string): Promise<KeyRecord | undefined> {
    const found = this.keys.get(sha256);
    return found ? { ...found } : undefined;
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
