import { describe, expect, it } from 'vitest';
import { anthropicMessagesDialect } from '../dialects/anthropic-messages/anthropic-messages-dialect.js';
import { openAIChatDialect } from '../dialects/openai-chat/openai-chat-dialect.js';
import { openAIResponsesDialect } from '../dialects/openai-responses/openai-responses-dialect.js';
import { applyAliasDefaults } from './apply-alias-defaults.js';

const DEFAULTS = { temperature: 0.2, max_tokens: 50, reasoning_effort: 'low', seed: 7, stop: 'END' };

describe('applyAliasDefaults on a Responses request', () => {
  it('fills the body and the parsed request in Responses names, and the canonical request', () => {
    const decoded = openAIResponsesDialect.decodeRequest({ model: 'm', input: 'hi' });
    applyAliasDefaults(decoded, DEFAULTS, 'openai-responses');
    expect(decoded.body).toEqual({
      model: 'm',
      input: 'hi',
      temperature: 0.2,
      max_output_tokens: 50,
      reasoning: { effort: 'low' },
    });
    expect(decoded.request).toMatchObject({
      temperature: 0.2,
      max_output_tokens: 50,
      reasoning: { effort: 'low' },
    });
    expect(decoded.canonical).toMatchObject({
      temperature: 0.2,
      maxOutputTokens: 50,
      reasoning: { effort: 'low' },
      seed: 7,
      stop: ['END'],
    });
  });

  it('leaves what the client set, and a reasoning object with an effort, alone', () => {
    const body = {
      model: 'm',
      input: 'hi',
      temperature: 1,
      max_output_tokens: 9,
      reasoning: { effort: 'high' },
    };
    const decoded = openAIResponsesDialect.decodeRequest(structuredClone(body));
    applyAliasDefaults(decoded, DEFAULTS, 'openai-responses');
    expect(decoded.body).toEqual(body);
    expect(decoded.canonical).toMatchObject({
      temperature: 1,
      maxOutputTokens: 9,
      reasoning: { effort: 'high' },
    });
  });

  it('adds an effort to a reasoning object without one; an unknown effort is ignored', () => {
    const decoded = openAIResponsesDialect.decodeRequest({ model: 'm', reasoning: { summary: 'auto' } });
    applyAliasDefaults(decoded, { reasoning_effort: 'low' }, 'openai-responses');
    expect(decoded.body.reasoning).toEqual({ summary: 'auto', effort: 'low' });
    const other = openAIResponsesDialect.decodeRequest({ model: 'm' });
    applyAliasDefaults(other, { reasoning_effort: 'extreme' }, 'openai-responses');
    expect(other.body).not.toHaveProperty('reasoning');
  });
});

describe('applyAliasDefaults: penalties', () => {
  it('reach the canonical request (translated paths), a client value winning and a default 0 adding nothing', () => {
    const decoded = openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      frequency_penalty: 0.5,
    });
    applyAliasDefaults(decoded, { presence_penalty: 0.3, frequency_penalty: 0.9 }, 'openai-chat');
    expect(decoded.canonical).toMatchObject({ presencePenalty: 0.3, frequencyPenalty: 0.5 });

    const zero = openAIChatDialect.decodeRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    applyAliasDefaults(zero, { presence_penalty: 0 }, 'openai-chat');
    expect(zero.canonical.presencePenalty).toBeUndefined();
  });
});

describe('applyAliasDefaults: input_type', () => {
  it('is an embeddings default: a chat body (relayed as it is) never gets it', () => {
    const decoded = openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
    });
    applyAliasDefaults(decoded, { input_type: 'search_query', temperature: 0.2 }, 'openai-chat');
    expect(decoded.body).toEqual({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.2,
    });
  });
});

describe('applyAliasDefaults: reasoning_effort on an Anthropic request', () => {
  const messages = [{ role: 'user', content: 'hi' }];

  it('is held for the relay, which says it in the Claude model own terms; the canonical request gets it too', () => {
    const decoded = anthropicMessagesDialect.decodeRequest({ model: 'm', max_tokens: 100, messages });
    const body = structuredClone(decoded.body);
    applyAliasDefaults(decoded, { reasoning_effort: 'high' }, 'anthropic-messages');
    expect(decoded.relayDefaults).toEqual({ reasoning: { mode: 'enabled', effort: 'high' } });
    expect(decoded.canonical.reasoning).toEqual({ mode: 'enabled', effort: 'high' });
    // The body is left alone: what thinking means depends on the model the route picks.
    expect(decoded.body).toEqual(body);
  });

  it('the client own thinking or output effort wins: nothing is held', () => {
    for (const own of [
      { thinking: { type: 'enabled', budget_tokens: 2048 } },
      { thinking: { type: 'disabled' } },
      { output_config: { effort: 'low' } },
    ]) {
      const decoded = anthropicMessagesDialect.decodeRequest({
        model: 'm',
        max_tokens: 4096,
        messages,
        ...own,
      });
      applyAliasDefaults(decoded, { reasoning_effort: 'high' }, 'anthropic-messages');
      expect(decoded.relayDefaults).toBeUndefined();
    }
  });

  it('an unknown effort is ignored', () => {
    const decoded = anthropicMessagesDialect.decodeRequest({ model: 'm', max_tokens: 100, messages });
    applyAliasDefaults(decoded, { reasoning_effort: 'extreme' }, 'anthropic-messages');
    expect(decoded.relayDefaults).toBeUndefined();
    expect(decoded.canonical.reasoning).toBeUndefined();
  });
});
