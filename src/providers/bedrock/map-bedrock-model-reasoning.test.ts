/**
 * Reasoning for the non-Claude models behind Converse: what each takes in additionalModelRequestFields
 * (Amazon Nova 2's `reasoningConfig`, OpenAI gpt-oss's `reasoning_effort`), what DeepSeek-R1 does on its own
 * (it always reasons), and a 400 naming the field for a model that does not reason at all. Model ids as
 * recorded (pydantic-ai's Bedrock cassettes) or as AWS lists them.
 */
import { describe, expect, it } from 'vitest';
import { loadCassette } from '../../../test/support/fixtures.js';
import type { ProviderRequest, ReasoningRequest } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import { reasoningForRung } from '../../core/reasoning-effort.js';
import { convertToBedrockRequest } from './convert-to-bedrock-request.js';

/** The model id a recorded cassette called, from its URL. */
function recordedModel(file: string): string {
  const uri = loadCassette(`bedrock-converse/${file}`)[0]!.request.uri;
  return decodeURIComponent(/\/model\/([^/]+)\/converse/.exec(uri)![1]!);
}

const NOVA_2 = recordedModel('pydantic-ai-bedrock_model_with_code_execution_tool.yaml');
const DEEPSEEK_R1 = recordedModel('pydantic-ai-bedrock_model_thinking_part_deepseek.yaml');
const LLAMA = recordedModel('pydantic-ai-bedrock_image_in_tool_result-llama4.yaml');
const GPT_OSS = 'openai.gpt-oss-120b-1:0';
const NOVA_PRO = 'us.amazon.nova-pro-v1:0';

function convert(
  model: string,
  reasoning: ReasoningRequest | undefined,
  extra: Partial<ProviderRequest> = {},
) {
  const warnings: string[] = [];
  const body = convertToBedrockRequest(
    {
      model: `aws/${model}`,
      upstreamModel: model,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'How do I cross the street?' }] }],
      stream: true,
      ...(reasoning ? { reasoning } : {}),
      ...extra,
    },
    'aws',
    (message) => warnings.push(message),
  );
  return { body, warnings };
}

function refusal(model: string, reasoning: ReasoningRequest): GatewayError {
  try {
    convert(model, reasoning);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('Bedrock reasoning for non-Claude models', () => {
  it('the recorded model ids', () => {
    expect(NOVA_2).toBe('us.amazon.nova-2-lite-v1:0');
    expect(DEEPSEEK_R1).toBe('us.deepseek.r1-v1:0');
    expect(LLAMA).toMatch(/llama4/);
  });

  it.each([
    ['minimal', 'low'],
    ['low', 'low'],
    ['medium', 'medium'],
    ['high', 'high'],
    ['xhigh', 'high'],
    ['max', 'high'],
  ] as const)('Amazon Nova 2, %s: reasoningConfig enabled at maxReasoningEffort %s', (rung, effort) => {
    const { body } = convert(NOVA_2, reasoningForRung(rung));
    expect(body.additionalModelRequestFields).toEqual({
      reasoningConfig: { type: 'enabled', maxReasoningEffort: effort },
    });
  });

  it('Amazon Nova 2: a budget becomes its nearest effort; adaptive without an effort is medium; off sends nothing', () => {
    expect(
      convert(NOVA_2, { mode: 'enabled', budgetTokens: 3000 }).body.additionalModelRequestFields,
    ).toEqual({
      reasoningConfig: { type: 'enabled', maxReasoningEffort: 'low' },
    });
    expect(convert(NOVA_2, { mode: 'adaptive' }).body.additionalModelRequestFields).toEqual({
      reasoningConfig: { type: 'enabled', maxReasoningEffort: 'medium' },
    });
    for (const off of [{ mode: 'disabled' } as const, reasoningForRung('none')])
      expect(convert(NOVA_2, off).body.additionalModelRequestFields).toBeUndefined();
  });

  it('Amazon Nova 2 at high effort: maxTokens must be unset, so it is left out with a warning; sampling stays', () => {
    const { body, warnings } = convert(NOVA_2, reasoningForRung('high'), {
      maxOutputTokens: 800,
      temperature: 0.4,
    });
    expect(body.inferenceConfig).toEqual({ temperature: 0.4 });
    expect(warnings).toEqual([`stripped unsupported parameter(s) on Bedrock for ${NOVA_2}: max_tokens`]);
    expect(
      convert(NOVA_2, reasoningForRung('medium'), { maxOutputTokens: 800 }).body.inferenceConfig,
    ).toEqual({
      maxTokens: 800,
    });
  });

  it.each([
    ['none', 'low'],
    ['minimal', 'low'],
    ['low', 'low'],
    ['medium', 'medium'],
    ['high', 'high'],
    ['max', 'high'],
  ] as const)('OpenAI gpt-oss, %s: reasoning_effort %s (it cannot stop reasoning)', (rung, effort) => {
    const { body, warnings } = convert(GPT_OSS, reasoningForRung(rung));
    expect(body.additionalModelRequestFields).toEqual({ reasoning_effort: effort });
    expect(warnings).toEqual([]);
  });

  it('DeepSeek-R1 always reasons: a request for reasoning sends nothing (its depth is its own, said in a warning); off is refused', () => {
    const { body, warnings } = convert(DEEPSEEK_R1, reasoningForRung('high'));
    expect(body.additionalModelRequestFields).toBeUndefined();
    expect(warnings).toEqual([
      `ignored reasoning effort on Bedrock for ${DEEPSEEK_R1}: it always reasons, at a depth it sets itself`,
    ]);
    expect(convert(DEEPSEEK_R1, { mode: 'adaptive' }).warnings).toEqual([]);
    const error = refusal(DEEPSEEK_R1, reasoningForRung('none'));
    expect(error).toMatchObject({ status: 400, param: 'reasoning_effort', code: 'unsupported_parameter' });
    expect(error.message).toMatch(/always reasons/);
  });

  it.each([LLAMA, NOVA_PRO, 'mistral.mistral-large-2407-v1:0'])(
    '%s does not reason: asking for reasoning is a 400 naming reasoning_effort; thinking off asks for nothing',
    (model) => {
      for (const reasoning of [
        reasoningForRung('low'),
        { mode: 'adaptive' } as const,
        { mode: 'unset', effort: 'high' } as const,
      ]) {
        const error = refusal(model, reasoning);
        expect(error).toMatchObject({
          status: 400,
          failureClass: 'unsupported',
          param: 'reasoning_effort',
          code: 'unsupported_parameter',
        });
        expect(error.message).toContain(model);
      }
      const { body, warnings } = convert(model, { mode: 'disabled' });
      expect(body.additionalModelRequestFields).toBeUndefined();
      expect(warnings).toEqual([]);
    },
  );
});
