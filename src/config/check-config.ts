/**
 * `junction check <file>`: loads the config exactly as the gateway would and prints either a summary or
 * every problem. Prints names, types, URLs and counts only: no key, hash or header value, ever.
 */

import { isLoopbackHost } from './is-loopback-host.js';
import { ConfigError, loadConfigFile } from './load-config.js';
import { formatListenAddress } from './parse-listen-address.js';
import type { Env } from './resolve-secret.js';
import type { GatewayConfig } from './types.js';

export interface CheckResult {
  ok: boolean;
  lines: string[];
}

export function checkConfigFile(path: string, env: Env = process.env): CheckResult {
  try {
    return { ok: true, lines: summarizeConfig(loadConfigFile(path, env)) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const count = error.problems.length === 1 ? '1 problem' : `${error.problems.length} problems`;
    return { ok: false, lines: [`${path}: ${count}`, ...error.problems.map((problem) => `  ${problem}`)] };
  }
}

export function summarizeConfig(config: GatewayConfig): string[] {
  const { server } = config;
  const keyCount = config.keys.length === 1 ? '1 key' : `${config.keys.length} keys`;
  const auth = server.requireAuth ? 'auth required' : 'auth off';
  const lines = [
    `${config.source}: ok`,
    `listen ${formatListenAddress(server)} (${auth}, ${keyCount}), max body ${server.maxBodyBytes} bytes`,
  ];
  if (!server.requireAuth && !isLoopbackHost(server.host)) {
    lines.push(
      `warning: auth is off and ${server.host} is reachable from other machines (require_auth = false)`,
    );
  }
  if (config.keys.length > 0) lines.push(`keys: ${config.keys.map((key) => key.name).join(', ')}`);

  lines.push(config.providers.length === 0 ? 'providers: none' : 'providers:');
  const nameWidth = Math.max(0, ...config.providers.map((provider) => provider.name.length));
  const typeWidth = Math.max(0, ...config.providers.map((provider) => provider.type.length));
  for (const provider of config.providers) {
    const where = provider.baseUrl === '' ? '(built in)' : provider.baseUrl;
    const extras: string[] = [];
    if (provider.type !== 'echo') {
      extras.push(provider.apiKeys.length === 0 ? 'no api key' : 'api key set');
      extras.push(`timeout ${formatMs(provider.timeoutMs)}`);
      const headerNames = Object.keys(provider.headers);
      if (headerNames.length > 0) extras.push(`headers: ${headerNames.join(', ')}`);
    }
    const suffix = extras.length > 0 ? `  (${extras.join(', ')})` : '';
    lines.push(`  ${provider.name.padEnd(nameWidth)}  ${provider.type.padEnd(typeWidth)}  ${where}${suffix}`);
  }

  lines.push(config.models.length === 0 ? 'models: none' : 'models:');
  const aliasWidth = Math.max(0, ...config.models.map((model) => model.alias.length));
  for (const model of config.models) {
    const targets = model.targets.map((target) => `${target.provider}/${target.model}`).join(', ');
    lines.push(`  ${model.alias.padEnd(aliasWidth)} -> ${targets}`);
  }
  return lines;
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
