import type { CryptoKey } from 'jose';
import { exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  chunksToSse,
  loadCassette,
  loadChunks,
  loadJson,
  requestJson,
  responseText,
} from '../../../test/support/fixtures.js';
import { gatewayFailure as failure } from '../../../test/support/gateway-failure.js';
import { replySse, replyWith, useLocalUpstream } from '../../../test/support/local-upstream.js';
import { callContext, providerConfig } from '../../../test/support/provider-config.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import type { ProviderEmbeddingRequest } from '../../core/embeddings.js';
import { convertToGeminiRequest } from '../gemini/convert-to-gemini-request.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import { createVertexAdapter } from './vertex-adapter.js';

const CLIENT_EMAIL = 'junction-test@test-project.iam.gserviceaccount.com';
const NESTED_TOOL_SSE = chunksToSse(
  loadChunks('gemini/vercel-google-vertex-stream-tool-call-arguments-nested.1.chunks.txt'),
);
const IMAGE_URL_CASSETTE = loadCassette('gemini/pydantic-ai-google_vertex_url_input-ImageUrl.yaml')[0]!;
const VERTEX_400 = loadCassette('gemini/pydantic-ai-vertex-400_invalid_argument_url_fetch.yaml').find(
  (i) => i.response.status.code === 400,
)!;
const THINKING_CASSETTE = loadCassette(
  'anthropic-messages/pydantic-ai-anthropic_model_thinking_part_stream.yaml',
)[0]!;
const TOOL_SSE = chunksToSse(loadChunks('anthropic-messages/vercel-anthropic-json-other-tool.1.chunks.txt'), {
  withEventNames: true,
});

let publicKey: CryptoKey;
let accountJson: string;
let tokenExchanges = 0;
let refuseTokens = false;

/** The Vertex API and, at /token, the OAuth token endpoint; `seen` holds only the Vertex API requests. */
const upstream = useLocalUpstream({
  intercept: async (request, res) => {
    if (request.url !== '/token') return false;
    tokenExchanges++;
    const assertion = new URLSearchParams(request.body).get('assertion') ?? '';
    // Signature and issuer; the audience and claims are checked in vertex-access-token.test.ts.
    const valid = await jwtVerify(assertion, publicKey, { issuer: CLIENT_EMAIL })
      .then(() => true)
      .catch(() => false);
    if (refuseTokens || !valid) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }));
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: `ya29.token-${tokenExchanges}`, expires_in: 3599 }));
    return true;
  },
});

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  publicKey = pair.publicKey;
  accountJson = JSON.stringify({
    type: 'service_account',
    project_id: 'key-project',
    private_key_id: 'kid-1',
    private_key: await exportPKCS8(pair.privateKey),
    client_email: CLIENT_EMAIL,
    token_uri: `${upstream.origin}/token`,
  });
});

beforeEach(() => {
  tokenExchanges = 0;
  refuseTokens = false;
});

/** Uneven writes, so events straddle chunk boundaries. */
const replayedSse = (text: string) => replySse(text, { pieces: 211 });

const replyError = (status: number, body: string) =>
  replyWith({ status, headers: { 'content-type': 'application/json' }, body });

const config = (overrides: Partial<ProviderConfig> = {}): ProviderConfig =>
  providerConfig({
    name: 'vertex',
    type: 'vertex',
    baseUrl: upstream.origin,
    headers: { 'X-Extra': 'yes' },
    settings: { project: 'my-proj', location: 'us-east5', credentialsJson: accountJson },
    ...overrides,
  });

const context = (clientHeaders: Record<string, string> = {}): CallContext => callContext({ clientHeaders });

function geminiRequest(model = 'gemini-2.5-flash'): ProviderRequest {
  return {
    model: `vertex/${model}`,
    upstreamModel: model,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Give me a lasagna recipe.' }] }],
    stream: true,
  };
}

const CLAUDE_REQUEST: ProviderRequest = {
  model: 'vertex/claude-sonnet-4@20250514',
  upstreamModel: 'claude-sonnet-4@20250514',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'How do I cross the street?' }] }],
  maxOutputTokens: 4096,
  reasoning: { mode: 'enabled' as const, budgetTokens: 1024 },
  stream: false,
};

async function drain(stream: AsyncIterable<CanonicalEvent>): Promise<CanonicalEvent[]> {
  const events: CanonicalEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('createVertexAdapter: Gemini models', () => {
  it("posts the gemini body to Google's publisher with the bearer token and decodes the recorded stream", async () => {
    upstream.reply = replayedSse(NESTED_TOOL_SSE);
    const request = geminiRequest();
    const response = await collectResponse(createVertexAdapter(config()).stream(request, context()));

    expect(upstream.seen).toHaveLength(1);
    const [sent] = upstream.seen;
    expect(sent!.url).toBe(
      '/v1/projects/my-proj/locations/us-east5/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    expect(sent!.headers.authorization).toBe('Bearer ya29.token-1');
    expect(sent!.headers['x-goog-api-key']).toBeUndefined();
    expect(sent!.headers['x-extra']).toBe('yes');
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent!.body)).toEqual(convertToGeminiRequest(request));

    const calls = response.content.filter((part) => part.type === 'tool-call');
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.type === 'tool-call' && call.name).toBe('cookRecipe');
    const args = JSON.parse(call.type === 'tool-call' ? call.arguments : '') as {
      recipe: { name: string; ingredients: unknown[]; steps: string[] };
    };
    expect(args.recipe.name).toBe('Lasagna');
    expect(args.recipe.ingredients).toHaveLength(10);
    expect(args.recipe.steps[4]).toBe('In a 9x13 baking dish, spread a thin layer of meat sauce.');
    expect(response.finishReason).toBe('tool_calls');
  });

  it('a free-form object argument sent as JSON text comes back to the client as the object', async () => {
    upstream.reply = replySse(
      chunksToSse([
        {
          candidates: [
            {
              content: {
                role: 'model',
                parts: [{ functionCall: { name: 'tag', args: { meta: '{"k":1}' } } }],
              },
              finishReason: 'STOP',
            },
          ],
        },
      ]),
    );
    const request: ProviderRequest = {
      ...geminiRequest(),
      tools: [{ name: 'tag', parameters: { type: 'object', properties: { meta: { type: 'object' } } } }],
    };
    const response = await collectResponse(createVertexAdapter(config()).stream(request, context()));
    const call = response.content.find((part) => part.type === 'tool-call');
    expect(call?.type === 'tool-call' && JSON.parse(call.arguments)).toEqual({ meta: { k: 1 } });
    expect(JSON.parse(upstream.seen[0]!.body)).toEqual(convertToGeminiRequest(request));
  });

  it('a strict tool is sent without VALIDATED, a mode Vertex v1 does not list', async () => {
    upstream.reply = replayedSse(NESTED_TOOL_SSE);
    const request: ProviderRequest = {
      ...geminiRequest(),
      tools: [
        { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } }, strict: true },
      ],
    };
    await collectResponse(createVertexAdapter(config()).stream(request, context()));
    const sent = JSON.parse(upstream.seen[0]!.body) as Record<string, unknown>;
    expect(sent.toolConfig).toBeUndefined();
    expect(sent).toEqual(convertToGeminiRequest(request, undefined, { validatedMode: false }));
  });

  it('the recorded Vertex ImageUrl exchange: fileData sent, text and usage decoded', async () => {
    // Vertex streams the same GenerateContentResponse objects the recorded unary call returned.
    upstream.reply = replayedSse(`data: ${responseText(IMAGE_URL_CASSETTE)}\r\n\r\n`);
    const url = 'https://upload.wikimedia.org/wikipedia/commons/6/6a/Www.wikipedia_screenshot_%282021%29.png';
    const request: ProviderRequest = {
      model: 'vertex/gemini-2.0-flash',
      upstreamModel: 'gemini-2.0-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is the main content of this URL?' },
            { type: 'image', source: { kind: 'url', url } },
          ],
        },
      ],
      stream: false,
    };
    const adapter = createVertexAdapter(
      config({ settings: { project: 'pydantic-ai', location: 'global', credentialsJson: accountJson } }),
    );
    const response = await collectResponse(adapter.stream(request, context()));

    expect(upstream.seen[0]!.url).toBe(
      '/v1/projects/pydantic-ai/locations/global/publishers/google/models/gemini-2.0-flash:streamGenerateContent?alt=sse',
    );
    const recorded = requestJson(IMAGE_URL_CASSETTE) as {
      contents: Array<{ parts: Array<{ fileData?: { file_uri: string; mime_type: string } }> }>;
    };
    const sent = JSON.parse(upstream.seen[0]!.body) as {
      contents: Array<{ parts: Array<{ fileData?: { fileUri: string; mimeType: string } }> }>;
    };
    expect(sent.contents[0]!.parts[1]!.fileData).toEqual({
      fileUri: recorded.contents[0]!.parts[1]!.fileData!.file_uri,
      mimeType: recorded.contents[0]!.parts[1]!.fileData!.mime_type,
    });
    expect(response.content).toEqual([
      {
        type: 'text',
        text: "The URL's main content is the landing page of Wikipedia, showcasing the available language editions with article counts, a search bar, and links to other Wikimedia projects.",
      },
    ]);
    expect(response.usage).toMatchObject({ inputTokens: 2589, outputTokens: 33 });
    expect(response.finishReason).toBe('stop');
  });

  it('one token exchange serves several calls', async () => {
    upstream.reply = replayedSse(NESTED_TOOL_SSE);
    const adapter = createVertexAdapter(config());
    await Promise.all([1, 2, 3].map(() => collectResponse(adapter.stream(geminiRequest(), context()))));
    await collectResponse(adapter.stream(geminiRequest(), context()));
    expect(tokenExchanges).toBe(1);
    expect(upstream.seen.map((s) => s.headers.authorization)).toEqual(Array(4).fill('Bearer ya29.token-1'));
  });

  it('refreshes the token once the injected clock passes expiry minus five minutes', async () => {
    upstream.reply = replayedSse(NESTED_TOOL_SSE);
    // Real time at the start: the mock verifies the JWT's expiry against the wall clock.
    let clock = Date.now();
    const adapter = createVertexAdapter(config(), { now: () => clock });
    await collectResponse(adapter.stream(geminiRequest(), context()));
    clock += 3599_000 - 299_000;
    await collectResponse(adapter.stream(geminiRequest(), context()));
    expect(tokenExchanges).toBe(2);
    expect(upstream.seen[1]!.headers.authorization).toBe('Bearer ya29.token-2');
  });

  it('a recorded Vertex 400 INVALID_ARGUMENT is invalid_request, thrown before any event', async () => {
    upstream.reply = replyError(400, responseText(VERTEX_400));
    let events: CanonicalEvent[] = [];
    const error = await failure(async () => {
      events = await drain(createVertexAdapter(config()).stream(geminiRequest(), context()));
    });
    expect(events).toEqual([]);
    expect(error).toMatchObject({ failureClass: 'invalid_request', status: 400, code: 'INVALID_ARGUMENT' });
    expect(error.message).toMatch(/^vertex: Cannot fetch content from the provided URL\./);
  });

  it('an empty last user message is a 400 before Vertex is called, as on the gemini provider', async () => {
    const request: ProviderRequest = {
      ...geminiRequest(),
      messages: [
        ...geminiRequest().messages,
        { role: 'assistant', content: [{ type: 'text', text: 'Layers of pasta, sauce and cheese.' }] },
        { role: 'user', content: [{ type: 'text', text: '' }] },
      ],
    };
    const error = await failure(() => drain(createVertexAdapter(config()).stream(request, context())));
    expect(error).toMatchObject({
      failureClass: 'invalid_request',
      status: 400,
      param: 'messages[2].content',
    });
    expect(upstream.seen).toEqual([]);
  });

  it('a 401 is auth (502) and drops the cached token, so the next call exchanges again', async () => {
    upstream.reply = replyError(
      401,
      JSON.stringify({
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      }),
    );
    const adapter = createVertexAdapter(config());
    const error = await failure(() => collectResponse(adapter.stream(geminiRequest(), context())));
    expect(error).toMatchObject({ failureClass: 'auth', status: 502 });
    upstream.reply = replayedSse(NESTED_TOOL_SSE);
    await collectResponse(adapter.stream(geminiRequest(), context()));
    expect(tokenExchanges).toBe(2);
    expect(upstream.seen[1]!.headers.authorization).toBe('Bearer ya29.token-2');
  });

  it('a refused token exchange is auth (502) and Vertex is never called', async () => {
    refuseTokens = true;
    const error = await failure(() =>
      collectResponse(createVertexAdapter(config()).stream(geminiRequest(), context())),
    );
    expect(error).toMatchObject({ failureClass: 'auth', status: 502, provider: 'vertex' });
    expect(error.message).not.toContain('PRIVATE KEY');
    expect(upstream.seen).toHaveLength(0);
  });

  it("token_url overrides the key's token_uri, and the project falls back to the key's", async () => {
    upstream.reply = replayedSse(NESTED_TOOL_SSE);
    const unreachable = JSON.stringify({
      ...JSON.parse(accountJson),
      token_uri: 'https://oauth2.invalid/token',
    });
    const adapter = createVertexAdapter(
      config({
        settings: {
          location: 'europe-west4',
          credentialsJson: unreachable,
          tokenUrl: `${upstream.origin}/token`,
        },
      }),
    );
    await collectResponse(adapter.stream(geminiRequest(), context()));
    expect(tokenExchanges).toBe(1);
    expect(upstream.seen[0]!.headers.authorization).toBe('Bearer ya29.token-1');
    expect(upstream.seen[0]!.url).toBe(
      '/v1/projects/key-project/locations/europe-west4/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
  });
});

describe('createVertexAdapter: Claude models', () => {
  it("posts Anthropic's body (no model, anthropic_version) to streamRawPredict and decodes the recorded stream", async () => {
    upstream.reply = replayedSse(responseText(THINKING_CASSETTE));
    const adapter = createVertexAdapter(config({ headers: { 'Anthropic-Beta': 'operator-beta' } }));
    const response = await collectResponse(
      adapter.stream(
        CLAUDE_REQUEST,
        context({ 'anthropic-beta': 'client-beta', 'anthropic-version': '2023-06-01' }),
      ),
    );

    expect(upstream.seen).toHaveLength(1);
    const [sent] = upstream.seen;
    expect(sent!.url).toBe(
      '/v1/projects/my-proj/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514:streamRawPredict',
    );
    expect(sent!.headers.authorization).toBe('Bearer ya29.token-1');
    expect(sent!.headers['x-api-key']).toBeUndefined();
    expect(sent!.headers['anthropic-version']).toBeUndefined();
    expect(sent!.headers['anthropic-beta']).toBe('operator-beta,client-beta');

    const body = JSON.parse(sent!.body) as Record<string, unknown>;
    expect(body).not.toHaveProperty('model');
    expect(body['anthropic_version']).toBe('vertex-2023-10-16');
    const { model: _model, ...recorded } = requestJson(THINKING_CASSETTE);
    expect(body).toEqual({ ...recorded, anthropic_version: 'vertex-2023-10-16' });

    expect(response.id).toBe('msg_01ALwQ87pTS7hH1PjSdC9wJD');
    expect(response.content.map((part) => part.type)).toEqual(['reasoning', 'text']);
    const reasoning = response.content[0];
    expect(reasoning?.type === 'reasoning' ? reasoning.signature : undefined).toMatch(
      /^EvMCCkYICxgCKkCHP2cS.*==$/,
    );
    expect(response.finishReason).toBe('stop');
    expect(response.usage?.inputTokens).toBe(43);
  });

  it('decodes a recorded tool_use stream', async () => {
    upstream.reply = replayedSse(TOOL_SSE);
    const response = await collectResponse(
      createVertexAdapter(config()).stream({ ...CLAUDE_REQUEST, reasoning: undefined }, context()),
    );
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        id: 'toolu_019Zvehfe1XQWweT1pm7okyt',
        name: 'weather',
        arguments: '{"location": "San Francisco"}',
      },
    ]);
    expect(response.finishReason).toBe('tool_calls');
    expect(response.usage).toMatchObject({ inputTokens: 843, outputTokens: 28 });
  });

  it("an Anthropic overloaded_error body is overloaded; Google's RESOURCE_EXHAUSTED is rate_limit", async () => {
    upstream.reply = replyError(
      529,
      JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    );
    const adapter = createVertexAdapter(config());
    const overloaded = await failure(() => collectResponse(adapter.stream(CLAUDE_REQUEST, context())));
    expect(overloaded).toMatchObject({
      failureClass: 'overloaded',
      retryable: true,
      message: 'vertex: Overloaded',
    });

    upstream.reply = replyError(
      429,
      JSON.stringify({
        error: {
          code: 429,
          message: 'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model.',
          status: 'RESOURCE_EXHAUSTED',
        },
      }),
    );
    const limited = await failure(() => collectResponse(adapter.stream(CLAUDE_REQUEST, context())));
    expect(limited).toMatchObject({ failureClass: 'rate_limit', status: 429, code: 'RESOURCE_EXHAUSTED' });
  });
});

describe('createVertexAdapter: embeddings', () => {
  const RECORDED_EMBEDDING = loadJson('gemini/vercel-google-vertex-embedding.json');
  const embedding = (texts: string[], upstreamModel = 'text-embedding-005'): ProviderEmbeddingRequest => ({
    model: `vertex/${upstreamModel}`,
    upstreamModel,
    input: { kind: 'text', texts },
    encodingFormat: 'float',
    inputType: 'search_query',
    body: {},
  });

  it("posts instances to the model's predict with the bearer token and reads the recorded answer", async () => {
    upstream.reply = replyWith({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(RECORDED_EMBEDDING),
    });
    const result = await createVertexAdapter(config()).embed(
      embedding(['sunny day at the beach', 'rainy day in the city']),
      context(),
    );
    const [sent] = upstream.seen;
    expect(sent!.url).toBe(
      '/v1/projects/my-proj/locations/us-east5/publishers/google/models/text-embedding-005:predict',
    );
    expect(sent!.headers.authorization).toBe('Bearer ya29.token-1');
    expect(sent!.headers['x-extra']).toBe('yes');
    expect(sent!.headers.accept).toBe('application/json');
    expect(JSON.parse(sent!.body)).toEqual({
      instances: [
        { content: 'sunny day at the beach', task_type: 'RETRIEVAL_QUERY' },
        { content: 'rainy day in the city', task_type: 'RETRIEVAL_QUERY' },
      ],
    });
    expect(result.vectors).toHaveLength(2);
    expect(result.inputTokens).toBe(11);
  });

  it('a recorded Vertex 400 is invalid_request, and a 401 drops the cached token', async () => {
    upstream.reply = replyError(400, responseText(VERTEX_400));
    const adapter = createVertexAdapter(config());
    await expect(adapter.embed(embedding(['a']), context())).rejects.toMatchObject({
      failureClass: 'invalid_request',
      status: 400,
    });
    upstream.reply = replyError(
      401,
      JSON.stringify({ error: { code: 401, message: 'Invalid credentials', status: 'UNAUTHENTICATED' } }),
    );
    await expect(adapter.embed(embedding(['a']), context())).rejects.toMatchObject({ failureClass: 'auth' });
    upstream.reply = replyWith({
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        predictions: [{ embeddings: { values: [1], statistics: { token_count: 1 } } }],
      }),
    });
    await adapter.embed(embedding(['a']), context());
    expect(tokenExchanges).toBe(2);
  });

  it('refuses a Claude model naming it, before a token is fetched or Vertex is called', async () => {
    await expect(
      createVertexAdapter(config()).embed(embedding(['a'], 'claude-sonnet-4@20250514'), context()),
    ).rejects.toMatchObject({ status: 400, param: 'model' });
    expect(tokenExchanges).toBe(0);
    expect(upstream.seen).toHaveLength(0);
  });
});
