/**
 * A client key as the gateway knows it at run time: from `[[keys]]` (with any admin override applied)
 * or created through the admin API. Only the sha256 of the secret is ever held.
 */
import type { GuardrailsConfig, KeyLimits } from '../../config/types.js';

export interface KeyRecord extends KeyLimits {
  name: string;
  /** The sha256 of the current secret. */
  sha256: string;
  /**
   * Where the store keeps an admin key: the sha256 of its first secret, which stays its id when the
   * secret is rotated. Absent on a key never rotated (its id is then its `sha256`); see `recordId`.
   */
  id?: string;
  source: 'config' | 'admin';
  /** Epoch ms; 0 for config keys. */
  createdAt: number;
  revoked?: boolean;
  /** Epoch ms of the last rotation. */
  rotatedAt?: number;
  /** Earlier secrets still accepted after a rotation with a grace period, each until its `expiresAt`. */
  previous?: PreviousSecret[];
}

/** A secret replaced by a rotation, accepted until `expiresAt` (epoch ms). */
export interface PreviousSecret {
  sha256: string;
  expiresAt: number;
}

/** The id an admin key is stored under: unchanged by rotations. */
export function recordId(record: KeyRecord): string {
  return record.id ?? record.sha256;
}

/** Every secret hash a key may be presented with (the current one first), expired or not. */
export function secretHashes(record: KeyRecord): string[] {
  return [record.sha256, ...(record.previous ?? []).map((previous) => previous.sha256)];
}

/** Whether `sha256` opens the key at `now`: its current secret, or an earlier one still in its grace. */
export function acceptsSecret(record: KeyRecord, sha256: string, now: number): boolean {
  if (record.sha256 === sha256) return true;
  return record.previous?.some((previous) => previous.sha256 === sha256 && previous.expiresAt > now) ?? false;
}

/** An admin change to a config key: limits replaced field by field, or the key revoked. */
export interface KeyOverride extends KeyLimits {
  revoked?: boolean;
}

/** The global request limit (every caller together). Without `requestsPerWindow` there is none. */
export interface GlobalRateLimit {
  requestsPerWindow?: number;
  windowMs: number;
  algorithm: 'sliding_window' | 'token_bucket';
}

/** Runtime policy set through the admin API; an absent field means "as configured". */
export interface PolicyOverrides {
  rateLimit?: GlobalRateLimit;
  /** Wrapped so that "no global system prompt" can override a configured one. */
  systemPrompt?: { value?: string };
  guardrails?: GuardrailsConfig;
}

export type PolicyField = keyof PolicyOverrides;

/** Everything the runtime store holds, as one consistent read. */
export interface RuntimeSnapshot {
  version: number;
  /** Admin-created keys. */
  keys: KeyRecord[];
  /** Admin changes to config keys, by name. */
  overrides: Record<string, KeyOverride>;
  policy: PolicyOverrides;
}

/** Applies an override's fields over a key (undefined in the override leaves the key's value). */
export function applyOverride(record: KeyRecord, override: KeyOverride | undefined): KeyRecord {
  if (!override) return record;
  const merged: KeyRecord = { ...record };
  for (const [field, value] of Object.entries(override)) {
    if (value === null) delete (merged as unknown as Record<string, unknown>)[field];
    else if (value !== undefined) (merged as unknown as Record<string, unknown>)[field] = value;
  }
  return merged;
}
