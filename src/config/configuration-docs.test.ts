/**
 * docs/configuration.md is the operator's reference: every TOML example on it must load through the real
 * loader (or fail exactly as shown, for the marked error examples), its complete example's `junction
 * check` output must be what the example really prints, and it must name every key the schema accepts
 * for the sections it covers.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfigFile } from './check-config.js';
import {
  adminSchema,
  modelSchema,
  PRESET_BASE_URLS,
  PRESET_TYPES,
  PROVIDER_TYPES,
  providerSchema,
  routingSchema,
} from './config-schema.js';
import { embeddedDefaultToml } from './default-config.js';
import {
  cacheSchema,
  guardrailsSchema,
  jwtSchema,
  keyLimitsShape,
  limitsSchema,
  policySchema,
  pricingSchema,
  usageSchema,
} from './governance-schema.js';
import { ConfigError, parseConfig } from './load-config.js';
import { dummyEnvFor, readDocTomlBlocks } from './read-doc-toml-blocks.js';

const DOC = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

/** The first fenced block of `lang` after `heading`. */
function blockAfter(heading: string, lang: string): string {
  const start = DOC.indexOf(heading);
  if (start === -1) throw new Error(`heading not found: ${heading}`);
  const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(DOC.slice(start));
  if (match === null) throw new Error(`no ${lang} block after ${heading}`);
  return match[1] ?? '';
}

const ENV = {
  TEAM_A_KEY: 'jk-a',
  OPENAI_API_KEY: 'sk-o',
  ANTHROPIC_API_KEY: 'sk-a',
  GEMINI_API_KEY: 'g',
};

describe('docs/configuration.md', () => {
  it('has a complete example that loads', () => {
    const config = parseConfig(blockAfter('## Complete example', 'toml'), 'junction.toml', ENV);
    expect(config.providers.map((provider) => provider.name)).toEqual([
      'openai',
      'claude',
      'gemini',
      'vllm',
      'echo',
    ]);
    expect(config.keys.map((key) => key.name)).toEqual(['team-a', 'ci']);
  });

  it('shows the `junction check` output the example really produces', () => {
    const example = blockAfter('## Complete example', 'toml');
    const path = join(mkdtempSync(join(tmpdir(), 'junction-docs-')), 'junction.toml');
    writeFileSync(path, example);
    const documented = blockAfter('## `junction check <file>`', '')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('$ '));
    expect(checkConfigFile(path, ENV).lines).toEqual(
      documented.map((line) => line.replace('junction.toml', path)),
    );
  });

  it('shows the embedded default as it is generated with OPENAI_API_KEY set', () => {
    const documented = blockAfter('## Embedded default', 'toml');
    expect(parseConfig(documented, 'doc', ENV)).toEqual(
      parseConfig(embeddedDefaultToml({ OPENAI_API_KEY: 'sk-o' }), 'doc', ENV),
    );
  });

  describe.each(readDocTomlBlocks(DOC))('toml example at line $line ($heading)', (block) => {
    if (block.error === undefined) {
      it('loads without problems', () => {
        expect(problemsOf(block.toml, dummyEnvFor(block.toml))).toEqual([]);
      });
    } else {
      const { unset, expected } = block.error;
      it('fails with exactly the problems shown after it', () => {
        const error = loadError(block.toml, dummyEnvFor(block.toml, unset));
        expect(expected).toBeDefined();
        // The shown output is either the problem lines alone or the whole message with its header.
        const shown = (expected ?? '').trimEnd();
        expect([error.problems.join('\n'), error.message]).toContain(shown);
      });
    }
  });

  it('has at least one example per section it documents', () => {
    const blocks = readDocTomlBlocks(DOC).filter((block) => block.error === undefined);
    for (const table of [
      '[server]',
      '[[keys]]',
      '[[models]]',
      '[routing]',
      '[admin]',
      '[auth.jwt]',
      '[limits]',
      '[cache]',
      '[policy]',
      '[policy.guardrails]',
      '[[pricing]]',
      '[usage]',
    ]) {
      expect(blocks.some((block) => block.toml.includes(table))).toBe(true);
    }
    for (const type of PROVIDER_TYPES.filter((t) => !PRESET_TYPES.includes(t as never))) {
      expect(blocks.some((block) => block.toml.includes(`type = "${type}"`))).toBe(true);
    }
  });

  it('lists every preset with the default base URL the code uses', () => {
    const documented = Object.fromEntries(
      [...DOC.matchAll(/^\| `([a-z-]+)`\s*\| `(https?:\/\/[^`]+)` \|$/gm)].map((m) => [m[1], m[2]]),
    );
    for (const preset of PRESET_TYPES) expect(documented[preset]).toBe(PRESET_BASE_URLS[preset]);
  });

  it('names every governance key the schema accepts', () => {
    const keys = new Set<string>([
      ...Object.keys(keyLimitsShape),
      ...Object.keys(jwtSchema.shape),
      ...Object.keys(jwtSchema.shape.claims.unwrap().shape).map((claim) => `claims.${claim}`),
      ...Object.keys(limitsSchema.shape),
      ...Object.keys(cacheSchema.shape),
      ...Object.keys(policySchema.shape),
      ...Object.keys(guardrailsSchema.shape),
      ...Object.keys(pricingSchema.shape),
      ...Object.keys(usageSchema.shape),
      'data_dir',
    ]);
    const named = (key: string): boolean =>
      DOC.includes(`\`${key}\``) ||
      (key.startsWith('claims.') && DOC.includes(`\`${key.split('.')[0]}.`) && DOC.includes(key.slice(7)));
    // `claims` and `guardrails` are tables, documented by their own headings.
    const tables = new Set(['claims', 'guardrails']);
    expect([...keys].filter((key) => !tables.has(key) && !named(key))).toEqual([]);
  });

  it('names every key the schema accepts in [providers.*], [[models]], [routing] and [admin]', () => {
    const keys = new Set<string>([
      ...providerSchema.options.flatMap((option) => Object.keys(option.shape)),
      ...Object.keys(modelSchema.shape),
      ...Object.keys(routingSchema.shape),
      ...Object.keys(adminSchema.shape),
      ...Object.keys(routingSchema.shape.breaker.unwrap().shape),
      ...Object.keys(routingSchema.shape.backoff.unwrap().shape),
    ]);
    const missing = [...keys].filter((key) => !DOC.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });
});

function loadError(toml: string, env: Record<string, string>): ConfigError {
  try {
    parseConfig(toml, 'junction.toml', env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the example to fail, but it loaded');
}

function problemsOf(toml: string, env: Record<string, string>): string[] {
  try {
    parseConfig(toml, 'junction.toml', env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
