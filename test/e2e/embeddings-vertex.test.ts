/**
 * POST /v1/embeddings to Vertex AI through the real gateway process with the official OpenAI SDK, against
 * a loopback upstream that is both Vertex and the OAuth token endpoint: Google's embedding models'
 * `predict` with the service-account token the chat path uses, the recorded Vertex answer read into
 * vectors and usage, `input_type` as `task_type`, `dimensions` as `outputDimensionality`, calls split at
 * 250 instances (one for gemini-embedding-001), and a Claude model refused with a 400 naming it.
 */
import { exportPKCS8, generateKeyPair } from 'jose';
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { beforeEach, describe, expect, it } from 'vitest';
import { openaiClient, rawRequest } from '../support/chat-client.js';
import { serverWithKeys, useGateway, useStarted } from '../support/e2e-gateway.js';
import { loadJson } from '../support/fixtures.js';
import type { Reply, SeenRequest } from '../support/local-upstream.js';
import { replyJson, startLocalUpstream } from '../support/local-upstream.js';
import { expectValidAgainstSpec } from '../support/openapi.js';

const KEY = 'jk-embed-vertex';
const ACCESS_TOKEN = 'ya29.embed-test-token';
const RECORDED = loadJson('gemini/vercel-google-vertex-embedding.json') as {
  predictions: Array<{ embeddings: { values: number[]; statistics: { token_count: number } } }>;
};
const PREDICT = (model: string) =>
  `/v1/projects/embed-project/locations/us-central1/publishers/google/models/${model}:predict`;

let tokenExchanges = 0;
const vertex = useStarted(
  'vertex upstream',
  async () => {
    const upstream = await startLocalUpstream({
      intercept: (request, res) => {
        if (request.url !== '/token') return false;
        tokenExchanges++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: ACCESS_TOKEN, expires_in: 3599, token_type: 'Bearer' }));
        return true;
      },
    });
    const pair = await generateKeyPair('RS256', { extractable: true });
    const account = JSON.stringify({
      type: 'service_account',
      project_id: 'key-project',
      private_key_id: 'embed-key-1',
      private_key: await exportPKCS8(pair.privateKey),
      client_email: 'embed@embed-project.iam.gserviceaccount.com',
      token_uri: `${upstream.origin}/token`,
    });
    return { upstream, account };
  },
  async ({ upstream }) => upstream.close(),
);

const gateway = useGateway(() => ({
  config: `${serverWithKeys({ team: KEY })}
[providers.vtx]
type = "vertex"
project = "embed-project"
location = "us-central1"
base_url = "${vertex.upstream.origin}"
credentials_json = "env:VERTEX_EMBED_SA"
`,
  env: { VERTEX_EMBED_SA: vertex.account },
}));

const client = () => openaiClient(gateway.baseURL, KEY);

/** The recorded answer for two texts; for any other count, one `[n]` vector per instance `text n`. */
const predictReply: Reply = (res, request) => {
  const { instances } = JSON.parse(request.body) as { instances: Array<{ content: string }> };
  if (instances.length > 250) {
    replyJson(400, {
      error: { code: 400, message: 'Too many instances in one request.', status: 'INVALID_ARGUMENT' },
    })(res, request);
    return;
  }
  if (instances.length === 2 && !instances[0]!.content.startsWith('text ')) {
    replyJson(200, RECORDED)(res, request);
    return;
  }
  replyJson(200, {
    predictions: instances.map((instance) => ({
      embeddings: {
        values: [Number(instance.content.slice('text '.length))],
        statistics: { token_count: 2, truncated: false },
      },
    })),
  })(res, request);
};

const bodyOf = (request: SeenRequest) =>
  JSON.parse(request.body) as { instances: Array<Record<string, unknown>>; parameters?: unknown };

describe('POST /v1/embeddings on Vertex AI', () => {
  beforeEach(() => vertex.upstream.reset());

  it('calls predict with the service-account token and answers the recorded vectors and token counts', async () => {
    vertex.upstream.reply = predictReply;
    const params: EmbeddingCreateParams & { input_type: string } = {
      model: 'vtx/text-embedding-005',
      input: ['sunny day at the beach', 'rainy day in the city'],
      dimensions: 5,
      encoding_format: 'float',
      input_type: 'search_query',
    };
    const response = await client().embeddings.create(params).withResponse();
    const seen = vertex.upstream.last();
    expect(seen.url).toBe(PREDICT('text-embedding-005'));
    expect(seen.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(tokenExchanges).toBe(1);
    expect(bodyOf(seen)).toEqual({
      instances: [
        { content: 'sunny day at the beach', task_type: 'RETRIEVAL_QUERY' },
        { content: 'rainy day in the city', task_type: 'RETRIEVAL_QUERY' },
      ],
      parameters: { outputDimensionality: 5 },
    });
    const answer = response.data;
    expect(answer.data.map((item) => item.embedding)).toEqual(
      RECORDED.predictions.map((prediction) => prediction.embeddings.values),
    );
    // token_count 5 + 6.
    expect(answer.usage).toEqual({ prompt_tokens: 11, total_tokens: 11 });
    expect(answer.model).toBe('text-embedding-005');
    expectValidAgainstSpec('CreateEmbeddingResponse', answer);
    expect(response.response.headers.get('x-junction-provider')).toBe('vtx');
  });

  it('splits 300 texts into predict calls of at most 250 instances, in order', async () => {
    vertex.upstream.reply = predictReply;
    const texts = Array.from({ length: 300 }, (_, i) => `text ${i}`);
    const answer = await client().embeddings.create({ model: 'vtx/text-embedding-005', input: texts });
    expect(vertex.upstream.seen.map((request) => bodyOf(request).instances.length).sort()).toEqual([250, 50]);
    expect(answer.data.map((item) => item.embedding)).toEqual(texts.map((_, i) => [i]));
    expect(answer.usage.prompt_tokens).toBe(600);
  });

  it('sends gemini-embedding-001, which takes one instance per call on Vertex, one text a call', async () => {
    vertex.upstream.reply = predictReply;
    const texts = ['text 0', 'text 1', 'text 2'];
    const answer = await client().embeddings.create({
      model: 'vtx/gemini-embedding-001',
      input: texts,
      encoding_format: 'float',
    });
    expect(vertex.upstream.seen).toHaveLength(3);
    for (const request of vertex.upstream.seen) {
      expect(request.url).toBe(PREDICT('gemini-embedding-001'));
      // No input_type: no task_type (the model's default).
      expect(bodyOf(request).instances).toEqual([{ content: expect.stringMatching(/^text \d$/) }]);
    }
    expect(answer.data.map((item) => item.embedding)).toEqual([[0], [1], [2]]);
  });

  it('refuses a Claude model on Vertex with a 400 naming the model, before any call', async () => {
    const raw = await rawRequest(`${gateway.baseURL}/v1/embeddings`, {
      headers: { authorization: `Bearer ${KEY}` },
      body: { model: 'vtx/claude-sonnet-4@20250514', input: 'x' },
    });
    expect(raw.status).toBe(400);
    expect(raw.json).toMatchObject({
      error: { param: 'model', message: expect.stringContaining('claude-sonnet-4@20250514') },
    });
    expect(vertex.upstream.seen).toHaveLength(0);
  });
});
