import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { convertToAnthropicRequest } from '../anthropic/convert-to-anthropic-request.js';
import { convertToVertexAnthropicRequest } from './convert-to-vertex-anthropic-request.js';

const REQUEST: ProviderRequest = {
  model: 'vertex/claude-sonnet-4@20250514',
  upstreamModel: 'claude-sonnet-4@20250514',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'How do I cross the street?' }] }],
  maxOutputTokens: 4096,
  reasoning: { mode: 'enabled' as const, budgetTokens: 1024 },
  stream: true,
};

describe('convertToVertexAnthropicRequest', () => {
  it("is Anthropic's body for the recorded thinking request, without model, with anthropic_version", () => {
    const recorded = requestJson(
      loadCassette('anthropic-messages/pydantic-ai-anthropic_model_thinking_part_stream.yaml')[0]!,
    );
    const { model: _model, ...withoutModel } = recorded;
    const body = convertToVertexAnthropicRequest(REQUEST, 'anthropic');
    expect(body).toEqual({ ...withoutModel, anthropic_version: 'vertex-2023-10-16' });
    expect(body).not.toHaveProperty('model');
  });

  it('keeps every other field the Anthropic converter produces', () => {
    const withTools: ProviderRequest = {
      ...REQUEST,
      reasoning: undefined,
      temperature: 0.2,
      stop: ['END'],
      tools: [{ name: 'get_weather', parameters: { type: 'object', properties: {} } }],
      toolChoice: { type: 'required' },
    };
    const { model: _model, ...expected } = convertToAnthropicRequest(withTools, 'anthropic');
    expect(convertToVertexAnthropicRequest(withTools, 'anthropic')).toEqual({
      ...expected,
      anthropic_version: 'vertex-2023-10-16',
    });
  });
});
