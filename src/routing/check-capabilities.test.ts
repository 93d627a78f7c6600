import { describe, expect, it } from 'vitest';
import type { ProviderRequest } from '../core/canonical-request.js';
import type { ProviderAdapter, WireDialect } from '../providers/provider-adapter.js';
import { checkCapabilities } from './check-capabilities.js';

const provider = {
  name: 'weak',
  type: 'cohere',
  capabilities: {
    stream: true,
    tools: true,
    vision: false,
    documents: false,
    reasoning: false,
    jsonSchema: false,
  },
} as unknown as ProviderAdapter;

function paramOf(request: Partial<ProviderRequest>, dialect: WireDialect): unknown {
  const full = { model: 'm', upstreamModel: 'm', stream: false, messages: [], ...request } as ProviderRequest;
  try {
    checkCapabilities(provider, full, dialect);
  } catch (error) {
    return (error as { param?: unknown }).param;
  }
  return 'accepted';
}

const image: Partial<ProviderRequest> = {
  messages: [
    { role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } }] },
  ],
};
const file: Partial<ProviderRequest> = {
  messages: [
    {
      role: 'user',
      content: [{ type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' } }],
    },
  ],
};
const schema: Partial<ProviderRequest> = {
  responseFormat: { type: 'json_schema', name: 'o', schema: { type: 'object' } },
};

describe('checkCapabilities names the field where the client put it', () => {
  it('Chat Completions: messages, response_format', () => {
    expect(paramOf(image, 'openai-chat')).toBe('messages');
    expect(paramOf(file, 'openai-chat')).toBe('messages');
    expect(paramOf(schema, 'openai-chat')).toBe('response_format');
  });

  it('Responses: input and text.format (a Responses client sends no messages / response_format)', () => {
    expect(paramOf(image, 'openai-responses')).toBe('input');
    expect(paramOf(file, 'openai-responses')).toBe('input');
    expect(paramOf(schema, 'openai-responses')).toBe('text.format');
  });

  it('Anthropic Messages: messages, output_config.format', () => {
    expect(paramOf(file, 'anthropic-messages')).toBe('messages');
    expect(paramOf(schema, 'anthropic-messages')).toBe('output_config.format');
  });
});

describe('a trailing assistant message (prefill)', () => {
  const prefill: Partial<ProviderRequest> = {
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'Name a colour.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'The colour is' }] },
    ],
  };

  it('is refused for an Anthropic client on a provider that cannot continue it', () => {
    expect(paramOf(prefill, 'anthropic-messages')).toBe('messages');
  });

  it('is history to OpenAI-style clients, so it passes', () => {
    expect(paramOf(prefill, 'openai-chat')).toBe('accepted');
    expect(paramOf(prefill, 'openai-responses')).toBe('accepted');
  });

  it('passes on a provider that continues it', () => {
    const capable = { ...provider, capabilities: { ...provider.capabilities, assistantPrefill: true } };
    const full = { model: 'm', upstreamModel: 'm', stream: false, ...prefill } as ProviderRequest;
    expect(() => checkCapabilities(capable, full, 'anthropic-messages')).not.toThrow();
  });
});
