/**
 * Embeddings over the OpenAI wire (`POST {base}/embeddings`), shared by `openai`, `azure`, `mistral` and
 * the OpenAI-compatible presets: the client's body is forwarded with only `model` replaced (and `input`,
 * when input guardrails redacted it; Junction's `input_type` left out), and the answer is read leniently.
 */
import { z } from 'zod';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { estimateEmbeddingTokens } from '../../core/embeddings.js';
import { malformedEmbeddings, readEmbeddingAnswer } from '../shared/read-embedding-answer.js';
import type { UpstreamResponse } from '../shared/upstream-http.js';

/**
 * The forwarded body. `rename` maps OpenAI field names to the host's (Mistral: `output_dimension`).
 * Junction's `input_type` extension is left out: OpenAI's API has no input type (and refuses fields it
 * does not know), so on this wire it asks for nothing.
 */
export function openAIEmbeddingsBody(
  request: ProviderEmbeddingRequest,
  rename: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  const { input_type: _inputType, ...forwarded } = request.body;
  const body: Record<string, unknown> = { ...forwarded, model: request.upstreamModel };
  if (request.input.kind === 'text') {
    const { texts } = request.input;
    body['input'] = typeof request.body['input'] === 'string' && texts.length === 1 ? texts[0] : texts;
  }
  for (const [from, to] of Object.entries(rename)) {
    if (!(from in body)) continue;
    body[to] = body[from];
    delete body[from];
  }
  return body;
}

const answerSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      index: z.number().int().nonnegative().optional(),
      embedding: z.union([z.array(z.number()), z.string()]),
    }),
  ),
  model: z.string().optional(),
  usage: z
    .looseObject({ prompt_tokens: z.number().optional(), total_tokens: z.number().optional() })
    .optional(),
});

export async function readOpenAIEmbeddings(
  response: UpstreamResponse,
  request: ProviderEmbeddingRequest,
  provider: string,
): Promise<EmbeddingResult> {
  return openAIEmbeddingsResult(
    await readEmbeddingAnswer(response, answerSchema, provider),
    request,
    provider,
  );
}

export function openAIEmbeddingsResult(
  answer: z.infer<typeof answerSchema>,
  request: ProviderEmbeddingRequest,
  provider: string,
): EmbeddingResult {
  const expected = request.input.kind === 'text' ? request.input.texts.length : request.input.tokens.length;
  const vectors: Array<number[] | string | undefined> = new Array(expected);
  answer.data.forEach((item, position) => {
    const index = item.index ?? position;
    if (index < expected) vectors[index] = item.embedding;
  });
  if (answer.data.length !== expected || vectors.some((vector) => vector === undefined))
    throw malformedEmbeddings(provider, `expected ${expected} embeddings, got ${answer.data.length}`);
  const tokens = answer.usage?.prompt_tokens ?? answer.usage?.total_tokens;
  return {
    vectors: vectors as Array<number[] | string>,
    inputTokens: tokens ?? estimateEmbeddingTokens(request.input),
    ...(answer.model !== undefined ? { model: answer.model } : {}),
  };
}
