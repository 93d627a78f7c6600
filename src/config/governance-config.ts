/**
 * The governance sections of GatewayConfig from the parsed document: cross-checks that need several
 * tables (a Redis backend needs a URL, a JWT template names a configured key, patterns compile) and
 * the mapping to camelCase with secrets resolved.
 */
import type { ConfigDocument } from './config-schema.js';
import type { ResolvedSecrets } from './resolve-config-secrets.js';
import type { GatewayConfig, PricingConfig } from './types.js';

type GovernanceSections = Pick<GatewayConfig, 'auth' | 'limits' | 'cache' | 'policy' | 'pricing' | 'usage'>;

export function checkGovernance(data: ConfigDocument, problems: string[]): void {
  const limitsUrl = data.limits.url;
  if (data.limits.backend === 'redis' && limitsUrl === undefined) {
    problems.push('limits.url: required with backend = "redis" (e.g. url = "env:REDIS_URL")');
  }
  if (data.cache.backend === 'redis' && data.cache.url === undefined && limitsUrl === undefined) {
    problems.push('cache.url: required with backend = "redis" (or set [limits] url)');
  }
  const template = data.auth.jwt?.template_key;
  if (template !== undefined && !data.keys.some((key) => key.name === template)) {
    problems.push(`auth.jwt.template_key: no [[keys]] entry is named "${template}"`);
  }
  const guardrails = data.policy.guardrails;
  for (const field of ['deny_patterns', 'redact_patterns'] as const) {
    guardrails[field].forEach((pattern, index) => {
      try {
        new RegExp(pattern, 'gi');
      } catch (error) {
        problems.push(`policy.guardrails.${field}[${index}]: ${(error as Error).message}`);
      }
    });
  }
}

export function assembleGovernance(data: ConfigDocument, secrets: ResolvedSecrets): GovernanceSections {
  const secret = (path: string, raw: string | undefined): string | undefined =>
    secrets.governance.get(path) ?? raw;
  const jwt = data.auth.jwt;
  const { limits, cache, policy, usage } = data;
  const { guardrails } = policy;
  return {
    auth: jwt
      ? {
          jwt: {
            ...optional('jwksUrl', secret('auth.jwt.jwks_url', jwt.jwks_url)),
            ...optional('publicKey', secret('auth.jwt.public_key', jwt.public_key)),
            ...optional('issuer', jwt.issuer),
            ...optional('audience', jwt.audience),
            ...optional('algorithms', jwt.algorithms),
            ...optional('templateKey', jwt.template_key),
            claims: {
              keyName: jwt.claims.key_name,
              ...optional('models', jwt.claims.models),
              ...optional('rpm', jwt.claims.rpm),
              ...optional('tpm', jwt.claims.tpm),
              ...optional('maxConcurrent', jwt.claims.max_concurrent),
              ...optional('budgetUsd', jwt.claims.budget_usd),
              ...optional('budgetPeriod', jwt.claims.budget_period),
              ...optional('team', jwt.claims.team),
            },
          },
        }
      : {},
    limits: {
      backend: limits.backend,
      ...optional('url', secret('limits.url', limits.url)),
      keyPrefix: limits.key_prefix,
      onRedisFailure: limits.on_redis_failure,
      algorithm: limits.algorithm,
      ...optional('requestsPerWindow', limits.requests_per_window),
      windowMs: limits.window,
      budgetSnapshotIntervalMs: limits.budget_snapshot_interval,
    },
    cache: {
      enabled: cache.enabled,
      backend: cache.backend,
      ...optional('url', secret('cache.url', cache.url) ?? secret('limits.url', limits.url)),
      ttlMs: cache.ttl,
      maxBytes: cache.max_bytes,
      maxEntryBytes: cache.max_entry_bytes,
      perKey: cache.per_key,
    },
    policy: {
      ...optional('systemPrompt', policy.system_prompt),
      guardrails: {
        bannedPhrases: guardrails.banned_phrases,
        denyPatterns: guardrails.deny_patterns,
        redactPatterns: guardrails.redact_patterns,
        builtinDeny: guardrails.builtin_deny,
        builtinRedact: guardrails.builtin_redact,
        ...optional('minInputChars', guardrails.min_input_chars),
        ...optional('maxInputChars', guardrails.max_input_chars),
        ...optional('outputDisclaimer', guardrails.output_disclaimer),
        applyTo: guardrails.apply_to,
        streamWindow: guardrails.stream_window,
      },
    },
    pricing: data.pricing.map(
      (entry): PricingConfig => ({
        model: entry.model,
        input: entry.input,
        output: entry.output,
        ...optional('cachedInput', entry.cached_input),
        ...optional('cacheWrite', entry.cache_write),
        ...optional('reasoning', entry.reasoning),
      }),
    ),
    usage: {
      enabled: usage.enabled,
      ...optional('url', secret('usage.url', usage.url)),
      ...optional('schema', usage.schema),
      queueSize: usage.queue_size,
      batch: usage.batch,
      flushIntervalMs: usage.flush_interval,
      ...optional('retentionDays', usage.retention_days),
    },
  };
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
