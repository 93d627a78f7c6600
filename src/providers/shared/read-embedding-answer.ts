/**
 * Reads an accepted embeddings answer (one JSON body) with the provider's lenient schema; an answer that
 * does not parse is the upstream's failure (502), never an internal error.
 */
import type { z } from 'zod';
import type { ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { GatewayError } from '../../core/errors.js';
import { parseJsonData } from './sse.js';
import type { UpstreamResponse } from './upstream-http.js';
import { readText } from './upstream-http.js';

export async function readEmbeddingAnswer<T>(
  response: UpstreamResponse,
  schema: z.ZodType<T>,
  provider: string,
): Promise<T> {
  const parsed = schema.safeParse(parseJsonData(await readText(response.body)));
  if (!parsed.success) throw malformedEmbeddings(provider);
  return parsed.data;
}

export function malformedEmbeddings(provider: string, detail = 'malformed embeddings answer'): GatewayError {
  return new GatewayError('transient', `${provider}: ${detail}`, { provider, status: 502 });
}

/** An answer must hold one vector per text sent; anything else is the upstream's fault, not the client's. */
export function checkEmbeddingCount(
  received: number,
  request: ProviderEmbeddingRequest,
  provider: string,
): void {
  const expected = request.input.kind === 'text' ? request.input.texts.length : 0;
  if (received !== expected)
    throw malformedEmbeddings(provider, `expected ${expected} embeddings, got ${received}`);
}
