/**
 * `junction check <file>`: every problem printed with its TOML path and exit 1; a good file exits 0.
 * Starting the gateway on a bad file fails the same way instead of serving half a config.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, writeTempConfig } from '../support/gateway-process.js';

const UNSET = 'E2E_UNSET_ANTHROPIC_KEY';
const written: string[] = [];

function config(toml: string): string {
  const path = writeTempConfig(toml);
  written.push(path);
  return path;
}

afterAll(() => {
  for (const path of written) rmSync(dirname(path), { recursive: true, force: true });
});

const BAD = `
[server]
listen = "127.0.0.1:0"

[providers.claude]
type = "anthropic"
api_key = "env:${UNSET}"

[providers.oai]
type = "openai"
base_ur = "http://127.0.0.1:9/v1"

[[models]]
alias = "default"
targets = ["ghost/model-1"]
`;

const GOOD = `
[server]
listen = "127.0.0.1:0"
require_auth = true

[[keys]]
name = "team-a"
key = "env:E2E_TEAM_KEY"

[providers.claude]
type = "anthropic"
base_url = "http://127.0.0.1:9"
api_key = "env:E2E_SET_ANTHROPIC_KEY"

[providers.echo]
type = "echo"

[[models]]
alias = "default"
targets = ["claude/claude-sonnet-4-5"]
defaults = { temperature = 0.2 }
`;

describe('junction check', () => {
  it('a config with an unset env var (and other problems) exits 1 and names every problem by TOML path', () => {
    const result = runCli(['check', config(BAD)], { [UNSET]: undefined });
    const output = result.stdout + result.stderr;
    expect(result.status).toBe(1);
    expect(output).toContain(`providers.claude.api_key: environment variable ${UNSET} is not set`);
    expect(output).toMatch(/providers\.oai\S*.*base_ur/);
    expect(output).toMatch(/models\[0\]\.targets\[0\].*ghost/);
  });

  it('a good config exits 0 and does not print secrets', () => {
    const result = runCli(['check', config(GOOD)], {
      E2E_TEAM_KEY: 'jk-very-secret-team-key',
      E2E_SET_ANTHROPIC_KEY: 'sk-ant-secret-value',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/ok/);
    expect(result.stdout).not.toContain('jk-very-secret-team-key');
    expect(result.stdout).not.toContain('sk-ant-secret-value');
  });

  it('starting the gateway on the bad config exits 1 with the same problem line', () => {
    const result = runCli(['--config', config(BAD)], { [UNSET]: undefined });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`providers.claude.api_key: environment variable ${UNSET} is not set`);
  });
});

describe('what the CLI says when it cannot start', () => {
  it('names the file that is missing', () => {
    const result = runCli(['--config', '/nonexistent/junction.toml']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('junction: /nonexistent/junction.toml: 1 problem\n  file not found\n');
  });

  it('refuses to move the keyless embedded default onto the network, even with a provider key set', () => {
    const result = runCli(['--listen', '0.0.0.0:8787'], { OPENAI_API_KEY: 'sk-would-be-served' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('junction: embedded default: 1 problem\n');
    expect(result.stderr).toContain('listening on 0.0.0.0 with no [[keys]] would expose the gateway');
    expect(result.stderr).toContain('write a config file with [[keys]] and pass it with --config');
  });

  it('an unknown option is a usage error (exit 2) that says which option and shows the usage', () => {
    const result = runCli(['--port', '8080']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^junction: Unknown option '--port'\nUsage:\n {2}junction \[--config FILE\]/,
    );
    expect(result.stderr).not.toContain('positional');
  });
});
