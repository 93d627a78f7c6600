/**
 * From the parsed TOML table to the GatewayConfig the gateway runs on. Problems are gathered from every
 * pass (schema, secrets, cross-references, exposure) before giving up, so one run reports all of them.
 */
import type { ProviderConfig, ProviderSettings } from '../providers/provider-adapter.js';
import { checkConfigReferences } from './check-config-references.js';
import { checkExposure } from './check-exposure.js';
import {
  type ConfigDocument,
  configSchema,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_TIMEOUT_MS,
  PRESET_BASE_URLS,
  type PresetType,
} from './config-schema.js';
import { describeConfigIssue } from './describe-config-issue.js';
import { assembleGovernance, checkGovernance } from './governance-config.js';
import { keyLimitsOf } from './key-limits-of.js';
import { orderConfigProblems } from './order-config-problems.js';
import { parseListenAddress } from './parse-listen-address.js';
import { asArray, asString, asTable, type RawTable } from './raw-toml.js';
import { type ResolvedSecrets, resolveConfigSecrets } from './resolve-config-secrets.js';
import type { Env } from './resolve-secret.js';
import { resolveStoreConfig } from './store-schema.js';
import type { GatewayConfig, RoutePolicyConfig } from './types.js';

export type BuildResult = { ok: true; config: GatewayConfig } | { ok: false; problems: string[] };

export function buildGatewayConfig(document: RawTable, source: string, env: Env): BuildResult {
  const problems: string[] = [];
  const parsed = configSchema.safeParse(document, { reportInput: true });
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap(describeConfigIssue));
  const secrets = resolveConfigSecrets(document, env, problems);
  checkConfigReferences(document, problems);
  checkDocumentExposure(document, problems);
  if (parsed.success) checkGovernance(parsed.data, problems);
  // Absent unless written, like other optional sections: the gateway then uses the defaults.
  const store =
    parsed.success && document.store !== undefined
      ? resolveStoreConfig(
          parsed.data.store,
          env,
          problems,
          secrets.governance.get('limits.url') ?? parsed.data.limits.url,
        )
      : undefined;
  if (!parsed.success || problems.length > 0)
    return { ok: false, problems: orderConfigProblems(problems, document) };
  return { ok: true, config: { ...assemble(parsed.data, secrets, source), ...(store ? { store } : {}) } };
}

function checkDocumentExposure(document: RawTable, problems: string[]): void {
  const server = asTable(document.server) ?? {};
  let host: string;
  try {
    host = parseListenAddress(asString(server.listen) ?? '127.0.0.1:0').host;
  } catch {
    return; // a malformed listen address is the schema's to report
  }
  const requireAuth = typeof server.require_auth === 'boolean' ? server.require_auth : undefined;
  const jwt = asTable(asTable(document.auth)?.jwt) !== undefined;
  const problem = checkExposure(host, requireAuth, asArray(document.keys).length, jwt);
  if (problem !== undefined) problems.push(problem);
}

/** Only called once every check passed, so every secret is resolved. */
function assemble(data: ConfigDocument, secrets: ResolvedSecrets, source: string): GatewayConfig {
  const { server } = data;
  return {
    server: {
      host: server.listen.host,
      port: server.listen.port,
      // With keys configured they are enforced unless the operator says otherwise; with none there is
      // nothing to check against (and the exposure rule has already confined that case to loopback).
      requireAuth: server.require_auth ?? data.keys.length > 0,
      requireAuthExplicit: server.require_auth !== undefined,
      maxBodyBytes: server.max_body_bytes,
      dataDir: server.data_dir,
      shutdownGraceMs: server.shutdown_grace,
    },
    keys: data.keys.map((key, index) => ({
      name: key.name,
      sha256: secrets.keyHashes[index] ?? '',
      ...keyLimitsOf(key),
    })),
    providers: Object.entries(data.providers).map(([name, provider]): ProviderConfig => {
      if (provider.type === 'echo') {
        // No upstream: the pool and timeout fields are unused but kept at their defaults for uniformity.
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
      const resolved = secrets.providers.get(name);
      const settings = providerSettings(provider, resolved?.fields ?? {});
      return {
        name,
        type: provider.type,
        baseUrl: baseUrlOf(provider),
        apiKeys: resolved?.apiKeys ?? [],
        timeoutMs: provider.timeout,
        headers: resolved?.headers ?? {},
        maxConnections: provider.max_connections,
        ...optional('maxConcurrent', provider.max_concurrent),
        ...optional('queueTimeoutMs', provider.queue_timeout),
        ...optional('maxQueue', provider.max_queue),
        http2: provider.http2,
        ...('include_stream_usage' in provider && !provider.include_stream_usage
          ? { includeStreamUsage: false }
          : {}),
        ...(Object.keys(settings).length > 0 ? { settings } : {}),
      };
    }),
    models: data.models.map((model) => ({
      alias: model.alias,
      targets: model.targets,
      defaults: model.defaults,
      strategy: model.strategy,
      resumeStreams: model.resume_streams,
      ...policyOf(model),
    })),
    routing: {
      ...policyOf(data.routing),
      providerOrder: data.routing.provider_order,
      providerFailover: data.routing.provider_failover,
      breaker: {
        consecutiveFailures: data.routing.breaker.consecutive_failures,
        failureRateThreshold: data.routing.breaker.failure_rate,
        minRequests: data.routing.breaker.min_requests,
        windowMs: data.routing.breaker.window,
        cooldownMs: data.routing.breaker.cooldown,
      },
      backoff: {
        baseMs: data.routing.backoff.base,
        maxMs: data.routing.backoff.max,
        maxRetryAfterMs: data.routing.backoff.max_retry_after,
      },
    },
    admin: {
      ...optional('host', data.admin.listen?.host),
      ...optional('port', data.admin.listen?.port),
      ...optional('token', secrets.adminToken),
    },
    ...assembleGovernance(data, secrets),
    source,
  };
}

type UpstreamSection = Exclude<ConfigDocument['providers'][string], { type: 'echo' }>;

/** The base URL a provider type uses when the config gives none. */
function baseUrlOf(provider: UpstreamSection): string {
  if (provider.base_url !== undefined) return provider.base_url;
  if (provider.type in PRESET_BASE_URLS) return PRESET_BASE_URLS[provider.type as PresetType];
  // Bedrock and Vertex derive their endpoint from region / location at request time.
  return '';
}

function providerSettings(provider: UpstreamSection, secretFields: Record<string, string>): ProviderSettings {
  const settings: ProviderSettings = {};
  if (provider.type === 'bedrock') {
    Object.assign(settings, {
      ...optional('region', provider.region),
      ...optional('profile', provider.profile),
      ...optional('accessKeyId', secretFields.access_key_id),
      ...optional('secretAccessKey', secretFields.secret_access_key),
      ...optional('sessionToken', secretFields.session_token),
    });
  } else if (provider.type === 'vertex') {
    Object.assign(settings, {
      project: provider.project,
      location: provider.location,
      ...optional('credentialsFile', provider.credentials_file),
      ...optional('credentialsJson', secretFields.credentials_json),
      ...optional('tokenUrl', provider.token_url),
    });
  } else if (provider.type === 'azure') {
    Object.assign(settings, {
      apiVersion: provider.api_version,
      ...optional('bearerToken', secretFields.bearer_token),
    });
  }
  return settings;
}

function policyOf(section: {
  failover_on?: Array<number | string>;
  retries?: number;
  timeout?: number;
  first_byte_timeout?: number;
  idle_timeout?: number;
}): RoutePolicyConfig {
  return {
    ...optional('failoverOn', section.failover_on),
    ...optional('retries', section.retries),
    ...optional('timeoutMs', section.timeout),
    ...optional('firstByteTimeoutMs', section.first_byte_timeout),
    ...optional('idleTimeoutMs', section.idle_timeout),
  };
}

/** `{ [key]: value }` when the value is set, `{}` otherwise: keeps absent options absent. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
