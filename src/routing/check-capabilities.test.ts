import { describe, expect, it } from 'vitest';
import type { ProviderRequest } from '../core/canonical-request.js';
import type { ProviderAdapter, WireDialect } from '../providers/provider-adapter.js';
import { checkCapabilities } from './check-capabilities.js';

const provider = {
  name: 'weak',
  type: 'cohere',
  capabilities: {
    stream: true,
    tools: false,
    vision: false,
    documents: false,
    reasoning: false,
    jsonSchema: false,
  },
} as unknown as ProviderAdapter;

function paramOf(request: Partial<ProviderRequest>, dialect: WireDialect = 'openai-chat'): unknown {
  const full = { model: 'm', upstreamModel: 'm', stream: false, messages: [], ...request } as ProviderRequest;
  try {
    checkCapabilities(provider, full, dialect);
  } catch (error) {
    return (error as { param?: unknown }).param;
  }
  return 'accepted';
}

const hello = { role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] };

// Each surface names these in its own terms (Dialect.locateParam, locate-canonical-param.test.ts).
describe('checkCapabilities names the canonical field or part it refuses', () => {
  it('the image or document part itself', () => {
    const image = {
      type: 'image' as const,
      source: { kind: 'url' as const, url: 'https://example.com/a.png' },
    };
    const file = {
      type: 'file' as const,
      source: { kind: 'base64' as const, mediaType: 'application/pdf', data: 'JVBERi0=' },
    };
    expect(
      paramOf({ messages: [hello, { role: 'user', content: [{ type: 'text', text: 'see' }, image] }] }),
    ).toBe('messages[1].content[1]');
    expect(paramOf({ messages: [{ role: 'user', content: [file] }] })).toBe('messages[0].content[0]');
  });

  it('tools and response_format', () => {
    expect(paramOf({ messages: [hello], tools: [{ name: 'f', parameters: {} }] })).toBe('tools');
    expect(paramOf({ responseFormat: { type: 'json_schema', name: 'o', schema: { type: 'object' } } })).toBe(
      'response_format',
    );
    expect(paramOf({ messages: [hello] })).toBe('accepted');
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
    // The last message; the router has the client's surface name it as its client sent it.
    expect(paramOf(prefill, 'anthropic-messages')).toBe('messages[1]');
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
