/**
 * The typed event stream every provider produces. Failures are not events: an adapter's iterator throws a
 * GatewayError, so the router can tell "nothing sent yet" (fail over) from "mid-stream" (end with an error).
 */
import type { ProviderData } from './canonical-request.js';
import type { Usage } from './usage.js';

/**
 * A source the answer cites. Indexes are character offsets into the response text emitted so far, when the
 * provider gives them; providers that only list sources (Perplexity) give a URL alone.
 */
export interface Citation {
  url?: string;
  title?: string;
  citedText?: string;
  startIndex?: number;
  endIndex?: number;
  sourceId?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export type CanonicalEvent =
  | { type: 'response-start'; id?: string; model?: string; created?: number }
  | { type: 'text-delta'; text: string; providerData?: ProviderData }
  /** A piece of reasoning text; consecutive deltas form one block until a signature or another part. */
  | { type: 'reasoning-delta'; text: string }
  /** Closes the current reasoning block with its signature (Anthropic, Bedrock). */
  | { type: 'reasoning-signature'; signature: string }
  /** A whole opaque reasoning block (Anthropic redacted_thinking, OpenAI encrypted reasoning). */
  | { type: 'reasoning-redacted'; data: string }
  /** Continuation data for the current reasoning block (Gemini thought signatures). */
  | { type: 'reasoning-provider-data'; providerData: ProviderData }
  /** `index` numbers the tool calls of this response from 0, in the order they start. */
  | { type: 'tool-call-start'; index: number; id: string; name: string; providerData?: ProviderData }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  | { type: 'tool-call-end'; index: number }
  | { type: 'usage'; usage: Usage }
  | { type: 'citation'; citation: Citation }
  /**
   * `raw` is the provider's own stop reason, for logs and same-dialect encoders. `stopSequence` is the
   * client stop sequence that ended the answer, when the provider says which (Anthropic's stop_sequence).
   */
  | { type: 'finish'; reason: FinishReason; raw?: string; stopSequence?: string };

export type CanonicalEventType = CanonicalEvent['type'];
