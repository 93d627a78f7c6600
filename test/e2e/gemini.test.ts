/**
 * OpenAI-chat client -> Gemini provider (translated path). The mock replays recorded
 * streamGenerateContent SSE; the client must get exactly the recorded text, function calls (with their
 * thought signatures carried for the next turn), thoughts as reasoning and usage, in spec-valid Chat
 * Completions; the upstream must receive a proper Gemini request.
 */
import { randomUUID } from 'node:crypto';
import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { beforeAll, describe, expect, it } from 'vitest';
import { openaiClient, readChatStream, validMessage } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import { expectedFromGeminiStream } from '../support/fixture-expectations.js';
import { loadChunks } from '../support/fixtures.js';
import {
  cassetteAnswer,
  cassetteJson,
  cassetteText,
  geminiChunksAnswer,
  geminiChunksSse,
  geminiJsonAsSse,
  sseAnswer,
} from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-gemini-client-key';
const TEXT = 'gemini/vercel-google-text.chunks.txt';
const RAW_TEXT = 'gemini/pydantic-ai-google_model_stream.yaml';
const TOOL = 'gemini/vercel-google-tool-call.chunks.txt';
const CACHED = 'gemini/pydantic-ai-google_model_cached_content.yaml';
const THINKING = 'gemini/pydantic-ai-google_model_thinking_part_iter.yaml';

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'weather',
    description: 'Get the weather in a location',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string', description: 'The location to get the weather for' } },
      required: ['location'],
      additionalProperties: false,
    },
  },
};

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[providers.gem]
type = "gemini"
base_url = "${upstream.origin}"
api_key = "test"

[[models]]
alias = "flash"
targets = ["gem/gemini-2.5-flash"]
`,
}));
let client: OpenAI;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, CLIENT_KEY);
});

type GeminiContent = { role: string; parts: Array<Record<string, unknown>> };

describe('gemini: text', () => {
  it('non-stream: exact text and usage; the upstream gets streamGenerateContent with systemInstruction and x-goog-api-key', async () => {
    const expected = expectedFromGeminiStream(geminiChunksSse(TEXT));
    mock.enqueue(geminiChunksAnswer(TEXT));
    const requestId = `e2e-${randomUUID()}`;
    const { data, response } = await client.chat.completions
      .create(
        {
          model: 'flash',
          messages: [
            { role: 'system', content: 'Count carefully.' },
            { role: 'user', content: 'How many "r"s are in strawberry?' },
          ],
          temperature: 0.3,
          max_tokens: 500,
        },
        { headers: { 'x-request-id': requestId } },
      )
      .withResponse();

    const message = validMessage(data);
    expect(message.content).toBe(expected.text);
    expect(expected.text).toContain('strawberry');
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({
      prompt_tokens: expected.usage.prompt_tokens,
      completion_tokens: expected.usage.completion_tokens,
      total_tokens: expected.usage.prompt_tokens + expected.usage.completion_tokens,
    });
    expect(data.usage?.completion_tokens_details?.reasoning_tokens).toBe(expected.usage.reasoning_tokens);
    expect(response.headers.get('x-junction-provider')).toBe('gem');
    expect(response.headers.get('x-junction-model')).toBe('gemini-2.5-flash');

    const upstream = mock.last();
    expect(upstream.method).toBe('POST');
    expect(upstream.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    expect(upstream.query.get('alt')).toBe('sse');
    expect(upstream.query.get('key')).toBeNull();
    expect(upstream.headers['x-goog-api-key']).toBe('test');
    expect(upstream.headers.authorization).toBeUndefined();
    expect(upstream.rawBody).not.toContain(CLIENT_KEY);
    const body = mock.lastBody();
    expect((body.systemInstruction as GeminiContent).parts).toEqual([{ text: 'Count carefully.' }]);
    const contents = body.contents as GeminiContent[];
    expect(contents).toEqual([{ role: 'user', parts: [{ text: 'How many "r"s are in strawberry?' }] }]);
    expect(body.generationConfig).toMatchObject({ temperature: 0.3, maxOutputTokens: 500 });

    const usage = await gateway.usageRecord(requestId);
    expect(usage).toMatchObject({ provider: 'gem', fastPath: false, status: 200 });
    expect(usage.usage).toMatchObject({
      inputTokens: expected.usage.prompt_tokens,
      outputTokens: expected.usage.completion_tokens,
    });
  });

  it('stream: byte-exact recorded SSE (CRLF framing) gives the exact text and usage chunk', async () => {
    const expected = expectedFromGeminiStream(cassetteText(RAW_TEXT));
    mock.enqueue(cassetteAnswer(RAW_TEXT));
    const read = await readChatStream(
      await client.chat.completions.create({
        model: 'gem/gemini-2.0-flash-exp',
        messages: [
          { role: 'system', content: 'You are a helpful chatbot.' },
          { role: 'user', content: 'What is the capital of France?' },
        ],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(read.text).toBe('The capital of France is Paris.\n');
    expect(read.text).toBe(expected.text);
    expect(read.finishReason).toBe('stop');
    expect(read.ids.size).toBe(1);
    expect(read.usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 8, total_tokens: 21 });
  });

  it('usage: cachedContentTokenCount becomes cached_tokens, thoughts count as completion and reasoning tokens', async () => {
    const recorded = cassetteJson(CACHED, 1);
    const sse = geminiJsonAsSse(recorded);
    const expected = expectedFromGeminiStream(sse);
    expect(expected.usage).toEqual({
      prompt_tokens: 3520,
      completion_tokens: 44,
      cached_tokens: 3512,
      reasoning_tokens: 42,
    });
    mock.enqueue(sseAnswer(sse));
    const requestId = `e2e-${randomUUID()}`;
    const completion = await client.chat.completions.create(
      { model: 'flash', messages: [{ role: 'user', content: 'What is the capital of France?' }] },
      { headers: { 'x-request-id': requestId } },
    );
    const message = validMessage(completion);
    expect(message.content).toBe('Paris.');
    expect(completion.usage).toMatchObject({
      prompt_tokens: 3520,
      completion_tokens: 44,
      total_tokens: 3564,
    });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(3512);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(42);
    const usage = await gateway.usageRecord(requestId);
    expect(usage.usage).toMatchObject({
      inputTokens: 3520,
      outputTokens: 44,
      cachedInputTokens: 3512,
      reasoningTokens: 42,
    });
  });
});

describe('gemini: tools', () => {
  const signature = (
    loadChunks(TOOL)[0] as { candidates: Array<{ content: { parts: Array<{ thoughtSignature: string }> } }> }
  ).candidates[0]!.content.parts[0]!.thoughtSignature;

  it('non-stream: functionCall becomes a tool call with the recorded name and arguments, finish tool_calls', async () => {
    const expected = expectedFromGeminiStream(geminiChunksSse(TOOL));
    mock.enqueue(geminiChunksAnswer(TOOL));
    const completion = await client.chat.completions.create({
      model: 'gem/gemini-3-pro-preview',
      messages: [{ role: 'user', content: 'What is the weather in San Francisco?' }],
      tools: [WEATHER_TOOL],
    });
    const message = validMessage(completion);
    const call = message.tool_calls?.[0];
    expect(message.tool_calls).toHaveLength(1);
    expect(call?.type).toBe('function');
    if (!call || !('function' in call)) throw new Error('expected a function tool call');
    expect(call.function.name).toBe('weather');
    expect(JSON.parse(call.function.arguments)).toEqual(JSON.parse(expected.toolCalls[0]!.arguments));
    expect(JSON.parse(call.function.arguments)).toEqual({ location: 'San Francisco' });
    expect(call.id).toMatch(/\S/);
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.usage).toMatchObject({ prompt_tokens: 29, completion_tokens: 60 });

    const declarations = (
      mock.lastBody().tools as Array<{ functionDeclarations?: Array<Record<string, unknown>> }>
    )[0]!.functionDeclarations!;
    expect(declarations).toHaveLength(1);
    expect(declarations[0]).toMatchObject({ name: 'weather', description: 'Get the weather in a location' });
    // Gemini rejects additionalProperties: the schema goes up in the subset it accepts.
    expect(JSON.stringify(declarations[0])).not.toContain('additionalProperties');
    expect(JSON.stringify(declarations[0])).toContain('location');
  });

  it('stream: the SDK stream helper assembles the tool call; the thought signature survives the next turn', async () => {
    mock.enqueue(geminiChunksAnswer(TOOL));
    const done: Array<{ name: string; arguments: string }> = [];
    const chunks: ChatCompletionChunk[] = [];
    const question = 'What is the weather in San Francisco?';
    const runner = client.chat.completions.stream({
      model: 'gem/gemini-3-pro-preview',
      messages: [{ role: 'user', content: question }],
      tools: [WEATHER_TOOL],
    });
    runner.on('chunk', (chunk) => chunks.push(chunk));
    runner.on('tool_calls.function.arguments.done', (event) =>
      done.push({ name: event.name, arguments: event.arguments }),
    );
    const final = await runner.finalChatCompletion();
    expect(done).toHaveLength(1);
    expect(done[0]!.name).toBe('weather');
    expect(JSON.parse(done[0]!.arguments)).toEqual({ location: 'San Francisco' });
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');

    // The signature carrier is a field the SDK's snapshot does not model: read it off the raw chunks
    // (which readChatStream also validates against the spec).
    const read = await readChatStream(chunks);
    const call = read.toolCalls[0]!;
    expect(call.extra_content).toEqual({ google: { thought_signature: signature } });

    mock.enqueue(geminiChunksAnswer(TEXT));
    const history = [
      { role: 'user', content: question },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
            extra_content: call.extra_content,
          },
        ],
      },
      { role: 'tool', tool_call_id: call.id, content: '{"temperature":"18C"}' },
    ] as ChatCompletionMessageParam[];
    await client.chat.completions.create({
      model: 'gem/gemini-3-pro-preview',
      messages: history,
      tools: [WEATHER_TOOL],
    });
    const contents = mock.lastBody().contents as GeminiContent[];
    expect(contents.map((content) => content.role)).toEqual(['user', 'model', 'user']);
    expect(contents[1]!.parts[0]).toMatchObject({
      functionCall: { name: 'weather', args: { location: 'San Francisco' } },
      thoughtSignature: signature,
    });
    expect(contents[2]!.parts[0]).toMatchObject({ functionResponse: { name: 'weather' } });
  });
});

describe('gemini: streamed function-call arguments (partialArgs)', () => {
  // The recording streams two getWeather calls whose `location` arrives in partialArgs pieces:
  // "Boston" (+ "") then "San Francisco" (+ "").
  const PARTIAL = 'gemini/vercel-google-stream-tool-call-arguments.chunks.txt';
  const GET_WEATHER = {
    type: 'function' as const,
    function: {
      name: 'getWeather',
      parameters: { type: 'object', properties: { location: { type: 'string' } } },
    },
  };

  it('stream: two parallel calls at indexes 0 and 1, arguments assembled by the SDK stream helper', async () => {
    mock.enqueue(geminiChunksAnswer(PARTIAL));
    const done: Array<{ index: number; name: string; arguments: unknown }> = [];
    const chunks: ChatCompletionChunk[] = [];
    const runner = client.chat.completions.stream({
      model: 'gem/gemini-3.1-pro-preview',
      messages: [{ role: 'user', content: 'Weather in Boston and San Francisco?' }],
      tools: [GET_WEATHER],
    });
    runner.on('chunk', (chunk) => chunks.push(chunk));
    runner.on('tool_calls.function.arguments.done', (event) =>
      done.push({ index: event.index, name: event.name, arguments: JSON.parse(event.arguments) }),
    );
    const final = await runner.finalChatCompletion();
    await readChatStream(chunks);
    expect(done).toEqual([
      { index: 0, name: 'getWeather', arguments: { location: 'Boston' } },
      { index: 1, name: 'getWeather', arguments: { location: 'San Francisco' } },
    ]);
    const ids = (final.choices[0]!.message.tool_calls ?? []).map((call) => call.id);
    expect(new Set(ids).size).toBe(2);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('non-stream: the same two calls, complete', async () => {
    mock.enqueue(geminiChunksAnswer(PARTIAL));
    const completion = await client.chat.completions.create({
      model: 'gem/gemini-3.1-pro-preview',
      messages: [{ role: 'user', content: 'Weather in Boston and San Francisco?' }],
      tools: [GET_WEATHER],
    });
    const calls = (validMessage(completion).tool_calls ?? []).map((call) =>
      'function' in call
        ? { name: call.function.name, arguments: JSON.parse(call.function.arguments) as unknown }
        : undefined,
    );
    expect(calls).toEqual([
      { name: 'getWeather', arguments: { location: 'Boston' } },
      { name: 'getWeather', arguments: { location: 'San Francisco' } },
    ]);
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
  });
});

describe('gemini: reasoning', () => {
  it('stream: thought parts arrive as reasoning_content, the answer as content; thoughts are reasoning tokens', async () => {
    const expected = expectedFromGeminiStream(cassetteText(THINKING));
    expect(expected.reasoning.length).toBeGreaterThan(100);
    mock.enqueue(cassetteAnswer(THINKING));
    const read = await readChatStream(
      await client.chat.completions.create({
        model: 'gem/gemini-2.5-pro',
        messages: [{ role: 'user', content: 'How do I cross the street?' }],
        reasoning_effort: 'low',
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const thinking = (mock.lastBody().generationConfig as { thinkingConfig?: Record<string, unknown> })
      .thinkingConfig;
    expect(thinking).toMatchObject({ includeThoughts: true, thinkingBudget: 2048 });
    expect(read.reasoning).toBe(expected.reasoning);
    expect(read.text).toBe(expected.text);
    expect(read.finishReason).toBe('stop');
    expect(read.usage).toMatchObject({ prompt_tokens: 34, completion_tokens: 469 + 787 });
    expect(read.usage?.completion_tokens_details?.reasoning_tokens).toBe(787);
  });

  it('non-stream: the same thoughts as message.reasoning_content', async () => {
    const expected = expectedFromGeminiStream(cassetteText(THINKING));
    mock.enqueue(cassetteAnswer(THINKING));
    const completion = await client.chat.completions.create({
      model: 'gem/gemini-2.5-pro',
      messages: [{ role: 'user', content: 'How do I cross the street?' }],
      reasoning_effort: 'low',
    });
    const message = validMessage(completion);
    expect(message.reasoning_content).toBe(expected.reasoning);
    expect(message.content).toBe(expected.text);
  });
});
