import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './load-config.js';

const ECHO = '[providers.echo]\ntype = "echo"\n';

function problemsOf(toml: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(toml, 't.toml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('governance configuration', () => {
  it('maps every governance table, with env: secrets resolved', () => {
    const config = parseConfig(
      `${ECHO}
[server]
data_dir = "/var/lib/junction"

[[keys]]
name = "team"
key = "k"
models = ["gpt-4*"]
rpm = 60
tpm = 1000
max_concurrent = 2
budget = { usd = 5 }
metadata = { team = "search", owner = "ana" }
system_prompt = "Be brief."

[auth.jwt]
public_key = "env:JWT_KEY"
issuer = "iss"
template_key = "team"
[auth.jwt.claims]
rpm = "r"

[limits]
backend = "redis"
url = "env:REDIS_URL"
on_redis_failure = "fail_closed"
algorithm = "token_bucket"
requests_per_window = 100
window = "10s"
budget_snapshot_interval = "2s"

[cache]
enabled = true
backend = "redis"
ttl = "5m"

[policy]
system_prompt = "Global."
[policy.guardrails]
banned_phrases = ["x y"]
builtin_redact = ["email"]
output_disclaimer = "AI."

[[pricing]]
model = "m*"
input = 1
output = 2
reasoning = 3

[usage]
url = "env:PG_URL"
schema = "junction"
retention_days = 7
`,
      't.toml',
      { JWT_KEY: 'PEM', REDIS_URL: 'redis://r:6379', PG_URL: 'postgres://u@h/db' },
    );
    expect(config.server.dataDir).toBe('/var/lib/junction');
    expect(config.keys[0]).toMatchObject({
      name: 'team',
      models: ['gpt-4*'],
      rpm: 60,
      tpm: 1000,
      maxConcurrent: 2,
      budget: { usd: 5, period: 'month' },
      metadata: { team: 'search', owner: 'ana' },
      systemPrompt: 'Be brief.',
    });
    expect(config.auth).toEqual({
      jwt: { publicKey: 'PEM', issuer: 'iss', templateKey: 'team', claims: { keyName: 'sub', rpm: 'r' } },
    });
    expect(config.limits).toEqual({
      backend: 'redis',
      url: 'redis://r:6379',
      keyPrefix: 'junction:',
      onRedisFailure: 'fail_closed',
      algorithm: 'token_bucket',
      requestsPerWindow: 100,
      windowMs: 10_000,
      budgetSnapshotIntervalMs: 2_000,
    });
    // The cache shares [limits] url unless it has its own.
    expect(config.cache).toMatchObject({
      enabled: true,
      backend: 'redis',
      url: 'redis://r:6379',
      ttlMs: 300_000,
    });
    expect(config.policy).toMatchObject({
      systemPrompt: 'Global.',
      guardrails: {
        bannedPhrases: ['x y'],
        builtinRedact: ['email'],
        outputDisclaimer: 'AI.',
        applyTo: 'both',
      },
    });
    expect(config.pricing).toEqual([{ model: 'm*', input: 1, output: 2, reasoning: 3 }]);
    expect(config.usage).toEqual({
      enabled: true,
      url: 'postgres://u@h/db',
      schema: 'junction',
      queueSize: 10_000,
      batch: 500,
      flushIntervalMs: 1_000,
      retentionDays: 7,
    });
    expect(JSON.stringify(config)).not.toContain('"k"');
  });

  it.each([
    [
      '[limits]\nbackend = "redis"\n',
      'limits.url: required with backend = "redis" (e.g. url = "env:REDIS_URL")',
    ],
    [
      '[cache]\nenabled = true\nbackend = "redis"\n',
      'cache.url: required with backend = "redis" (or set [limits] url)',
    ],
    [
      '[auth.jwt]\njwks_url = "https://x"\npublic_key = "p"\n',
      'auth.jwt: set exactly one of jwks_url and public_key',
    ],
    [
      '[auth.jwt]\njwks_url = "https://x"\ntemplate_key = "nobody"\n',
      'auth.jwt.template_key: no [[keys]] entry is named "nobody"',
    ],
    [
      '[policy.guardrails]\ndeny_patterns = ["ok", "(open"]\n',
      'policy.guardrails.deny_patterns[1]: Invalid regular expression: /(open/gi: Unterminated group',
    ],
    [
      '[policy.guardrails]\nbuiltin_redact = ["ssn"]\n',
      'policy.guardrails.builtin_redact[0]: Invalid option: expected one of "email"|"phone"|"card"|"api_key"',
    ],
    ['[[keys]]\nname = "a"\nkey = "k"\nbudget = { usd = 0 }\n', 'keys[0].budget.usd: must be greater than 0'],
    ['[[keys]]\nname = "a"\nkey = "k"\nrpm = 1.5\n', 'keys[0].rpm: expected an integer, got a float'],
    ['[limits]\nbackend = "redis"\nurl = "env:NOPE"\n', 'limits.url: environment variable NOPE is not set'],
    ['[usage]\nqueue = 5\n', 'usage.queue: unknown key'],
    ['[limits]\nbudget_snapshot_interval = "25h"\n', 'limits.budget_snapshot_interval: must be at most 24h'],
  ])('reports %j', (toml, problem) => {
    expect(problemsOf(`${ECHO}${toml}`)).toEqual([problem]);
  });
});
