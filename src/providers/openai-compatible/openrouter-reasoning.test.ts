import { describe, expect, it } from 'vitest';
import type { ProviderRequest, ReasoningRequest } from '../../core/canonical-request.js';
import { convertToOpenAIChatRequest } from '../openai/convert-to-openai-chat-request.js';
import { adaptOpenRouterReasoning, adaptOpenRouterReasoningDetails } from './openrouter-reasoning.js';

const request: ProviderRequest = {
  model: 'or',
  upstreamModel: 'anthropic/claude-sonnet-4.5',
  stream: true,
  reasoning: { mode: 'enabled' as const, budgetTokens: 2048 },
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'I should call the tool.', signature: 'sig-abc' },
        { type: 'reasoning', text: '', redactedData: 'opaque' },
        { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      ],
    },
    {
      role: 'tool',
      content: [{ type: 'tool-result', toolCallId: 'toolu_1', content: [{ type: 'text', text: '22C' }] }],
    },
  ],
};

describe('OpenRouter reasoning', () => {
  it('sends a budget as reasoning.max_tokens instead of reasoning_effort', () => {
    const body = convertToOpenAIChatRequest(request, 'or') as unknown as Record<string, unknown>;
    adaptOpenRouterReasoning(body, request);
    expect(body.reasoning).toEqual({ max_tokens: 2048 });
    expect(body.reasoning_effort).toBeUndefined();
  });

  it.each<[ReasoningRequest, unknown]>([
    [{ mode: 'enabled', effort: 'max' }, { effort: 'xhigh' }],
    [{ mode: 'disabled' }, { effort: 'none' }],
    [{ mode: 'unset', effort: 'low' }, { effort: 'low' }],
    [{ mode: 'adaptive' }, { enabled: true }],
    [{ mode: 'adaptive', effort: 'high' }, { effort: 'high' }],
  ])('%o -> reasoning %o', (reasoning, expected) => {
    const asked = { ...request, reasoning };
    const body = convertToOpenAIChatRequest(asked, 'or') as unknown as Record<string, unknown>;
    adaptOpenRouterReasoning(body, asked);
    expect(body.reasoning).toEqual(expected);
  });

  it('sends signed and encrypted reasoning back as reasoning_details on the assistant turn', () => {
    const body = convertToOpenAIChatRequest(request, 'or') as unknown as Record<string, unknown>;
    adaptOpenRouterReasoningDetails(body, request);
    const assistant = (body.messages as Array<Record<string, unknown>>).find((m) => m.role === 'assistant')!;
    expect(assistant.reasoning_details).toEqual([
      { type: 'reasoning.text', text: 'I should call the tool.', signature: 'sig-abc', index: 0 },
      { type: 'reasoning.encrypted', data: 'opaque', index: 1 },
    ]);
    expect(assistant.tool_calls).toHaveLength(1);
  });
});
