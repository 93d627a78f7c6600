/**
 * docs/providers.md: every TOML example loads through the real loader, every provider type has a section
 * with a working snippet, and the support table says what the adapters built from those snippets really
 * declare (capabilities and same-dialect relay).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createProvider } from '../providers/create-provider.js';
import type { ProviderAdapter, ProviderCapabilities, WireDialect } from '../providers/provider-adapter.js';
import { canEmbed } from '../providers/provider-adapter.js';
import { PROVIDER_TYPES } from './config-schema.js';
import { ConfigError, parseConfig } from './load-config.js';
import { dummyEnvFor, readDocTomlBlocks } from './read-doc-toml-blocks.js';
import type { GatewayConfig } from './types.js';

const DOC = readFileSync(new URL('../../docs/providers.md', import.meta.url), 'utf8');
const BLOCKS = readDocTomlBlocks(DOC);

const CAPABILITY_COLUMNS: ReadonlyArray<readonly [string, keyof ProviderCapabilities]> = [
  ['Stream', 'stream'],
  ['Tools', 'tools'],
  ['Vision', 'vision'],
  ['Documents', 'documents'],
  ['Reasoning', 'reasoning'],
  ['JSON schema', 'jsonSchema'],
];
const DIALECT_NAMES: Record<string, WireDialect> = {
  'OpenAI Chat': 'openai-chat',
  'OpenAI Responses': 'openai-responses',
  'Anthropic Messages': 'anthropic-messages',
};

/**
 * "no", or dialect names separated by ", "; a name followed by "(condition)" is relayed only with some
 * settings, shown by another example in the provider's section.
 */
function fastPathCell(cell: string): { always: WireDialect[]; sometimes: WireDialect[] } {
  const always: WireDialect[] = [];
  const sometimes: WireDialect[] = [];
  if (cell === 'no') return { always, sometimes };
  for (const entry of cell.split(/,\s*(?![^(]*\))/)) {
    const name = entry.replace(/\s*\(.*\)$/, '');
    const dialect = DIALECT_NAMES[name];
    if (dialect === undefined) throw new Error(`unknown dialect name "${name}" in "${cell}"`);
    (entry === name ? always : sometimes).push(dialect);
  }
  return { always, sometimes };
}

interface SupportRow {
  type: string;
  cells: Record<string, string>;
}

/** The table under "## Support": header names to cell text, per `type`. */
function supportTable(): SupportRow[] {
  const section = DOC.slice(DOC.indexOf('## Support'));
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  const split = (line: string) =>
    line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
  const header = split(lines[0] ?? '');
  const rows: SupportRow[] = [];
  for (const line of lines.slice(2)) {
    const cells = split(line);
    const type = /`([^`]+)`/.exec(cells[0] ?? '')?.[1];
    if (type === undefined) break; // the next table
    rows.push({ type, cells: Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])) });
  }
  return rows;
}

function load(toml: string): GatewayConfig {
  try {
    return parseConfig(toml, 'providers.md', dummyEnvFor(toml));
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(error.message);
    throw error;
  }
}

/** The adapters built from every provider of the type in its own section's examples, first one first. */
function adaptersFromSection(type: string): ProviderAdapter[] {
  const adapters = BLOCKS.filter((block) => block.heading === `\`${type}\``)
    .flatMap((block) => load(block.toml).providers)
    .filter((provider) => provider.type === type)
    .map((provider) => createProvider(provider));
  if (adapters.length === 0)
    throw new Error(`no example under "## \`${type}\`" configures a ${type} provider`);
  return adapters;
}

function relayOf(adapter: ProviderAdapter): WireDialect[] {
  return [...((adapter as { relayDialects?: readonly WireDialect[] }).relayDialects ?? [])];
}

describe('docs/providers.md', () => {
  describe.each(BLOCKS)('toml example at line $line ($heading)', (block) => {
    it('loads without problems', () => {
      expect(block.error).toBeUndefined();
      expect(() => load(block.toml)).not.toThrow();
    });
  });

  it('has a support row for every provider type, once', () => {
    expect(
      supportTable()
        .map((row) => row.type)
        .sort(),
    ).toEqual([...PROVIDER_TYPES].sort());
  });

  describe.each(supportTable())('support row `$type`', (row) => {
    it('matches the adapters built from its section', () => {
      const adapters = adaptersFromSection(row.type);
      for (const adapter of adapters) {
        for (const [column, capability] of CAPABILITY_COLUMNS) {
          expect({ column, value: row.cells[column] }).toEqual({
            column,
            value: adapter.capabilities[capability] ? 'yes' : 'no',
          });
        }
      }
      const { always, sometimes } = fastPathCell(row.cells['Same-dialect fast path'] ?? '');
      // The section's first example relays exactly the unconditional dialects ...
      expect(relayOf(adapters[0] as ProviderAdapter).sort()).toEqual([...always].sort());
      // ... every example relays at most the listed ones, and each conditional one is shown by some example.
      const listed = [...always, ...sometimes];
      for (const adapter of adapters) expect(listed).toEqual(expect.arrayContaining(relayOf(adapter)));
      for (const dialect of sometimes) {
        expect(adapters.some((adapter) => relayOf(adapter).includes(dialect))).toBe(true);
      }
    });

    it('says yes to embeddings exactly where the adapter embeds', () => {
      // A "yes" may carry a condition after it (the Bedrock model families), a "no" never.
      const cell = row.cells.Embeddings ?? '';
      const says = cell.startsWith('yes') ? 'yes' : cell;
      for (const adapter of adaptersFromSection(row.type)) {
        expect({ type: row.type, embeddings: says }).toEqual({
          type: row.type,
          embeddings: canEmbed(adapter) ? 'yes' : 'no',
        });
      }
    });
  });
});
