/**
 * Reasoning for the models behind Converse that are not Claude (Claude's is map-anthropic-thinking.ts).
 * Converse has no reasoning field of its own: a model takes its own fields in
 * `additionalModelRequestFields`, and a model that cannot reason refuses them.
 *
 * - Amazon Nova 2 (`amazon.nova-2-*`): `reasoningConfig: {type: "enabled", maxReasoningEffort}` with low,
 *   medium or high; extended thinking is off unless asked for. At `high` Nova refuses `maxTokens` ("`maxTokens`
 *   must be unset when reasoningConfig type is 'enabled' and maxReasoningEffort is 'high'").
 * - OpenAI gpt-oss (`openai.gpt-oss-*`): the Chat Completions field, `reasoning_effort` low, medium or high
 *   (AWS: "Include any other fields in the additionalModelRequestFields object"). It cannot stop
 *   reasoning, so thinking off is its least, `low` (as for gpt-oss on Groq and Ollama).
 * - DeepSeek-R1 (`deepseek.r1-*`): always reasons and takes no setting ("The model does not support
 *   toggling the reasoning capability on and off"); thinking off is refused, an effort is ignored with a
 *   warning.
 * - Any other model does not reason: a request that asks for reasoning is refused with a 400 naming the
 *   field, rather than the reasoning being dropped. Thinking off asks for nothing and passes.
 */
import type { ReasoningRequest } from '../../core/canonical-request.js';
import type { Effort } from '../../core/reasoning-effort.js';
import { ladderEffort } from '../../core/reasoning-effort.js';
import { unsupportedParameter } from '../shared/unsupported-parameter.js';

type ThreeRungs = 'low' | 'medium' | 'high';

export interface BedrockModelReasoning {
  /** Fields for `additionalModelRequestFields`. */
  fields?: Record<string, unknown>;
  /** `inferenceConfig.maxTokens` must be left out (Nova 2 at high effort). */
  withoutMaxTokens?: boolean;
  /** What the client should hear about (x-junction-warning). */
  warning?: string;
}

export function isNova2(model: string): boolean {
  return /(^|[.:/])amazon\.nova-2-/.test(model);
}

export function isGptOss(model: string): boolean {
  return /(^|[.:/])openai\.gpt-oss-/.test(model);
}

export function isDeepSeekR1(model: string): boolean {
  return /(^|[.:/])deepseek\.r1-/.test(model);
}

/** `providerName` names the provider in a refusal. Claude models are not for this function. */
export function mapBedrockModelReasoning(
  model: string,
  reasoning: ReasoningRequest | undefined,
  providerName: string,
): BedrockModelReasoning {
  if (!reasoning) return {};
  const effort = ladderEffort(reasoning);
  const off = reasoning.mode === 'disabled' || effort === 'none';
  if (isNova2(model)) {
    if (off) return {};
    // Adaptive thinking without an effort: Nova has no "model decides", so its middle effort.
    const level = threeRungs(effort ?? 'medium');
    return {
      fields: { reasoningConfig: { type: 'enabled', maxReasoningEffort: level } },
      ...(level === 'high' ? { withoutMaxTokens: true } : {}),
    };
  }
  if (isGptOss(model)) {
    // Adaptive thinking without an effort keeps the model's own default.
    return effort === undefined ? {} : { fields: { reasoning_effort: threeRungs(effort) } };
  }
  if (isDeepSeekR1(model)) {
    if (off)
      throw unsupportedParameter(
        'reasoning_effort',
        providerName,
        `${model} always reasons; Bedrock cannot turn its reasoning off`,
      );
    return effort === undefined
      ? {}
      : {
          warning: `ignored reasoning effort on Bedrock for ${model}: it always reasons, at a depth it sets itself`,
        };
  }
  if (off) return {};
  throw unsupportedParameter(
    'reasoning_effort',
    providerName,
    `${model} does not reason on Bedrock (Converse takes reasoning for Claude, Amazon Nova 2, OpenAI gpt-oss and DeepSeek-R1)`,
  );
}

/** The ladder folded onto low / medium / high, its ends onto the nearest. */
function threeRungs(effort: Effort): ThreeRungs {
  if (effort === 'medium') return 'medium';
  if (effort === 'high' || effort === 'xhigh' || effort === 'max') return 'high';
  return 'low';
}
