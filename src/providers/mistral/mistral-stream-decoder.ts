/**
 * Mistral chat completions stream -> canonical events. The stream is Chat Completions, decoded by the
 * OpenAI decoder; this only rewrites what Mistral does differently in each chunk first:
 * - `delta.content` may be a list of chunks (magistral): `thinking` chunks become `reasoning_content`,
 *   `text` chunks `content`. Within one chunk, reasoning is emitted before text.
 * - older responses report cache hits as `usage.num_cached_tokens`.
 * - tool call ids this request mapped to Mistral's 9-character form are mapped back.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { mapReady } from '../../core/ready-iterator.js';
import { decodeOpenAIChatStream } from '../openai/openai-chat-stream-decoder.js';
import type { SseMessage } from '../shared/sse.js';
import { parseJsonData } from '../shared/sse.js';
import type { MistralToolCallIds } from './mistral-tool-call-id.js';

export interface DecodeMistralOptions {
  provider?: string;
  ids?: MistralToolCallIds;
}

export function decodeMistralStream(
  messages: AsyncIterable<SseMessage>,
  options: DecodeMistralOptions = {},
): AsyncIterableIterator<CanonicalEvent> {
  return decodeOpenAIChatStream(normalize(messages, options.ids), options.provider ?? 'mistral');
}

/** A plain mapping iterator rather than an async generator, which costs several promises per message. */
function normalize(
  messages: AsyncIterable<SseMessage>,
  ids: MistralToolCallIds | undefined,
): AsyncIterable<SseMessage> {
  return mapReady(messages, (message) => {
    const json = parseJsonData(message.data);
    // [DONE], blanks and malformed data are the OpenAI decoder's to judge.
    return !isRecord(json) || !normalizeChunk(json, ids)
      ? message
      : { ...message, data: JSON.stringify(json) };
  });
}

/** Rewrites one chunk in place; true when something changed. */
export function normalizeChunk(chunk: Record<string, unknown>, ids?: MistralToolCallIds): boolean {
  let changed = false;
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  for (const choice of choices) {
    if (!isRecord(choice)) continue;
    // A non-stream body has `message` where a stream chunk has `delta`; both are handled alike.
    for (const key of ['delta', 'message']) {
      const delta = choice[key];
      if (!isRecord(delta)) continue;
      if (Array.isArray(delta.content)) {
        const { text, thinking } = splitContent(delta.content);
        delta.content = text;
        if (thinking !== '') delta.reasoning_content = thinking;
        changed = true;
      }
      if (ids && Array.isArray(delta.tool_calls)) {
        for (const call of delta.tool_calls) {
          if (isRecord(call) && typeof call.id === 'string') {
            const original = ids.fromMistral(call.id);
            if (original !== call.id) {
              call.id = original;
              changed = true;
            }
          }
        }
      }
    }
  }
  const usage = chunk.usage;
  if (isRecord(usage) && typeof usage.num_cached_tokens === 'number') {
    const details = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
    if (typeof details.cached_tokens !== 'number') {
      usage.prompt_tokens_details = { ...details, cached_tokens: usage.num_cached_tokens };
      changed = true;
    }
  }
  return changed;
}

/** Joins the text of `text` chunks and of the text inside `thinking` chunks; other chunk types are skipped. */
function splitContent(chunks: unknown[]): { text: string; thinking: string } {
  let text = '';
  let thinking = '';
  for (const chunk of chunks) {
    if (!isRecord(chunk)) continue;
    if (chunk.type === 'text' && typeof chunk.text === 'string') text += chunk.text;
    else if (chunk.type === 'thinking') {
      if (typeof chunk.thinking === 'string') thinking += chunk.thinking;
      const parts = Array.isArray(chunk.thinking) ? chunk.thinking : [];
      for (const part of parts) {
        if (isRecord(part) && typeof part.text === 'string') thinking += part.text;
      }
    }
  }
  return { text, thinking };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
