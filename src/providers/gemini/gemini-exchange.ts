/**
 * One Gemini attempt as the gemini and vertex adapters both make it: the request converted to the body
 * sent, and the answer decoded with the converted call's JSON-text argument paths, so the free-form
 * objects sent as JSON text (clean-gemini-schema.ts) come back to the client as objects
 * (restore-json-text-args.ts).
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import type { SseMessage } from '../shared/sse.js';
import type { GeminiCall, GeminiCallOptions, GeminiRequest } from './convert-to-gemini-request.js';
import { convertToGeminiCall } from './convert-to-gemini-request.js';
import { decodeGeminiStream } from './gemini-stream-decoder.js';

export interface GeminiExchange {
  /** Converts the request (each attempt opens with it) and keeps where its JSON-text arguments are. */
  body(): GeminiRequest;
  /** Decodes the answer to the body last converted. */
  decode(messages: AsyncIterable<SseMessage>): ReadyIterator<CanonicalEvent>;
}

export interface GeminiExchangeOptions extends GeminiCallOptions {
  /** The provider name for errors. */
  provider: string;
  /** Hears about request fields the conversion left out (`CallContext.warn`). */
  warn?: (message: string) => void;
}

export function geminiExchange(request: ProviderRequest, options: GeminiExchangeOptions): GeminiExchange {
  const { provider, warn, ...callOptions } = options;
  let jsonTextArgs: GeminiCall['jsonTextArgs'] | undefined;
  return {
    body() {
      const call = convertToGeminiCall(request, warn, callOptions);
      jsonTextArgs = call.jsonTextArgs;
      return call.body;
    },
    decode(messages) {
      return decodeGeminiStream(messages, { provider, ...(jsonTextArgs ? { jsonTextArgs } : {}) });
    },
  };
}
