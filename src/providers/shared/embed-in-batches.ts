/**
 * An embeddings request with more texts than an upstream takes in one call (Cohere 96, Gemini 100, Titan
 * 1, ...) is sent as several calls of at most that many texts, a few at a time, and answered as one
 * result: vectors in input order, input tokens summed. The calls are one attempt: the first failure
 * aborts the others and is thrown (the router then retries or fails over, and no partial answer exists),
 * and the attempt's cancellation (client gone, deadline) stops the calls in flight and those not begun.
 */
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import type { CallContext } from '../provider-adapter.js';

/**
 * Calls in flight at once for one request. Not all at once: a 2048-text request is 22 Cohere calls, and a
 * burst of them would run into the provider's rate limit (the attempt holds one `max_concurrent` slot for
 * all of them); not one by one either: 22 round trips in a row would take most of a client's timeout.
 */
export const EMBED_PARALLEL_CALLS = 4;

/** Calls in flight at once where the upstream embeds one text per call (Titan, Gemini on Vertex). */
export const PER_TEXT_PARALLEL_CALLS = 8;

export interface BatchLimits {
  /** The most texts one upstream call takes. */
  size: number;
  /** Calls in flight at once: EMBED_PARALLEL_CALLS unless given (PER_TEXT_PARALLEL_CALLS, say). */
  parallel?: number;
}

export type EmbedCall = (batch: ProviderEmbeddingRequest, context: CallContext) => Promise<EmbeddingResult>;

export async function embedInBatches(
  request: ProviderEmbeddingRequest,
  context: CallContext,
  limits: BatchLimits,
  call: EmbedCall,
): Promise<EmbeddingResult> {
  const texts = request.input.kind === 'text' ? request.input.texts : [];
  // Within the limit (and token inputs, which no batching provider takes): one call, as sent.
  if (texts.length <= limits.size) return call(request, context);
  const batches: ProviderEmbeddingRequest[] = [];
  for (let at = 0; at < texts.length; at += limits.size)
    batches.push({ ...request, input: { kind: 'text', texts: texts.slice(at, at + limits.size) } });

  // One cancellation for the calls, under the attempt's; each call gets its own child, so a call's own
  // timeout (which aborts the cancellation it was given) is that call's failure, not its siblings'.
  const { cancel: shared, unlink } = context.cancel.child();
  const results: EmbeddingResult[] = new Array(batches.length);
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    // After a cancellation the next call is still made: it fails at once with the classified abort.
    while (failure === undefined && next < batches.length) {
      const at = next++;
      const { cancel, unlink: unlinkCall } = shared.child();
      try {
        results[at] = await call(batches[at]!, { ...context, cancel });
      } catch (error) {
        // The first failure is the attempt's; the siblings it aborts fail only because of it.
        if (failure === undefined) {
          failure = { error };
          shared.abort(new DOMException('Another call of this embeddings request failed', 'AbortError'));
        }
      } finally {
        unlinkCall();
      }
    }
  };
  try {
    const workers = Math.min(limits.parallel ?? EMBED_PARALLEL_CALLS, batches.length);
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    unlink();
  }
  if (failure !== undefined) throw failure.error;
  return joinResults(results);
}

function joinResults(results: readonly EmbeddingResult[]): EmbeddingResult {
  const model = results.find((result) => result.model !== undefined)?.model;
  return {
    vectors: results.flatMap((result) => result.vectors),
    inputTokens: results.reduce((sum, result) => sum + result.inputTokens, 0),
    ...(model !== undefined ? { model } : {}),
  };
}
