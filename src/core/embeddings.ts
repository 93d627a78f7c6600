/**
 * The canonical embeddings request and result: what `POST /v1/embeddings` asks of a provider, whatever
 * its wire format. No I/O.
 */

/** Texts, or pre-tokenized inputs (OpenAI's token arrays), one vector per entry. */
export type EmbeddingInput = { kind: 'text'; texts: string[] } | { kind: 'tokens'; tokens: number[][] };

/**
 * What the texts are for, in Cohere's terms (its `input_type`, which its v3+ models require): the request
 * extension field `input_type` and the alias default of that name. `image` is left out: Junction embeds
 * texts only. Providers with an equivalent map it (Gemini `taskType`), the others ignore it.
 */
export const EMBEDDING_INPUT_TYPES = [
  'search_document',
  'search_query',
  'classification',
  'clustering',
] as const;
export type EmbeddingInputType = (typeof EMBEDDING_INPUT_TYPES)[number];

export function isEmbeddingInputType(value: unknown): value is EmbeddingInputType {
  return (EMBEDDING_INPUT_TYPES as readonly unknown[]).includes(value);
}

export interface EmbeddingRequest {
  /** The model as the client named it (alias or provider/model). */
  model: string;
  input: EmbeddingInput;
  encodingFormat: 'float' | 'base64';
  /** Output dimensionality, for models that can shorten their vectors. */
  dimensions?: number;
  /** Unset: each provider's own default (Cohere `search_document`, Gemini's model default). */
  inputType?: EmbeddingInputType;
  user?: string;
  /**
   * The client's validated body, for the OpenAI-wire family, which forwards it with only `model` (and
   * `input`, after redaction) replaced, so fields Junction does not model survive.
   */
  body: Record<string, unknown>;
}

export interface ProviderEmbeddingRequest extends EmbeddingRequest {
  upstreamModel: string;
}

export interface EmbeddingResult {
  /** One vector per input, in input order: floats, or base64 little-endian float32 as an upstream sent it. */
  vectors: Array<number[] | string>;
  /** Input tokens the upstream billed; estimated (4 characters a token) where it reports none. */
  inputTokens: number;
  /** The model the upstream says answered, when it says. */
  model?: string;
}

/** Little-endian float32, base64: what OpenAI sends for `encoding_format: "base64"` and its SDKs decode. */
export function floatsToBase64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i]!, i * 4);
  return bytes.toString('base64');
}

/** The inverse of floatsToBase64 (tests, and upstreams that answer base64 to a float request). */
export function base64ToFloats(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  const out: number[] = [];
  for (let at = 0; at + 4 <= bytes.length; at += 4) out.push(bytes.readFloatLE(at));
  return out;
}

/** Rough input tokens (4 characters a token; a token array counts its entries). */
export function estimateEmbeddingTokens(input: EmbeddingInput): number {
  if (input.kind === 'tokens') return input.tokens.reduce((sum, tokens) => sum + tokens.length, 0);
  return input.texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
}
