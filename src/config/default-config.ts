/**
 * What `junction` runs with when no config is given: loopback only, no client keys, the echo provider,
 * and whichever of OpenAI / Anthropic / Gemini have a key in the environment. It is written as TOML and
 * loaded through parseConfig so the default can never drift from what a file would produce.
 */
import { stringify } from 'smol-toml';
import { DEFAULT_LISTEN, EMBEDDED_DEFAULT_SOURCE } from './config-schema.js';
import { parseConfig } from './load-config.js';
import type { Env } from './resolve-secret.js';
import type { GatewayConfig } from './types.js';

export { EMBEDDED_DEFAULT_SOURCE };

interface EnvProvider {
  name: string;
  keyVar: string;
  baseUrlVar: string;
  /** The model the "default" alias points at when this is the first provider present. */
  defaultModel: string;
}

/** In order of preference for the "default" alias. */
const ENV_PROVIDERS: readonly EnvProvider[] = [
  { name: 'openai', keyVar: 'OPENAI_API_KEY', baseUrlVar: 'OPENAI_BASE_URL', defaultModel: 'gpt-4.1' },
  {
    name: 'anthropic',
    keyVar: 'ANTHROPIC_API_KEY',
    baseUrlVar: 'ANTHROPIC_BASE_URL',
    defaultModel: 'claude-sonnet-4-5',
  },
  {
    name: 'gemini',
    keyVar: 'GEMINI_API_KEY',
    baseUrlVar: 'GEMINI_BASE_URL',
    defaultModel: 'gemini-2.5-flash',
  },
];

export function embeddedDefaultConfig(env: Env = process.env): GatewayConfig {
  return parseConfig(embeddedDefaultToml(env), EMBEDDED_DEFAULT_SOURCE, env);
}

/** The embedded default as TOML text; keys stay `env:` references so the text holds no secret. */
export function embeddedDefaultToml(env: Env = process.env): string {
  const present = ENV_PROVIDERS.filter((provider) => nonEmpty(env[provider.keyVar]));
  const providers: Record<string, Record<string, string>> = { echo: { type: 'echo' } };
  for (const provider of present) {
    const baseUrl = env[provider.baseUrlVar];
    providers[provider.name] = {
      type: provider.name,
      ...(nonEmpty(baseUrl) ? { base_url: baseUrl } : {}),
      api_key: `env:${provider.keyVar}`,
    };
  }
  const first = present[0];
  const defaultTarget = first === undefined ? 'echo/echo' : `${first.name}/${first.defaultModel}`;
  return stringify({
    // No require_auth: with no keys nothing is checked on loopback, and the exposure rule refuses
    // `--listen` onto a network address (an explicit `require_auth = false` would let it through).
    server: { listen: DEFAULT_LISTEN },
    providers,
    models: [
      { alias: 'default', targets: [defaultTarget] },
      { alias: 'echo', targets: ['echo/echo'] },
    ],
  });
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}
