/**
 * From the parsed TOML table to the GatewayConfig the gateway runs on: schema problems, then secrets,
 * cross-references and the exposure rule. Each section is also validated on its own so that one typo
 * does not hide the unset environment variable two tables further down: every problem is reported.
 */
import type { z } from 'zod';
import type { ProviderConfig } from '../providers/provider-adapter.js';
import { checkExposure } from './check-exposure.js';
import {
  configSchema,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_TIMEOUT_MS,
  keySchema,
  modelSchema,
  type ProviderSection,
  providerSchema,
  serverSchema,
} from './config-schema.js';
import { describeConfigIssue } from './describe-config-issue.js';
import { formatConfigPath } from './format-config-path.js';
import { type Env, resolveKeyHash, resolveSecret } from './resolve-secret.js';
import type { ApiKeyConfig, GatewayConfig, ModelAliasConfig, ServerConfig } from './types.js';

export type BuildResult = { ok: true; config: GatewayConfig } | { ok: false; problems: string[] };

export function buildGatewayConfig(document: Record<string, unknown>, source: string, env: Env): BuildResult {
  const problems: string[] = [];
  const parsed = configSchema.safeParse(document, { reportInput: true });
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap(describeConfigIssue));

  const rawKeys = arrayOrEmpty(document.keys);
  const rawProviders = tableOrEmpty(document.providers);
  const rawModels = arrayOrEmpty(document.models);

  const keys = buildKeys(rawKeys, env, problems);
  const providers = buildProviders(rawProviders, env, problems);
  const models = buildModels(rawModels, new Set(Object.keys(rawProviders)), problems);
  const server = buildServer(document.server ?? {}, rawKeys.length, problems);

  if (problems.length > 0 || server === undefined) return { ok: false, problems };
  return { ok: true, config: { server, keys, providers, models, source } };
}

function buildServer(raw: unknown, keyCount: number, problems: string[]): ServerConfig | undefined {
  const section = parseSection(serverSchema, raw);
  if (section === undefined) return undefined;
  const exposure = checkExposure(section.listen.host, section.require_auth, keyCount);
  if (exposure !== undefined) problems.push(exposure);
  return {
    host: section.listen.host,
    port: section.listen.port,
    requireAuth: section.require_auth ?? keyCount > 0,
    requireAuthExplicit: section.require_auth !== undefined,
    maxBodyBytes: section.max_body_bytes,
  };
}

function buildKeys(raw: unknown[], env: Env, problems: string[]): ApiKeyConfig[] {
  const keys: ApiKeyConfig[] = [];
  const nameSeenAt = new Map<string, number>();
  const hashSeenAt = new Map<string, number>();
  raw.forEach((entry, index) => {
    const section = parseSection(keySchema, entry);
    if (section === undefined) return;
    const firstName = nameSeenAt.get(section.name);
    if (firstName !== undefined) {
      problems.push(`keys[${index}].name: duplicate key name "${section.name}" (also keys[${firstName}])`);
    } else nameSeenAt.set(section.name, index);
    const hash = resolveKeyHash(section.key, env);
    if (!hash.ok) {
      problems.push(`keys[${index}].key: ${hash.problem}`);
      return;
    }
    const firstHash = hashSeenAt.get(hash.value);
    // Two names for one key would make usage attribution ambiguous.
    if (firstHash !== undefined) problems.push(`keys[${index}].key: same key as keys[${firstHash}]`);
    else hashSeenAt.set(hash.value, index);
    keys.push({ name: section.name, sha256: hash.value });
  });
  return keys;
}

function buildProviders(raw: Record<string, unknown>, env: Env, problems: string[]): ProviderConfig[] {
  const providers: ProviderConfig[] = [];
  for (const [name, entry] of Object.entries(raw)) {
    const section = parseSection(providerSchema, entry);
    if (section === undefined) continue;
    providers.push(buildProvider(name, section, env, problems));
  }
  return providers;
}

function buildProvider(name: string, section: ProviderSection, env: Env, problems: string[]): ProviderConfig {
  if (section.type === 'echo') {
    return {
      name,
      type: 'echo',
      baseUrl: '',
      apiKeys: [],
      timeoutMs: DEFAULT_TIMEOUT_MS,
      headers: {},
      maxConnections: DEFAULT_MAX_CONNECTIONS,
    };
  }
  const at = (...path: string[]) => formatConfigPath(['providers', name, ...path]);
  const apiKeys: string[] = [];
  if (section.api_key !== undefined) {
    const key = resolveSecret(section.api_key, env);
    if (key.ok) apiKeys.push(key.value);
    else problems.push(`${at('api_key')}: ${key.problem}`);
  }
  // Header values may carry credentials for a proxy in front of the provider, so env: applies too.
  const headers: Record<string, string> = {};
  for (const [header, value] of Object.entries(section.headers)) {
    const resolved = resolveSecret(value, env);
    if (resolved.ok) headers[header] = resolved.value;
    else problems.push(`${at('headers', header)}: ${resolved.problem}`);
  }
  return {
    name,
    type: section.type,
    baseUrl: section.base_url,
    apiKeys,
    timeoutMs: section.timeout,
    headers,
    maxConnections: section.max_connections,
  };
}

function buildModels(
  raw: unknown[],
  providerNames: ReadonlySet<string>,
  problems: string[],
): ModelAliasConfig[] {
  const models: ModelAliasConfig[] = [];
  const aliasSeenAt = new Map<string, number>();
  raw.forEach((entry, index) => {
    const section = parseSection(modelSchema, entry);
    if (section === undefined) return;
    const first = aliasSeenAt.get(section.alias);
    if (first !== undefined) {
      problems.push(
        `models[${index}].alias: duplicate alias "${section.alias}" (first defined at models[${first}])`,
      );
    } else aliasSeenAt.set(section.alias, index);
    section.targets.forEach((target, targetIndex) => {
      if (!providerNames.has(target.provider)) {
        problems.push(
          `models[${index}].targets[${targetIndex}]: provider "${target.provider}" is not configured`,
        );
      }
    });
    models.push({ alias: section.alias, targets: section.targets, defaults: section.defaults });
  });
  return models;
}

/** The section's parsed value, or undefined when it has schema problems (already reported above). */
function parseSection<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> | undefined {
  const result = schema.safeParse(raw);
  return result.success ? result.data : undefined;
}

function arrayOrEmpty(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function tableOrEmpty(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
