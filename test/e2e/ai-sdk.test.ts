/**
 * A second real client: the Vercel AI SDK (`ai` + `@ai-sdk/openai-compatible`) generateText and
 * streamText against the gateway's echo provider and its OpenAI fast path.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText, tool } from 'ai';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import { expectedFromOpenAIStream } from '../support/fixture-expectations.js';
import { loadJson } from '../support/fixtures.js';
import { jsonFixtureAnswer, openaiChunksAnswer, openaiChunksSse } from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-ai-sdk-client-key';
const TEXT_JSON = 'openai-chat/vercel-openai-text.json';
const TEXT_CHUNKS = 'openai-chat/vercel-openai-text.chunks.txt';

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[providers.oai]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "sk-test"

[providers.echo]
type = "echo"
`,
}));
let junction: ReturnType<typeof createOpenAICompatible>;

beforeAll(() => {
  junction = createOpenAICompatible({
    name: 'junction',
    baseURL: `${gateway.baseURL}/v1`,
    apiKey: CLIENT_KEY,
    includeUsage: true,
  });
});

describe('Vercel AI SDK against echo', () => {
  it('generateText echoes the prompt and reports usage', async () => {
    const result = await generateText({
      model: junction.chatModel('echo/echo'),
      prompt: 'the quick brown fox',
      maxRetries: 0,
    });
    expect(result.text).toBe('the quick brown fox');
    expect(result.finishReason).toBe('stop');
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
  });

  it('streamText streams the echo in pieces, with usage', async () => {
    const result = streamText({
      model: junction.chatModel('echo/echo'),
      prompt: 'jumps over the lazy dog',
      maxRetries: 0,
    });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    expect(pieces.join('')).toBe('jumps over the lazy dog');
    expect(pieces.length).toBeGreaterThan(1);
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
    expect(await result.finishReason).toBe('stop');
  });

  it('generateText with a tool: the echo tool call arrives as a typed tool call', async () => {
    const result = await generateText({
      model: junction.chatModel('echo/echo'),
      prompt: '/tool get_weather {"city":"Paris"}',
      tools: {
        get_weather: tool({ description: 'Weather for a city', inputSchema: z.object({ city: z.string() }) }),
      },
      maxRetries: 0,
    });
    expect(result.finishReason).toBe('tool-calls');
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({ toolName: 'get_weather', input: { city: 'Paris' } });
  });
});

describe('Vercel AI SDK against the OpenAI fast path', () => {
  it('generateText returns the recorded text and usage', async () => {
    const fixture = loadJson(TEXT_JSON) as { choices: Array<{ message: { content: string } }> };
    mock.enqueue(jsonFixtureAnswer(TEXT_JSON));
    const result = await generateText({
      model: junction.chatModel('oai/gpt-4.1-nano'),
      prompt: 'Invent a holiday.',
      maxRetries: 0,
    });
    expect(result.text).toBe(fixture.choices[0]!.message.content);
    expect(result.usage).toMatchObject({ inputTokens: 16, outputTokens: 363 });
    expect(mock.lastBody().model).toBe('gpt-4.1-nano');
  });

  it('streamText returns the recorded stream text and usage', async () => {
    const expected = expectedFromOpenAIStream(openaiChunksSse(TEXT_CHUNKS));
    mock.enqueue(openaiChunksAnswer(TEXT_CHUNKS));
    const result = streamText({
      model: junction.chatModel('oai/gpt-4.1-nano'),
      prompt: 'Invent a holiday.',
      maxRetries: 0,
    });
    let text = '';
    for await (const piece of result.textStream) text += piece;
    expect(text).toBe(expected.text);
    expect(await result.usage).toMatchObject({ inputTokens: 16, outputTokens: 300 });
    expect(mock.lastBody()).toMatchObject({
      model: 'gpt-4.1-nano',
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});
