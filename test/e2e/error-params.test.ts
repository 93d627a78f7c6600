/**
 * A request a provider cannot take as translated is refused naming the client's own field, on every
 * surface: the canonical request's message indexes are not the client's (a system prompt, Anthropic's
 * `system`, Responses items that merge into one message), so the 400 points into what the client sent.
 * Anthropic's envelope has no `param`, so there the message names the field.
 */
import { describe, expect, it } from 'vitest';
import { rawRequest } from '../support/chat-client.js';
import { useGatewayWithMock } from '../support/e2e-gateway.js';

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `
[server]
listen = "127.0.0.1:0"

[usage]
enabled = false

[providers.oai]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "sk-test"

# OpenAI's chat wire without the Responses API, so a Responses request is translated to it.
[providers.groq]
type = "groq"
base_url = "${upstream.origin}/openai/v1"
api_key = "gsk-test"

[providers.claude]
type = "anthropic"
base_url = "${upstream.origin}"
api_key = "test"
`,
}));

const PDF_URL = 'https://example.com/paper.pdf';

describe('Anthropic Messages', () => {
  it('a document by URL to an OpenAI chat provider: 400 naming messages[1].content[1]', async () => {
    const response = await rawRequest(`${gateway.baseURL}/v1/messages`, {
      body: {
        model: 'oai/gpt-4.1',
        max_tokens: 100,
        system: 'Be brief.',
        messages: [
          { role: 'user', content: 'hello' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Summarise this' },
              { type: 'document', source: { type: 'url', url: PDF_URL } },
            ],
          },
        ],
      },
    });
    expect(response.status).toBe(400);
    const error = (response.json as { error: { type: string; message: string } }).error;
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toMatch(/^messages\[1\]\.content\[1\]: file URLs are not supported/);
    expect(mock.requests).toHaveLength(0);
  });
});

describe('OpenAI Responses', () => {
  it('a function_call with invalid JSON arguments to Anthropic: 400 naming its input item', async () => {
    const response = await rawRequest(`${gateway.baseURL}/v1/responses`, {
      body: {
        model: 'claude/claude-sonnet-4-5',
        instructions: 'Be brief.',
        input: [
          { role: 'user', content: 'weather?' },
          { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city": ' },
          { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
        ],
      },
    });
    expect(response.status).toBe(400);
    const error = (response.json as { error: { param: string | null; message: string } }).error;
    expect(error.param).toBe('input[1]');
    expect(error.message).toMatch(/not valid JSON/);
    expect(mock.requests).toHaveLength(0);
  });

  it('an input_file by URL to an OpenAI chat provider: 400 naming input[0].content[1]', async () => {
    const response = await rawRequest(`${gateway.baseURL}/v1/responses`, {
      body: {
        model: 'groq/llama-3.3-70b-versatile',
        input: [
          {
            role: 'user',
            content: [
              { type: 'input_text', text: 'Summarise this' },
              { type: 'input_file', file_url: PDF_URL },
            ],
          },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect((response.json as { error: { param: string | null } }).error.param).toBe('input[0].content[1]');
  });
});

describe('OpenAI Chat Completions', () => {
  it('a tool call with invalid JSON arguments to Anthropic: 400 naming messages[i].tool_calls[j]', async () => {
    const response = await rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: {
        model: 'claude/claude-sonnet-4-5',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: 'Let me look.',
            tool_calls: [
              { id: 'call_0', type: 'function', function: { name: 'weather', arguments: '{}' } },
              { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city": ' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_0', content: 'sunny' },
          { role: 'tool', tool_call_id: 'call_1', content: 'rainy' },
        ],
      },
    });
    expect(response.status).toBe(400);
    const error = (response.json as { error: { param: string | null; message: string } }).error;
    expect(error.param).toBe('messages[2].tool_calls[1]');
    expect(error.message).toMatch(/not valid JSON/);
  });
});
