/**
 * POST /v1/embeddings with more inputs than an upstream takes in one call, through the real gateway
 * process with the official OpenAI SDK (`client.embeddings.create`) against loopback upstreams that refuse
 * an oversized call as the real APIs do (Cohere and Cohere on Bedrock: 96 texts; Gemini
 * batchEmbedContents: 100 requests). The gateway splits the inputs into calls within the limit, joins the
 * vectors in input order and sums usage; a failed call fails the whole attempt (failover, never a partial
 * answer), and a client that goes away stops the calls still pending.
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { EMBED_PARALLEL_CALLS } from '../../src/providers/shared/embed-in-batches.js';
import { openaiClient } from '../support/chat-client.js';
import { serverWithKeys, useGateway } from '../support/e2e-gateway.js';
import type { Reply, SeenRequest } from '../support/local-upstream.js';
import { replyJson, useLocalUpstreams } from '../support/local-upstream.js';
import { expectValidAgainstSpec } from '../support/openapi.js';

const KEY = 'jk-embed-batches';

/** 250 texts whose number each vector echoes, so the order of the answer can be checked. */
const TEXTS = Array.from({ length: 250 }, (_, i) => `text ${i}`);
const numberOf = (text: string): number => Number(text.slice('text '.length));

const up = useLocalUpstreams('coh', 'gem', 'aws', 'flaky', 'backup', 'slow');

const gateway = useGateway(() => ({
  config: `${serverWithKeys({ batches: KEY })}
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

[providers.flaky]
type = "cohere"
base_url = "${up.flaky.origin}"
api_key = "coh-key-0003"

[providers.backup]
type = "cohere"
base_url = "${up.backup.origin}"
api_key = "coh-key-0004"

[providers.slow]
type = "cohere"
base_url = "${up.slow.origin}"
api_key = "coh-key-0005"

[[models]]
alias = "coh-failover"
targets = ["flaky/embed-v4.0", "backup/embed-v4.0"]
`,
  env: {},
}));

const client = () => openaiClient(gateway.baseURL, KEY);

/** Cohere's /v2/embed: its real refusal past 96 texts, else one `[n, marker]` vector per text. */
function cohereReply(marker: number): Reply {
  return (res, request) => {
    const { texts } = JSON.parse(request.body) as { texts: string[] };
    if (texts.length > 96) {
      replyJson(400, {
        id: 'b7c1a2f0-embed-limit',
        message: `invalid request: total number of texts must be at most 96 - received ${texts.length}`,
      })(res, request);
      return;
    }
    replyJson(200, {
      id: 'f5aa3e7b-f011-4c5c-a825-f94669f760e5',
      texts,
      embeddings: { float: texts.map((text) => [numberOf(text), marker]) },
      meta: { api_version: { version: '2' }, billed_units: { input_tokens: texts.length * 2 } },
      response_type: 'embeddings_by_type',
    })(res, request);
  };
}

/** Gemini's batchEmbedContents: its real refusal past 100 requests, else one vector per request. */
const geminiReply: Reply = (res, request) => {
  const { requests } = JSON.parse(request.body) as {
    requests: Array<{ content: { parts: Array<{ text: string }> } }>;
  };
  if (requests.length > 100) {
    replyJson(400, {
      error: {
        code: 400,
        message: '* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch\n',
        status: 'INVALID_ARGUMENT',
      },
    })(res, request);
    return;
  }
  replyJson(200, {
    embeddings: requests.map((entry) => ({ values: [numberOf(entry.content.parts[0]!.text), 0.5] })),
  })(res, request);
};

/** Cohere Embed on Bedrock's InvokeModel: Bedrock's validation refusal past 96 texts, tokens in a header. */
const bedrockCohereReply: Reply = (res, request) => {
  const { texts } = JSON.parse(request.body) as { texts: string[] };
  if (texts.length > 96) {
    replyJson(
      400,
      {
        message: `Malformed input request: #/texts: expected maximum item count: 96, found: ${texts.length}, please reformat your input and try again.`,
      },
      { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' },
    )(res, request);
    return;
  }
  replyJson(
    200,
    {
      embeddings: texts.map((text) => [numberOf(text), 0.25]),
      id: 'e3f0-bedrock-embed',
      response_type: 'embeddings_floats',
      texts,
    },
    { 'x-amzn-bedrock-input-token-count': String(texts.length * 3) },
  )(res, request);
};

function textsOf(request: SeenRequest): string[] {
  const body = JSON.parse(request.body) as {
    texts?: string[];
    requests?: Array<{ content: { parts: Array<{ text: string }> } }>;
  };
  return body.texts ?? body.requests!.map((entry) => entry.content.parts[0]!.text);
}

/** Every text went up exactly once, in calls of at most `limit`. */
function expectSplit(seen: readonly SeenRequest[], limit: number): void {
  const sizes = seen.map((request) => textsOf(request).length);
  expect(sizes.length).toBe(Math.ceil(TEXTS.length / limit));
  for (const size of sizes) expect(size).toBeLessThanOrEqual(limit);
  expect(seen.flatMap(textsOf).sort()).toEqual([...TEXTS].sort());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('POST /v1/embeddings past an upstream’s per-call limit', () => {
  it('Cohere: 250 inputs go up in calls of at most 96 and come back as 250 vectors in order', async () => {
    up.coh.reply = cohereReply(1);
    const response = await client()
      .embeddings.create({ model: 'coh/embed-v4.0', input: TEXTS })
      .withResponse();
    expectSplit(up.coh.seen, 96);
    const { data, usage } = response.data;
    expect(data).toHaveLength(250);
    for (const [i, item] of data.entries()) {
      expect(item.index).toBe(i);
      expect(item.embedding).toEqual([i, 1]);
    }
    // Billed units summed over the calls: 2 a text.
    expect(usage).toEqual({ prompt_tokens: 500, total_tokens: 500 });
    expect(response.response.headers.get('x-junction-attempts')).toBe('1');
    const record = await gateway.usageRecord(response.response.headers.get('x-request-id')!);
    expect(record).toMatchObject({ status: 200, attempts: 1, usage: { inputTokens: 500, outputTokens: 0 } });
  });

  it('Gemini: 250 inputs go up in batches of at most 100 requests and come back in order', async () => {
    up.gem.reply = geminiReply;
    const response = await client().embeddings.create({
      model: 'gem/gemini-embedding-001',
      input: TEXTS,
      encoding_format: 'float',
    });
    expectSplit(up.gem.seen, 100);
    for (const request of up.gem.seen)
      expect(request.url).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    expect(response.data.map((item) => item.index)).toEqual(TEXTS.map((_, i) => i));
    expect(response.data.map((item) => item.embedding)).toEqual(TEXTS.map((_, i) => [i, 0.5]));
    // Gemini counts no tokens: the estimate (4 characters a token) of each text, summed.
    expect(response.usage).toEqual({ prompt_tokens: 500, total_tokens: 500 });
    expectValidAgainstSpec('CreateEmbeddingResponse', response);
  });

  it('Cohere Embed on Bedrock: 250 inputs in InvokeModel calls of at most 96 texts', async () => {
    up.aws.reply = bedrockCohereReply;
    const response = await client().embeddings.create({
      model: 'aws/cohere.embed-english-v3',
      input: TEXTS,
      encoding_format: 'float',
    });
    expectSplit(up.aws.seen, 96);
    for (const request of up.aws.seen) {
      expect(request.url).toBe('/model/cohere.embed-english-v3/invoke');
      expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEMBEDTEST\//);
    }
    expect(response.data.map((item) => item.embedding)).toEqual(TEXTS.map((_, i) => [i, 0.25]));
    // Bedrock's token count header, summed: 3 a text.
    expect(response.usage).toEqual({ prompt_tokens: 750, total_tokens: 750 });
  });

  it('a failed call fails the whole attempt over to the next target: no vector of the first reaches the client', async () => {
    // The call holding texts 96.. fails; the others succeed.
    const failing: Reply = (res, request) => {
      if (textsOf(request)[0] === 'text 96') replyJson(503, { message: 'service unavailable' })(res, request);
      else cohereReply(1)(res, request);
    };
    up.flaky.reply = failing;
    up.backup.reply = cohereReply(2);
    const response = await client()
      .embeddings.create({ model: 'coh-failover', input: TEXTS, encoding_format: 'float' })
      .withResponse();
    expect(up.flaky.seen.length).toBeGreaterThanOrEqual(1);
    expectSplit(up.backup.seen, 96);
    expect(response.response.headers.get('x-junction-provider')).toBe('backup');
    expect(response.response.headers.get('x-junction-attempts')).toBe('2');
    const { data, usage } = response.data;
    expect(data).toHaveLength(250);
    // Every vector is the backup's (marker 2), in order.
    expect(data.map((item) => item.embedding)).toEqual(TEXTS.map((_, i) => [i, 2]));
    expect(usage).toEqual({ prompt_tokens: 500, total_tokens: 500 });
    const record = await gateway.usageRecord(response.response.headers.get('x-request-id')!);
    expect(record).toMatchObject({ attempts: 2, provider: 'backup', status: 200 });
  });

  it('a failed call with no target left is the client’s error, not a partial answer', async () => {
    up.flaky.reply = (res, request) => {
      if (textsOf(request)[0] === 'text 192')
        replyJson(503, { message: 'service unavailable' })(res, request);
      else cohereReply(1)(res, request);
    };
    const failure = await client()
      .embeddings.create({ model: 'flaky/embed-v4.0', input: TEXTS, encoding_format: 'float' })
      .then(
        () => undefined,
        (error: unknown) => error as { status?: number },
      );
    expect(failure?.status).toBe(503);
  });

  it('a client that goes away stops the calls still pending, and those in flight', async () => {
    // 2048 inputs make 22 calls; each answer would take 2 s. Closed early = the gateway hung up on it.
    let closedEarly = 0;
    up.slow.reply = async (res: ServerResponse, request) => {
      const closed = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 2_000);
        res.once('close', () => {
          clearTimeout(timer);
          resolve(!res.writableFinished);
        });
      });
      if (closed) closedEarly++;
      else cohereReply(1)(res, request);
    };
    const inputs = Array.from({ length: 2048 }, (_, i) => `text ${i}`);
    const controller = new AbortController();
    const pending = client()
      .embeddings.create({ model: 'slow/embed-v4.0', input: inputs }, { signal: controller.signal })
      .catch((error: unknown) => error);
    for (let waited = 0; up.slow.seen.length < EMBED_PARALLEL_CALLS && waited < 3_000; waited += 20)
      await sleep(20);
    expect(up.slow.seen).toHaveLength(EMBED_PARALLEL_CALLS);
    controller.abort();
    await pending;
    // Long enough for the next calls to have gone up, had the cancellation not stopped them.
    await sleep(2_500);
    expect(up.slow.seen).toHaveLength(EMBED_PARALLEL_CALLS);
    expect(closedEarly).toBe(EMBED_PARALLEL_CALLS);
  });
});
