/** Canonical usage -> the Chat Completions `usage` object. */
import type { Usage } from '../../core/usage.js';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  /** Only when the provider reported reasoning tokens (the spec makes it optional). */
  completion_tokens_details?: { reasoning_tokens: number };
}

export function toChatUsage(usage: Usage): ChatUsage {
  const chat: ChatUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
  };
  // A provider that does not count reasoning apart (Anthropic's thinking is inside output_tokens) did not
  // report 0; claiming 0 would be a made-up number, so the breakdown is left out.
  if (usage.reasoningTokens !== undefined)
    chat.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return chat;
}
