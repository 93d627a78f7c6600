import { describe, expect, it } from 'vitest';
import { callContext } from '../../../test/support/provider-config.js';
import { Cancellation } from '../../core/cancellation.js';
import type { EmbeddingResult, ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { GatewayError } from '../../core/errors.js';
import type { CallContext } from '../provider-adapter.js';
import { EMBED_PARALLEL_CALLS, embedInBatches } from './embed-in-batches.js';

function request(count: number): ProviderEmbeddingRequest {
  return {
    model: 'emb',
    upstreamModel: 'm',
    input: { kind: 'text', texts: Array.from({ length: count }, (_, i) => String(i)) },
    encodingFormat: 'float',
    body: {},
  };
}

const textsOf = (batch: ProviderEmbeddingRequest): string[] =>
  batch.input.kind === 'text' ? batch.input.texts : [];

/** Answers each text with `[n]` and 1 token a text, after `delayMs`, unless the call was aborted. */
function echo(delayMs = 0) {
  const calls: Array<{ texts: string[]; context: CallContext; aborted: boolean }> = [];
  const call = (batch: ProviderEmbeddingRequest, context: CallContext): Promise<EmbeddingResult> => {
    const entry = { texts: textsOf(batch), context, aborted: false };
    calls.push(entry);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          resolve({ vectors: entry.texts.map((text) => [Number(text)]), inputTokens: entry.texts.length }),
        delayMs,
      );
      context.cancel.onAbort(() => {
        clearTimeout(timer);
        entry.aborted = true;
        reject(new GatewayError('timeout', 'aborted', { status: 499 }));
      });
    });
  };
  return { calls, call };
}

describe('embedInBatches', () => {
  it('makes one call, with the caller’s context, when the texts fit', async () => {
    const { calls, call } = echo();
    const context = callContext();
    const result = await embedInBatches(request(96), context, { size: 96 }, call);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.context).toBe(context);
    expect(result.vectors).toHaveLength(96);
  });

  it('splits 250 texts into calls of at most the limit and joins them in input order, usage summed', async () => {
    const { calls, call } = echo();
    const result = await embedInBatches(
      request(250),
      callContext(),
      { size: 96 },
      async (batch, context) => ({ ...(await call(batch, context)), model: 'embed-v4.0' }),
    );
    expect(calls.map((entry) => entry.texts.length)).toEqual([96, 96, 58]);
    expect(result.vectors).toEqual(Array.from({ length: 250 }, (_, i) => [i]));
    expect(result).toMatchObject({ inputTokens: 250, model: 'embed-v4.0' });
  });

  it('keeps input order when later calls answer first', async () => {
    const result = await embedInBatches(request(10), callContext(), { size: 3 }, async (batch) => {
      const texts = textsOf(batch);
      // The first batch answers last.
      await new Promise((resolve) => setTimeout(resolve, texts[0] === '0' ? 30 : 0));
      return { vectors: texts.map((text) => [Number(text)]), inputTokens: 1 };
    });
    expect(result.vectors).toEqual(Array.from({ length: 10 }, (_, i) => [i]));
    expect(result.inputTokens).toBe(4);
  });

  it(`runs at most ${EMBED_PARALLEL_CALLS} calls at once, or the limit given`, async () => {
    for (const parallel of [undefined, 8]) {
      let running = 0;
      let most = 0;
      await embedInBatches(
        request(40),
        callContext(),
        { size: 1, ...(parallel ? { parallel } : {}) },
        async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running--;
          return { vectors: [[0]], inputTokens: 1 };
        },
      );
      expect(most).toBe(parallel ?? EMBED_PARALLEL_CALLS);
    }
  });

  it('throws the first failure, aborts the calls in flight and starts no more', async () => {
    const { calls, call } = echo(50);
    const refused = new GatewayError('overloaded', 'busy', { status: 503 });
    const promise = embedInBatches(request(20), callContext(), { size: 2 }, (batch, context) =>
      textsOf(batch)[0] === '2' ? Promise.reject(refused) : call(batch, context),
    );
    await expect(promise).rejects.toBe(refused);
    // Batches 0, 2 and 3 were in flight beside the failed one; all three were aborted, none started after.
    expect(calls.map((entry) => entry.texts[0])).toEqual(['0', '4', '6']);
    expect(calls.every((entry) => entry.aborted)).toBe(true);
  });

  it('a call’s own timeout (aborting the cancellation it was given) is that call’s error', async () => {
    const { calls, call } = echo(50);
    const timedOut = new GatewayError('timeout', 'Upstream timed out');
    const promise = embedInBatches(request(8), callContext(), { size: 2 }, (batch, context) => {
      if (textsOf(batch)[0] !== '0') return call(batch, context);
      context.cancel.abort(new DOMException('Upstream attempt timed out', 'TimeoutError'));
      return Promise.reject(timedOut);
    });
    await expect(promise).rejects.toBe(timedOut);
    expect(calls.every((entry) => entry.aborted)).toBe(true);
  });

  it('the attempt’s cancellation stops the calls in flight and those not begun', async () => {
    const { calls, call } = echo(1_000);
    const cancel = new Cancellation();
    const promise = embedInBatches(request(2048), callContext({ cancel }), { size: 96 }, call);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(calls).toHaveLength(EMBED_PARALLEL_CALLS);
    cancel.abort();
    await expect(promise).rejects.toMatchObject({ status: 499 });
    // Aborted in flight; the next one made fails at once (the upstream call refuses an aborted
    // cancellation before sending), and after that failure no call is made.
    expect(calls.slice(0, EMBED_PARALLEL_CALLS).every((entry) => entry.aborted)).toBe(true);
    expect(calls.length).toBeLessThanOrEqual(EMBED_PARALLEL_CALLS + 1);
    // The caller's cancellation keeps no listener of the finished calls.
    expect(cancel.listenerCount('abort')).toBe(0);
  });
});
