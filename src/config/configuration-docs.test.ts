/**
 * docs/configuration.md is the operator's reference: its complete example must load, and the
 * `junction check` output it shows must be what the example really prints.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfigFile } from './check-config.js';
import { embeddedDefaultToml } from './default-config.js';
import { parseConfig } from './load-config.js';

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
});
