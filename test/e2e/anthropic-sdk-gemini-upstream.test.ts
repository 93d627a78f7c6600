/**
 * @anthropic-ai/sdk client -> Gemini upstream (translated path), multi-turn tool use with thinking.
 * Gemini 3 signs its function calls (`thoughtSignature`) and rejects the next turn if the signature does not
 * come back on the same call. On the Anthropic surface the signature rides in a thinking block placed right
 * before its tool_use block (`signature: "gemini:function_call:<sig>"`), which Anthropic clients already send
 * back untouched; these tests replay recorded Gemini 3 streams, including a real two-turn conversation, and
 * check the client's events and what the second Gemini request contains.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import { loadCassette, requestJson } from '../support/fixtures.js';
import type { Answer } from '../support/matrix-answer.js';
import { answerFromGeminiStream } from '../support/matrix-answer.js';
import { anthropicBlocks, anthropicStreamProblems } from '../support/matrix-anthropic-events.js';
import {
  cassetteAnswer,
  cassetteJson,
  cassetteText,
  geminiChunksAnswer,
  geminiChunksSse,
  geminiJsonAsSse,
  sseAnswer,
} from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-anthropic-sdk-gemini';
/** A real two-turn conversation: a signed get_country call, then the answer to its result. */
const CONVERSATION = 'gemini/pydantic-ai-google_streaming_tool_call_thought_signature.yaml';
const SIGNED_CALL = 'gemini/vercel-google-tool-call-gemini3.chunks.txt';
const THOUGHTS_AND_CALLS = 'gemini/vercel-google-stream-no-args-tool-call.chunks.txt';
const FOLLOW_UP = 'gemini/vercel-google-text.chunks.txt';
/** A real two-turn gemini-3 conversation without tools: a thought summary, then the signed answer text. */
const SIGNED_TEXT = 'gemini/pydantic-ai-google_model_thinking_part.yaml';
const THINKING = { type: 'enabled', budget_tokens: 2048 } as const;
const NO_ARGS = { type: 'object' as const, properties: {} };

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[providers.gem]
type = "gemini"
base_url = "${upstream.origin}"
api_key = "gemini-upstream-key"
`,
}));
let client: Anthropic;

beforeAll(() => {
  client = anthropicClient(gateway.baseURL, CLIENT_KEY);
});

type Part = Record<string, unknown> & {
  functionCall?: { id?: string; name: string; args: unknown };
  functionResponse?: { id?: string; name: string; response: unknown };
  thoughtSignature?: string;
};
type Content = { role: string; parts: Part[] };

function upstreamContents(): Content[] {
  return mock.lastBody().contents as Content[];
}

function calls(answer: Answer) {
  return answer.blocks.flatMap((b) => (b.type === 'tool_use' ? [b] : []));
}

async function streamed(params: Anthropic.MessageStreamParams) {
  const stream = client.messages.stream(params);
  const events: Anthropic.MessageStreamEvent[] = [];
  const signatures: string[] = [];
  stream.on('signature', (signature) => signatures.push(signature));
  for await (const event of stream) events.push(event);
  const final = await stream.finalMessage();
  expect(anthropicStreamProblems(events)).toEqual([]);
  return { events, signatures, final };
}

function toolResults(message: Anthropic.Message, results: string[]): Anthropic.MessageParam {
  const uses = message.content.filter((block) => block.type === 'tool_use');
  expect(uses).toHaveLength(results.length);
  return {
    role: 'user',
    content: uses.map((use, i) => ({ type: 'tool_result', tool_use_id: use.id, content: results[i]! })),
  };
}

describe('anthropic sdk -> gemini upstream: tool use with thought signatures', () => {
  it('stream: the recorded two-turn conversation; the signature comes back on the function call as the recording sent it', async () => {
    const turn1 = answerFromGeminiStream(cassetteText(CONVERSATION, 0));
    const [call] = calls(turn1);
    expect(call?.geminiSignature).toBeTruthy();
    const question = 'What is the capital of the user country? Call the tool';
    const tools: Anthropic.Tool[] = [{ name: 'get_country', description: '', input_schema: NO_ARGS }];

    mock.enqueue(cassetteAnswer(CONVERSATION, 0));
    const first = await streamed({
      model: 'gem/gemini-3-pro-preview',
      max_tokens: 4096,
      thinking: THINKING,
      tools,
      messages: [{ role: 'user', content: question }],
    });
    const blocks = anthropicBlocks(first.events);
    expect(blocks).toEqual([
      { index: 0, type: 'thinking', deltas: ['signature_delta'] },
      { index: 1, type: 'tool_use', deltas: ['input_json_delta'] },
    ]);
    expect(first.signatures).toEqual([`gemini:function_call:${call!.geminiSignature}`]);
    const toolUse = first.final.content[1];
    expect(first.final.content).toEqual([
      { type: 'thinking', thinking: '', signature: `gemini:function_call:${call!.geminiSignature}` },
      { type: 'tool_use', id: expect.stringMatching(/\S/), name: 'get_country', input: {} },
    ]);
    expect(first.final.stop_reason).toBe('tool_use');
    expect(first.events.find((e) => e.type === 'message_delta')).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { input_tokens: 29, output_tokens: 10 + 202 },
    });
    expect(mock.last().path).toBe('/v1beta/models/gemini-3-pro-preview:streamGenerateContent');
    expect((mock.lastBody().generationConfig as Record<string, unknown>).thinkingConfig).toEqual({
      thinkingBudget: 2048,
      includeThoughts: true,
    });

    // Turn 2: the assistant content as returned (the signed thinking block included) and the result.
    mock.enqueue(cassetteAnswer(CONVERSATION, 1));
    const second = await streamed({
      model: 'gem/gemini-3-pro-preview',
      max_tokens: 4096,
      thinking: THINKING,
      tools,
      messages: [
        { role: 'user', content: question },
        { role: 'assistant', content: first.final.content },
        toolResults(first.final, ['Mexico']),
      ],
    });
    expect(second.final.content).toEqual([{ type: 'text', text: 'The capital of Mexico is Mexico City.' }]);
    expect(second.final.stop_reason).toBe('end_turn');

    const id = toolUse?.type === 'tool_use' ? toolUse.id : '';
    expect(upstreamContents()).toEqual([
      { role: 'user', parts: [{ text: question }] },
      {
        role: 'model',
        parts: [
          { functionCall: { id, name: 'get_country', args: {} }, thoughtSignature: call!.geminiSignature },
        ],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { id, name: 'get_country', response: { result: 'Mexico' } } }],
      },
    ]);
    // The recorded second request has the same shape: the signed call, then its response.
    const recorded = requestJson(loadCassette(CONVERSATION)[1]!).contents as Content[];
    expect(recorded.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    expect(recorded[1]!.parts[0]!.functionCall).toMatchObject({ name: 'get_country', args: {} });
    expect(recorded[1]!.parts[0]!.thoughtSignature).toBeTruthy();
    expect(recorded[2]!.parts[0]!.functionResponse).toMatchObject({ name: 'get_country' });
  });

  it('non-stream: messages.create gives the signed thinking block and the tool_use; the tool_result turn gives the signature back', async () => {
    const answer = answerFromGeminiStream(geminiChunksSse(SIGNED_CALL));
    const [call] = calls(answer);
    const tools: Anthropic.Tool[] = [
      {
        name: 'weather',
        description: 'Get the weather in a location',
        input_schema: {
          type: 'object',
          properties: { location: { type: 'string' } },
          required: ['location'],
        },
      },
    ];
    mock.enqueue(geminiChunksAnswer(SIGNED_CALL));
    const first = await client.messages.create({
      model: 'gem/gemini-3-pro-preview',
      max_tokens: 4096,
      thinking: THINKING,
      tools,
      messages: [{ role: 'user', content: 'Weather in San Francisco?' }],
    });
    expect(first.content).toEqual([
      { type: 'thinking', thinking: '', signature: `gemini:function_call:${call!.geminiSignature}` },
      {
        type: 'tool_use',
        id: expect.stringMatching(/\S/),
        name: 'weather',
        input: { location: 'San Francisco' },
      },
    ]);
    expect(first.stop_reason).toBe('tool_use');
    expect(first.usage).toEqual({
      input_tokens: 29,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 15 + 804,
    });

    mock.enqueue(geminiChunksAnswer(FOLLOW_UP));
    const second = await client.messages.create({
      model: 'gem/gemini-3-pro-preview',
      max_tokens: 4096,
      thinking: THINKING,
      tools,
      messages: [
        { role: 'user', content: 'Weather in San Francisco?' },
        { role: 'assistant', content: first.content },
        toolResults(first, ['{"temperature":18,"sky":"clear"}']),
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    const [model, results] = upstreamContents().slice(1);
    const id = first.content[1]?.type === 'tool_use' ? first.content[1].id : '';
    expect(model).toEqual({
      role: 'model',
      parts: [
        {
          functionCall: { id, name: 'weather', args: { location: 'San Francisco' } },
          thoughtSignature: call!.geminiSignature,
        },
      ],
    });
    // A JSON result is passed to Gemini as the response object itself.
    expect(results).toEqual({
      role: 'user',
      parts: [{ functionResponse: { id, name: 'weather', response: { temperature: 18, sky: 'clear' } } }],
    });
  });

  it('stream with thoughts: thinking_delta for the thought summary, the signed call first among four parallel calls, all four results back', async () => {
    const answer = answerFromGeminiStream(geminiChunksSse(THOUGHTS_AND_CALLS));
    const thought = answer.blocks[0];
    const recordedCalls = calls(answer);
    expect(thought?.type).toBe('thinking');
    expect(recordedCalls.map((c) => c.name)).toEqual([
      'read_theme',
      'read_screen',
      'read_screen',
      'read_screen',
    ]);
    const tools: Anthropic.Tool[] = [
      { name: 'read_theme', description: 'The theme.', input_schema: NO_ARGS },
      {
        name: 'read_screen',
        description: 'A screen.',
        input_schema: { type: 'object', properties: { id: { type: 'string' } } },
      },
    ];
    const question = 'Read the theme and screens A, B and C.';

    mock.enqueue(geminiChunksAnswer(THOUGHTS_AND_CALLS));
    const first = await streamed({
      model: 'gem/gemini-3-flash-preview',
      max_tokens: 4096,
      thinking: THINKING,
      tools,
      messages: [{ role: 'user', content: question }],
    });
    const blocks = anthropicBlocks(first.events);
    expect(blocks.map((b) => b.type)).toEqual([
      'thinking',
      'thinking',
      'tool_use',
      'tool_use',
      'tool_use',
      'tool_use',
    ]);
    expect(new Set(blocks[0]!.deltas)).toEqual(new Set(['thinking_delta']));
    expect(blocks[1]!.deltas).toEqual(['signature_delta']);
    for (const block of blocks.slice(2)) expect(block.deltas).toEqual(['input_json_delta']);
    expect(first.final.content.slice(0, 2)).toEqual([
      { type: 'thinking', thinking: thought?.type === 'thinking' ? thought.thinking : '', signature: '' },
      {
        type: 'thinking',
        thinking: '',
        signature: `gemini:function_call:${recordedCalls[0]!.geminiSignature}`,
      },
    ]);
    expect(first.final.content.slice(2).map((b) => (b.type === 'tool_use' ? [b.name, b.input] : []))).toEqual(
      [
        ['read_theme', {}],
        ['read_screen', { id: 'A' }],
        ['read_screen', { id: 'B' }],
        ['read_screen', { id: 'C' }],
      ],
    );
    expect(first.final.stop_reason).toBe('tool_use');

    mock.enqueue(geminiChunksAnswer(FOLLOW_UP));
    await streamed({
      model: 'gem/gemini-3-flash-preview',
      max_tokens: 4096,
      thinking: THINKING,
      tools,
      messages: [
        { role: 'user', content: question },
        { role: 'assistant', content: first.final.content },
        toolResults(first.final, ['dark', 'screen A', 'screen B', 'screen C']),
      ],
    });
    const [model, results] = upstreamContents().slice(1);
    const ids = first.final.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
    // The thought summary goes back as a thought part; only the first call of the step is signed.
    expect(model!.parts[0]).toEqual({
      text: thought?.type === 'thinking' ? thought.thinking : '',
      thought: true,
    });
    expect(
      model!.parts.slice(1).map((p) => [p.functionCall?.id, p.functionCall?.name, p.thoughtSignature]),
    ).toEqual([
      [ids[0], 'read_theme', recordedCalls[0]!.geminiSignature],
      [ids[1], 'read_screen', undefined],
      [ids[2], 'read_screen', undefined],
      [ids[3], 'read_screen', undefined],
    ]);
    expect(
      results!.parts.map((p) => [
        p.functionResponse?.id,
        p.functionResponse?.name,
        p.functionResponse?.response,
      ]),
    ).toEqual([
      [ids[0], 'read_theme', { result: 'dark' }],
      [ids[1], 'read_screen', { result: 'screen A' }],
      [ids[2], 'read_screen', { result: 'screen B' }],
      [ids[3], 'read_screen', { result: 'screen C' }],
    ]);
  });

  it('a signed answer text (no tools): the signature rides after the text block and the next turn sends it back on the text, as the recorded conversation did', async () => {
    type Answer = { candidates: Array<{ content: { parts: Part[] } }> };
    const [thought, answer] = (cassetteJson(SIGNED_TEXT, 0) as Answer).candidates[0]!.content.parts;
    const signature = answer?.thoughtSignature ?? '';
    expect(thought?.thought).toBe(true);
    expect(signature).not.toBe('');
    // The recording's SDK sent the signature base64url-encoded: the same bytes to Gemini.
    const recorded = (requestJson(loadCassette(SIGNED_TEXT)[1]!).contents as Content[]).map((c) => ({
      ...c,
      parts: c.parts.map((p) =>
        p.thoughtSignature
          ? { ...p, thoughtSignature: p.thoughtSignature.replace(/-/g, '+').replace(/_/g, '/') }
          : p,
      ),
    }));
    const question = String(recorded[0]!.parts[0]!.text);
    const params = {
      model: 'gem/gemini-3-pro-preview',
      max_tokens: 4096,
      thinking: THINKING,
      system: 'You are a helpful assistant.',
    };

    mock.enqueue(sseAnswer(geminiJsonAsSse(cassetteJson(SIGNED_TEXT, 0))));
    const first = await streamed({ ...params, messages: [{ role: 'user', content: question }] });
    expect(anthropicBlocks(first.events).map((b) => [b.type, b.deltas])).toEqual([
      ['thinking', ['thinking_delta']],
      ['text', ['text_delta']],
      ['thinking', ['signature_delta']],
    ]);
    expect(first.final.content).toEqual([
      { type: 'thinking', thinking: thought?.text, signature: '' },
      { type: 'text', text: answer?.text },
      { type: 'thinking', thinking: '', signature: `gemini:text:${signature}` },
    ]);

    mock.enqueue(sseAnswer(geminiJsonAsSse(cassetteJson(SIGNED_TEXT, 1))));
    const second = await client.messages.create({
      ...params,
      messages: [
        { role: 'user', content: question },
        { role: 'assistant', content: first.final.content },
        { role: 'user', content: String(recorded[2]!.parts[0]!.text) },
      ],
    });
    expect(second.stop_reason).toBe('end_turn');
    expect(upstreamContents()).toEqual(recorded);
    expect(upstreamContents()[1]!.parts[1]).toEqual({ text: answer?.text, thoughtSignature: signature });
  });
});
