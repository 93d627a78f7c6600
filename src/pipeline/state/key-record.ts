/**
 * A client key as the gateway knows it at run time: from `[[keys]]` (with any admin override applied)
 * or created through the admin API. Only the sha256 of the secret is ever held.
 */
import type { GuardrailsConfig, KeyLimits } from '../../config/types.js';

export interface KeyRecord extends KeyLimits {
  name: string;
  sha256: string;
  source: 'config' | 'admin';
  /** Epoch ms; 0 for config keys. */
  createdAt: number;
  revoked?: boolean;
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
