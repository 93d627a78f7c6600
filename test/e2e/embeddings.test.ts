/**
 * POST /v1/embeddings through the real gateway process with the official OpenAI SDK
 * (`client.embeddings.create`, which asks for base64 unless told otherwise), against loopback upstreams:
 * the OpenAI-wire forward, base64 made by Junction from a native provider's floats, failover between two
 * targets, a budget refusal, token limits, an unsupported provider 400, and the usage record and cost.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openaiClient, rawRequest } from '../support/chat-client.js';
import { serverWithKeys, useGateway } from '../support/e2e-gateway.js';
import { loadCassette, loadJson } from '../support/fixtures.js';
import { replyJson, useLocalUpstreams } from '../support/local-upstream.js';
import { expectValidAgainstSpec } from '../support/openapi.js';

const KEYS = { team: 'jk-embed-team-key', budget: 'jk-embed-budget-key', tpm: 'jk-embed-tpm-key' };

const OPENAI_FLOATS = loadJson('openai-embeddings/vercel-openai-embedding.json') as {
  data: Array<{ embedding: number[] }>;
};
const OPENAI_BASE64 = loadCassette('openai-embeddings/pydantic-ai-TestOpenAI.test_documents.yaml')[0]!
  .response.parsed_body as { data: Array<{ embedding: string }> };
const COHERE_ANSWER = loadJson('cohere/vercel-cohere-embedding.json');

const up = useLocalUpstreams('oai', 'down', 'gem', 'coh', 'oll');

const gateway = useGateway(() => ({
  config: `${serverWithKeys({ team: KEYS.team })}
[[keys]]
name = "budget"
key = "${KEYS.budget}"
budget = { usd = 0.00001, period = "day" }

[[keys]]
name = "tpm"
key = "${KEYS.tpm}"
tpm = 10

[providers.oai]
type = "openai"
base_url = "${up.oai.origin}/v1"
api_key = "sk-upstream-oai-0001"

[providers.down]
type = "openai"
base_url = "${up.down.origin}/v1"
api_key = "sk-upstream-down-0002"

[providers.gem]
type = "gemini"
base_url = "${up.gem.origin}"
api_key = "gem-key-0003"

[providers.coh]
type = "cohere"
base_url = "${up.coh.origin}"
api_key = "coh-key-0004"

[providers.oll]
type = "ollama"
base_url = "${up.oll.origin}"

[providers.claude]
type = "anthropic"
api_key = "sk-ant-unused-0005"

[[models]]
alias = "emb"
targets = ["oai/text-embedding-3-small"]

[[models]]
alias = "emb-failover"
targets = ["down/text-embedding-3-small", "oai/text-embedding-3-small"]
`,
  env: {},
}));

function client(key = KEYS.team) {
  return openaiClient(gateway.baseURL, key);
}

function okOpenAI(): void {
  up.oai.reply = replyJson(200, {
    object: 'list',
    model: 'text-embedding-3-small',
    usage: { prompt_tokens: 12, total_tokens: 12 },
    data: OPENAI_FLOATS.data.map((item, index) => ({
      object: 'embedding',
      index,
      embedding: item.embedding,
    })),
  });
}

describe('POST /v1/embeddings', () => {
  it('forwards an OpenAI-wire request with only the model rewritten and answers the SDK in floats', async () => {
    okOpenAI();
    const response = await client()
      .embeddings.create({ model: 'emb', input: ['a', 'b'], encoding_format: 'float', user: 'u-1' })
      .withResponse();
    const forwarded = JSON.parse(up.oai.last().body) as Record<string, unknown>;
    expect(up.oai.last().url).toBe('/v1/embeddings');
    expect(up.oai.last().headers.authorization).toBe('Bearer sk-upstream-oai-0001');
    expect(forwarded).toEqual({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
      encoding_format: 'float',
      user: 'u-1',
    });
    expect(response.data.data.map((item) => item.embedding)).toEqual(
      OPENAI_FLOATS.data.map((d) => d.embedding),
    );
    expect(response.data.usage).toEqual({ prompt_tokens: 12, total_tokens: 12 });
    expectValidAgainstSpec('CreateEmbeddingResponse', response.data);
    const requestId = response.response.headers.get('x-request-id')!;
    expect(requestId).toBeTruthy();
    expect(response.response.headers.get('x-junction-provider')).toBe('oai');
    // 12 tokens at $0.02 per million.
    expect(Number(response.response.headers.get('x-junction-cost-usd'))).toBeCloseTo(12 * 0.02e-6, 12);
    const record = await gateway.usageRecord(requestId);
    expect(record).toMatchObject({
      keyName: 'team',
      model: 'emb',
      provider: 'oai',
      upstreamModel: 'text-embedding-3-small',
      dialect: 'openai-embeddings',
      status: 200,
      usage: { inputTokens: 12, outputTokens: 0 },
    });
  });

  it('relays an upstream base64 answer that the SDK decodes (its default encoding)', async () => {
    up.oai.reply = replyJson(200, {
      object: 'list',
      data: OPENAI_BASE64.data.map((item, index) => ({
        object: 'embedding',
        index,
        embedding: item.embedding,
      })),
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
    const response = await client().embeddings.create({ model: 'emb', input: ['hello', 'world'] });
    expect(JSON.parse(up.oai.last().body)).toMatchObject({ encoding_format: 'base64' });
    expect(response.data).toHaveLength(2);
    expect(response.data[0]!.embedding).toHaveLength(1536);
  });

  it('makes base64 itself from a native provider’s floats (Cohere), exactly as the SDK decodes it', async () => {
    up.coh.reply = replyJson(200, COHERE_ANSWER);
    const texts = ['sunny day at the beach', 'rainy day in the city'];
    const raw = await rawRequest(`${gateway.baseURL}/v1/embeddings`, {
      headers: { authorization: `Bearer ${KEYS.team}` },
      body: { model: 'coh/embed-v4.0', input: texts, encoding_format: 'base64' },
    });
    expect(raw.status).toBe(200);
    const body = raw.json as { data: Array<{ embedding: string }>; model: string; usage: unknown };
    expect(typeof body.data[0]!.embedding).toBe('string');
    expect(body).toMatchObject({ model: 'embed-v4.0', usage: { prompt_tokens: 10, total_tokens: 10 } });
    expect(JSON.parse(up.coh.last().body)).toEqual({
      model: 'embed-v4.0',
      texts,
      input_type: 'search_document',
      embedding_types: ['float'],
    });
    // The SDK's own base64 path (no encoding_format) decodes Junction's bytes to the upstream's floats.
    const decoded = await client().embeddings.create({ model: 'coh/embed-v4.0', input: texts });
    const floats = (COHERE_ANSWER as { embeddings: { float: number[][] } }).embeddings.float;
    for (const [i, item] of decoded.data.entries()) {
      for (const [j, value] of item.embedding.entries()) expect(value).toBeCloseTo(floats[i]![j]!, 6);
    }
  });

  it('maps dimensions for Gemini (outputDimensionality) and Ollama', async () => {
    up.gem.reply = replyJson(200, { embeddings: [{ values: [0.25, -0.5] }] });
    const gem = await client().embeddings.create({
      model: 'gem/gemini-embedding-001',
      input: 'hello',
      dimensions: 2,
      encoding_format: 'float',
    });
    expect(up.gem.last().url).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(up.gem.last().headers['x-goog-api-key']).toBe('gem-key-0003');
    expect(JSON.parse(up.gem.last().body)).toEqual({
      requests: [
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'hello' }] },
          outputDimensionality: 2,
        },
      ],
    });
    expect(gem.data[0]!.embedding).toEqual([0.25, -0.5]);
    expectValidAgainstSpec('CreateEmbeddingResponse', gem);

    up.oll.reply = replyJson(200, { model: 'nomic-embed-text', embeddings: [[0.5]], prompt_eval_count: 3 });
    const oll = await client().embeddings.create({
      model: 'oll/nomic-embed-text',
      input: 'hi',
      encoding_format: 'float',
    });
    expect(up.oll.last().url).toBe('/api/embed');
    expect(oll.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
  });

  it('fails over to the next target when the first is down', async () => {
    okOpenAI();
    up.down.reply = replyJson(503, { error: { message: 'overloaded', type: 'server_error' } });
    const response = await client()
      .embeddings.create({ model: 'emb-failover', input: ['a', 'b'], encoding_format: 'float' })
      .withResponse();
    expect(up.down.seen).toHaveLength(1);
    expect(response.response.headers.get('x-junction-provider')).toBe('oai');
    expect(response.response.headers.get('x-junction-attempts')).toBe('2');
    const record = await gateway.usageRecord(response.response.headers.get('x-request-id')!);
    expect(record).toMatchObject({ attempts: 2, provider: 'oai' });
  });

  it('refuses a provider without embeddings with a 400 naming it, before any upstream call', async () => {
    const raw = await rawRequest(`${gateway.baseURL}/v1/embeddings`, {
      headers: { authorization: `Bearer ${KEYS.team}` },
      body: { model: 'claude/claude-sonnet-4-5', input: 'x' },
    });
    expect(raw.status).toBe(400);
    expect(raw.json).toMatchObject({
      error: { type: 'invalid_request_error', param: 'model', message: expect.stringContaining('claude') },
    });
    expect(raw.headers.get('x-request-id')).toBeTruthy();
  });

  it('refuses token input and dimensions where the provider cannot take them', async () => {
    const before = up.coh.seen.length;
    const tokens = await rawRequest(`${gateway.baseURL}/v1/embeddings`, {
      headers: { authorization: `Bearer ${KEYS.team}` },
      body: { model: 'coh/embed-v4.0', input: [[1, 2, 3]] },
    });
    expect(tokens.status).toBe(400);
    expect(tokens.json).toMatchObject({ error: { param: 'input' } });
    const dims = await rawRequest(`${gateway.baseURL}/v1/embeddings`, {
      headers: { authorization: `Bearer ${KEYS.team}` },
      body: { model: 'coh/embed-english-v3.0', input: 'x', dimensions: 256 },
    });
    expect(dims.status).toBe(400);
    expect(dims.json).toMatchObject({ error: { param: 'dimensions' } });
    expect(up.coh.seen).toHaveLength(before);
  });

  it('validates the request strictly with a 400 naming the field', async () => {
    const raw = await rawRequest(`${gateway.baseURL}/v1/embeddings`, {
      headers: { authorization: `Bearer ${KEYS.team}` },
      body: { model: 'emb', input: 'x', encoding_format: 'int8' },
    });
    expect(raw.status).toBe(400);
    expect(raw.json).toMatchObject({ error: { param: 'encoding_format', type: 'invalid_request_error' } });
  });

  it('needs a client key, and refuses a key whose budget is spent', async () => {
    const anonymous = await rawRequest(`${gateway.baseURL}/v1/embeddings`, {
      body: { model: 'emb', input: 'x' },
    });
    expect(anonymous.status).toBe(401);

    okOpenAI();
    // A small request fits the $0.00001 budget (12 tokens at $0.02 per million)...
    const first = await client(KEYS.budget).embeddings.create({
      model: 'emb',
      input: ['a', 'b'],
      encoding_format: 'float',
    });
    expect(first.usage.prompt_tokens).toBe(12);
    // ...a large one cannot: its input alone (about 10,000 tokens) is reserved before any upstream call.
    const before = up.oai.seen.length;
    const refused = await rawRequest(`${gateway.baseURL}/v1/embeddings`, {
      headers: { authorization: `Bearer ${KEYS.budget}` },
      body: { model: 'emb', input: ['x'.repeat(40_000)] },
    });
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ error: { message: expect.stringMatching(/budget/i) } });
    expect(up.oai.seen.length).toBe(before);
  });

  it('counts input tokens against a key’s token limit', async () => {
    okOpenAI();
    // 12 input tokens settle over the 10-token-per-minute limit: the next request is refused.
    await client(KEYS.tpm).embeddings.create({ model: 'emb', input: ['a', 'b'], encoding_format: 'float' });
    const refused = await rawRequest(`${gateway.baseURL}/v1/embeddings`, {
      headers: { authorization: `Bearer ${KEYS.tpm}`, 'x-request-id': randomUUID() },
      body: { model: 'emb', input: 'a' },
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
  });
});
