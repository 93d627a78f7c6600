/**
 * Vertex AI text embeddings: `POST {base}/v1/projects/{p}/locations/{l}/publishers/google/models/{model}:predict`
 * with one instance per text (`content`, and `task_type` from the request's `input_type`) and
 * `parameters.outputDimensionality` for `dimensions`; the answer's `predictions[].embeddings` hold the
 * vector (`values`) and its tokens (`statistics.token_count`). Google's publisher only: Claude has no
 * embeddings.
 */
import { z } from 'zod';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { estimateEmbeddingTokens } from '../../core/embeddings.js';
import { GatewayError } from '../../core/errors.js';
import { GOOGLE_TASK_TYPES } from '../gemini/gemini-embeddings.js';
import type { BatchLimits } from '../shared/embed-in-batches.js';
import { PER_TEXT_PARALLEL_CALLS } from '../shared/embed-in-batches.js';
import { checkEmbeddingCount } from '../shared/read-embedding-answer.js';
import { vertexPublisher } from './vertex-urls.js';

/** Instances one predict call takes for the text-embedding models. */
export const VERTEX_MAX_INSTANCES = 250;

/** Google's text embedding models, or a 400 naming the model: a Claude model on Vertex embeds nothing. */
export function requireVertexEmbeddingModel(model: string, provider: string): void {
  if (vertexPublisher(model) !== 'anthropic') return;
  throw new GatewayError(
    'unsupported',
    `Embeddings on provider ${provider} (vertex) support Google's embedding models, not ${model}`,
    { param: 'model', code: 'unsupported_model' },
  );
}

/** gemini-embedding-001 takes one instance per call on Vertex; the text-embedding models up to 250. */
export function vertexBatchLimits(model: string): BatchLimits {
  return bareModel(model).startsWith('gemini-embedding')
    ? { size: 1, parallel: PER_TEXT_PARALLEL_CALLS }
    : { size: VERTEX_MAX_INSTANCES };
}

/** `outputDimensionality` is taken by every current model, not by the retired textembedding-gecko ones. */
export function vertexTakesDimensions(model: string): boolean {
  return !bareModel(model).startsWith('textembedding-gecko') && vertexPublisher(model) !== 'anthropic';
}

export function toVertexPredict(request: ProviderEmbeddingRequest): Record<string, unknown> {
  const texts = request.input.kind === 'text' ? request.input.texts : [];
  const taskType = request.inputType !== undefined ? GOOGLE_TASK_TYPES[request.inputType] : undefined;
  return {
    instances: texts.map((content) => ({
      content,
      ...(taskType !== undefined ? { task_type: taskType } : {}),
    })),
    ...(request.dimensions !== undefined ? { parameters: { outputDimensionality: request.dimensions } } : {}),
  };
}

export const vertexPredictAnswer = z.looseObject({
  predictions: z.array(
    z.looseObject({
      embeddings: z.looseObject({
        values: z.array(z.number()),
        statistics: z.looseObject({ token_count: z.number().optional() }).optional(),
      }),
    }),
  ),
});

export function fromVertexPredict(
  answer: z.infer<typeof vertexPredictAnswer>,
  request: ProviderEmbeddingRequest,
  provider: string,
): EmbeddingResult {
  checkEmbeddingCount(answer.predictions.length, request, provider);
  const counts = answer.predictions.map((prediction) => prediction.embeddings.statistics?.token_count);
  return {
    vectors: answer.predictions.map((prediction) => prediction.embeddings.values),
    inputTokens: counts.every((count) => count !== undefined)
      ? counts.reduce<number>((sum, count) => sum + (count ?? 0), 0)
      : estimateEmbeddingTokens(request.input),
  };
}

function bareModel(model: string): string {
  return model.replace(/^models\//, '');
}
