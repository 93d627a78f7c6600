import { describe, expect, it } from 'vitest';
import { loadCassette, loadChunks, loadJson } from '../../../test/support/fixtures.js';
import { mapCohereUsage } from './map-cohere-usage.js';

const lastChunkUsage = (file: string): unknown =>
  (loadChunks(`cohere/${file}`).at(-1) as { delta: { usage: unknown } }).delta.usage;
const bodyUsage = (file: string): unknown => (loadJson(`cohere/${file}`) as { usage: unknown }).usage;
const cassetteUsage = (file: string, i = 0): unknown =>
  (loadCassette(`cohere/${file}`)[i]!.response.parsed_body as { usage: unknown }).usage;

describe('mapCohereUsage on recorded usage objects', () => {
  it.each([
    ['vercel-cohere-text.chunks.txt', lastChunkUsage('vercel-cohere-text.chunks.txt'), 507, 10, 448],
    [
      'vercel-cohere-reasoning.chunks.txt',
      lastChunkUsage('vercel-cohere-reasoning.chunks.txt'),
      1394,
      54,
      1360,
    ],
    [
      'vercel-cohere-tool-call.chunks.txt',
      lastChunkUsage('vercel-cohere-tool-call.chunks.txt'),
      1549,
      95,
      1504,
    ],
    [
      'vercel-cohere-empty-tool-call.chunks.txt',
      lastChunkUsage('vercel-cohere-empty-tool-call.chunks.txt'),
      1445,
      43,
      704,
    ],
    ['vercel-cohere-max-tokens.json', bodyUsage('vercel-cohere-max-tokens.json'), 506, 5, 448],
    ['vercel-cohere-citations.json', bodyUsage('vercel-cohere-citations.json'), 1683, 62, 992],
    [
      'pydantic-ai-cohere-request_usage_with_cached_tokens.yaml',
      cassetteUsage('pydantic-ai-cohere-request_usage_with_cached_tokens.yaml'),
      2935,
      4,
      2928,
    ],
    [
      'pydantic-ai-tool_choice_matrix-auto-cohere.yaml #2',
      cassetteUsage('pydantic-ai-tool_choice_matrix-auto-cohere.yaml', 1),
      1533,
      36,
      1440,
    ],
  ])(
    '%s: tokens win over billed_units, cached_tokens is cachedInputTokens',
    (_name, usage, input, output, cached) => {
      expect(mapCohereUsage(usage)).toEqual({
        inputTokens: input,
        outputTokens: output,
        cachedInputTokens: cached,
      });
    },
  );

  it('without cached_tokens there is no cachedInputTokens (request_simple_success)', () => {
    expect(mapCohereUsage(cassetteUsage('pydantic-ai-cohere-request_simple_success.yaml'))).toEqual({
      inputTokens: 496,
      outputTokens: 11,
    });
  });

  it('falls back to billed_units when tokens is missing, and rejects non-usage values', () => {
    expect(mapCohereUsage({ billed_units: { input_tokens: 12, output_tokens: 7 } })).toEqual({
      inputTokens: 12,
      outputTokens: 7,
    });
    expect(mapCohereUsage(null)).toBeUndefined();
    expect(mapCohereUsage({})).toBeUndefined();
    expect(mapCohereUsage('12')).toBeUndefined();
  });
});
