/**
 * The canonical request: what every dialect decodes into and every provider encodes from.
 * Modelled on the shape the field converged on (a prompt of role-tagged messages made of typed parts),
 * with room for the continuation data providers need back on the next turn.
 */
import type { Effort } from './reasoning-effort.js';

export interface TextPart {
  type: 'text';
  text: string;
  /** Anthropic prompt-caching breakpoint on this part, kept for Anthropic upstreams. */
  cacheControl?: { type: 'ephemeral'; ttl?: string };
}

/** An image given by URL or inline base64 data. */
export interface ImagePart {
  type: 'image';
  source: { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string };
  /** OpenAI `detail` hint; ignored by providers without one. */
  detail?: 'auto' | 'low' | 'high';
}

/** A document (PDF or other file) given by URL or inline base64 data. */
export interface FilePart {
  type: 'file';
  source: { kind: 'url'; url: string } | { kind: 'base64'; mediaType: string; data: string };
  filename?: string;
}

/**
 * Provider continuation data attached to a part, keyed by provider family. Opaque to the gateway:
 * it is carried and re-emitted, never interpreted outside the provider that produced it.
 */
export interface ProviderData {
  /** Gemini `thoughtSignature` attached to the part that produced it. */
  gemini?: { thoughtSignature?: string };
  [family: string]: Record<string, unknown> | undefined;
}

export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  /** Anthropic thinking signature (also Bedrock reasoningContent signature). */
  signature?: string;
  /** Anthropic `redacted_thinking` data: the block is opaque and `text` is empty. */
  redactedData?: string;
  /** OpenAI Responses `encrypted_content`. */
  encryptedContent?: string;
  providerData?: ProviderData;
}

export interface ToolCallPart {
  type: 'tool-call';
  id: string;
  name: string;
  /** The arguments exactly as the model produced them: a JSON text. */
  arguments: string;
  providerData?: ProviderData;
}

export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  /** The name of the tool, when the dialect knows it (Gemini needs it). */
  toolName?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
}

export type UserPart = TextPart | ImagePart | FilePart;
export type AssistantPart = (TextPart & { providerData?: ProviderData }) | ReasoningPart | ToolCallPart;

export type CanonicalMessage =
  | { role: 'system'; content: TextPart[] }
  | { role: 'user'; content: UserPart[] }
  | { role: 'assistant'; content: AssistantPart[] }
  | { role: 'tool'; content: ToolResultPart[] };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  strict?: boolean;
  cacheControl?: { type: 'ephemeral'; ttl?: string };
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      name: string;
      schema: Record<string, unknown>;
      strict?: boolean;
      description?: string;
    };

/**
 * How the client switched thinking. OpenAI-style clients give a rung that says both whether and how hard
 * to reason; Anthropic clients switch thinking and set an output effort separately, and a provider that
 * speaks Anthropic must get back the switch they gave, not one derived from the effort.
 *
 * - `enabled`: think. With `budgetTokens` (Anthropic `thinking.type: enabled`) the budget is the client's
 *   own; without it (an OpenAI `reasoning_effort` rung other than `none`) the depth comes from `effort`.
 * - `adaptive`: the model decides whether and how much to think, guided by `effort` when given.
 * - `disabled`: do not think (Anthropic `thinking.type: disabled`, OpenAI `reasoning_effort: none`).
 * - `unset`: the client said nothing about thinking, only `effort` (Anthropic `output_config.effort` on
 *   its own, which tunes the whole answer and does not turn thinking on).
 */
export type ReasoningMode = 'enabled' | 'adaptive' | 'disabled' | 'unset';

export interface ReasoningRequest {
  mode: ReasoningMode;
  /**
   * The ladder rung the client asked for (see reasoning-effort.ts). With `enabled` and no budget it is how
   * hard to think; otherwise it is Anthropic's output effort, which also tunes thinking when there is any.
   */
  effort?: Effort;
  /** An explicit provider-native thinking budget in tokens, only with `enabled`; wins over `effort`. */
  budgetTokens?: number;
  /**
   * Anthropic's `thinking.display`: `summarized` returns the thinking text, `omitted` only its signature
   * (the default on Claude 4.7 and later). Providers without the choice return what they have.
   */
  display?: 'summarized' | 'omitted';
}

export interface CanonicalRequest {
  /** The model the client named: an alias or `provider/model`. Routing resolves it. */
  model: string;
  messages: CanonicalMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  /**
   * OpenAI-style repetition penalties (-2 to 2). Unset when 0, the OpenAI default: a value here changes
   * sampling, so a provider without a counterpart refuses it rather than dropping it.
   */
  presencePenalty?: number;
  frequencyPenalty?: number;
  reasoning?: ReasoningRequest;
  /** End-user id for abuse tracking (`user`, `metadata.user_id`). */
  user?: string;
  metadata?: Record<string, string>;
  stream: boolean;
}

/** The request as a provider adapter receives it: routing has replaced the model with the upstream id. */
export interface ProviderRequest extends CanonicalRequest {
  /** The upstream model id (the part after `provider/`). */
  upstreamModel: string;
}

/** A penalty as the canonical request holds it: a number other than 0 (OpenAI's default), else unset. */
export function penaltyOf(value: unknown): number | undefined {
  return typeof value === 'number' && value !== 0 ? value : undefined;
}
