import { describe, expect, it } from 'vitest';
import type { CanonicalMessage, ToolResultPart } from '../../core/canonical-request.js';
import { convertToOpenAIChatRequest } from './convert-to-openai-chat-request.js';

const IMAGE = {
  type: 'image' as const,
  source: { kind: 'base64' as const, mediaType: 'image/png', data: 'AAAA' },
};

function toolMessage(result: Omit<ToolResultPart, 'type' | 'toolCallId'>): unknown {
  const messages: CanonicalMessage[] = [
    { role: 'user', content: [{ type: 'text', text: 'go' }] },
    { role: 'assistant', content: [{ type: 'tool-call', id: 'c1', name: 'run', arguments: '{}' }] },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'c1', ...result }] },
  ];
  const body = convertToOpenAIChatRequest(
    { model: 'openai/gpt-4o', upstreamModel: 'gpt-4o', messages, stream: true },
    'openai',
  );
  return body.messages[2];
}

describe('a tool result flagged as an error (Anthropic is_error)', () => {
  it('says so in the tool message text instead of reading like a success', () => {
    expect(toolMessage({ content: [{ type: 'text', text: 'exit code 1' }], isError: true })).toEqual({
      role: 'tool',
      tool_call_id: 'c1',
      content: 'Error: exit code 1',
    });
  });

  it('an empty or image-only error result is still marked', () => {
    expect(toolMessage({ content: [], isError: true })).toMatchObject({ content: 'Error' });
    expect(toolMessage({ content: [IMAGE], isError: true })).toMatchObject({
      content: 'Error: [image output follows in the next user message]',
    });
  });

  it('a result without the flag is sent as it is', () => {
    expect(toolMessage({ content: [{ type: 'text', text: 'ok' }] })).toMatchObject({ content: 'ok' });
    expect(toolMessage({ content: [{ type: 'text', text: 'ok' }], isError: false })).toMatchObject({
      content: 'ok',
    });
  });
});
