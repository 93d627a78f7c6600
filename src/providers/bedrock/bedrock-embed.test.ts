/**
 * The Bedrock adapter's embeddings against a loopback upstream: signed InvokeModel calls in each family's
 * body, Titan's one call per text kept in input order, Cohere's token count from Bedrock's header.
 */
import { describe, expect, it } from 'vitest';
import { replyJson, useLocalUpstream } from '../../../test/support/local-upstream.js';
import { callContext, providerConfig } from '../../../test/support/provider-config.js';
import type { ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { createBedrockAdapter } from './bedrock-adapter.js';

const upstream = useLocalUpstream();

const adapter = () =>
  createBedrockAdapter(
    providerConfig({
      name: 'aws',
      type: 'bedrock',
      baseUrl: upstream.origin,
      timeoutMs: 10_000,
      settings: { region: 'us-west-2', accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    }),
  );

function request(upstreamModel: string, texts: string[], dimensions?: number): ProviderEmbeddingRequest {
  return {
    model: 'emb',
    upstreamModel,
    input: { kind: 'text', texts },
    encodingFormat: 'float',
    ...(dimensions !== undefined ? { dimensions } : {}),
    body: {},
  };
}

describe('Bedrock embeddings', () => {
  it('Titan: one signed InvokeModel per text, answers in input order, token counts summed', async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `text ${i}`);
    // Each answer echoes its own text's number, so the order of the vectors can be checked.
    upstream.reply = (res, seen) => {
      const { inputText } = JSON.parse(seen.body) as { inputText: string };
      const n = Number(inputText.split(' ')[1]);
      replyJson(200, { embedding: [n], inputTextTokenCount: 2, embeddingsByType: { float: [n] } })(res, seen);
    };
    const result = await adapter().embed(request('amazon.titan-embed-text-v2:0', texts, 256), callContext());
    expect(result).toEqual({ vectors: texts.map((_, i) => [i]), inputTokens: 20 });
    expect(upstream.seen).toHaveLength(10);
    const first = upstream.seen[0]!;
    expect(first.url).toBe('/model/amazon.titan-embed-text-v2%3A0/invoke');
    expect(first.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d+\/us-west-2\/bedrock\//,
    );
    expect(JSON.parse(first.body)).toMatchObject({ dimensions: 256 });
  });

  it('Cohere Embed: one call with every text, input tokens from x-amzn-bedrock-input-token-count', async () => {
    upstream.reply = replyJson(
      200,
      { embeddings: [[0.1], [0.2]], id: 'e1', response_type: 'embeddings_floats', texts: ['a', 'b'] },
      { 'x-amzn-bedrock-input-token-count': '7' },
    );
    const result = await adapter().embed(request('cohere.embed-english-v3', ['a', 'b']), callContext());
    expect(result).toEqual({ vectors: [[0.1], [0.2]], inputTokens: 7 });
    expect(JSON.parse(upstream.last().body)).toEqual({ texts: ['a', 'b'], input_type: 'search_document' });
  });

  it('a refused call is the classified Bedrock error', async () => {
    upstream.reply = replyJson(
      400,
      { message: 'Malformed input request' },
      { 'x-amzn-errortype': 'ValidationException' },
    );
    await expect(
      adapter().embed(request('cohere.embed-english-v3', ['a']), callContext()),
    ).rejects.toMatchObject({
      status: 400,
      provider: 'aws',
    });
  });
});
