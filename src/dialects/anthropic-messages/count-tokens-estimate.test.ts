import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import type { CanonicalRequest } from '../../core/canonical-request.js';
import { decodeCountTokensRequest } from './anthropic-count-tokens-request.js';
import {
  DOCUMENT_TOKENS,
  estimateInputTokens,
  IMAGE_TOKENS,
  MESSAGE_OVERHEAD_TOKENS,
  TOOL_SYSTEM_PROMPT_TOKENS,
} from './count-tokens-estimate.js';

function recorded(file: string, index: number): { request: CanonicalRequest; actual: number } {
  const interaction = loadCassette(`anthropic-messages/${file}`)[index]!;
  const body = interaction.response.parsed_body as { input_tokens?: number; usage?: Record<string, number> };
  const actual =
    body.input_tokens ??
    body.usage!.input_tokens! +
      (body.usage!.cache_read_input_tokens ?? 0) +
      (body.usage!.cache_creation_input_tokens ?? 0);
  return { request: decodeCountTokensRequest(requestJson(interaction)).canonical, actual };
}

describe('estimateInputTokens against what Anthropic counted', () => {
  it.each([
    // [cassette, interaction, allowed relative error]
    ['pydantic-ai-anthropic_model_usage_limit_not_exceeded.yaml', 0, 0.15], // the count_tokens call itself
    ['pydantic-ai-anthropic_opus_46_features-effort.yaml', 0, 0.15],
    ['pydantic-ai-anthropic_model_thinking_part.yaml', 0, 0.15],
    ['pydantic-ai-anthropic_model_thinking_part.yaml', 1, 0.1],
    ['pydantic-ai-anthropic_tool_with_thinking.yaml', 0, 0.1],
    ['pydantic-ai-anthropic_tool_with_thinking.yaml', 1, 0.1],
    ['pydantic-ai-anthropic_tool_output.yaml', 1, 0.1],
    ['pydantic-ai-anthropic_prompted_output.yaml', 1, 0.1],
    ['pydantic-ai-anthropic-no_tools_native_output_strict_true.yaml', 0, 0.15],
    ['pydantic-ai-anthropic_native_output_decimal_strict.yaml', 0, 0.25],
    ['pydantic-ai-anthropic_cache_real_api.yaml', 1, 0.2],
  ] as const)('%s #%i is within %d of the real count', (file, index, tolerance) => {
    const { request, actual } = recorded(file, index);
    const estimate = estimateInputTokens(request);
    expect(Math.abs(estimate - actual) / actual).toBeLessThanOrEqual(tolerance);
  });
});

describe('estimateInputTokens components', () => {
  const text: CanonicalRequest = {
    model: 'm',
    stream: false,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(400) }] }],
  };

  it('costs images and documents flat, plain-text documents by their text', () => {
    const base = estimateInputTokens(text);
    const withMedia: CanonicalRequest = {
      ...text,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'x'.repeat(400) },
            { type: 'image', source: { kind: 'url', url: 'https://x/a.png' } },
            { type: 'file', source: { kind: 'url', url: 'https://x/a.pdf' } },
            {
              type: 'file',
              source: {
                kind: 'base64',
                mediaType: 'text/plain',
                data: Buffer.from('y'.repeat(80)).toString('base64'),
              },
            },
          ],
        },
      ],
    };
    expect(estimateInputTokens(withMedia) - base).toBe(IMAGE_TOKENS + DOCUMENT_TOKENS + 20);
  });

  it('adds the tool system prompt once, and each message its overhead', () => {
    const withTools: CanonicalRequest = {
      ...text,
      tools: [
        { name: 'a', parameters: {} },
        { name: 'b', parameters: {} },
      ],
    };
    const oneTool: CanonicalRequest = { ...text, tools: [{ name: 'a', parameters: {} }] };
    expect(estimateInputTokens(oneTool) - estimateInputTokens(text)).toBeGreaterThan(
      TOOL_SYSTEM_PROMPT_TOKENS,
    );
    expect(estimateInputTokens(withTools) - estimateInputTokens(oneTool)).toBeLessThan(
      TOOL_SYSTEM_PROMPT_TOKENS,
    );
    const twoMessages: CanonicalRequest = {
      ...text,
      messages: [...text.messages, { role: 'assistant', content: [] }],
    };
    expect(estimateInputTokens(twoMessages) - estimateInputTokens(text)).toBe(MESSAGE_OVERHEAD_TOKENS);
  });
});
