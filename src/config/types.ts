/**
 * The resolved configuration the rest of the gateway runs on: durations in ms, secrets resolved,
 * defaults filled in. Produced by load-config.ts from TOML (or the embedded default).
 */
import type { ProviderConfig } from '../providers/provider-adapter.js';
import type { BackoffOptions } from '../routing/backoff.js';
import type { BreakerOptions } from '../routing/circuit-breaker.js';
import type { Strategy } from '../routing/order-targets.js';
import type { StoreConfig } from './store-schema.js';

export type BudgetPeriod = 'day' | 'month' | 'total';

/** What a key may do. Every field is optional: absent means "no limit of this kind". */
export interface KeyLimits {
  /** Model names or aliases the key may call, as globs; absent: any. */
  models?: string[];
  rpm?: number;
  tpm?: number;
  maxConcurrent?: number;
  budget?: { usd: number; period: BudgetPeriod };
  metadata?: { team?: string; owner?: string };
  /** Appended to the client's system prompt after the global one. */
  systemPrompt?: string;
}

export interface ApiKeyConfig extends KeyLimits {
  name: string;
  /** sha256 hex of the key; a literal key is hashed at load so no plaintext is kept in memory. */
  sha256: string;
}

export interface JwtAuthConfig {
  jwksUrl?: string;
  /** PEM (SPKI) public key. */
  publicKey?: string;
  issuer?: string;
  audience?: string;
  algorithms?: string[];
  templateKey?: string;
  /** Claim names: which claim names the caller, which carry limits. */
  claims: {
    keyName: string;
    models?: string;
    rpm?: string;
    tpm?: string;
    maxConcurrent?: string;
    budgetUsd?: string;
    budgetPeriod?: string;
    team?: string;
  };
}

export interface LimitsConfig {
  backend: 'memory' | 'redis';
  url?: string;
  keyPrefix: string;
  onRedisFailure: 'fail_open' | 'fail_closed';
  algorithm: 'sliding_window' | 'token_bucket';
  /** Global policy: every caller together. */
  requestsPerWindow?: number;
  windowMs: number;
  /** Memory backend: how often budget spend is saved to the state file. */
  budgetSnapshotIntervalMs: number;
}

export interface CacheConfig {
  enabled: boolean;
  backend: 'memory' | 'redis';
  url?: string;
  ttlMs: number;
  maxBytes: number;
  maxEntryBytes: number;
  perKey: boolean;
}

export type BuiltinPatternName = 'email' | 'phone' | 'card' | 'api_key';

export interface GuardrailsConfig {
  bannedPhrases: string[];
  denyPatterns: string[];
  redactPatterns: string[];
  builtinDeny: BuiltinPatternName[];
  builtinRedact: BuiltinPatternName[];
  minInputChars?: number;
  maxInputChars?: number;
  outputDisclaimer?: string;
  applyTo: 'both' | 'input' | 'output';
  streamWindow: number;
}

export interface PolicyConfig {
  systemPrompt?: string;
  guardrails: GuardrailsConfig;
}

/** USD per million tokens for models matching `model` (a glob over the model id or provider/model). */
export interface PricingConfig {
  model: string;
  input: number;
  output: number;
  cachedInput?: number;
  cacheWrite?: number;
  reasoning?: number;
}

export interface UsageConfig {
  enabled: boolean;
  /** postgres://... or a SQLite file path. */
  url?: string;
  schema?: string;
  queueSize: number;
  batch: number;
  flushIntervalMs: number;
  retentionDays?: number;
}

/** Resilience knobs; an alias's own values win over `[routing]`, whose values win over built-in defaults. */
export interface RoutePolicyConfig {
  failoverOn?: Array<number | string>;
  retries?: number;
  timeoutMs?: number;
  firstByteTimeoutMs?: number;
  idleTimeoutMs?: number;
}

export interface ModelAliasConfig extends RoutePolicyConfig {
  alias: string;
  /** Targets as `provider/model`, split at the first "/", with a weight for the weighted strategy. */
  targets: Array<{ provider: string; model: string; weight?: number }>;
  /** Per-alias request defaults the client may override (temperature, max_tokens, ...), in OpenAI field names. */
  defaults: Record<string, unknown>;
  strategy?: Strategy;
  resumeStreams?: boolean;
}

export interface RoutingConfig extends RoutePolicyConfig {
  /** Providers tried, in order, for a model that is neither an alias nor `provider/model`. */
  providerOrder: string[];
  /** With `x-llm-provider`, fail over to the other providers of `providerOrder`. */
  providerFailover: boolean;
  breaker: BreakerOptions;
  backoff: BackoffOptions;
}

export interface AdminConfig {
  /** A separate listener for /admin/*; when absent the admin API shares the main listener. */
  host?: string;
  port?: number;
  /** Bearer token for /admin/*; without one the admin API is off. */
  token?: string;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Whether clients must present one of `keys`. Defaults to true when keys are configured. */
  requireAuth: boolean;
  /**
   * True when `require_auth` was written in the config rather than defaulted. Only an explicit false lets a
   * non-loopback listen address run without keys; `applyListenOverride` re-checks that rule with it.
   */
  requireAuthExplicit?: boolean;
  maxBodyBytes: number;
  /** Local state (the SQLite usage log); default ./.junction-data. */
  dataDir?: string;
  /** On SIGTERM, how long running requests may take before they are ended; absent in hand-built configs. */
  shutdownGraceMs?: number;
}

export interface GatewayConfig {
  server: ServerConfig;
  keys: ApiKeyConfig[];
  providers: ProviderConfig[];
  models: ModelAliasConfig[];
  /** Absent in hand-built configs: built-in routing defaults apply. */
  routing?: RoutingConfig;
  admin?: AdminConfig;
  /** Governance sections; absent in hand-built configs, where their defaults apply. */
  auth?: { jwt?: JwtAuthConfig };
  limits?: LimitsConfig;
  cache?: CacheConfig;
  policy?: PolicyConfig;
  pricing?: PricingConfig[];
  usage?: UsageConfig;
  /** `[store]`: Responses API state; absent in hand-built configs (memory, defaults). */
  store?: StoreConfig;
  /** Where the config came from, for logs ("embedded default" or a file path). */
  source: string;
}
