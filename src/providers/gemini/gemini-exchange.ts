/**
 * One Gemini call as the gemini and vertex adapters both make it: the request converted to the body
 * sent, and the answer decoded with the converted call's JSON-text argument paths, so the free-form
 * objects sent as JSON text (clean-gemini-schema.ts) come back to the client as objects
 * (restore-json-text-args.ts).
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { collectWarnings, tellWarnings } from '../shared/collect-warnings.js';
import type { SseMessage } from '../shared/sse.js';
import type { GeminiCallOptions, GeminiRequest } from './convert-to-gemini-request.js';
import { convertToGeminiCall } from './convert-to-gemini-request.js';
import { decodeGeminiStream } from './gemini-stream-decoder.js';

export interface GeminiExchange {
  /** The converted request. */
  readonly body: GeminiRequest;
  /**
   * Tells `warn` (an attempt's `CallContext.warn`) which request fields the conversion left out: it ran
   * before the attempt (ProviderAdapter.prepare), so each attempt on it hears them again.
   */
  warn(warn: ((message: string) => void) | undefined): void;
  /** Decodes the answer to this body. */
  decode(messages: AsyncIterable<SseMessage>): ReadyIterator<CanonicalEvent>;
}

export interface GeminiExchangeOptions extends GeminiCallOptions {
  /** The provider name for errors. */
  provider: string;
}

/** Converts the request now: what Gemini cannot take is thrown here, before anything is sent. */
export function geminiExchange(request: ProviderRequest, options: GeminiExchangeOptions): GeminiExchange {
  const { provider, ...callOptions } = options;
  const { body: call, warnings } = collectWarnings((warn) => convertToGeminiCall(request, warn, callOptions));
  const { jsonTextArgs } = call;
  return {
    body: call.body,
    warn(warn) {
      tellWarnings(warnings, warn);
    },
    decode(messages) {
      return decodeGeminiStream(messages, { provider, jsonTextArgs });
    },
  };
}
