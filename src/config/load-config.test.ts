import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDER_TYPES } from './config-schema.js';
import { DEFAULT_GOVERNANCE } from './governance-defaults.fixture.js';
import { applyListenOverride, ConfigError, loadConfigFile, parseConfig } from './load-config.js';
import { sha256Hex } from './resolve-secret.js';

/** The example from the configuration issue, verbatim. */
const ISSUE_EXAMPLE = `
[server]
listen = "127.0.0.1:8787"
require_auth = true            # binding a non-loopback address with no keys refuses to start unless require_auth = false is explicit
max_body_bytes = 10485760      # default 10 MiB; over it -> 413

[[keys]]
name = "team-a"
key = "env:TEAM_A_KEY"          # env: indirection everywhere a secret goes; a literal "sha256:<hex>" stores only the hash

[providers.openai]
type = "openai"                 # any OpenAI-compatible upstream; base_url includes /v1, as in the OpenAI SDK
base_url = "https://api.openai.com/v1"
api_key = "env:OPENAI_API_KEY"
timeout = "60s"
headers = { "OpenAI-Organization" = "org-1" }   # static extra upstream headers
max_connections = 128          # optional, default 128

[providers.claude]
type = "anthropic"              # base_url without /v1, as in the Anthropic SDK
base_url = "https://api.anthropic.com"
api_key = "env:ANTHROPIC_API_KEY"

[providers.gemini]
type = "gemini"
base_url = "https://generativelanguage.googleapis.com"
api_key = "env:GEMINI_API_KEY"

[providers.echo]
type = "echo"                   # built-in deterministic provider, no base_url or key

[[models]]
alias = "default"
targets = ["openai/gpt-4.1"]    # "provider/model", split at the first "/" (model ids may contain "/")
defaults = { temperature = 0.2 } # optional per-alias defaults the client may override
`;

const ENV = {
  TEAM_A_KEY: 'jk-team-a-secret',
  OPENAI_API_KEY: 'sk-openai-secret',
  ANTHROPIC_API_KEY: 'sk-ant-secret',
  GEMINI_API_KEY: 'gm-secret',
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

const TYPE_LIST = PROVIDER_TYPES.map((type) => `"${type}"`).join(', ');

const ECHO_ONLY = '[providers.echo]\ntype = "echo"\n';

/** The problems of a config that must fail; fails the test if it loads. */
function problemsOf(toml: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(toml, 'test.toml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig: the issue example', () => {
  it('loads into the resolved GatewayConfig', () => {
    const config = parseConfig(ISSUE_EXAMPLE, 'junction.toml', ENV);
    expect(config).toEqual({
      server: {
        host: '127.0.0.1',
        port: 8787,
        requireAuth: true,
        requireAuthExplicit: true,
        maxBodyBytes: 10485760,
        dataDir: './.junction-data',
        shutdownGraceMs: 25_000,
      },
      keys: [{ name: 'team-a', sha256: sha256Hex('jk-team-a-secret') }],
      providers: [
        {
          name: 'openai',
          type: 'openai',
          baseUrl: 'https://api.openai.com/v1',
          apiKeys: ['sk-openai-secret'],
          timeoutMs: 60_000,
          headers: { 'OpenAI-Organization': 'org-1' },
          maxConnections: 128,
          http2: false,
        },
        {
          name: 'claude',
          type: 'anthropic',
          baseUrl: 'https://api.anthropic.com',
          apiKeys: ['sk-ant-secret'],
          timeoutMs: 600_000,
          headers: {},
          maxConnections: 128,
          http2: false,
        },
        {
          name: 'gemini',
          type: 'gemini',
          baseUrl: 'https://generativelanguage.googleapis.com',
          apiKeys: ['gm-secret'],
          timeoutMs: 600_000,
          headers: {},
          maxConnections: 128,
          http2: false,
        },
        {
          name: 'echo',
          type: 'echo',
          baseUrl: '',
          apiKeys: [],
          timeoutMs: 600_000,
          headers: {},
          maxConnections: 128,
        },
      ],
      models: [
        {
          alias: 'default',
          targets: [{ provider: 'openai', model: 'gpt-4.1', weight: 1 }],
          defaults: { temperature: 0.2 },
          strategy: 'fallback',
          resumeStreams: false,
        },
      ],
      routing: DEFAULT_ROUTING,
      admin: {},
      ...DEFAULT_GOVERNANCE,
      source: 'junction.toml',
    });
  });

  it('holds no plaintext client key anywhere in the result', () => {
    const config = parseConfig(ISSUE_EXAMPLE, 'junction.toml', ENV);
    expect(JSON.stringify(config)).not.toContain('jk-team-a-secret');
  });
});

describe('parseConfig: defaults', () => {
  it('fills every default from a minimal document', () => {
    const config = parseConfig(
      '[providers.oa]\ntype = "openai"\napi_key = "sk"\n[providers.an]\ntype = "anthropic"\napi_key = "a"\n[providers.ge]\ntype = "gemini"\napi_key = "g"\n',
      'min.toml',
      {},
    );
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 8787,
      requireAuth: false,
      requireAuthExplicit: false,
      maxBodyBytes: 10 * 1024 * 1024,
      dataDir: './.junction-data',
      shutdownGraceMs: 25_000,
    });
    expect(config.keys).toEqual([]);
    expect(config.models).toEqual([]);
    expect(config.providers.map((p) => [p.name, p.baseUrl, p.timeoutMs, p.maxConnections])).toEqual([
      ['oa', 'https://api.openai.com/v1', 600_000, 128],
      ['an', 'https://api.anthropic.com', 600_000, 128],
      ['ge', 'https://generativelanguage.googleapis.com', 600_000, 128],
    ]);
  });

  it('loads an empty document (loopback, nothing configured)', () => {
    const config = parseConfig('', 'empty.toml', {});
    expect(config.providers).toEqual([]);
    expect(config.server.host).toBe('127.0.0.1');
  });

  it('requires auth by default once keys exist', () => {
    const config = parseConfig('[[keys]]\nname = "a"\nkey = "k1"\n', 't.toml', {});
    expect(config.server.requireAuth).toBe(true);
    expect(config.server.requireAuthExplicit).toBe(false);
  });

  it('honours an explicit require_auth = false with keys', () => {
    const config = parseConfig(
      '[server]\nrequire_auth = false\n[[keys]]\nname = "a"\nkey = "k1"\n',
      't.toml',
      {},
    );
    expect(config.server.requireAuth).toBe(false);
    expect(config.server.requireAuthExplicit).toBe(true);
  });

  it('lets openai-type providers with a custom base_url omit api_key, and strips trailing slashes', () => {
    const config = parseConfig(
      '[providers.local]\ntype = "openai"\nbase_url = "http://127.0.0.1:8000/v1/"\ntimeout = 1500\n',
      't.toml',
      {},
    );
    expect(config.providers[0]).toMatchObject({
      baseUrl: 'http://127.0.0.1:8000/v1',
      apiKeys: [],
      timeoutMs: 1500,
    });
  });

  it('splits targets at the first "/" so model ids may contain "/"', () => {
    const config = parseConfig(
      `${ECHO_ONLY}[[models]]\nalias = "llama"\ntargets = ["echo/meta-llama/Llama-3.3-70B", "echo/x"]\n`,
      't.toml',
      {},
    );
    expect(config.models[0]?.targets).toEqual([
      { provider: 'echo', model: 'meta-llama/Llama-3.3-70B', weight: 1 },
      { provider: 'echo', model: 'x', weight: 1 },
    ]);
  });

  it.each([
    ['[::1]:9000', '::1', 9000],
    ['localhost:1234', 'localhost', 1234],
  ])('parses listen %s', (listen, host, port) => {
    const config = parseConfig(`[server]\nlisten = "${listen}"\n`, 't.toml', {});
    expect(config.server).toMatchObject({ host, port });
  });
});

describe('parseConfig: client keys', () => {
  const HASH = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';

  it('keeps a sha256:<hex> literal as the hash', () => {
    const config = parseConfig(`[[keys]]\nname = "ci"\nkey = "sha256:${HASH}"\n`, 't.toml', {});
    expect(config.keys).toEqual([{ name: 'ci', sha256: HASH }]);
  });

  it('hashes literal and env: keys alike', () => {
    const config = parseConfig(
      '[[keys]]\nname = "lit"\nkey = "abc"\n[[keys]]\nname = "env"\nkey = "env:K"\n',
      't.toml',
      { K: 'other' },
    );
    expect(config.keys).toEqual([
      { name: 'lit', sha256: HASH },
      { name: 'env', sha256: sha256Hex('other') },
    ]);
  });

  it('rejects duplicate names and the same key under two names', () => {
    expect(
      problemsOf(
        `[[keys]]\nname = "a"\nkey = "abc"\n[[keys]]\nname = "a"\nkey = "xyz"\n[[keys]]\nname = "b"\nkey = "sha256:${HASH}"\n`,
      ),
    ).toEqual(['keys[1].name: duplicate key name "a" (also keys[0])', 'keys[2].key: same key as keys[0]']);
  });
});

describe('parseConfig: each problem class, with its path', () => {
  it.each([
    // unknown keys, at every level
    [
      '[providers.openai]\ntype = "openai"\nbase_ur = "https://x"\napi_key = "k"\n',
      'providers.openai.base_ur: unknown key',
    ],
    ['[servr]\nlisten = "127.0.0.1:1"\n', 'servr: unknown key'],
    ['[server]\nlisen = "127.0.0.1:1"\n', 'server.lisen: unknown key'],
    ['[[keys]]\nname = "a"\nkey = "k"\nkye = "k"\n', 'keys[0].kye: unknown key'],
    [
      `${ECHO_ONLY}[[models]]\nalias = "a"\ntargets = ["echo/x"]\ntarget = "y"\n`,
      'models[0].target: unknown key',
    ],
    ['[providers.e]\ntype = "echo"\nbase_url = "http://x"\n', 'providers.e.base_url: unknown key'],
    // an embeddings default Junction cannot send
    [
      `${ECHO_ONLY}[[models]]\nalias = "a"\ntargets = ["echo/x"]\ndefaults = { input_type = "query" }\n`,
      'models[0].defaults.input_type: must be one of "search_document", "search_query", "classification", "clustering"',
    ],
    // wrong types, in TOML's words
    ['[server]\nrequire_auth = "yes"\n', 'server.require_auth: expected true or false, got a string'],
    ['[server]\nmax_body_bytes = "10MB"\n', 'server.max_body_bytes: expected a number, got a string'],
    ['[server]\nmax_body_bytes = 1.5\n', 'server.max_body_bytes: expected an integer, got a float'],
    ['[server]\nmax_body_bytes = 0\n', 'server.max_body_bytes: must be at least 1'],
    ['keys = "x"\n', 'keys: expected an array, got a string'],
    ['providers = []\n', 'providers: expected a table, got an array'],
    [
      '[providers.o]\ntype = "openai"\napi_key = 5\n',
      'providers.o.api_key: expected a string, got an integer',
    ],
    // required keys
    ['[providers.a]\ntype = "anthropic"\n', 'providers.a.api_key: required'],
    ['[providers.g]\ntype = "gemini"\n', 'providers.g.api_key: required'],
    [
      '[providers.o]\ntype = "openai"\n',
      'providers.o.api_key: required for api.openai.com (e.g. api_key = "env:OPENAI_API_KEY")',
    ],
    [
      '[providers.o]\ntype = "openai"\nbase_url = "https://api.openai.com/v1"\n',
      'providers.o.api_key: required for api.openai.com (e.g. api_key = "env:OPENAI_API_KEY")',
    ],
    ['[providers.o]\ntype = "openai"\napi_key = ""\n', 'providers.o.api_key: must not be empty'],
    ['[[keys]]\nname = "a"\n', 'keys[0].key: required'],
    ['[[models]]\nalias = "a"\n', 'models[0].targets: required'],
    // provider type
    [
      '[providers.g]\ntype = "groqq"\n',
      `providers.g.type: unknown type "groqq"; expected one of ${TYPE_LIST}`,
    ],
    ['[providers.g]\nbase_url = "http://x"\n', `providers.g.type: required, one of ${TYPE_LIST}`],
    // values
    [
      '[providers.o]\ntype = "openai"\napi_key = "k"\ntimeout = "60"\n',
      'providers.o.timeout: invalid duration "60"; expected a duration like "500ms", "60s", "2m", "1h" or a number of milliseconds',
    ],
    [
      '[providers.o]\ntype = "openai"\napi_key = "k"\ntimeout = true\n',
      'providers.o.timeout: must be a duration like "60s" or a number of milliseconds',
    ],
    [
      '[providers.o]\ntype = "openai"\napi_key = "k"\nbase_url = "api.openai.com/v1"\n',
      'providers.o.base_url: must be an absolute http:// or https:// URL',
    ],
    [
      '[providers.o]\ntype = "openai"\napi_key = "k"\nbase_url = "ftp://x/v1"\n',
      'providers.o.base_url: must be an absolute http:// or https:// URL',
    ],
    [
      '[providers.o]\ntype = "openai"\napi_key = "k"\nmax_connections = 0\n',
      'providers.o.max_connections: must be at least 1',
    ],
    [
      '[providers.o]\ntype = "openai"\napi_key = "k"\nheaders = { "Bad Header" = "x" }\n',
      'providers.o.headers."Bad Header": is not a valid HTTP header name',
    ],
    [
      '[providers.o]\ntype = "openai"\napi_key = "k"\nheaders = { "X-A" = "a\\nb" }\n',
      'providers.o.headers.X-A: must not contain line breaks',
    ],
    [
      '[providers."a/b"]\ntype = "echo"\n',
      'providers."a/b": provider names must not be empty or contain "/" or spaces',
    ],
    [
      '[server]\nlisten = "8787"\n',
      'server.listen: "8787" must be HOST:PORT, e.g. "127.0.0.1:8787" or "[::1]:8787"',
    ],
    [
      '[server]\nlisten = "::1:8787"\n',
      'server.listen: "::1:8787": write IPv6 addresses in brackets, e.g. "[::1]:8787"',
    ],
    // models
    [
      `${ECHO_ONLY}[[models]]\nalias = "a/b"\ntargets = ["echo/x"]\n`,
      'models[0].alias: must not contain "/" (that form addresses provider/model directly)',
    ],
    [`${ECHO_ONLY}[[models]]\nalias = ""\ntargets = ["echo/x"]\n`, 'models[0].alias: must not be empty'],
    [
      `${ECHO_ONLY}[[models]]\nalias = "a"\ntargets = []\n`,
      'models[0].targets: must list at least one "provider/model" target',
    ],
    [
      `${ECHO_ONLY}[[models]]\nalias = "a"\ntargets = ["echo/x", "gpt-4.1"]\n`,
      'models[0].targets[1]: "gpt-4.1" must be "provider/model", e.g. "openai/gpt-4.1"',
    ],
    [
      `${ECHO_ONLY}[[models]]\nalias = "a"\ntargets = ["echo/"]\n`,
      'models[0].targets[0]: "echo/" must be "provider/model", e.g. "openai/gpt-4.1"',
    ],
    [
      `${ECHO_ONLY}[[models]]\nalias = "a"\ntargets = ["echo/x", "groq/llama"]\n`,
      'models[0].targets[1]: provider "groq" is not configured',
    ],
    [
      `${ECHO_ONLY}[[models]]\nalias = "a"\ntargets = ["echo/x"]\n[[models]]\nalias = "a"\ntargets = ["echo/y"]\n`,
      'models[1].alias: duplicate alias "a" (first defined at models[0])',
    ],
    // environment
    [
      '[providers.anthropic]\ntype = "anthropic"\napi_key = "env:ANTHROPIC_API_KEY"\n',
      'providers.anthropic.api_key: environment variable ANTHROPIC_API_KEY is not set',
    ],
    [
      '[[keys]]\nname = "a"\nkey = "env:TEAM_A_KEY"\n',
      'keys[0].key: environment variable TEAM_A_KEY is not set',
    ],
    [
      '[providers.o]\ntype = "openai"\napi_key = "k"\nheaders = { "X-Proxy-Auth" = "env:PROXY_TOKEN" }\n',
      'providers.o.headers.X-Proxy-Auth: environment variable PROXY_TOKEN is not set',
    ],
    [
      '[[keys]]\nname = "a"\nkey = "sha256:abc"\n',
      'keys[0].key: "sha256:" must be followed by exactly 64 hex digits',
    ],
  ])('%j -> %s', (toml, problem) => {
    expect(problemsOf(toml)).toEqual([problem]);
  });
});

describe('parseConfig: every problem at once', () => {
  it('reports schema, env, cross-reference and exposure problems together, in document order', () => {
    const toml = `
[server]
listen = "0.0.0.0:8787"

[providers.openai]
type = "openai"
base_ur = "https://api.openai.com/v1"
api_key = "env:OPENAI_API_KEY"

[providers.anthropic]
type = "anthropic"
api_key = "env:ANTHROPIC_API_KEY"
timeout = "soon"

[providers.x]
type = "grok"

[[models]]
alias = "default"
targets = ["openai/gpt-4.1", "groq/llama-3.3-70b"]

[[models]]
alias = "default"
targets = ["nothing"]
`;
    expect(problemsOf(toml, { OPENAI_API_KEY: 'sk' })).toEqual([
      'server.require_auth: listening on 0.0.0.0 with no [[keys]] would expose the gateway; add keys, or set require_auth = true (keys then come from the admin API) or false explicitly',
      'providers.openai.base_ur: unknown key',
      'providers.anthropic.timeout: invalid duration "soon"; expected a duration like "500ms", "60s", "2m", "1h" or a number of milliseconds',
      'providers.anthropic.api_key: environment variable ANTHROPIC_API_KEY is not set',
      `providers.x.type: unknown type "grok"; expected one of ${TYPE_LIST}`,
      'models[0].targets[1]: provider "groq" is not configured',
      'models[1].targets[0]: "nothing" must be "provider/model", e.g. "openai/gpt-4.1"',
      'models[1].alias: duplicate alias "default" (first defined at models[0])',
    ]);
  });

  it('puts the count and every problem in the error message', () => {
    let caught: unknown;
    try {
      parseConfig('[servr]\n[providers.a]\ntype = "anthropic"\n', 'bad.toml', {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).source).toBe('bad.toml');
    expect((caught as ConfigError).message).toBe(
      'bad.toml: 2 problems\n  providers.a.api_key: required\n  servr: unknown key',
    );
  });

  it('never echoes a literal secret in a problem', () => {
    const problems = problemsOf(
      '[providers.o]\ntype = "openai"\napi_key = "sk-LITERAL-SECRET"\nmax_connections = "many"\n[[keys]]\nname = 5\nkey = "jk-LITERAL-SECRET"\n',
    );
    expect(problems.length).toBe(2);
    expect(problems.join('\n')).not.toContain('LITERAL-SECRET');
  });
});

describe('parseConfig: TOML syntax errors', () => {
  it('reports line and column without quoting the source line', () => {
    expect(problemsOf('[server]\nlisten = "127.0.0.1:8787"\napi_key = "sk-SECRET\n')).toEqual([
      'line 3, column 21: invalid TOML: control characters are not allowed in strings',
    ]);
  });

  it('reports a redefined table', () => {
    const problems = problemsOf('[server]\nlisten = "127.0.0.1:1"\n[server]\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^line 3, column \d+: invalid TOML: /);
  });
});

describe('the exposure rule', () => {
  const NO_KEYS = (listen: string, extra = '') => `[server]\nlisten = "${listen}"\n${extra}`;
  const RULE = (host: string) =>
    `server.require_auth: listening on ${host} with no [[keys]] would expose the gateway; add keys, or set require_auth = true (keys then come from the admin API) or false explicitly`;

  it.each(['0.0.0.0:8787', '10.1.2.3:80', '[::]:8787', 'gateway.internal:8787'])(
    'refuses %s with no keys',
    (listen) => {
      const host = listen.startsWith('[') ? '::' : listen.slice(0, listen.lastIndexOf(':'));
      expect(problemsOf(NO_KEYS(listen))).toEqual([RULE(host)]);
    },
  );

  it('allows an explicit require_auth = true with no keys: it is enforced, keys come from the admin API', () => {
    expect(parseConfig(NO_KEYS('0.0.0.0:8787', 'require_auth = true\n'), 't.toml', {}).server).toMatchObject({
      host: '0.0.0.0',
      requireAuth: true,
    });
  });

  it('allows JWT auth with no keys on a network address, in the file and through --listen', () => {
    const jwt = '[auth.jwt]\njwks_url = "https://idp.example.com/.well-known/jwks.json"\n';
    expect(parseConfig(`${NO_KEYS('0.0.0.0:8787')}${jwt}`, 't.toml', {}).server.host).toBe('0.0.0.0');
    const onLoopback = parseConfig(`${NO_KEYS('127.0.0.1:8787')}${jwt}`, 't.toml', {});
    expect(applyListenOverride(onLoopback, '[::]:8787').server.host).toBe('::');
  });

  it.each(['127.0.0.1:8787', '127.9.9.9:1', 'localhost:8787', '[::1]:8787'])(
    'allows loopback %s with no keys',
    (listen) => {
      expect(parseConfig(NO_KEYS(listen), 't.toml', {}).server.requireAuth).toBe(false);
    },
  );

  it('allows a non-loopback address with an explicit require_auth = false', () => {
    const config = parseConfig(NO_KEYS('0.0.0.0:8787', 'require_auth = false\n'), 't.toml', {});
    expect(config.server).toMatchObject({ host: '0.0.0.0', requireAuth: false, requireAuthExplicit: true });
  });

  it('allows a non-loopback address with keys, and requires auth', () => {
    const config = parseConfig(`${NO_KEYS('0.0.0.0:8787')}[[keys]]\nname = "a"\nkey = "k"\n`, 't.toml', {});
    expect(config.server.requireAuth).toBe(true);
  });
});

describe('applyListenOverride', () => {
  it('replaces host and port', () => {
    const config = parseConfig('[[keys]]\nname = "a"\nkey = "k"\n', 't.toml', {});
    const moved = applyListenOverride(config, '0.0.0.0:9999');
    expect(moved.server).toMatchObject({ host: '0.0.0.0', port: 9999, requireAuth: true });
    expect(config.server.host).toBe('127.0.0.1');
  });

  it('refuses to expose a keyless gateway whose require_auth was only defaulted', () => {
    const config = parseConfig('', 'junction.toml', {});
    expect(() => applyListenOverride(config, '0.0.0.0:8787')).toThrow(ConfigError);
    try {
      applyListenOverride(config, '0.0.0.0:8787');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'server.require_auth: listening on 0.0.0.0 with no [[keys]] would expose the gateway; add keys, or set require_auth = true (keys then come from the admin API) or false explicitly (listen address from --listen 0.0.0.0:8787)',
      ]);
    }
  });

  it('accepts a keyless non-loopback override when require_auth = false was explicit', () => {
    const config = parseConfig('[server]\nrequire_auth = false\n', 't.toml', {});
    expect(applyListenOverride(config, '[::]:8787').server).toMatchObject({ host: '::', port: 8787 });
  });

  it('treats a hand-built config without requireAuthExplicit as not explicit', () => {
    const config = parseConfig('[server]\nrequire_auth = false\n', 't.toml', {});
    const handBuilt = { ...config, server: { ...config.server, requireAuthExplicit: undefined } };
    expect(() => applyListenOverride(handBuilt, '0.0.0.0:1')).toThrow(ConfigError);
  });

  it('allows moving to another loopback address', () => {
    const config = parseConfig('', 't.toml', {});
    expect(applyListenOverride(config, 'localhost:0').server).toMatchObject({ host: 'localhost', port: 0 });
  });

  it('reports a malformed address', () => {
    expect(() => applyListenOverride(parseConfig('', 't.toml', {}), 'nope')).toThrow(
      '--listen: "nope" must be HOST:PORT',
    );
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'junction-config-'));

  it('loads a file and records its path as the source', () => {
    const path = join(dir, 'junction.toml');
    writeFileSync(path, ISSUE_EXAMPLE);
    const config = loadConfigFile(path, ENV);
    expect(config.source).toBe(path);
    expect(config.providers.map((provider) => provider.name)).toEqual(['openai', 'claude', 'gemini', 'echo']);
  });

  it('names the file in the error', () => {
    const path = join(dir, 'bad.toml');
    writeFileSync(path, '[providers.claude]\ntype = "anthropic"\napi_key = "env:ANTHROPIC_API_KEY"\n');
    expect(() => loadConfigFile(path, {})).toThrow(
      `${path}: 1 problem\n  providers.claude.api_key: environment variable ANTHROPIC_API_KEY is not set`,
    );
  });

  it('reports a missing file as a ConfigError', () => {
    const path = join(dir, 'missing.toml');
    expect(() => loadConfigFile(path, {})).toThrow(`${path}: 1 problem\n  file not found`);
  });
});
