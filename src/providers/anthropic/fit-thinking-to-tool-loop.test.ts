import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import type { CanonicalMessage, ProviderRequest } from '../../core/canonical-request.js';
import { anthropicMessagesDialect } from '../../dialects/anthropic-messages/anthropic-messages-dialect.js';
import { convertToBedrockRequest } from '../bedrock/convert-to-bedrock-request.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';
import {
  fitRelayedThinkingToToolLoop,
  fitThinkingToToolLoop,
  THINKING_OFF_FOR_LOOP,
} from './fit-thinking-to-tool-loop.js';

type Json = Record<string, unknown>;

/**
 * The recorded second request of a Claude tool loop with thinking on: the user's question, Claude's
 * [signed thinking, text, tool_use], and the tool result.
 */
function recordedClaudeLoop(): Json {
  const [, second] = loadCassette('anthropic-messages/pydantic-ai-anthropic_tool_with_thinking.yaml');
  return requestJson(second!);
}

/** The same loop as another model would have opened it: no Claude thinking block in front. */
function foreignLoop(): Json {
  const body = recordedClaudeLoop();
  const messages = body.messages as Array<{ role: string; content: Json[] }>;
  return {
    ...body,
    messages: messages.map((m) =>
      m.role === 'assistant' ? { ...m, content: m.content.filter((b) => b.type !== 'thinking') } : m,
    ),
  };
}

function canonical(body: Json, upstreamModel = 'claude-sonnet-4-5'): ProviderRequest {
  return { ...anthropicMessagesDialect.decodeRequest(body).canonical, upstreamModel };
}

const user = (text: string): CanonicalMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const call = (id: string): CanonicalMessage => ({
  role: 'assistant',
  content: [{ type: 'tool-call', id, name: 'lookup', arguments: '{}' }],
});
const result = (id: string): CanonicalMessage => ({
  role: 'tool',
  content: [{ type: 'tool-result', toolCallId: id, content: [{ type: 'text', text: 'ok' }] }],
});

describe('fitThinkingToToolLoop (canonical request to Claude)', () => {
  it('a loop opened by another model goes with thinking off, and the client is told', () => {
    const warnings: string[] = [];
    const sent = convertToAnthropicRequest(canonical(foreignLoop()), 'claude', (m) => warnings.push(m));
    expect(sent.thinking).toBeUndefined();
    expect(warnings).toEqual([THINKING_OFF_FOR_LOOP]);
    // The budget no longer pads max_tokens, and the conversation is otherwise the one the client sent.
    expect(sent.max_tokens).toBe(foreignLoop().max_tokens);
    expect(sent.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(sent.messages[1]!.content.map((b) => b.type)).toEqual(['text', 'tool_use']);
  });

  it('a loop Claude opened with its signed thinking keeps thinking on (the recorded request)', () => {
    const warnings: string[] = [];
    const request = canonical(recordedClaudeLoop());
    expect(fitThinkingToToolLoop(request, (m) => warnings.push(m))).toBe(request);
    const sent = convertToAnthropicRequest(request, 'claude');
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 3000 });
    expect(sent.messages[1]!.content[0]!.type).toBe('thinking');
    expect(warnings).toEqual([]);
  });

  it('later steps of a loop Claude opened need no thinking of their own', () => {
    const request = canonical(recordedClaudeLoop());
    const longer = { ...request, messages: [...request.messages, call('t2'), result('t2')] };
    expect(fitThinkingToToolLoop(longer)).toBe(longer);
  });

  it('a new user turn after a foreign loop thinks again', () => {
    const request = canonical(foreignLoop());
    const answer: CanonicalMessage = { role: 'assistant', content: [{ type: 'text', text: 'Mexico.' }] };
    const next = { ...request, messages: [...request.messages, answer, user('thanks')] };
    expect(fitThinkingToToolLoop(next)).toBe(next);
  });

  it('tool results followed by user text still continue the loop (one Anthropic user message)', () => {
    const request = canonical(foreignLoop());
    const withText = { ...request, messages: [...request.messages, user('also this')] };
    expect(fitThinkingToToolLoop(withText).reasoning).toEqual({ mode: 'unset' });
  });

  it("leaves out the loop's later thinking and keeps thinking before the loop", () => {
    const request = canonical(recordedClaudeLoop());
    const signed = request.messages[1]!;
    const messages: CanonicalMessage[] = [
      user('first'),
      signed,
      user('second'),
      call('g1'),
      result('g1'),
      { role: 'assistant', content: [...(signed.content as []), { type: 'text', text: 'more' }] },
      result('toolu_01YGzqpRE16Vricda3Aqcejo'),
    ];
    const fitted = fitThinkingToToolLoop({ ...request, messages });
    expect(fitted.messages[1]).toBe(signed);
    expect(fitted.messages[5]!.content.some((p) => p.type === 'reasoning')).toBe(false);
  });

  it('requests without thinking are not touched', () => {
    const request = { ...canonical(foreignLoop()), reasoning: { mode: 'disabled' as const } };
    expect(fitThinkingToToolLoop(request)).toBe(request);
  });

  it('on models that take only adaptive thinking, the output effort stays', () => {
    const request = {
      ...canonical(foreignLoop(), 'claude-opus-4-7'),
      reasoning: { mode: 'enabled' as const, effort: 'high' as const },
    };
    const sent = convertToAnthropicRequest(request, 'claude');
    expect(sent.thinking).toBeUndefined();
    expect(sent.output_config).toEqual({ effort: 'high' });
    // Claude 4.5 takes an OpenAI-style rung as a budget only, so nothing is left to send.
    const older = convertToAnthropicRequest({ ...request, upstreamModel: 'claude-sonnet-4-5' }, 'claude');
    expect(older.thinking).toBeUndefined();
    expect(older.output_config).toBeUndefined();
  });

  it('Claude on Bedrock follows the same rule', () => {
    const warnings: string[] = [];
    const request = canonical(foreignLoop(), 'anthropic.claude-sonnet-4-5-20250929-v1:0');
    const sent = convertToBedrockRequest(request, 'bedrock', (m) => warnings.push(m));
    expect(sent.additionalModelRequestFields?.thinking).toBeUndefined();
    expect(warnings).toEqual([THINKING_OFF_FOR_LOOP]);
    const kept = convertToBedrockRequest(canonical(recordedClaudeLoop(), request.upstreamModel), 'bedrock');
    expect(kept.additionalModelRequestFields?.thinking).toEqual({ type: 'enabled', budget_tokens: 3000 });
  });
});

describe('fitRelayedThinkingToToolLoop (relayed Messages body)', () => {
  it('removes thinking from a body whose loop another model opened, and says so', () => {
    const warnings: string[] = [];
    const body = foreignLoop();
    const sent = fitRelayedThinkingToToolLoop(body, (m) => warnings.push(m));
    expect(sent.thinking).toBeUndefined();
    expect(sent.messages).toEqual(body.messages);
    expect(warnings).toEqual([THINKING_OFF_FOR_LOOP]);
  });

  it('forwards the recorded Claude loop and bodies without thinking as the same object', () => {
    const claude = recordedClaudeLoop();
    expect(fitRelayedThinkingToToolLoop(claude)).toBe(claude);
    const { thinking: _t, ...plain } = foreignLoop();
    expect(fitRelayedThinkingToToolLoop(plain)).toBe(plain);
    const adaptive = { ...claude, thinking: { type: 'adaptive' } };
    expect(fitRelayedThinkingToToolLoop(adaptive)).toBe(adaptive);
  });

  it("drops the loop's later thinking blocks, and an assistant message left empty", () => {
    const claude = recordedClaudeLoop();
    const [question, assistant, toolResult] = claude.messages as Json[];
    const thinking = (assistant!.content as Json[])[0];
    const body = {
      ...claude,
      messages: [
        question,
        { role: 'assistant', content: [{ type: 'tool_use', id: 'g1', name: 'get_user_country', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'g1', content: 'Mexico' }] },
        { role: 'assistant', content: [thinking] },
        toolResult,
      ],
    };
    const sent = fitRelayedThinkingToToolLoop(body);
    expect(sent.thinking).toBeUndefined();
    expect((sent.messages as Json[]).map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'user']);
  });
});
