/**
 * The `input_type` extension of POST /v1/embeddings, through the real gateway process with the official
 * OpenAI SDK (which sends a body field it does not know when the caller sets it): Cohere's values reach
 * Cohere and Cohere on Bedrock as `input_type` and Gemini as `taskType`, an alias default applies when the
 * client sends none, OpenAI-wire upstreams and Titan never see it, and a bad value is a 400 naming it.
 */
import type { EmbeddingCreateParams } from 'openai/resources/embeddings';
import { describe, expect, it } from 'vitest';
import { openaiClient, rawRequest } from '../support/chat-client.js';
import { serverWithKeys, useGateway } from '../support/e2e-gateway.js';
import { loadJson } from '../support/fixtures.js';
import type { LocalUpstream, Reply } from '../support/local-upstream.js';
import { replyJson, useLocalUpstreams } from '../support/local-upstream.js';

const KEY = 'jk-embed-input-type';
const COHERE_ANSWER = loadJson('cohere/vercel-cohere-embedding.json');
const OPENAI_ANSWER = loadJson('openai-embeddings/vercel-openai-embedding.json');
const TEXTS = ['sunny day at the beach', 'rainy day in the city'];

const up = useLocalUpstreams('coh', 'gem', 'aws', 'oai');

const gateway = useGateway(() => ({
  config: `${serverWithKeys({ team: KEY })}
[providers.coh]
type = "cohere"
base_url = "${up.coh.origin}"
api_key = "coh-key-0001"

[providers.gem]
type = "gemini"
base_url = "${up.gem.origin}"
api_key = "gem-key-0002"

[providers.aws]
type = "bedrock"
base_url = "${up.aws.origin}"
region = "us-west-2"
access_key_id = "AKIDEMBEDTEST"
secret_access_key = "embed-test-secret"

[providers.oai]
type = "openai"
base_url = "${up.oai.origin}/v1"
api_key = "sk-upstream-oai-0003"

[[models]]
alias = "query-emb"
targets = ["coh/embed-v4.0"]
defaults = { input_type = "search_query" }
`,
  env: {},
}));

const client = () => openaiClient(gateway.baseURL, KEY);

/** The SDK's params plus the extension field, which it sends as given. */
function embedding(model: string, inputType?: string): EmbeddingCreateParams {
  const params: EmbeddingCreateParams & { input_type?: string } = {
    model,
    input: TEXTS,
    encoding_format: 'float',
    ...(inputType !== undefined ? { input_type: inputType } : {}),
  };
  return params;
}

const geminiReply: Reply = replyJson(200, { embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] });
const bedrockCohereReply: Reply = replyJson(
  200,
  { embeddings: [[0.1], [0.2]], id: 'e1', response_type: 'embeddings_floats', texts: TEXTS },
  { 'x-amzn-bedrock-input-token-count': '9' },
);

const body = (upstream: LocalUpstream) => JSON.parse(upstream.last().body) as Record<string, unknown>;
const geminiTaskTypes = () =>
  (body(up.gem).requests as Array<Record<string, unknown>>).map((entry) => entry.taskType);

describe('POST /v1/embeddings input_type', () => {
  it('reaches Cohere as input_type, and search_document stays the default', async () => {
    up.coh.reply = replyJson(200, COHERE_ANSWER);
    const answer = await client().embeddings.create(embedding('coh/embed-v4.0', 'search_query'));
    expect(answer.data).toHaveLength(2);
    expect(body(up.coh)).toEqual({
      model: 'embed-v4.0',
      texts: TEXTS,
      input_type: 'search_query',
      embedding_types: ['float'],
    });
    await client().embeddings.create(embedding('coh/embed-v4.0'));
    expect(body(up.coh)).toMatchObject({ input_type: 'search_document' });
  });

  it.each([
    ['search_document', 'RETRIEVAL_DOCUMENT'],
    ['search_query', 'RETRIEVAL_QUERY'],
    ['classification', 'CLASSIFICATION'],
    ['clustering', 'CLUSTERING'],
  ])('reaches Gemini as taskType: %s → %s, on every request of the batch', async (inputType, taskType) => {
    up.gem.reply = geminiReply;
    await client().embeddings.create(embedding('gem/gemini-embedding-001', inputType));
    expect(geminiTaskTypes()).toEqual([taskType, taskType]);
  });

  it('leaves Gemini’s taskType unset (the model’s default) when the client sends none', async () => {
    up.gem.reply = geminiReply;
    await client().embeddings.create(embedding('gem/gemini-embedding-001'));
    expect(geminiTaskTypes()).toEqual([undefined, undefined]);
  });

  it('reaches Cohere Embed on Bedrock as input_type; Titan, which has none, is called without it', async () => {
    up.aws.reply = bedrockCohereReply;
    await client().embeddings.create(embedding('aws/cohere.embed-english-v3', 'clustering'));
    expect(body(up.aws)).toEqual({ texts: TEXTS, input_type: 'clustering' });

    up.aws.reply = replyJson(200, { embedding: [0.5], inputTextTokenCount: 4 });
    const titan = await client().embeddings.create(
      embedding('aws/amazon.titan-embed-text-v2:0', 'clustering'),
    );
    expect(titan.data).toHaveLength(2);
    expect(body(up.aws)).toEqual({ inputText: TEXTS[1] });
  });

  it('is left out of the body forwarded to an OpenAI-wire upstream, which has no such field', async () => {
    up.oai.reply = replyJson(200, OPENAI_ANSWER);
    await client().embeddings.create(embedding('oai/text-embedding-3-small', 'search_query'));
    expect(body(up.oai)).toEqual({
      model: 'text-embedding-3-small',
      input: TEXTS,
      encoding_format: 'float',
    });
  });

  it('takes an alias default when the client sends none; the client’s own value wins', async () => {
    up.coh.reply = replyJson(200, COHERE_ANSWER);
    await client().embeddings.create(embedding('query-emb'));
    expect(body(up.coh)).toMatchObject({ input_type: 'search_query' });
    await client().embeddings.create(embedding('query-emb', 'classification'));
    expect(body(up.coh)).toMatchObject({ input_type: 'classification' });
  });

  it.each([
    ['a value Cohere does not know', 'query'],
    ['image (the request carries only texts)', 'image'],
    ['a Gemini task type', 'RETRIEVAL_QUERY'],
    ['a non-string', 3],
  ])('refuses %s with a 400 naming input_type, before any upstream call', async (_, inputType) => {
    const before = up.coh.seen.length;
    const raw = await rawRequest(`${gateway.baseURL}/v1/embeddings`, {
      headers: { authorization: `Bearer ${KEY}` },
      body: { model: 'coh/embed-v4.0', input: TEXTS, input_type: inputType },
    });
    expect(raw.status).toBe(400);
    expect(raw.json).toMatchObject({
      error: {
        type: 'invalid_request_error',
        param: 'input_type',
        message: expect.stringMatching(/input_type.*search_document/),
      },
    });
    expect(up.coh.seen).toHaveLength(before);
  });
});
