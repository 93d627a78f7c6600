/**
 * OpenAI-chat client -> OpenAI-type provider: the same-dialect fast path. The body goes upstream with
 * only `model` rewritten (alias defaults aside), upstream bytes come back as they were sent, fields no
 * schema knows survive both ways, and usage is still read from the relayed answer.
 */
import { randomUUID } from 'node:crypto';
import type OpenAI from 'openai';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions';
import { beforeAll, describe, expect, it } from 'vitest';
import { openaiClient, rawRequest, readChatStream, validMessage } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import { expectedFromOpenAIStream, openAIUsage } from '../support/fixture-expectations.js';
import { loadJson } from '../support/fixtures.js';
import { expectValidAgainstSpec } from '../support/openapi.js';
import {
  cassetteAnswer,
  cassetteJson,
  cassetteText,
  jsonAnswer,
  jsonFixtureAnswer,
  openaiChunksAnswer,
  openaiChunksSse,
} from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-fast-path-client-key';
const UPSTREAM_KEY = 'sk-upstream-secret-1234';
const TEXT_JSON = 'openai-chat/vercel-openai-text.json';
const TEXT_CHUNKS = 'openai-chat/vercel-openai-text.chunks.txt';
const TOOL_STREAM = 'openai-chat/pydantic-ai-openai-stream_tool_call_deltas.yaml';
const TOOL_JSON = 'openai-chat/pydantic-ai-openai_tool_output.yaml';
const CACHE_JSON = 'openai-chat/pydantic-ai-openai_chat_prompt_cache_e2e.yaml';

const GET_CAPITAL = {
  type: 'function' as const,
  function: {
    name: 'get_capital',
    description: '',
    parameters: {
      additionalProperties: false,
      properties: { country: { type: 'string' } },
      required: ['country'],
      type: 'object',
    },
    strict: true,
  },
};

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': 'env:TEAM_A_KEY' })}
[providers.oai]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "${UPSTREAM_KEY}"

[[models]]
alias = "default"
targets = ["oai/gpt-4.1"]
defaults = { temperature = 0.2 }
`,
  env: { TEAM_A_KEY: CLIENT_KEY },
}));
let client: OpenAI;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, CLIENT_KEY);
});

describe('openai fast path: text', () => {
  it('non-stream: forwards the body with only model rewritten, unknown fields both ways, usage and headers', async () => {
    const fixture = loadJson(TEXT_JSON) as {
      choices: Array<{ message: { content: string } }>;
      usage: Record<string, unknown>;
    };
    mock.enqueue(jsonFixtureAnswer(TEXT_JSON, { x_upstream_extra: 1 }));
    const requestId = `e2e-${randomUUID()}`;
    const params = {
      model: 'oai/gpt-4.1',
      messages: [
        { role: 'system', content: 'You are a holiday inventor.' },
        { role: 'user', content: 'Invent a new holiday and describe its traditions.' },
      ],
      max_completion_tokens: 400,
      x_custom_field: { nested: [1, 2] },
    } as ChatCompletionCreateParamsNonStreaming;

    const { data, response } = await client.chat.completions
      .create(params, { headers: { 'x-request-id': requestId } })
      .withResponse();

    const message = validMessage(data);
    expect(message.content).toBe(fixture.choices[0]!.message.content);
    expect((data as unknown as { x_upstream_extra?: unknown }).x_upstream_extra).toBe(1);
    expect(data.usage).toEqual(fixture.usage);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(response.headers.get('x-junction-provider')).toBe('oai');
    expect(response.headers.get('x-junction-model')).toBe('gpt-4.1');
    expect(response.headers.get('x-junction-attempts')).toBe('1');

    const upstream = mock.last();
    expect(upstream.method).toBe('POST');
    expect(upstream.path).toBe('/v1/chat/completions');
    expect(upstream.body).toEqual({ ...params, model: 'gpt-4.1' });
    expect(upstream.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(upstream.rawBody).not.toContain(CLIENT_KEY);

    const usage = await gateway.usageRecord(requestId);
    expect(usage).toMatchObject({
      fastPath: true,
      provider: 'oai',
      upstreamModel: 'gpt-4.1',
      keyName: 'team-a',
      status: 200,
    });
    expect(usage.usage).toMatchObject({ inputTokens: 16, outputTokens: 363, cachedInputTokens: 0 });
  });

  it('non-stream: relays the upstream bytes unchanged', async () => {
    const body = `${JSON.stringify({ ...(loadJson(TEXT_JSON) as object), x_upstream_extra: 1 }, null, 2)}\n`;
    mock.enqueue({ status: 200, headers: { 'content-type': 'application/json' }, body });
    const response = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'oai/gpt-4.1', messages: [{ role: 'user', content: 'hi' }] },
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
    });
    expect(response.status).toBe(200);
    expect(response.text).toBe(body);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it('stream: text, finish and include_usage chunk match the fixture; every chunk is spec-valid', async () => {
    const expected = expectedFromOpenAIStream(openaiChunksSse(TEXT_CHUNKS));
    mock.enqueue(openaiChunksAnswer(TEXT_CHUNKS));
    const requestId = `e2e-${randomUUID()}`;
    const params = {
      model: 'oai/gpt-4.1',
      messages: [{ role: 'user', content: 'Invent a new holiday and describe its traditions.' }],
      stream: true,
      stream_options: { include_usage: true },
      x_custom_field: { nested: [1, 2] },
    } as ChatCompletionCreateParamsStreaming;

    const stream = await client.chat.completions.create(params, { headers: { 'x-request-id': requestId } });
    const read = await readChatStream(stream);

    expect(read.text).toBe(expected.text);
    expect(read.finishReason).toBe('stop');
    expect(read.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 300, total_tokens: 316 });
    expect(openAIUsage(read.usage as unknown as Record<string, unknown>)).toEqual(expected.usage);
    // Unknown upstream chunk fields (obfuscation) come through the relay.
    expect((read.chunks[0] as unknown as { obfuscation?: string }).obfuscation).toBe('Qup1BsQ3');
    expect(mock.lastBody()).toEqual({ ...params, model: 'gpt-4.1' });

    const usage = await gateway.usageRecord(requestId);
    expect(usage).toMatchObject({ fastPath: true, stream: true });
    expect(usage.usage).toMatchObject({ inputTokens: 16, outputTokens: 300 });
  });

  it('stream: relays the upstream SSE bytes unchanged', async () => {
    const sse = cassetteText(TOOL_STREAM, 0);
    const body = { model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true };
    mock.enqueue(cassetteAnswer(TOOL_STREAM, 0));
    const response = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { ...body, stream_options: { include_usage: true } },
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.text).toBe(sse);

    // Usage is asked for even when the client did not (budgets and the usage log need it); the
    // usage-only chunk it brings is dropped, every other byte is relayed as it came.
    mock.enqueue(cassetteAnswer(TOOL_STREAM, 0));
    const unasked = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body,
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
    });
    expect(mock.lastBody()).toMatchObject({ stream_options: { include_usage: true } });
    const usageOnly = sse.split('\n').find((line) => line.includes('"choices":[],"usage":{'));
    expect(usageOnly).toBeDefined();
    expect(unasked.text).toBe(sse.replace(`${usageOnly}\n`, ''));
  });

  it('stream: each upstream chunk reaches the client before the upstream has finished', async () => {
    mock.enqueue(cassetteAnswer(TOOL_STREAM, 1, { delayMs: 80 }));
    const stream = await client.chat.completions.create({
      model: 'oai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'What is the capital of the UK?' }],
      stream: true,
    });
    let firstAt: number | undefined;
    for await (const _chunk of stream) firstAt ??= performance.now();
    const written = mock.last().chunkWrittenAt;
    expect(written.length).toBeGreaterThan(5);
    expect(firstAt).toBeDefined();
    expect(firstAt!).toBeLessThan(written.at(-1)!);
  });
});

describe('openai fast path: tools', () => {
  it('stream: the SDK stream helper assembles the streamed tool arguments exactly', async () => {
    const expected = expectedFromOpenAIStream(cassetteText(TOOL_STREAM, 0));
    mock.enqueue(cassetteAnswer(TOOL_STREAM, 0));
    const done: Array<{ name: string; arguments: string }> = [];
    const runner = client.chat.completions.stream({
      model: 'oai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'What is the capital of the UK? Use the tool, then answer.' }],
      tools: [GET_CAPITAL],
      tool_choice: 'auto',
      stream_options: { include_usage: true },
    });
    const chunks: unknown[] = [];
    runner.on('chunk', (chunk) => chunks.push(chunk));
    runner.on('tool_calls.function.arguments.done', (event) =>
      done.push({ name: event.name, arguments: event.arguments }),
    );
    const final = await runner.finalChatCompletion();

    const call = final.choices[0]!.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    expect(
      call && 'function' in call
        ? { id: call.id, name: call.function.name, arguments: call.function.arguments }
        : undefined,
    ).toEqual(expected.toolCalls[0]);
    expect(expected.toolCalls[0]).toEqual({
      id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj',
      name: 'get_capital',
      arguments: '{"country":"UK"}',
    });
    expect(done).toEqual([{ name: 'get_capital', arguments: '{"country":"UK"}' }]);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final.usage).toMatchObject({
      prompt_tokens: expected.usage.prompt_tokens,
      completion_tokens: expected.usage.completion_tokens,
    });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expectValidAgainstSpec('CreateChatCompletionStreamResponse', chunk);
    expect(mock.lastBody().tools).toEqual([GET_CAPITAL]);
  });

  it('non-stream: tool call id, name and arguments exactly as recorded; tool results go upstream untouched', async () => {
    mock.enqueue(jsonAnswer(cassetteJson(TOOL_JSON, 0)));
    const first = await client.chat.completions.create({
      model: 'oai/gpt-4o',
      messages: [{ role: 'user', content: 'What is the largest city in the user country?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_user_country',
            description: '',
            parameters: { type: 'object', properties: {} },
          },
        },
      ],
      tool_choice: 'required',
    });
    const message = validMessage(first);
    const call = message.tool_calls?.[0];
    expect(
      call && 'function' in call ? [call.id, call.function.name, call.function.arguments] : undefined,
    ).toEqual(['call_iXFttys57ap0o16JSlC8yhYo', 'get_user_country', '{}']);
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');

    mock.enqueue(jsonAnswer(cassetteJson(TOOL_JSON, 1)));
    const history = [
      { role: 'user' as const, content: 'What is the largest city in the user country?' },
      { role: 'assistant' as const, content: null, tool_calls: message.tool_calls },
      { role: 'tool' as const, tool_call_id: 'call_iXFttys57ap0o16JSlC8yhYo', content: 'Mexico' },
    ];
    const second = await client.chat.completions.create({ model: 'oai/gpt-4o', messages: history });
    const secondCall = validMessage(second).tool_calls?.[0];
    expect(secondCall && 'function' in secondCall ? secondCall.function.arguments : undefined).toBe(
      '{"city": "Mexico City", "country": "Mexico"}',
    );
    expect(mock.lastBody().messages).toEqual(JSON.parse(JSON.stringify(history)));
  });
});

describe('openai fast path: usage and alias defaults', () => {
  it('cached prompt tokens reach the client and the usage log', async () => {
    // Relayed as recorded; this recording has system_fingerprint: null, so it is not spec-validated here.
    mock.enqueue(jsonAnswer(cassetteJson(CACHE_JSON, 1)));
    const requestId = `e2e-${randomUUID()}`;
    const completion = await client.chat.completions.create(
      { model: 'oai/gpt-5.6-sol', messages: [{ role: 'user', content: 'Reply OK.' }] },
      { headers: { 'x-request-id': requestId } },
    );
    expect(completion.choices[0]!.message.content).toBe('OK');
    expect(completion.usage?.prompt_tokens).toBe(4020);
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(4012);
    const usage = await gateway.usageRecord(requestId);
    expect(usage.usage).toMatchObject({ inputTokens: 4020, outputTokens: 4, cachedInputTokens: 4012 });
  });

  it('an alias resolves to its target and fills its defaults; the client value wins', async () => {
    mock.enqueue(jsonFixtureAnswer(TEXT_JSON), jsonFixtureAnswer(TEXT_JSON));
    const { response } = await client.chat.completions
      .create({ model: 'default', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.headers.get('x-junction-model')).toBe('gpt-4.1');
    expect(mock.lastBody()).toEqual({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
    });

    await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.9,
    });
    expect(mock.lastBody().temperature).toBe(0.9);
  });
});

describe('openai fast path: request ids', () => {
  // OpenAI sends its own x-request-id with every answer: it must not replace the gateway's, which is the
  // id in the log line and the usage record.
  const UPSTREAM_ID = 'req_upstream0123456789abcdef';

  it('non-stream: a client-sent x-request-id is kept; the upstream id comes as x-junction-upstream-request-id', async () => {
    const answer = jsonFixtureAnswer(TEXT_JSON);
    mock.enqueue({ ...answer, headers: { ...answer.headers, 'x-request-id': UPSTREAM_ID } });
    const requestId = `e2e-${randomUUID()}`;
    const { response } = await client.chat.completions
      .create(
        { model: 'oai/gpt-4.1', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-request-id': requestId } },
      )
      .withResponse();
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(response.headers.get('x-junction-upstream-request-id')).toBe(UPSTREAM_ID);
    expect(await gateway.usageRecord(requestId)).toMatchObject({ fastPath: true, requestId });
  });

  it('stream: the gateway’s own id (the one it logs) is kept; the upstream id comes aside', async () => {
    const answer = openaiChunksAnswer(TEXT_CHUNKS);
    mock.enqueue({ ...answer, headers: { ...answer.headers, 'x-request-id': UPSTREAM_ID } });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'oai/gpt-4.1', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .withResponse();
    await readChatStream(stream);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-junction-upstream-request-id')).toBe(UPSTREAM_ID);
    expect(await gateway.usageRecord(requestId!)).toMatchObject({ fastPath: true, stream: true });
  });
});
