import { describe, expect, it } from 'vitest';
import { applyListenOverride } from './apply-listen-override.js';
import { ConfigError } from './config-error.js';
import { EMBEDDED_DEFAULT_SOURCE, embeddedDefaultConfig, embeddedDefaultToml } from './default-config.js';
import { DEFAULT_GOVERNANCE } from './governance-defaults.fixture.js';

const ECHO_PROVIDER = {
  name: 'echo',
  type: 'echo',
  baseUrl: '',
  apiKeys: [],
  timeoutMs: 600_000,
  headers: {},
  maxConnections: 128,
};

const DEFAULT_ROUTING = {
  providerOrder: [],
  providerFailover: false,
  breaker: {
    consecutiveFailures: 5,
    failureRateThreshold: 0.5,
    minRequests: 20,
    windowMs: 60_000,
    cooldownMs: 30_000,
  },
  backoff: { baseMs: 200, maxMs: 5_000, maxRetryAfterMs: 30_000 },
};

function defaultTarget(env: Record<string, string>): string {
  const alias = embeddedDefaultConfig(env).models.find((model) => model.alias === 'default');
  const target = alias?.targets[0];
  return `${target?.provider}/${target?.model}`;
}

describe('embeddedDefaultConfig', () => {
  it('with no provider keys in the environment: echo only, loopback, no keys', () => {
    expect(embeddedDefaultConfig({})).toEqual({
      server: {
        host: '127.0.0.1',
        port: 8787,
        requireAuth: false,
        requireAuthExplicit: false,
        maxBodyBytes: 10485760,
        dataDir: './.junction-data',
        shutdownGraceMs: 25_000,
      },
      keys: [],
      providers: [ECHO_PROVIDER],
      models: [
        {
          alias: 'default',
          targets: [{ provider: 'echo', model: 'echo', weight: 1 }],
          defaults: {},
          strategy: 'fallback',
          resumeStreams: false,
        },
        {
          alias: 'echo',
          targets: [{ provider: 'echo', model: 'echo', weight: 1 }],
          defaults: {},
          strategy: 'fallback',
          resumeStreams: false,
        },
      ],
      routing: DEFAULT_ROUTING,
      admin: {},
      ...DEFAULT_GOVERNANCE,
      source: EMBEDDED_DEFAULT_SOURCE,
    });
  });

  it('adds each provider whose key is set, with its default base URL', () => {
    const config = embeddedDefaultConfig({
      OPENAI_API_KEY: 'sk-o',
      ANTHROPIC_API_KEY: 'sk-a',
      GEMINI_API_KEY: 'g',
    });
    expect(config.providers.map((p) => [p.name, p.type, p.baseUrl, p.apiKeys])).toEqual([
      ['echo', 'echo', '', []],
      ['openai', 'openai', 'https://api.openai.com/v1', ['sk-o']],
      ['anthropic', 'anthropic', 'https://api.anthropic.com', ['sk-a']],
      ['gemini', 'gemini', 'https://generativelanguage.googleapis.com', ['g']],
    ]);
  });

  it('takes base URLs from *_BASE_URL', () => {
    const config = embeddedDefaultConfig({
      OPENAI_API_KEY: 'sk-o',
      OPENAI_BASE_URL: 'http://127.0.0.1:9001/v1/',
      ANTHROPIC_API_KEY: 'sk-a',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9002',
      GEMINI_API_KEY: 'g',
      GEMINI_BASE_URL: 'http://127.0.0.1:9003',
    });
    expect(config.providers.map((p) => p.baseUrl)).toEqual([
      '',
      'http://127.0.0.1:9001/v1',
      'http://127.0.0.1:9002',
      'http://127.0.0.1:9003',
    ]);
  });

  it('ignores a base URL whose key is not set, and empty keys', () => {
    const config = embeddedDefaultConfig({
      OPENAI_BASE_URL: 'http://127.0.0.1:9001/v1',
      ANTHROPIC_API_KEY: '',
    });
    expect(config.providers.map((p) => p.name)).toEqual(['echo']);
  });

  it.each([
    [{ OPENAI_API_KEY: 'o', ANTHROPIC_API_KEY: 'a', GEMINI_API_KEY: 'g' }, 'openai/gpt-4.1'],
    [{ ANTHROPIC_API_KEY: 'a', GEMINI_API_KEY: 'g' }, 'anthropic/claude-sonnet-4-5'],
    [{ GEMINI_API_KEY: 'g' }, 'gemini/gemini-2.5-flash'],
    [{}, 'echo/echo'],
  ])('points "default" at the first present provider (%j -> %s)', (env, target) => {
    expect(defaultTarget(env)).toBe(target);
  });

  it('keeps the "echo" alias whatever else is present', () => {
    const config = embeddedDefaultConfig({ OPENAI_API_KEY: 'o' });
    expect(config.models.find((model) => model.alias === 'echo')?.targets).toEqual([
      { provider: 'echo', model: 'echo', weight: 1 },
    ]);
  });

  it('writes keys as env: references, never the key itself', () => {
    const toml = embeddedDefaultToml({ OPENAI_API_KEY: 'sk-very-secret' });
    expect(toml).toContain('api_key = "env:OPENAI_API_KEY"');
    expect(toml).not.toContain('sk-very-secret');
  });

  it('reports a bad *_BASE_URL as a config problem', () => {
    expect(() => embeddedDefaultConfig({ OPENAI_API_KEY: 'o', OPENAI_BASE_URL: 'not a url' })).toThrow(
      'embedded default: 1 problem\n  providers.openai.base_url: must be an absolute http:// or https:// URL',
    );
  });
});

describe('the embedded default behind --listen', () => {
  it.each(['0.0.0.0:8787', '[::]:8787', '192.0.2.7:8787'])(
    'refuses %s: it has no keys, and a provider key from the environment must not become an open proxy',
    (listen) => {
      const config = embeddedDefaultConfig({ OPENAI_API_KEY: 'sk-test' });
      expect(() => applyListenOverride(config, listen)).toThrow(ConfigError);
    },
  );

  it('still moves to another loopback address', () => {
    expect(applyListenOverride(embeddedDefaultConfig({}), '127.0.0.1:9999').server).toMatchObject({
      host: '127.0.0.1',
      port: 9999,
    });
  });
});
