import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfigFile } from './check-config.js';

const dir = mkdtempSync(join(tmpdir(), 'junction-check-'));

function write(name: string, toml: string): string {
  const path = join(dir, name);
  writeFileSync(path, toml);
  return path;
}

const GOOD = `
[server]
listen = "[::1]:9000"

[[keys]]
name = "team-a"
key = "env:TEAM_A_KEY"

[[keys]]
name = "ci"
key = "jk-literal-ci-key"

[providers.openai]
type = "openai"
api_key = "env:OPENAI_API_KEY"
timeout = "60s"
headers = { "OpenAI-Organization" = "org-secret-header-value" }

[providers.local]
type = "openai"
base_url = "http://127.0.0.1:8000/v1"
timeout = 1500

[providers.echo]
type = "echo"

[[models]]
alias = "default"
targets = ["openai/gpt-4.1", "local/meta-llama/Llama-3.3-70B"]

[[models]]
alias = "e"
targets = ["echo/echo"]
`;

const ENV = { TEAM_A_KEY: 'jk-team-a-secret', OPENAI_API_KEY: 'sk-openai-secret' };

describe('checkConfigFile', () => {
  it('summarises a valid file', () => {
    const path = write('good.toml', GOOD);
    expect(checkConfigFile(path, ENV)).toEqual({
      ok: true,
      lines: [
        `${path}: ok`,
        'listen [::1]:9000 (auth required, 2 keys), max body 10485760 bytes',
        'keys: team-a, ci',
        'providers:',
        '  openai  openai  https://api.openai.com/v1  (api key set, timeout 1m, headers: OpenAI-Organization)',
        '  local   openai  http://127.0.0.1:8000/v1  (no api key, timeout 1500ms)',
        '  echo    echo    (built in)',
        'models:',
        '  default -> openai/gpt-4.1, local/meta-llama/Llama-3.3-70B',
        '  e       -> echo/echo',
      ],
    });
  });

  it('never prints a secret: keys, hashes, api keys or header values', () => {
    const output = checkConfigFile(write('good2.toml', GOOD), ENV).lines.join('\n');
    for (const secret of [
      'jk-team-a-secret',
      'jk-literal-ci-key',
      'sk-openai-secret',
      'org-secret-header-value',
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toMatch(/[0-9a-f]{64}/);
  });

  it('lists every problem under a count', () => {
    const path = write(
      'bad.toml',
      '[providers.openai]\ntype = "openai"\nbase_ur = "x"\napi_key = "env:OPENAI_API_KEY"\n[[models]]\nalias = "a"\ntargets = ["groq/x"]\n',
    );
    expect(checkConfigFile(path, {})).toEqual({
      ok: false,
      lines: [
        `${path}: 3 problems`,
        '  providers.openai.base_ur: unknown key',
        '  providers.openai.api_key: environment variable OPENAI_API_KEY is not set',
        '  models[0].targets[0]: provider "groq" is not configured',
      ],
    });
  });

  it('uses the singular for one problem, and handles a missing file', () => {
    const path = join(dir, 'nope.toml');
    expect(checkConfigFile(path, {})).toEqual({
      ok: false,
      lines: [`${path}: 1 problem`, '  file not found'],
    });
  });

  it('warns when auth is explicitly off on a reachable address', () => {
    const path = write('open.toml', '[server]\nlisten = "0.0.0.0:8787"\nrequire_auth = false\n');
    const { ok, lines } = checkConfigFile(path, {});
    expect(ok).toBe(true);
    expect(lines.slice(1, 3)).toEqual([
      'listen 0.0.0.0:8787 (auth off, 0 keys), max body 10485760 bytes',
      'warning: auth is off and 0.0.0.0 is reachable from other machines (require_auth = false)',
    ]);
    expect(lines.slice(3)).toEqual(['providers: none', 'models: none']);
  });
});
