import { describe, expect, it } from 'vitest';
import { anthropicMessagesDialect } from '../../dialects/anthropic-messages/anthropic-messages-dialect.js';
import { openAIChatDialect } from '../../dialects/openai-chat/openai-chat-dialect.js';
import { injectSystemPrompt } from './inject-system-prompt.js';

const PROMPT = 'Answer in English.';

describe('injectSystemPrompt', () => {
  it('openai-chat: appends to the leading system message, in body and canonical', () => {
    const decoded = openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'hi' },
      ],
    });
    injectSystemPrompt(decoded, 'openai-chat', PROMPT);
    expect(decoded.body.messages).toEqual([
      { role: 'system', content: `You are terse.\n\n${PROMPT}` },
      { role: 'user', content: 'hi' },
    ]);
    expect(decoded.canonical.messages[0]).toEqual({
      role: 'system',
      content: [{ type: 'text', text: `You are terse.\n\n${PROMPT}` }],
    });
  });

  it('openai-chat: adds a system message when the client sent none', () => {
    const decoded = openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    injectSystemPrompt(decoded, 'openai-chat', PROMPT);
    expect(decoded.body.messages).toEqual([
      { role: 'system', content: PROMPT },
      { role: 'user', content: 'hi' },
    ]);
    expect(decoded.canonical.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('anthropic-messages: appends to `system` (string or blocks) or sets it', () => {
    const plain = anthropicMessagesDialect.decodeRequest({
      model: 'm',
      max_tokens: 10,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hi' }],
    });
    injectSystemPrompt(plain, 'anthropic-messages', PROMPT);
    expect(plain.body.system).toBe(`Be brief.\n\n${PROMPT}`);

    const cached = anthropicMessagesDialect.decodeRequest({
      model: 'm',
      max_tokens: 10,
      system: [{ type: 'text', text: 'Long context', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'hi' }],
    });
    injectSystemPrompt(cached, 'anthropic-messages', PROMPT);
    // The client's cache breakpoint stays on its own block; the prompt follows in a new one.
    expect(cached.body.system).toEqual([
      { type: 'text', text: 'Long context', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: PROMPT },
    ]);
    expect(cached.canonical.messages[0]?.content.map((part) => part.type === 'text' && part.text)).toEqual([
      'Long context',
      PROMPT,
    ]);

    const none = anthropicMessagesDialect.decodeRequest({
      model: 'm',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    injectSystemPrompt(none, 'anthropic-messages', PROMPT);
    expect(none.body.system).toBe(PROMPT);
    expect(none.canonical.messages[0]).toEqual({ role: 'system', content: [{ type: 'text', text: PROMPT }] });
  });
});
