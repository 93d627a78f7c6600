import { describe, expect, it } from 'vitest';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { reasoningForRung } from '../../core/reasoning-effort.js';
import { applyRelayReasoning } from './apply-relay-reasoning.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';

const messages = [{ role: 'user', content: 'hi' }];

describe('applyRelayReasoning', () => {
  it('no default reasoning: the same body', () => {
    const body = { model: 'm', max_tokens: 10, messages };
    expect(applyRelayReasoning(body, 'claude-sonnet-4-5', undefined)).toBe(body);
  });

  it.each([
    ['claude-sonnet-4-5', 'low'],
    ['claude-sonnet-4-5', 'xhigh'],
    ['claude-opus-4-6', 'medium'],
    ['claude-opus-4-7', 'minimal'],
    ['claude-opus-4-7', 'none'],
    ['claude-haiku-4-5', 'none'],
  ] as const)('%s, %s: the reasoning fields the translated path sends', (model, effort) => {
    const reasoning = reasoningForRung(effort);
    const relayed = applyRelayReasoning(
      { model: 'x', max_tokens: 1000, temperature: 0.3, top_k: 5, top_p: 0.9, messages },
      model,
      reasoning,
    );
    const request: ProviderRequest = {
      model: 'x',
      upstreamModel: model,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      maxOutputTokens: 1000,
      temperature: 0.3,
      topK: 5,
      topP: 0.9,
      reasoning,
      stream: true,
    };
    const translated = convertToAnthropicRequest(request, 'claude') as unknown as Record<string, unknown>;
    for (const field of ['thinking', 'output_config', 'max_tokens', 'temperature', 'top_k', 'top_p'])
      expect(relayed[field], field).toEqual(translated[field]);
  });

  it('keeps the rest of an output_config the client sent', () => {
    const format = { type: 'json_schema', schema: { type: 'object' } };
    const relayed = applyRelayReasoning(
      { model: 'x', max_tokens: 1000, messages, output_config: { format } },
      'claude-opus-4-7',
      reasoningForRung('high'),
    );
    expect(relayed.output_config).toEqual({ format, effort: 'high' });
  });
});
