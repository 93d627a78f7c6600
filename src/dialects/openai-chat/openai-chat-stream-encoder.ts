/**
 * Canonical events -> `chat.completion.chunk` SSE, the way OpenAI streams: a role chunk first, content and
 * tool-call deltas at their indexes, a finish chunk, an optional usage-only chunk, then `data: [DONE]`.
 * URL citations are held and sent as one `annotations` delta just before the finish chunk, where search
 * models put them, so every span they point at has already been streamed.
 */
import type { CanonicalEvent, Citation } from '../../core/canonical-events.js';
import type { GatewayError } from '../../core/errors.js';
import type { Usage } from '../../core/usage.js';
import type { EncodeContext, StreamEncoder } from '../dialect.js';
import { encodeGeminiSignature, geminiSignatureOf } from '../shared/gemini-thought-signature.js';
import { toChatAnnotations } from './openai-chat-annotations.js';
import { renderOpenAIError } from './openai-chat-error.js';
import { chatCompletionId } from './openai-chat-response.js';
import { geminiExtraContent, toChatToolCall } from './openai-chat-tool-call.js';
import { toChatUsage } from './openai-chat-usage.js';

export function createOpenAIChatStreamEncoder(context: EncodeContext, includeUsage: boolean): StreamEncoder {
  let prefix: string | undefined;
  let reasoningIndex = 0;
  let reasoningOpen = false;
  let usage: Usage | undefined;
  let finished = false;
  const citations: Citation[] = [];

  const chunk = (choice: string): string => `data: ${prefix}[${choice}]}\n\n`;
  const delta = (payload: Record<string, unknown>): string =>
    chunk(`{"index":0,"delta":${JSON.stringify(payload)},"logprobs":null,"finish_reason":null}`);

  const start = (id: string | undefined, created: number | undefined): string => {
    const fullId = chatCompletionId(id, context.requestId);
    prefix = `{"id":${JSON.stringify(fullId)},"object":"chat.completion.chunk","created":${created ?? Math.floor(Date.now() / 1000)},"model":${JSON.stringify(context.model)},"choices":`;
    return delta({ role: 'assistant', content: '' });
  };
  const ensureStarted = (): string => (prefix === undefined ? start(undefined, undefined) : '');
  const flushAnnotations = (): string => {
    const annotations = toChatAnnotations(citations.splice(0));
    return annotations.length > 0 ? delta({ annotations }) : '';
  };

  return {
    event(event: CanonicalEvent): string {
      switch (event.type) {
        case 'response-start':
          return prefix === undefined ? start(event.id, event.created) : '';
        case 'text-delta': {
          reasoningOpen = false;
          // A Gemini text signature rides on the delta, as Gemini's OpenAI-compatible endpoint sends it; the
          // SDK's stream helper keeps it on the final message.
          const signature = geminiSignatureOf(event.providerData);
          if (signature !== undefined) {
            const extra = { extra_content: geminiExtraContent(signature) };
            return ensureStarted() + delta(event.text === '' ? extra : { content: event.text, ...extra });
          }
          return event.text === '' ? '' : ensureStarted() + delta({ content: event.text });
        }
        case 'reasoning-delta':
          if (event.text === '') return '';
          reasoningOpen = true;
          return (
            ensureStarted() +
            delta({
              reasoning_content: event.text,
              reasoning_details: [{ type: 'reasoning.text', index: reasoningIndex, text: event.text }],
            })
          );
        case 'reasoning-signature': {
          const out = delta({
            reasoning_details: [
              { type: 'reasoning.text', index: reasoningIndex, signature: event.signature },
            ],
          });
          reasoningIndex += 1;
          reasoningOpen = false;
          return ensureStarted() + out;
        }
        case 'reasoning-redacted': {
          if (reasoningOpen) reasoningIndex += 1;
          const out = delta({
            reasoning_details: [{ type: 'reasoning.encrypted', index: reasoningIndex, data: event.data }],
          });
          reasoningIndex += 1;
          reasoningOpen = false;
          return ensureStarted() + out;
        }
        case 'reasoning-provider-data': {
          // A Gemini thought signature joins its reasoning entry, which stays open as the collector's does.
          const signature = geminiSignatureOf(event.providerData);
          if (signature === undefined) return '';
          return (
            ensureStarted() +
            delta({
              reasoning_details: [
                {
                  type: 'reasoning.text',
                  index: reasoningIndex,
                  signature: encodeGeminiSignature('thought', signature),
                },
              ],
            })
          );
        }
        case 'tool-call-start':
          reasoningOpen = false;
          return (
            ensureStarted() +
            delta({
              tool_calls: [
                toChatToolCall(
                  {
                    type: 'tool-call',
                    id: event.id,
                    name: event.name,
                    arguments: '',
                    providerData: event.providerData,
                  },
                  event.index,
                ),
              ],
            })
          );
        case 'tool-call-delta':
          return event.argumentsDelta === ''
            ? ''
            : delta({ tool_calls: [{ index: event.index, function: { arguments: event.argumentsDelta } }] });
        case 'tool-call-end':
          return '';
        case 'usage':
          usage = event.usage;
          return '';
        case 'citation':
          citations.push(event.citation);
          return '';
        case 'finish': {
          finished = true;
          const reason = event.reason === 'other' ? 'stop' : event.reason;
          return (
            ensureStarted() +
            flushAnnotations() +
            chunk(`{"index":0,"delta":{},"logprobs":null,"finish_reason":"${reason}"}`)
          );
        }
      }
    },
    end(): string {
      let out = ensureStarted();
      if (!finished)
        out += flushAnnotations() + chunk('{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}');
      if (includeUsage && usage)
        out += `data: ${prefix}[],"usage":${JSON.stringify(toChatUsage(usage))}}\n\n`;
      return `${out}data: [DONE]\n\n`;
    },
    error(error: GatewayError): string {
      // OpenAI sends an error object as a data line mid-stream; its SDK raises it as an APIError.
      return `data: ${JSON.stringify(renderOpenAIError(error).body)}\n\n`;
    },
  };
}
