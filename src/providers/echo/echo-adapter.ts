/**
 * The built-in deterministic provider: streams back the last user message word by word, makes a tool
 * call when asked, and reports usage. It lets a fresh install answer at once and gives tests a provider
 * with no upstream at all.
 *
 * Asking for a tool call: send tools and either tool_choice required / a named tool, or a last user
 * message of the form `/tool <name> <json arguments>`.
 */
import type { CanonicalEvent, FinishReason } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { estimateRequestTokens } from '../../core/estimate-tokens.js';
import type { ProviderAdapter, ProviderConfig } from '../provider-adapter.js';
import { planEchoReply } from './plan-echo-reply.js';

export function createEchoAdapter(config: Pick<ProviderConfig, 'name'>): ProviderAdapter<undefined> {
  return {
    name: config.name,
    type: 'echo',
    capabilities: {
      stream: true,
      tools: true,
      vision: true,
      documents: true,
      reasoning: true,
      jsonSchema: true,
    },
    // Nothing to convert: what echo refuses (a /tool it has no tool for) is its answer, as a model's would be.
    prepare: () => undefined,
    stream: (request) => echoStream(request),
  };
}

async function* echoStream(request: ProviderRequest): AsyncGenerator<CanonicalEvent> {
  const plan = planEchoReply(request);
  yield {
    type: 'response-start',
    id: `echo-${Date.now().toString(36)}`,
    model: request.upstreamModel,
    created: nowSeconds(),
  };
  let outputTokens = 0;
  if (plan.reasoning) {
    yield { type: 'reasoning-delta', text: plan.reasoning };
    outputTokens += 1;
  }
  let reason: FinishReason = 'stop';
  if (plan.toolCall) {
    yield { type: 'tool-call-start', index: 0, id: plan.toolCall.id, name: plan.toolCall.name };
    yield { type: 'tool-call-delta', index: 0, argumentsDelta: plan.toolCall.arguments };
    yield { type: 'tool-call-end', index: 0 };
    outputTokens += 1;
    reason = 'tool_calls';
  } else {
    const words = limitWords(plan.text.split(/(?<=\s)/), request.maxOutputTokens);
    for (const word of words.pieces) {
      yield { type: 'text-delta', text: word };
      outputTokens += 1;
    }
    if (words.truncated) reason = 'length';
  }
  yield { type: 'usage', usage: { inputTokens: estimateRequestTokens(request), outputTokens } };
  yield { type: 'finish', reason, raw: reason };
}

/** Each word counts as one output token, so max tokens truncates like a real model does. */
function limitWords(pieces: string[], max: number | undefined): { pieces: string[]; truncated: boolean } {
  if (max === undefined || pieces.length <= max) return { pieces, truncated: false };
  return { pieces: pieces.slice(0, max), truncated: true };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
