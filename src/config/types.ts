/**
 * The resolved configuration the rest of the gateway runs on: durations in ms, secrets resolved,
 * defaults filled in. Produced by load-config.ts from TOML (or the embedded default).
 */
import type { ProviderConfig } from '../providers/provider-adapter.js';

export interface ApiKeyConfig {
  name: string;
  /** sha256 hex of the key; a literal key is hashed at load so no plaintext is kept in memory. */
  sha256: string;
}

export interface ModelAliasConfig {
  alias: string;
  /** Targets as `provider/model`, split at the first "/". */
  targets: Array<{ provider: string; model: string }>;
  /** Per-alias request defaults the client may override (temperature, max_tokens, ...), in OpenAI field names. */
  defaults: Record<string, unknown>;
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
  /** Where the config came from, for logs ("embedded default" or a file path). */
  source: string;
}
