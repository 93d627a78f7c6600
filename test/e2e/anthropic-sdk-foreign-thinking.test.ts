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
import { beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import {
  cassetteAnswer,
  cassetteJson,
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

beforeAll(() => {
  client = anthropicClient(gateway.baseURL, CLIENT_KEY);
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
