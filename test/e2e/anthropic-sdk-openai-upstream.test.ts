/**
 * @anthropic-ai/sdk client -> OpenAI-type upstream (translated path), multi-turn tool use with extended
 * thinking. The mock replays recorded Chat Completions streams (DeepSeek reasoner: reasoning_content then a
 * tool call, with cached tokens; OpenRouter: signed reasoning_details). The client must get Anthropic's
 * exact event sequence and a final message matching the recording, and the tool_result turn (sent with
 * the assistant's thinking blocks as returned) must reach the upstream as a Chat Completions tool round trip.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import { answerFromOpenAIStream } from '../support/matrix-answer.js';
import { anthropicBlocks, anthropicStreamProblems } from '../support/matrix-anthropic-events.js';
import {
  cassetteAnswer,
  cassetteText,
  openaiChunksAnswer,
  openaiChunksSse,
} from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-anthropic-sdk-openai';
const TOOL_CALL = 'openai-chat/vercel-deepseek-tool-call.chunks.txt';
/** A recorded answer to a tool-result turn (interaction 1 of the cassette). */
const FOLLOW_UP = 'openai-chat/pydantic-ai-openai-stream_tool_call_deltas.yaml';
const SIGNED = 'openai-chat/pydantic-ai-openrouter_streaming_reasoning.yaml';
const MODEL = 'ds/deepseek-reasoner';
const THINKING = { type: 'enabled', budget_tokens: 2048 } as const;
const WEATHER: Anthropic.Tool = {
  name: 'weather',
  description: 'Get the weather in a location',
  input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};
const QUESTION = 'What is the weather in San Francisco?';
const RESULT = 'Sunny, 18°C';

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[providers.ds]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "sk-upstream-deepseek"
`,
}));
let client: Anthropic;

beforeAll(() => {
  client = anthropicClient(gateway.baseURL, CLIENT_KEY);
});

/** What the recording says: the reasoning text, and one weather call with its recorded id and arguments. */
function recorded() {
  const answer = answerFromOpenAIStream(openaiChunksSse(TOOL_CALL));
  const [thinking, call] = answer.blocks;
  if (thinking?.type !== 'thinking' || call?.type !== 'tool_use') throw new Error('unexpected recording');
  return { reasoning: thinking.thinking, id: call.id!, args: JSON.parse(call.arguments) as unknown };
}

type ChatMessage = Record<string, unknown> & { role: string };

function upstreamMessages(): ChatMessage[] {
  return mock.lastBody().messages as ChatMessage[];
}

/** The tool_result turn: the assistant content exactly as the SDK returned it, then the result. */
function secondTurn(first: Anthropic.Message): Anthropic.MessageParam[] {
  const toolUse = first.content.find((block) => block.type === 'tool_use')!;
  return [
    { role: 'user', content: QUESTION },
    { role: 'assistant', content: first.content },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: RESULT }] },
  ];
}

function expectToolRoundTripUpstream(id: string, args: unknown): void {
  const messages = upstreamMessages();
  expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
  const assistant = messages[1]!;
  const calls = assistant.tool_calls as Array<{
    id: string;
    type: string;
    function: { name: string; arguments: string };
  }>;
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatchObject({ id, type: 'function', function: { name: 'weather' } });
  expect(JSON.parse(calls[0]!.function.arguments)).toEqual(args);
  // Chat Completions has no request field for reasoning: the thinking block is not sent back.
  expect(Object.keys(assistant).filter((key) => key.startsWith('reasoning'))).toEqual([]);
  expect(messages[2]).toEqual({ role: 'tool', tool_call_id: id, content: RESULT });
}

describe('anthropic sdk -> openai-type upstream: tool use with thinking', () => {
  it('stream: thinking deltas, a tool_use block with input_json_delta, stop_reason tool_use with cached usage; then the tool_result turn', async () => {
    const { reasoning, id, args } = recorded();
    mock.enqueue(openaiChunksAnswer(TOOL_CALL));
    const stream = client.messages.stream({
      model: MODEL,
      max_tokens: 4096,
      thinking: THINKING,
      tools: [WEATHER],
      messages: [{ role: 'user', content: QUESTION }],
    });
    const events: Anthropic.MessageStreamEvent[] = [];
    let thinkingText = '';
    let inputJson = '';
    stream.on('thinking', (delta) => {
      thinkingText += delta;
    });
    stream.on('inputJson', (delta) => {
      inputJson += delta;
    });
    for await (const event of stream) events.push(event);
    const final = await stream.finalMessage();

    expect(anthropicStreamProblems(events)).toEqual([]);
    const blocks = anthropicBlocks(events);
    expect(blocks.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    // DeepSeek signs nothing: thinking deltas only, no signature_delta.
    expect(new Set(blocks[0]!.deltas)).toEqual(new Set(['thinking_delta']));
    expect(blocks[0]!.deltas.length).toBeGreaterThan(5);
    expect(new Set(blocks[1]!.deltas)).toEqual(new Set(['input_json_delta']));
    expect(blocks[1]!.deltas.length).toBeGreaterThan(3);
    const start = events.find((e) => e.type === 'content_block_start' && e.index === 1);
    expect(start).toMatchObject({ content_block: { type: 'tool_use', id, name: 'weather', input: {} } });
    const messageDelta = events.find((e) => e.type === 'message_delta');
    expect(messageDelta).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: {
        input_tokens: 19,
        cache_read_input_tokens: 320,
        cache_creation_input_tokens: 0,
        output_tokens: 83,
      },
    });
    expect(events.at(-1)?.type).toBe('message_stop');

    expect(thinkingText).toBe(reasoning);
    expect(JSON.parse(inputJson)).toEqual(args);
    expect(final.content).toEqual([
      { type: 'thinking', thinking: reasoning, signature: '' },
      { type: 'tool_use', id, name: 'weather', input: args },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.model).toBe(MODEL);

    const first = mock.lastBody();
    expect(first).toMatchObject({ model: 'deepseek-reasoner', stream: true, reasoning_effort: 'low' });
    expect((first.tools as Array<{ function: { name: string } }>).map((t) => t.function.name)).toEqual([
      'weather',
    ]);

    // Turn 2: the tool result, with the thinking block sent back as it came.
    mock.enqueue(cassetteAnswer(FOLLOW_UP, 1));
    const followUp = answerFromOpenAIStream(cassetteText(FOLLOW_UP, 1));
    const second = await client.messages
      .stream({
        model: MODEL,
        max_tokens: 4096,
        thinking: THINKING,
        tools: [WEATHER],
        messages: secondTurn(final),
      })
      .finalMessage();
    expect(second.content).toEqual([{ type: 'text', text: (followUp.blocks[0] as { text: string }).text }]);
    expect(second.stop_reason).toBe('end_turn');
    expectToolRoundTripUpstream(id, args);
  });

  it('non-stream: the same message from messages.create, and the tool_result turn', async () => {
    const { reasoning, id, args } = recorded();
    mock.enqueue(openaiChunksAnswer(TOOL_CALL));
    const first = await client.messages.create({
      model: MODEL,
      max_tokens: 4096,
      thinking: THINKING,
      tools: [WEATHER],
      messages: [{ role: 'user', content: QUESTION }],
    });
    expect(first.type).toBe('message');
    expect(first.id).toMatch(/^msg_/);
    expect(first.content).toEqual([
      { type: 'thinking', thinking: reasoning, signature: '' },
      { type: 'tool_use', id, name: 'weather', input: args },
    ]);
    expect(first.stop_reason).toBe('tool_use');
    expect(first.usage).toEqual({
      input_tokens: 19,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 320,
      output_tokens: 83,
    });

    mock.enqueue(cassetteAnswer(FOLLOW_UP, 1));
    const second = await client.messages.create({
      model: MODEL,
      max_tokens: 4096,
      thinking: THINKING,
      tools: [WEATHER],
      messages: secondTurn(first),
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(second.content[0]?.type).toBe('text');
    expectToolRoundTripUpstream(id, args);
  });

  it('stream: a signed reasoning_details block (OpenRouter) arrives as thinking_delta then signature_delta, and the SDK keeps the signature', async () => {
    const recording = answerFromOpenAIStream(cassetteText(SIGNED));
    const thinking = recording.blocks[0];
    if (thinking?.type !== 'thinking' || !thinking.signature) throw new Error('unexpected recording');
    mock.enqueue(cassetteAnswer(SIGNED));
    const stream = client.messages.stream({
      model: 'ds/anthropic/claude-sonnet-4.5',
      max_tokens: 4096,
      thinking: THINKING,
      messages: [{ role: 'user', content: 'What is 2+2?' }],
    });
    const signatures: string[] = [];
    stream.on('signature', (signature) => signatures.push(signature));
    const events: Anthropic.MessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalMessage();

    expect(anthropicStreamProblems(events)).toEqual([]);
    const blocks = anthropicBlocks(events);
    expect(blocks.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(blocks[0]!.deltas.at(-1)).toBe('signature_delta');
    expect(signatures).toEqual([thinking.signature]);
    expect(final.content).toEqual([
      { type: 'thinking', thinking: thinking.thinking, signature: thinking.signature },
      { type: 'text', text: '2 + 2 = 4' },
    ]);
    expect(final.usage).toMatchObject({ input_tokens: 43, output_tokens: 36 });
  });
});
