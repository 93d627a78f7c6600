/**
 * The node's view of runtime governance state: config keys with admin overrides, admin-created keys,
 * and the effective policy. Reads are synchronous map lookups on the request path; the view reloads
 * when the store's version moves (checked every `pollMs`, and at once after a local admin change), so
 * a change made on any node takes effect everywhere within about a second, without a restart.
 */
import { randomBytes } from 'node:crypto';
import type { GatewayConfig, GuardrailsConfig, KeyLimits } from '../../config/types.js';
import { GatewayError } from '../../core/errors.js';
import { hashKey } from '../hash-key.js';
import {
  acceptsSecret,
  applyOverride,
  type GlobalRateLimit,
  type KeyOverride,
  type KeyRecord,
  type PolicyField,
  type PolicyOverrides,
  type RuntimeSnapshot,
  recordId,
  secretHashes,
} from './key-record.js';
import type { RuntimeStore } from './runtime-store.js';

export interface EffectivePolicy {
  rateLimit: GlobalRateLimit;
  systemPrompt?: string;
  guardrails: GuardrailsConfig;
}

export interface StateLogger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export const EMPTY_GUARDRAILS: GuardrailsConfig = {
  bannedPhrases: [],
  denyPatterns: [],
  redactPatterns: [],
  builtinDeny: [],
  builtinRedact: [],
  applyTo: 'both',
  streamWindow: 128,
};

export class GovernanceState {
  private readonly configKeys: KeyRecord[];
  private snapshot: RuntimeSnapshot = { version: -1, keys: [], overrides: {}, policy: {} };
  private byHash = new Map<string, KeyRecord>();
  private byName = new Map<string, KeyRecord>();
  private effective: EffectivePolicy;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private storeFailing = false;
  private readonly listeners: Array<() => void> = [];
  /** Hashes the store did not know, for a second: a flood of bad keys costs one lookup each per second. */
  private readonly misses = new Map<string, number>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly store: RuntimeStore,
    private readonly logger?: StateLogger,
    private readonly pollMs = 1000,
  ) {
    this.configKeys = config.keys.map((key) => ({ ...key, source: 'config', createdAt: 0 }));
    this.effective = this.computePolicy({});
    this.rebuild();
  }

  /** Loads the stored state and starts watching its version. */
  async start(): Promise<void> {
    await this.refresh(true);
    this.timer = setInterval(() => void this.refresh(), this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Called after every reload (compiled policies are rebuilt from it). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  get version(): number {
    return this.snapshot.version;
  }

  /** Reloads when the store's version moved (or always with `force`); never throws. */
  refresh(force = false): Promise<void> {
    this.refreshing ??= this.doRefresh(force).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(force: boolean): Promise<void> {
    try {
      if (!force && (await this.store.version()) === this.snapshot.version) {
        this.recovered();
        return;
      }
      this.snapshot = await this.store.load();
      this.effective = this.computePolicy(this.snapshot.policy);
      this.rebuild();
      this.recovered();
      for (const listener of this.listeners) listener();
    } catch (error) {
      // The last good state keeps serving; the poller retries on its own.
      if (!this.storeFailing) {
        this.storeFailing = true;
        this.logger?.warn(
          { err: error },
          'runtime governance state unavailable; serving the last known state',
        );
      }
    }
  }

  private recovered(): void {
    if (!this.storeFailing) return;
    this.storeFailing = false;
    this.logger?.info({}, 'runtime governance state reachable again');
  }

  /** The key this secret hash opens now: its current secret, or an earlier one still in its grace. */
  keyByHash(sha256: string): KeyRecord | undefined {
    const found = this.byHash.get(sha256);
    return found === undefined || found.sha256 === sha256 || acceptsSecret(found, sha256, Date.now())
      ? found
      : undefined;
  }

  /**
   * A key this node may not have loaded yet (created or rotated on another node within the last poll):
   * one store lookup on a local miss, when other nodes share the store.
   */
  async lookupHash(sha256: string): Promise<KeyRecord | undefined> {
    const now = Date.now();
    const local = this.byHash.get(sha256);
    // An earlier secret whose grace is over never opens its key again: no need to ask the store.
    if (local) return acceptsSecret(local, sha256, now) ? local : undefined;
    // No other node writes this store: what this node loaded is all of it, so a miss costs no store call.
    if (!this.store.shared) return undefined;
    if ((this.misses.get(sha256) ?? 0) > now) return undefined;
    let found: KeyRecord | undefined;
    try {
      found = await this.store.findKeyByHash(sha256);
    } catch {
      return undefined;
    }
    if (found && !acceptsSecret(found, sha256, now)) found = undefined;
    if (found) void this.refresh(true);
    else {
      if (this.misses.size >= 10_000) this.misses.clear();
      this.misses.set(sha256, now + 1_000);
    }
    return found;
  }

  keyByName(name: string): KeyRecord | undefined {
    return this.byName.get(name);
  }

  listKeys(): KeyRecord[] {
    return [...this.byName.values()];
  }

  /** Whether any client key exists (config or admin-created): then keys are required. */
  hasKeys(): boolean {
    return this.byName.size > 0;
  }

  policy(): EffectivePolicy {
    return this.effective;
  }

  /** Whether the admin API has replaced this part of the configured policy. */
  overridden(field: PolicyField): boolean {
    return this.snapshot.policy[field] !== undefined;
  }

  async createKey(name: string, limits: KeyLimits): Promise<{ record: KeyRecord; secret: string }> {
    await this.refresh(true);
    if (this.byName.has(name)) throw conflict(name);
    const secret = newSecret();
    const record: KeyRecord = {
      name,
      sha256: hashKey(secret),
      source: 'admin',
      createdAt: Date.now(),
      ...limits,
    };
    if (!(await this.store.createKey(record))) throw conflict(name);
    this.misses.delete(record.sha256);
    await this.refresh(true);
    return { record, secret };
  }

  /** Replaces the given limit fields (null removes one); works for config and admin keys alike. */
  async updateKey(name: string, patch: KeyOverride): Promise<KeyRecord> {
    await this.refresh(true);
    const current = this.byName.get(name);
    if (!current) throw notFound(name);
    // Changed from the stored state in one atomic step, so a concurrent change made on another node
    // (a revocation, say) is kept rather than overwritten with this node's view.
    if (current.source === 'admin') {
      await this.store.updateKey(recordId(current), (stored) => {
        const changed = applyOverride(stored, patch);
        // Revoking also ends the grace of replaced secrets: a restore brings back the current one only.
        if (patch.revoked === true) delete changed.previous;
        return changed;
      });
    } else {
      await this.store.updateOverride(name, (previous) => ({ ...previous, ...patch }));
    }
    await this.refresh(true);
    return this.byName.get(name) ?? current;
  }

  revokeKey(name: string): Promise<KeyRecord> {
    return this.updateKey(name, { revoked: true });
  }

  /** Takes back a revocation: the key answers to its current secret again. */
  restoreKey(name: string): Promise<KeyRecord> {
    return this.updateKey(name, { revoked: false });
  }

  /**
   * Gives an admin key a new secret, returned here once. The record stays the same (name, limits, budget
   * and its spend, usage), changed atomically from its stored state like any update. The replaced secret
   * keeps working for `graceMs` (0: it stops at once); earlier secrets still in a grace period keep
   * theirs only up to that same end. A revoked key can be rotated (it stays revoked until restored) but
   * its old secrets are dropped, never given a grace period.
   */
  async rotateKey(name: string, graceMs = 0): Promise<{ record: KeyRecord; secret: string }> {
    await this.refresh(true);
    const current = this.byName.get(name);
    if (!current) throw notFound(name);
    if (current.source === 'config') {
      throw new GatewayError(
        'invalid_request',
        `Key "${name}" comes from the config file ([[keys]]): its secret is changed there`,
        { status: 409, code: 'config_key' },
      );
    }
    const secret = newSecret();
    const sha256 = hashKey(secret);
    const now = Date.now();
    const stored = await this.store.updateKey(recordId(current), (record) =>
      rotated(record, sha256, graceMs, now),
    );
    if (!stored) throw notFound(name);
    this.misses.delete(sha256);
    await this.refresh(true);
    return { record: this.byName.get(name) ?? stored, secret };
  }

  async setPolicy<F extends PolicyField>(field: F, value: PolicyOverrides[F] | undefined): Promise<void> {
    await this.store.setPolicy(field, value);
    await this.refresh(true);
  }

  private computePolicy(overrides: PolicyOverrides): EffectivePolicy {
    const limits = this.config.limits;
    const configured: GlobalRateLimit = {
      windowMs: limits?.windowMs ?? 60_000,
      algorithm: limits?.algorithm ?? 'sliding_window',
      ...(limits?.requestsPerWindow === undefined ? {} : { requestsPerWindow: limits.requestsPerWindow }),
    };
    const systemPrompt = overrides.systemPrompt
      ? overrides.systemPrompt.value
      : this.config.policy?.systemPrompt;
    return {
      rateLimit: overrides.rateLimit ?? configured,
      ...(systemPrompt === undefined || systemPrompt === '' ? {} : { systemPrompt }),
      guardrails: overrides.guardrails ?? this.config.policy?.guardrails ?? EMPTY_GUARDRAILS,
    };
  }

  private rebuild(): void {
    const byHash = new Map<string, KeyRecord>();
    const byName = new Map<string, KeyRecord>();
    for (const key of this.configKeys) {
      const effective = applyOverride(key, this.snapshot.overrides[key.name]);
      byHash.set(effective.sha256, effective);
      byName.set(effective.name, effective);
    }
    for (const key of this.snapshot.keys) {
      if (byName.has(key.name)) continue; // a config key of the same name wins
      // Earlier secrets too: keyByHash checks whether their grace is over when one is presented.
      for (const hash of secretHashes(key)) byHash.set(hash, key);
      byName.set(key.name, key);
    }
    this.byHash = byHash;
    this.byName = byName;
  }
}

function newSecret(): string {
  return `jk-${randomBytes(24).toString('base64url')}`;
}

/** `record` with the new secret `sha256`, the replaced one kept until `now + graceMs` (see rotateKey). */
function rotated(record: KeyRecord, sha256: string, graceMs: number, now: number): KeyRecord {
  if (record.revoked && graceMs > 0) {
    throw new GatewayError(
      'invalid_request',
      `Key "${record.name}" is revoked: rotate it without a grace_period (its old secrets stay refused), then restore it`,
      { status: 409, code: 'key_revoked' },
    );
  }
  const graceEnds = now + graceMs;
  const previous = record.revoked
    ? []
    : (record.previous ?? [])
        .map((earlier) => ({ sha256: earlier.sha256, expiresAt: Math.min(earlier.expiresAt, graceEnds) }))
        .filter((earlier) => earlier.expiresAt > now);
  if (graceMs > 0 && !record.revoked) previous.push({ sha256: record.sha256, expiresAt: graceEnds });
  const { previous: _replaced, ...rest } = record;
  return {
    ...rest,
    id: recordId(record),
    sha256,
    rotatedAt: now,
    ...(previous.length > 0 ? { previous } : {}),
  };
}

function conflict(name: string): GatewayError {
  return new GatewayError('invalid_request', `A key named "${name}" already exists`, {
    status: 409,
    code: 'key_exists',
  });
}

function notFound(name: string): GatewayError {
  return new GatewayError('not_found', `No key named "${name}"`, { code: 'key_not_found' });
}
