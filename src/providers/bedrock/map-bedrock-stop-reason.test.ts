import { describe, expect, it } from 'vitest';
import { loadChunks, loadJson } from '../../../test/support/fixtures.js';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.js';

describe('mapBedrockStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['content_filtered', 'content_filter'],
    ['guardrail_intervened', 'content_filter'],
    ['something_new', 'other'],
    [undefined, 'other'],
  ] as const)('%s -> %s', (raw, expected) => {
    expect(mapBedrockStopReason(raw)).toBe(expected);
  });

  it('maps the stop reasons the recordings carry', () => {
    const stop = loadChunks('bedrock-converse/vercel-amazon-bedrock-tool-call.1.chunks.txt').find(
      (chunk) => (chunk as { messageStop?: unknown }).messageStop,
    ) as { messageStop: { stopReason: string } };
    expect(mapBedrockStopReason(stop.messageStop.stopReason)).toBe('tool_calls');
    const text = loadJson('bedrock-converse/vercel-amazon-bedrock-text.json') as { stopReason: string };
    expect(mapBedrockStopReason(text.stopReason)).toBe('stop');
  });
});
