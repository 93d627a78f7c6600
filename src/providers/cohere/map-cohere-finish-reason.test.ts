import { describe, expect, it } from 'vitest';
import { loadCassette, loadJson } from '../../../test/support/fixtures.js';
import { mapCohereFinishReason } from './map-cohere-finish-reason.js';

describe('mapCohereFinishReason', () => {
  it.each([
    ['COMPLETE', false, 'stop'],
    ['COMPLETE', true, 'tool_calls'],
    ['STOP_SEQUENCE', false, 'stop'],
    ['MAX_TOKENS', false, 'length'],
    ['TOOL_CALL', true, 'tool_calls'],
    ['ERROR', false, 'other'],
    ['TIMEOUT', false, 'other'],
    ['ERROR_TOXIC', false, 'content_filter'],
    ['ERROR_LIMIT', false, 'length'],
    ['SOMETHING_NEW', false, 'other'],
    [undefined, false, 'other'],
  ] as const)('%s (tool calls: %s) -> %s', (raw, hasToolCalls, expected) => {
    expect(mapCohereFinishReason(raw, hasToolCalls)).toBe(expected);
  });

  it('maps the finish reasons recorded in non-stream bodies', () => {
    const reason = (file: string) => (loadJson(`cohere/${file}`) as { finish_reason: string }).finish_reason;
    expect(mapCohereFinishReason(reason('vercel-cohere-max-tokens.json'), false)).toBe('length');
    expect(mapCohereFinishReason(reason('vercel-cohere-null-args.json'), true)).toBe('tool_calls');
    expect(mapCohereFinishReason(reason('vercel-cohere-text.json'), false)).toBe('stop');
    const required = loadCassette('cohere/pydantic-ai-tool_choice_matrix-required-cohere.yaml')[0]!.response
      .parsed_body as { finish_reason: string };
    expect(mapCohereFinishReason(required.finish_reason, true)).toBe('tool_calls');
  });
});
