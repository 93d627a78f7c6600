/**
 * The resolved configuration the rest of the gateway runs on: durations in ms, secrets resolved,
 * defaults filled in. Produced by load-config.ts from TOML (or the embedded default).
 */
import type { ProviderConfig } from '../providers/provider-adapter.js';
import type { BackoffOptions } from '../routing/backoff.js';
import type { BreakerOptions } from '../routing/circuit-breaker.js';
import type { Strategy } from '../routing/order-targets.js';

export interface ApiKeyConfig {
  name: string;
  /** sha256 hex of the key; a literal key is hashed at load so no plaintext is kept in memory. */
  sha256: string;
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
}

export interface GatewayConfig {
  server: ServerConfig;
  keys: ApiKeyConfig[];
  providers: ProviderConfig[];
  models: ModelAliasConfig[];
  /** Absent in hand-built configs: built-in routing defaults apply. */
  routing?: RoutingConfig;
  admin?: AdminConfig;
  /** Where the config came from, for logs ("embedded default" or a file path). */
  source: string;
}
