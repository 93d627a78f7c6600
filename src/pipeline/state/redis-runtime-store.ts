/**
 * RuntimeStore on Redis, shared by every node: hashes for keys (by `recordId`: the sha256 of a key's first
 * secret), rotated secrets (sha256 to the key's id), key names (for atomic uniqueness), overrides (by
 * name) and policy (by field), plus a version counter that each write bumps in the same MULTI or script,
 * so a node that sees a new version reloads a state at least that new.
 */
import type { Redis } from 'ioredis';
import { luaScript, runScript } from '../../storage/redis/run-script.js';
import {
  type KeyOverride,
  type KeyRecord,
  type PolicyField,
  type PolicyOverrides,
  type RuntimeSnapshot,
  secretHashes,
} from './key-record.js';
import type { RuntimeStore } from './runtime-store.js';

/** KEYS: hash, version. ARGV: field, expected JSON, '1' when the field is expected absent, new JSON. */
const COMPARE_AND_SET = luaScript(
  `local current = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[3] == '1' then
  if current then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
redis.call('INCR', KEYS[2])
return 1`,
  2,
);

/**
 * A key's compare-and-set, with its secrets index in the same step. KEYS: keys hash, version, secrets
 * hash. ARGV: id, expected JSON, new JSON, how many hashes to drop from the index, the hashes to drop
 * (only where they still point at this key), then the hashes to point at it.
 */
const KEY_COMPARE_AND_SET = luaScript(
  `if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
local drops = tonumber(ARGV[4])
for i = 5, 4 + drops do
  if redis.call('HGET', KEYS[3], ARGV[i]) == ARGV[1] then redis.call('HDEL', KEYS[3], ARGV[i]) end
end
for i = 5 + drops, #ARGV do redis.call('HSET', KEYS[3], ARGV[i], ARGV[1]) end
redis.call('INCR', KEYS[2])
return 1`,
  3,
);

/** KEYS: keys hash, secrets hash. ARGV: a secret's sha256. The key stored under it, or under its id. */
const FIND_KEY = luaScript(
  `local json = redis.call('HGET', KEYS[1], ARGV[1])
if json then return json end
local id = redis.call('HGET', KEYS[2], ARGV[1])
if not id then return false end
return redis.call('HGET', KEYS[1], id)`,
  2,
);

const MAX_CAS_ATTEMPTS = 20;

export class RedisRuntimeStore implements RuntimeStore {
  readonly shared = true;
  private readonly keysHash: string;
  private readonly secretsHash: string;
  private readonly namesHash: string;
  private readonly overridesHash: string;
  private readonly policyHash: string;
  private readonly versionKey: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keysHash = `${prefix}state:keys`;
    this.secretsHash = `${prefix}state:secrets`;
    this.namesHash = `${prefix}state:names`;
    this.overridesHash = `${prefix}state:overrides`;
    this.policyHash = `${prefix}state:policy`;
    this.versionKey = `${prefix}state:version`;
  }

  async load(): Promise<RuntimeSnapshot> {
    const replies = await this.redis
      .multi()
      .get(this.versionKey)
      .hgetall(this.keysHash)
      .hgetall(this.overridesHash)
      .hgetall(this.policyHash)
      .exec();
    if (!replies) throw new Error('runtime state read was aborted');
    for (const [error] of replies) if (error) throw error;
    const [version, keys, overrides, policy] = replies.map(([, value]) => value) as [
      string | null,
      Record<string, string>,
      Record<string, string>,
      Record<string, string>,
    ];
    const policyOverrides: PolicyOverrides = {};
    for (const [field, json] of Object.entries(policy)) {
      (policyOverrides as Record<string, unknown>)[field] = JSON.parse(json);
    }
    return {
      version: Number(version ?? 0),
      keys: Object.values(keys).map((json) => JSON.parse(json) as KeyRecord),
      overrides: Object.fromEntries(
        Object.entries(overrides).map(([name, json]) => [name, JSON.parse(json) as KeyOverride]),
      ),
      policy: policyOverrides,
    };
  }

  async version(): Promise<number> {
    return Number((await this.redis.get(this.versionKey)) ?? 0);
  }

  async createKey(record: KeyRecord): Promise<boolean> {
    // HSETNX on the name makes two nodes creating the same name at once settle on one winner.
    const claimed = await this.redis.hsetnx(this.namesHash, record.name, record.sha256);
    if (claimed === 0) return false;
    await this.redis
      .multi()
      .hset(this.keysHash, record.sha256, JSON.stringify(record))
      .incr(this.versionKey)
      .exec();
    return true;
  }

  async updateKey(id: string, change: (current: KeyRecord) => KeyRecord): Promise<KeyRecord | undefined> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const json = await this.redis.hget(this.keysHash, id);
      if (json === null) return undefined;
      const current = JSON.parse(json) as KeyRecord;
      const changed = change(current);
      const before = secretHashes(current).filter((hash) => hash !== id);
      const after = secretHashes(changed).filter((hash) => hash !== id);
      const drop = before.filter((hash) => !after.includes(hash));
      const swapped = await runScript(
        this.redis,
        KEY_COMPARE_AND_SET,
        [this.keysHash, this.versionKey, this.secretsHash],
        [id, json, JSON.stringify(changed), drop.length, ...drop, ...after],
      );
      if (swapped === 1) return changed;
    }
    throw new Error(`runtime state ${id} kept changing under concurrent writes; try again`);
  }

  async findKeyByHash(sha256: string): Promise<KeyRecord | undefined> {
    const json = await runScript(this.redis, FIND_KEY, [this.keysHash, this.secretsHash], [sha256]);
    if (typeof json !== 'string') return undefined;
    const found = JSON.parse(json) as KeyRecord;
    return secretHashes(found).includes(sha256) ? found : undefined;
  }

  async updateOverride(
    name: string,
    change: (current: KeyOverride | undefined) => KeyOverride,
  ): Promise<void> {
    await this.compareAndSet(this.overridesHash, name, (json) =>
      JSON.stringify(change(json === null ? undefined : (JSON.parse(json) as KeyOverride))),
    );
  }

  /**
   * Read, change, write back only if nobody wrote in between (one Lua script compares and sets, and bumps
   * the version), else read again: a read-modify-write that two nodes can run at once without losing
   * either change. `change` returning undefined writes nothing.
   */
  private async compareAndSet(
    hash: string,
    field: string,
    change: (json: string | null) => string | undefined,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const current = await this.redis.hget(hash, field);
      const next = change(current);
      if (next === undefined) return;
      const swapped = await runScript(
        this.redis,
        COMPARE_AND_SET,
        [hash, this.versionKey],
        [field, current ?? '', current === null ? '1' : '0', next],
      );
      if (swapped === 1) return;
    }
    throw new Error(`runtime state ${field} kept changing under concurrent writes; try again`);
  }

  async setPolicy<F extends PolicyField>(field: F, value: PolicyOverrides[F] | undefined): Promise<void> {
    const multi = this.redis.multi();
    if (value === undefined) multi.hdel(this.policyHash, field);
    else multi.hset(this.policyHash, field, JSON.stringify(value));
    await multi.incr(this.versionKey).exec();
  }

  async close(): Promise<void> {}
}
