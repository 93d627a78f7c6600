/**
 * Entry points for loading configuration: a TOML file (or text) in, a resolved GatewayConfig out, or a
 * ConfigError listing every problem found.
 */
import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import { buildGatewayConfig } from './build-gateway-config.js';
import { ConfigError } from './config-error.js';
import type { Env } from './resolve-secret.js';
import type { GatewayConfig } from './types.js';

export { applyListenOverride } from './apply-listen-override.js';
export { ConfigError } from './config-error.js';

export function loadConfigFile(path: string, env: Env = process.env): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? (error as Error).message})`;
    throw new ConfigError(path, [reason]);
  }
  return parseConfig(text, path, env);
}

/** `source` names the config in problems and logs (a file path, "embedded default", ...). */
export function parseConfig(tomlText: string, source: string, env: Env = process.env): GatewayConfig {
  let document: Record<string, unknown>;
  try {
    document = parse(tomlText);
  } catch (error) {
    if (error instanceof TomlError) throw new ConfigError(source, [describeTomlError(error)]);
    throw error;
  }
  const result = buildGatewayConfig(document, source, env);
  if (!result.ok) throw new ConfigError(source, result.problems);
  return result.config;
}

/**
 * smol-toml's message carries a code excerpt of the surrounding lines; those can hold a literal key, so
 * only the first line (the reason) is kept, with the position.
 */
function describeTomlError(error: TomlError): string {
  const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
  return `line ${error.line}, column ${error.column}: invalid TOML: ${reason}`;
}
