/**
 * An Anthropic client's history may hold thinking blocks Junction gave it for another provider's reasoning
 * (a Gemini signature prefixed `gemini:`, or unsigned reasoning with `signature: ""`). Claude rejects them
 * ("Invalid `signature` in `thinking` block"), so the body relayed to Claude leaves them out, as the
 * translated path does, and keeps Claude's own signed blocks. Recorded signatures throughout.
 */
import { describe, expect, it } from 'vitest';
import { loadCassette, loadJson, requestJson } from '../../../test/support/fixtures.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { convertToAnthropicRequest } from '../../providers/anthropic/convert-to-anthropic-request.js';
import { encodeGeminiSignature } from '../shared/gemini-thought-signature.js';
import { decodeCountTokensRequest } from './anthropic-count-tokens-request.js';
import { anthropicMessagesDialect } from './anthropic-messages-dialect.js';
import { isForeignThinkingBlock, prepareAnthropicPassthrough } from './prepare-anthropic-passthrough.js';

/** Claude's own signed thinking, from a recorded two-turn conversation. */
const CLAUDE_THINKING = 'anthropic-messages/pydantic-ai-anthropic_model_thinking_part.yaml';
/** Gemini 3's signed answer text. */
const GEMINI_SIGNED = 'gemini/vercel-google-reasoning-gemini3.json';

type Block = Record<string, unknown>;

function claudeTurn(): Block[] {
  const second = requestJson(loadCassette(CLAUDE_THINKING)[1]!);
  return (second.messages as Array<{ content: Block[] }>)[1]!.content;
}

function geminiSignature(): string {
  const answer = loadJson(GEMINI_SIGNED) as {
    candidates: Array<{ content: { parts: Array<{ thoughtSignature: string }> } }>;
  };
  return answer.candidates[0]!.content.parts[0]!.thoughtSignature;
}

/** What an Anthropic client holds after a Gemini turn through Junction (the Anthropic surface's shape). */
function geminiTurn(): Block[] {
  return [
    { type: 'thinking', thinking: 'Counting letters.', signature: '' },
    { type: 'text', text: 'There are 3.' },
    { type: 'thinking', thinking: '', signature: encodeGeminiSignature('text', geminiSignature()) },
  ];
}

function body(messages: unknown[]): Record<string, unknown> {
  return {
    model: 'claude/claude-sonnet-4-5',
    max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 1024 },
    messages,
  };
}

describe('prepareAnthropicPassthrough', () => {
  it('knows a foreign thinking block by its signature: prefixed gemini:, or empty', () => {
    const [claudeThinking] = claudeTurn();
    expect(isForeignThinkingBlock(claudeThinking)).toBe(false);
    for (const kind of ['text', 'thought', 'function_call'] as const)
      expect(
        isForeignThinkingBlock({
          type: 'thinking',
          thinking: '',
          signature: encodeGeminiSignature(kind, 'x'),
        }),
      ).toBe(true);
    expect(isForeignThinkingBlock({ type: 'thinking', thinking: 'unsigned', signature: '' })).toBe(true);
    expect(isForeignThinkingBlock({ type: 'redacted_thinking', data: 'abc' })).toBe(false);
    expect(isForeignThinkingBlock({ type: 'text', text: 'gemini:text:x' })).toBe(false);
  });

  it('a body without foreign blocks is the same object: nothing is copied', () => {
    const sent = body([
      { role: 'user', content: 'How do I cross the street?' },
      { role: 'assistant', content: claudeTurn() },
      { role: 'user', content: 'And a river?' },
    ]);
    expect(prepareAnthropicPassthrough(sent)).toBe(sent);
    expect(anthropicMessagesDialect.decodeRequest(sent).body).toBe(sent);
  });

  it('drops the foreign blocks and keeps Claude own signed blocks in place, leaving the client body as sent', () => {
    const claude = claudeTurn();
    const gemini = geminiTurn();
    const sent = body([
      { role: 'user', content: 'How many r in strawberry?' },
      { role: 'assistant', content: gemini },
      { role: 'user', content: 'How do I cross the street?' },
      { role: 'assistant', content: claude },
      { role: 'user', content: 'And a river?' },
    ]);
    const before = structuredClone(sent);
    const messages = before.messages as unknown[];
    const prepared = anthropicMessagesDialect.decodeRequest(sent).body;
    expect(prepared).toEqual({
      ...before,
      messages: [
        messages[0],
        { role: 'assistant', content: [{ type: 'text', text: 'There are 3.' }] },
        messages[2],
        { role: 'assistant', content: claude },
        messages[4],
      ],
    });
    expect(sent).toEqual(before);
  });

  it('the relayed blocks are the ones the translated path sends Claude', () => {
    const sent = body([
      { role: 'user', content: 'How many r in strawberry?' },
      { role: 'assistant', content: geminiTurn() },
      { role: 'user', content: 'How do I cross the street?' },
      { role: 'assistant', content: claudeTurn() },
      { role: 'user', content: 'And a river?' },
    ]);
    const decoded = anthropicMessagesDialect.decodeRequest(sent);
    const request: ProviderRequest = { ...decoded.canonical, upstreamModel: 'claude-sonnet-4-5' };
    const translated = convertToAnthropicRequest(request, 'claude').messages.filter(
      (m) => m.role === 'assistant',
    );
    const relayed = (decoded.body.messages as Array<{ role: string; content: Block[] }>).filter(
      (m) => m.role === 'assistant',
    );
    expect(relayed.map((m) => m.content.map((b) => [b.type, b.signature ?? null]))).toEqual(
      translated.map((m) => m.content.map((b) => [b.type, 'signature' in b ? b.signature : null])),
    );
  });

  it('an assistant message left empty is dropped (Anthropic refuses empty content), its neighbours kept', () => {
    const sent = body([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: '', signature: 'gemini:text:abc' }] },
      { role: 'user', content: 'Hello again' },
    ]);
    expect(prepareAnthropicPassthrough(sent).messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'user', content: 'Hello again' },
    ]);
  });

  it('count_tokens relays the same cleaned body', () => {
    const sent = body([
      { role: 'user', content: 'How many r in strawberry?' },
      { role: 'assistant', content: geminiTurn() },
      { role: 'user', content: 'Thanks' },
    ]);
    const { max_tokens: _max, ...counted } = sent;
    const decoded = decodeCountTokensRequest(counted);
    expect((decoded.body.messages as Array<{ content: unknown }>)[1]!.content).toEqual([
      { type: 'text', text: 'There are 3.' },
    ]);
  });
});
