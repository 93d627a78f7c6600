/**
 * @anthropic-ai/sdk client whose conversation moves from Gemini to Claude. Junction gives an Anthropic
 * client Gemini's reasoning as thinking blocks it can send back: the thought summary with `signature: ""`
 * and Gemini's text signature in an empty block signed `gemini:text:...`. Claude refuses both ("Invalid
 * `signature` in `thinking` block", a 400). The translated path leaves them out; the same-dialect relay to
 * Claude must too, keeping Claude's own signed thinking byte for byte, and forwarding a body without such
 * blocks as the client sent it. Recorded Gemini and Claude answers throughout.
 */
import { randomUUID } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { THINKING_OFF_FOR_LOOP } from '../../src/providers/anthropic/fit-thinking-to-tool-loop.js';
import { anthropicClient, openaiClient } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import {
  cassetteAnswer,
  cassetteJson,
  geminiChunksSse,
  geminiJsonAsSse,
  jsonAnswer,
  sseAnswer,
} from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-anthropic-sdk-foreign-thinking';
/** Gemini 3: a thought summary and the signed answer text. */
const GEMINI_SIGNED_TEXT = 'gemini/pydantic-ai-google_model_thinking_part.yaml';
/** Claude: signed thinking and the answer, non-stream (first interaction) and streamed. */
const CLAUDE_THINKING = 'anthropic-messages/pydantic-ai-anthropic_model_thinking_part.yaml';
const CLAUDE_THINKING_STREAM = 'anthropic-messages/pydantic-ai-anthropic_model_thinking_part_stream.yaml';
const THINKING = { type: 'enabled', budget_tokens: 1024 } as const;
/** Gemini 3: a signed call to `weather` (the signature rides in a thinking block on the Anthropic surface). */
const GEMINI_SIGNED_CALL = 'gemini/vercel-google-tool-call-gemini3.chunks.txt';
/** Claude: a plain text answer, non-stream and streamed. */
const CLAUDE_TEXT = 'anthropic-messages/pydantic-ai-anthropic_model_instructions.yaml';
const CLAUDE_TEXT_STREAM = 'anthropic-messages/pydantic-ai-anthropic-stream_plain_text_raw_sse.yaml';
const WEATHER: Anthropic.Tool = {
  name: 'weather',
  description: 'The weather in a location',
  input_schema: { type: 'object', properties: { location: { type: 'string' } } },
};

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[providers.claude]
type = "anthropic"
base_url = "${upstream.origin}"
api_key = "anthropic-upstream-key"

[providers.gem]
type = "gemini"
base_url = "${upstream.origin}"
api_key = "gemini-upstream-key"
`,
}));
let client: Anthropic;
let openai: OpenAI;

beforeAll(() => {
  client = anthropicClient(gateway.baseURL, CLIENT_KEY);
  openai = openaiClient(gateway.baseURL, CLIENT_KEY);
});

type Message = { role: string; content: unknown };

function upstreamMessages(): Message[] {
  return mock.lastBody().messages as Message[];
}

async function geminiTurn(question: string): Promise<Anthropic.ContentBlock[]> {
  mock.enqueue(sseAnswer(geminiJsonAsSse(cassetteJson(GEMINI_SIGNED_TEXT, 0))));
  const answer = await client.messages.create({
    model: 'gem/gemini-3-pro-preview',
    max_tokens: 4096,
    thinking: THINKING,
    messages: [{ role: 'user', content: question }],
  });
  return answer.content;
}

describe('anthropic relay to Claude: thinking blocks from another provider', () => {
  it('a Gemini turn in the history: its foreign thinking blocks are left out, then Claude own signed thinking goes back untouched', async () => {
    const question = 'How do I cross the street?';
    const gemini = await geminiTurn(question);
    const types = gemini.map((b) =>
      b.type === 'thinking' ? `thinking:${b.signature.slice(0, 12)}` : b.type,
    );
    expect(types).toEqual(['thinking:', 'text', 'thinking:gemini:text:']);
    const answerText = gemini.find((b) => b.type === 'text');

    // Turn 2 to Claude, relayed (non-stream): Claude gets the Gemini turn as its text only.
    mock.enqueue(jsonAnswer(cassetteJson(CLAUDE_THINKING, 0)));
    const requestId = `e2e-${randomUUID()}`;
    const claude = await client.messages.create(
      {
        model: 'claude/claude-sonnet-4-5',
        max_tokens: 4096,
        thinking: THINKING,
        messages: [
          { role: 'user', content: question },
          { role: 'assistant', content: gemini },
          { role: 'user', content: 'And a river?' },
        ],
      },
      { headers: { 'x-request-id': requestId } },
    );
    expect((await gateway.usageRecord(requestId)).fastPath).toBe(true);
    expect(mock.last().path).toBe('/v1/messages');
    expect(upstreamMessages()).toEqual([
      { role: 'user', content: question },
      { role: 'assistant', content: [answerText] },
      { role: 'user', content: 'And a river?' },
    ]);
    const signed = claude.content.find((b) => b.type === 'thinking');
    expect(signed?.type === 'thinking' && signed.signature).toMatch(/^[A-Za-z0-9+/=]+$/);

    // Turn 3, streamed: both turns go back; Claude's signed block reaches Claude exactly as it came.
    mock.enqueue(cassetteAnswer(CLAUDE_THINKING_STREAM, 0));
    const stream = client.messages.stream({
      model: 'claude/claude-sonnet-4-5',
      max_tokens: 4096,
      thinking: THINKING,
      messages: [
        { role: 'user', content: question },
        { role: 'assistant', content: gemini },
        { role: 'user', content: 'And a river?' },
        { role: 'assistant', content: claude.content },
        { role: 'user', content: 'Thanks.' },
      ],
    });
    const final = await stream.finalMessage();
    expect(final.content.some((b) => b.type === 'thinking')).toBe(true);
    const sent = upstreamMessages();
    expect(sent[1]).toEqual({ role: 'assistant', content: [answerText] });
    expect(sent[3]).toEqual({ role: 'assistant', content: claude.content });
    expect(mock.last().rawBody).not.toContain('gemini:');
    expect(mock.last().rawBody).not.toContain('"signature":""');
  });

  it('a history with Claude own thinking only is forwarded byte for byte except model', async () => {
    const recorded = cassetteJson(CLAUDE_THINKING, 0) as { content: Anthropic.ContentBlockParam[] };
    mock.enqueue(jsonAnswer(cassetteJson(CLAUDE_THINKING, 1)));
    const sent = {
      model: 'claude/claude-sonnet-4-5',
      max_tokens: 4096,
      thinking: THINKING,
      messages: [
        { role: 'user' as const, content: 'How do I cross the street?' },
        { role: 'assistant' as const, content: recorded.content },
        { role: 'user' as const, content: 'And a river?' },
      ],
    };
    await client.messages.create(sent);
    expect(mock.last().rawBody).toBe(
      JSON.stringify(sent).replace('"model":"claude/claude-sonnet-4-5"', '"model":"claude-sonnet-4-5"'),
    );
  });
});

/**
 * With thinking on, Claude wants the tool-use loop a request continues to open with Claude's own thinking,
 * and answers a loop another model opened with a 400 ("a final `assistant` message must start with a
 * thinking block ... To avoid this requirement, disable `thinking`"). A loop that moves from Gemini to
 * Claude (failover, or the client switching models) must still go on: that call goes with thinking off and
 * the client is told in `x-junction-warning`.
 */
describe('a tool loop Gemini opened continues on Claude', () => {
  const question = 'What is the weather in San Francisco?';

  async function geminiCall(): Promise<Anthropic.ContentBlock[]> {
    mock.enqueue(sseAnswer(geminiChunksSse(GEMINI_SIGNED_CALL)));
    const answer = await client.messages.create({
      model: 'gem/gemini-3-pro-preview',
      max_tokens: 4096,
      thinking: THINKING,
      tools: [WEATHER],
      messages: [{ role: 'user', content: question }],
    });
    return answer.content;
  }

  it('relayed (Anthropic client): thinking off for that call, the Gemini turn kept as its tool call', async () => {
    const gemini = await geminiCall();
    const use = gemini.find((b) => b.type === 'tool_use');
    if (use?.type !== 'tool_use') throw new Error('Gemini made no tool call');
    expect(use.name).toBe('weather');
    const loop: Anthropic.MessageParam[] = [
      { role: 'user', content: question },
      { role: 'assistant', content: gemini },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Sunny' }] },
    ];
    mock.enqueue(jsonAnswer(cassetteJson(CLAUDE_TEXT, 0)));
    const requestId = `e2e-${randomUUID()}`;
    const { data, response } = await client.messages
      .create(
        {
          model: 'claude/claude-sonnet-4-5',
          max_tokens: 4096,
          thinking: THINKING,
          tools: [WEATHER],
          messages: loop,
        },
        { headers: { 'x-request-id': requestId } },
      )
      .withResponse();
    expect(data.content.some((b) => b.type === 'text')).toBe(true);
    expect((await gateway.usageRecord(requestId)).fastPath).toBe(true);
    expect(response.headers.get('x-junction-warning')).toBe(THINKING_OFF_FOR_LOOP);
    const sent = mock.lastBody();
    expect(sent).not.toHaveProperty('thinking');
    expect(sent.messages).toEqual([
      { role: 'user', content: question },
      { role: 'assistant', content: [use] },
      expect.objectContaining({ role: 'user' }),
    ]);

    // The loop's next user turn thinks again.
    mock.enqueue(jsonAnswer(cassetteJson(CLAUDE_TEXT, 0)));
    await client.messages.create({
      model: 'claude/claude-sonnet-4-5',
      max_tokens: 4096,
      thinking: THINKING,
      messages: [
        ...loop,
        { role: 'assistant', content: data.content },
        { role: 'user', content: 'And tomorrow?' },
      ],
    });
    expect(mock.lastBody().thinking).toEqual(THINKING);
  });

  it('translated (OpenAI client with reasoning_effort): thinking off for that call, and the client is told', async () => {
    mock.enqueue(cassetteAnswer(CLAUDE_TEXT_STREAM, 0));
    const { data, response } = await openai.chat.completions
      .create({
        model: 'claude/claude-sonnet-4-5',
        reasoning_effort: 'medium',
        tools: [{ type: 'function', function: { name: 'weather', parameters: WEATHER.input_schema } }],
        messages: [
          { role: 'user', content: question },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'weather', arguments: '{"location":"San Francisco"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
        ],
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(response.headers.get('x-junction-warning')).toBe(THINKING_OFF_FOR_LOOP);
    const sent = mock.lastBody();
    expect(sent).not.toHaveProperty('thinking');
    expect(sent.max_tokens).toBeGreaterThan(0);

    // Without a tool loop the same request thinks.
    mock.enqueue(cassetteAnswer(CLAUDE_TEXT_STREAM, 0));
    const plain = await openai.chat.completions
      .create({
        model: 'claude/claude-sonnet-4-5',
        reasoning_effort: 'medium',
        messages: [{ role: 'user', content: question }],
      })
      .withResponse();
    expect(mock.lastBody().thinking).toMatchObject({ type: 'enabled' });
    expect(plain.response.headers.get('x-junction-warning')).toBeNull();
  });
});
