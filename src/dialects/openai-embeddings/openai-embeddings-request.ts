/**
 * `POST /v1/embeddings` as OpenAI documents it (CreateEmbeddingRequest), plus Junction's `input_type`
 * extension (Cohere's values; OpenAI's SDKs send a body field they do not know when the caller sets it):
 * validated strictly, each refusal a 400 naming the field, then read into the canonical EmbeddingRequest.
 */
import { z } from 'zod';
import type { EmbeddingInput, EmbeddingRequest } from '../../core/embeddings.js';
import { EMBEDDING_INPUT_TYPES } from '../../core/embeddings.js';
import { invalidRequest } from '../../core/errors.js';
import { zodToGatewayError } from '../shared/format-zod-error.js';

/** OpenAI's limit on inputs per request. */
export const MAX_EMBEDDING_INPUTS = 2048;

const token = z.number().int().nonnegative();
const text = z.string().min(1, 'must not be an empty string');

const requestSchema = z.strictObject({
  model: z.string().min(1),
  input: z.union([
    text,
    z.array(text).min(1).max(MAX_EMBEDDING_INPUTS),
    z.array(token).min(1).max(MAX_EMBEDDING_INPUTS),
    z.array(z.array(token).min(1)).min(1).max(MAX_EMBEDDING_INPUTS),
  ]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).optional(),
  input_type: z
    .enum(EMBEDDING_INPUT_TYPES, { error: `must be one of ${EMBEDDING_INPUT_TYPES.join(', ')}` })
    .optional(),
  user: z.string().optional(),
});

export function decodeEmbeddingRequest(body: unknown): EmbeddingRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidRequest('Request body must be a JSON object');
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) throw zodToGatewayError(parsed.error);
  const data = parsed.data;
  return {
    model: data.model,
    input: readInput(data.input),
    encodingFormat: data.encoding_format ?? 'float',
    ...(data.dimensions !== undefined ? { dimensions: data.dimensions } : {}),
    ...(data.input_type !== undefined ? { inputType: data.input_type } : {}),
    ...(data.user !== undefined ? { user: data.user } : {}),
    body: body as Record<string, unknown>,
  };
}

function readInput(input: z.infer<typeof requestSchema>['input']): EmbeddingInput {
  if (typeof input === 'string') return { kind: 'text', texts: [input] };
  const first = input[0];
  if (typeof first === 'string') return { kind: 'text', texts: input as string[] };
  if (typeof first === 'number') return { kind: 'tokens', tokens: [input as number[]] };
  return { kind: 'tokens', tokens: input as number[][] };
}
