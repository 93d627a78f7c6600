/**
 * Bedrock embeddings through InvokeModel (`POST {endpoint}/model/{modelId}/invoke`) in each model
 * family's own body: Amazon Titan Text Embeddings (one text per call, `dimensions` on V2) and Cohere
 * Embed (`texts` with the request's `input_type`, else `search_document`, as on Cohere's own API;
 * `output_dimension` on v4).
 * Model ids may carry an inference-profile prefix (`us.cohere.embed-v4:0`) or be ARNs.
 */
import { z } from 'zod';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { estimateEmbeddingTokens } from '../../core/embeddings.js';
import { GatewayError } from '../../core/errors.js';
import {
  COHERE_DEFAULT_INPUT_TYPE,
  cohereEmbedAnswer,
  fromCohereEmbed,
} from '../cohere/cohere-embeddings.js';
import { malformedEmbeddings } from '../shared/read-embedding-answer.js';

export type BedrockEmbeddingFamily = 'titan' | 'cohere';

export function bedrockEmbeddingFamily(modelId: string): BedrockEmbeddingFamily | undefined {
  if (modelId.includes('amazon.titan-embed-text')) return 'titan';
  if (modelId.includes('cohere.embed')) return 'cohere';
  return undefined;
}

/** The family, or a 400 naming the model: Bedrock's other models have no embeddings body Junction knows. */
export function requireBedrockEmbeddingFamily(modelId: string, provider: string): BedrockEmbeddingFamily {
  const family = bedrockEmbeddingFamily(modelId);
  if (family) return family;
  throw new GatewayError(
    'unsupported',
    `Embeddings on provider ${provider} (bedrock) support Amazon Titan Text Embeddings and Cohere Embed models, not ${modelId}`,
    { param: 'model', code: 'unsupported_model' },
  );
}

/** Titan Text Embeddings V2 takes 256, 512 or 1024 dimensions; Cohere Embed v4 its `output_dimension`. */
export function bedrockTakesDimensions(modelId: string): boolean {
  return modelId.includes('titan-embed-text-v2') || modelId.includes('cohere.embed-v4');
}

/** One Titan body per text (Titan embeds a single `inputText` per call). */
export function toTitanEmbed(text: string, request: ProviderEmbeddingRequest): Record<string, unknown> {
  return {
    inputText: text,
    ...(request.dimensions !== undefined ? { dimensions: request.dimensions } : {}),
  };
}

export const titanEmbedAnswer = z.looseObject({
  embedding: z.array(z.number()),
  inputTextTokenCount: z.number().optional(),
});

/**
 * One text's Titan answer. Its token count is the body's `inputTextTokenCount`, else Bedrock's
 * `x-amzn-bedrock-input-token-count` header, else the estimate.
 */
export function fromTitanEmbed(
  answer: z.infer<typeof titanEmbedAnswer>,
  request: ProviderEmbeddingRequest,
  headerTokens: number | undefined,
): EmbeddingResult {
  return {
    vectors: [answer.embedding],
    inputTokens: answer.inputTextTokenCount ?? headerTokens ?? estimateEmbeddingTokens(request.input),
  };
}

export function toBedrockCohereEmbed(request: ProviderEmbeddingRequest): Record<string, unknown> {
  return {
    texts: request.input.kind === 'text' ? request.input.texts : [],
    input_type: request.inputType ?? COHERE_DEFAULT_INPUT_TYPE,
    ...(request.dimensions !== undefined ? { output_dimension: request.dimensions } : {}),
  };
}

/**
 * Cohere on Bedrock answers `embeddings` as a bare array (`embeddings_floats`) unless embedding types were
 * asked for; its token count is the `x-amzn-bedrock-input-token-count` header.
 */
export function fromBedrockCohereEmbed(
  answer: unknown,
  request: ProviderEmbeddingRequest,
  provider: string,
  headerTokens: number | undefined,
): EmbeddingResult {
  const parsed = cohereEmbedAnswer.safeParse(answer);
  if (!parsed.success) throw malformedEmbeddings(provider);
  return fromCohereEmbed(parsed.data, request, provider, headerTokens);
}
