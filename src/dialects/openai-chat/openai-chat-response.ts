/**
 * Collected canonical response -> a Chat Completions `chat.completion` object.
 */
import type { ReasoningPart, ToolCallPart } from '../../core/canonical-request.js';
import type { CanonicalResponse } from '../../core/collect-response.js';
import type { EncodeContext } from '../dialect.js';
import { geminiSignatureOf } from '../shared/gemini-thought-signature.js';
import { toChatAnnotations } from './openai-chat-annotations.js';
import { toReasoningDetail } from './openai-chat-reasoning-details.js';
import { geminiExtraContent, toChatToolCall } from './openai-chat-tool-call.js';
import { toChatUsage } from './openai-chat-usage.js';

export function encodeChatCompletion(
  response: CanonicalResponse,
  context: EncodeContext,
): Record<string, unknown> {
  const text = response.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('');
  const reasoning = response.content.filter((part): part is ReasoningPart => part.type === 'reasoning');
  const toolCalls = response.content.filter((part): part is ToolCallPart => part.type === 'tool-call');
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (reasoning.length > 0) {
    message.reasoning_content = reasoning.map((part) => part.text).join('');
    message.reasoning_details = reasoning.map(toReasoningDetail);
  }
  if (toolCalls.length > 0) message.tool_calls = toolCalls.map((call) => toChatToolCall(call));
  // Gemini signs its answer text (the last signed part when there are several): the signature rides on the
  // message, where Gemini's OpenAI-compatible endpoint puts it and the client sends it back from.
  const textSignature = response.content
    .map((part) => (part.type === 'text' ? geminiSignatureOf(part.providerData) : undefined))
    .findLast((signature) => signature !== undefined);
  if (textSignature !== undefined) message.extra_content = geminiExtraContent(textSignature);
  const annotations = toChatAnnotations(response.citations);
  if (annotations.length > 0) message.annotations = annotations;
  return {
    id: chatCompletionId(response.id, context.requestId),
    object: 'chat.completion',
    created: response.created ?? Math.floor(Date.now() / 1000),
    model: context.model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: response.finishReason === 'other' ? 'stop' : response.finishReason,
      },
    ],
    ...(response.usage ? { usage: toChatUsage(response.usage) } : {}),
  };
}

/** Keeps an upstream chat id; anything else gets the familiar `chatcmpl-` prefix. */
export function chatCompletionId(upstreamId: string | undefined, requestId: string): string {
  if (upstreamId?.startsWith('chatcmpl-')) return upstreamId;
  return `chatcmpl-${upstreamId ?? requestId}`;
}
