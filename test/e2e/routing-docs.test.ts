/**
 * docs/routing.md shows a TOML example for every routing knob; each must load through the real config
 * loader, so the page cannot drift into documenting keys that do not exist. Examples without
 * `[providers.*]` tables of their own run on the page's first block (the providers they assume).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';

const DOC = readFileSync(new URL('../../docs/routing.md', import.meta.url), 'utf8');
const BLOCKS = [...DOC.matchAll(/```toml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
const [PROVIDERS = '', ...EXAMPLES] = BLOCKS;

const ENV = {
  OPENAI_API_KEY: 'sk-o',
  OPENAI_KEY_1: 'sk-o-1',
  OPENAI_KEY_2: 'sk-o-2',
  ANTHROPIC_API_KEY: 'sk-a',
  GEMINI_API_KEY: 'g',
  GROQ_API_KEY: 'gsk',
  JUNCTION_ADMIN_TOKEN: 'admin',
};

describe('docs/routing.md', () => {
  it('has the providers block and an example for each knob', () => {
    expect(parseConfig(PROVIDERS, 'providers', ENV).providers.map((p) => p.name)).toEqual([
      'openai',
      'claude',
      'gemini',
      'groq',
    ]);
    const text = EXAMPLES.join('\n');
    for (const knob of [
      'strategy = "fallback"',
      'strategy = "weighted"',
      'strategy = "round-robin"',
      'strategy = "least-latency"',
      'strategy = "least-busy"',
      'failover_on',
      'retries',
      'backoff',
      'breaker',
      'api_keys',
      'max_concurrent',
      'max_queue',
      'queue_timeout',
      'first_byte_timeout',
      'idle_timeout',
      'timeout =',
      'resume_streams = true',
      'provider_order',
      'provider_failover',
      '[admin]',
      'http2',
    ])
      expect(text, knob).toContain(knob);
  });

  it.each(EXAMPLES.map((block, index) => [index + 1, block]))('example %i loads', (_index, block) => {
    const toml = block.includes('[providers.') ? block : `${PROVIDERS}\n${block}`;
    expect(() => parseConfig(toml, 'docs/routing.md', ENV)).not.toThrow();
  });
});
