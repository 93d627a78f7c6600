/**
 * A target Junction itself knows cannot serve a request (the capability check, or the provider's request
 * converter refusing a field) is skipped, not tried and failed, through the real gateway process with the
 * official `openai` SDK and one mock upstream per provider: a later target that can serve it answers
 * (route headers and usage record name it), the skipped target's upstream is never called, nothing is
 * counted in `junction_upstream_attempts_total` for it, there is no "upstream attempt failed" warning, no
 * retry and no wait for its concurrency slot, and one info line says which targets were skipped and why.
 * When no target can serve it, the client gets the first target's refusal as its 400. Embeddings too.
 */
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import type { ChatCompletionContentPart } from 'openai/resources/chat/completions';
import { beforeAll, describe, expect, it } from 'vitest';
import { openaiClient, rawRequest, readChatStream } from '../support/chat-client.js';
import { serverWithAdmin, useGateway, useStarted } from '../support/e2e-gateway.js';
import { loadJson } from '../support/fixtures.js';
import type { LogLine } from '../support/gateway-process.js';
import type { MockUpstream } from '../support/mock-upstream.js';
import { startMockUpstream } from '../support/mock-upstream.js';
import {
  anthropicChunksAnswer,
  jsonAnswer,
  jsonFixtureAnswer,
  openaiChunksAnswer,
} from '../support/upstream-answers.js';

const ADMIN = 'skip-unservable-admin';
const NAMES = ['claude', 'coh', 'oai'] as const;
type Name = (typeof NAMES)[number];

const up = useStarted(
  'mock upstreams',
  async () => {
    const started = await Promise.all(NAMES.map(() => startMockUpstream()));
    return Object.fromEntries(NAMES.map((name, i) => [name, started[i]!])) as Record<Name, MockUpstream>;
  },
  async (mocks) => {
    await Promise.all(Object.values(mocks).map((mock) => mock.close()));
  },
);

const gateway = useGateway(() => ({
  config: `${serverWithAdmin(ADMIN)}
# The Anthropic Messages API has no seed: Claude's request converter refuses one.
[providers.claude]
type = "anthropic"
base_url = "${up.claude.origin}"
api_key = "sk-ant-skip-0001"
max_concurrent = 1
queue_timeout = "3s"

# Cohere takes no documents: the capability check refuses a file part.
[providers.coh]
type = "cohere"
base_url = "${up.coh.origin}"
api_key = "coh-skip-0002"

[providers.oai]
type = "openai"
base_url = "${up.oai.origin}/v1"
api_key = "sk-skip-0003"

[[models]]
alias = "seeded"
targets = ["claude/claude-sonnet-4-5", "oai/gpt-4.1"]
retries = 2

[[models]]
alias = "documents"
targets = ["coh/command-a", "oai/gpt-4.1"]

[[models]]
alias = "nobody"
targets = ["claude/claude-sonnet-4-5", "coh/command-a"]

[[models]]
alias = "nobody-anthropic"
targets = ["oai/gpt-4.1", "coh/command-a"]

[[models]]
alias = "emb"
targets = ["claude/claude-sonnet-4-5", "oai/text-embedding-3-small"]
`,
}));

let client: OpenAI;
beforeAll(() => {
  client = openaiClient(gateway.baseURL, 'any-client-key');
});

const WARN = 40;
const PDF: ChatCompletionContentPart = {
  type: 'file',
  file: { filename: 'paper.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjQK' },
};
const SEED_REFUSAL = /^seed is not supported by provider claude: the Anthropic Messages API has no seed/;

function reset(): void {
  for (const name of NAMES) up[name].reset();
}

describe('a target that cannot serve the request is skipped', () => {
  it('a conversion refusal (seed to Claude): answered by the next target, Claude never called', async () => {
    reset();
    up.oai.enqueue(jsonFixtureAnswer('openai-chat/vercel-openai-text.json'));
    const requestId = `skip-seed-${randomUUID()}`;
    const before = await upstreamAttempts();
    const { data, response } = await client.chat.completions
      .create(
        { model: 'seeded', seed: 7, messages: [{ role: 'user', content: 'Invent a holiday.' }] },
        { headers: { 'x-request-id': requestId } },
      )
      .withResponse();

    expect(data.choices[0]!.message.content).toContain('Galaxy Day');
    expect(response.headers.get('x-junction-provider')).toBe('oai');
    expect(response.headers.get('x-junction-model')).toBe('gpt-4.1');
    expect(response.headers.get('x-junction-attempts')).toBe('1');
    expect(up.claude.requests).toHaveLength(0);
    expect(up.oai.requests).toHaveLength(1);
    expect(up.oai.lastBody()).toMatchObject({ model: 'gpt-4.1', seed: 7 });

    expect(await gateway.usageRecord(requestId)).toMatchObject({
      model: 'seeded',
      provider: 'oai',
      upstreamModel: 'gpt-4.1',
      status: 200,
      attempts: 1,
    });
    const after = await upstreamAttempts();
    expect(after.claude).toBe(before.claude);
    expect(after.oai).toBe(before.oai + 1);
    expectSkipLine(requestId, [{ target: 'claude/claude-sonnet-4-5', reason: SEED_REFUSAL }]);
  });

  it('a capability refusal (a document to Cohere), streamed: answered by the next target', async () => {
    reset();
    up.oai.enqueue(openaiChunksAnswer('openai-chat/vercel-openai-text.chunks.txt'));
    const requestId = `skip-document-${randomUUID()}`;
    const before = await upstreamAttempts();
    const { data: stream, response } = await client.chat.completions
      .create(
        {
          model: 'documents',
          stream: true,
          messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise this.' }, PDF] }],
        },
        { headers: { 'x-request-id': requestId } },
      )
      .withResponse();
    const read = await readChatStream(stream);

    expect(read.text).toContain('Harmony Day');
    expect(response.headers.get('x-junction-provider')).toBe('oai');
    expect(response.headers.get('x-junction-attempts')).toBe('1');
    expect(up.coh.requests).toHaveLength(0);
    expect(up.oai.requests).toHaveLength(1);
    expect(await gateway.usageRecord(requestId)).toMatchObject({
      provider: 'oai',
      upstreamModel: 'gpt-4.1',
      status: 200,
      attempts: 1,
    });
    const after = await upstreamAttempts();
    expect(after.coh).toBe(before.coh);
    expect(after.oai).toBe(before.oai + 1);
    expectSkipLine(requestId, [
      { target: 'coh/command-a', reason: /^Document input is not supported by provider coh \(cohere\)/ },
    ]);
  });

  it('no target can serve it: the first target’s refusal as a 400, not an upstream failure', async () => {
    reset();
    const requestId = `skip-nobody-${randomUUID()}`;
    const before = await upstreamAttempts();
    const failure = await client.chat.completions
      .create(
        {
          model: 'nobody',
          seed: 7,
          messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise this.' }, PDF] }],
        },
        { headers: { 'x-request-id': requestId } },
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    const error = failure as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.status).toBe(400);
    expect(error.param).toBe('seed');
    expect(error.code).toBe('unsupported_parameter');
    expect(error.message).toMatch(/seed is not supported by provider claude/);
    expect(up.claude.requests).toHaveLength(0);
    expect(up.coh.requests).toHaveLength(0);
    expect(await gateway.usageRecord(requestId)).toMatchObject({
      status: 400,
      failureClass: 'unsupported',
      attempts: 0,
    });
    expect(await upstreamAttempts()).toEqual(before);
    expectSkipLine(requestId, [
      { target: 'claude/claude-sonnet-4-5', reason: SEED_REFUSAL },
      { target: 'coh/command-a', reason: /^Document input is not supported by provider coh/ },
    ]);
  });

  it('no target can serve it, on the Anthropic surface: the first refusal in its envelope', async () => {
    reset();
    const response = await rawRequest(`${gateway.baseURL}/v1/messages`, {
      body: {
        model: 'nobody-anthropic',
        max_tokens: 50,
        // OpenAI's chat API has no top_k; Cohere takes no documents.
        top_k: 5,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Summarise this.' },
              {
                type: 'document',
                source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQK' },
              },
            ],
          },
        ],
      },
      headers: { 'anthropic-version': '2023-06-01' },
    });
    expect(response.status).toBe(400);
    const body = response.json as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/^top_k is not supported by provider oai/);
    expect(up.oai.requests).toHaveLength(0);
    expect(up.coh.requests).toHaveLength(0);
  });

  it('does not wait for the skipped target’s concurrency slot', async () => {
    reset();
    // Claude's only slot is held by a request whose answer takes a while.
    up.claude.enqueue(
      anthropicChunksAnswer('anthropic-messages/vercel-anthropic-text.chunks.txt', { delayMs: 300 }),
    );
    const holder = client.chat.completions.create({
      model: 'claude/claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'hi' }],
    });
    await waitFor(() => up.claude.requests.length === 1);
    up.oai.enqueue(jsonFixtureAnswer('openai-chat/vercel-openai-text.json'));
    const started = performance.now();
    const { response } = await client.chat.completions
      .create({ model: 'seeded', seed: 7, messages: [{ role: 'user', content: 'Invent a holiday.' }] })
      .withResponse();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(response.headers.get('x-junction-provider')).toBe('oai');
    await holder;
    expect(up.claude.requests).toHaveLength(1);
  });

  it('an upstream 400 is unchanged: the client’s error, not failed over', async () => {
    reset();
    up.claude.enqueue(
      jsonAnswer({ type: 'error', error: { type: 'invalid_request_error', message: 'messages: bad' } }, 400),
    );
    const failure = await client.chat.completions
      .create({ model: 'seeded', messages: [{ role: 'user', content: 'hi' }] })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect(up.claude.requests).toHaveLength(1);
    expect(up.oai.requests).toHaveLength(0);
  });

  it('embeddings: a target without embeddings is skipped for the next', async () => {
    reset();
    const floats = loadJson('openai-embeddings/vercel-openai-embedding.json') as {
      data: Array<{ embedding: number[] }>;
    };
    up.oai.enqueue(
      jsonAnswer({
        object: 'list',
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 2, total_tokens: 2 },
        data: [{ object: 'embedding', index: 0, embedding: floats.data[0]!.embedding }],
      }),
    );
    const requestId = `skip-embed-${randomUUID()}`;
    const before = await upstreamAttempts();
    const { data, response } = await client.embeddings
      .create(
        { model: 'emb', input: 'a', encoding_format: 'float' },
        { headers: { 'x-request-id': requestId } },
      )
      .withResponse();
    expect(data.data[0]!.embedding).toEqual(floats.data[0]!.embedding);
    expect(response.headers.get('x-junction-provider')).toBe('oai');
    expect(response.headers.get('x-junction-attempts')).toBe('1');
    expect(up.claude.requests).toHaveLength(0);
    expect(await gateway.usageRecord(requestId)).toMatchObject({ provider: 'oai', attempts: 1 });
    const after = await upstreamAttempts();
    expect(after.claude).toBe(before.claude);
    expect(after.oai).toBe(before.oai + 1);
    expectSkipLine(requestId, [
      { target: 'claude/claude-sonnet-4-5', reason: /^Embeddings are not supported by provider claude/ },
    ]);
  });
});

/**
 * The request's log lines: one `targets skipped` line at info naming each skipped target and why, and
 * nothing at warn or above (no "upstream attempt failed").
 */
function expectSkipLine(requestId: string, skipped: Array<{ target: string; reason: RegExp }>): void {
  const lines = gateway.logs().filter((line) => mentions(line, requestId));
  expect(lines.filter((line) => Number(line.level) >= WARN)).toEqual([]);
  const skips = lines.filter((line) => line.msg === 'targets skipped');
  expect(skips).toHaveLength(1);
  expect(Number(skips[0]!.level)).toBe(30);
  const listed = skips[0]!.skipped as Array<{ target: string; reason: string }>;
  expect(listed.map((entry) => entry.target)).toEqual(skipped.map((entry) => entry.target));
  for (const [i, entry] of skipped.entries()) expect(listed[i]!.reason).toMatch(entry.reason);
}

function mentions(line: LogLine, requestId: string): boolean {
  const usage = line.usage as { requestId?: unknown } | undefined;
  return line.requestId === requestId || usage?.requestId === requestId;
}

/** `junction_upstream_attempts_total` summed per provider. */
async function upstreamAttempts(): Promise<Record<Name, number>> {
  const metrics = await rawRequest(`${gateway.baseURL}/admin/metrics`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  const counts: Record<Name, number> = { claude: 0, coh: 0, oai: 0 };
  for (const text of metrics.text.split('\n')) {
    if (!text.startsWith('junction_upstream_attempts_total{')) continue;
    const provider = /provider="([^"]+)"/.exec(text)?.[1] as Name | undefined;
    if (provider !== undefined && provider in counts) counts[provider] += Number(text.split(' ').at(-1));
  }
  return counts;
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
