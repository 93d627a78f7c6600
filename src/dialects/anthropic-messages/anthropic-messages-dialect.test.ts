import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import { anthropicMessagesDialect } from './anthropic-messages-dialect.js';

function decodeError(body: unknown): GatewayError {
  try {
    anthropicMessagesDialect.decodeRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected decodeRequest to fail');
}

const user = (content: unknown) => ({ role: 'user', content });
const assistant = (content: unknown) => ({ role: 'assistant', content });
const base = { model: 'm', max_tokens: 10 };

describe('anthropic-messages request validation names the field', () => {
  it.each([
    [{ model: 'm', messages: [user('x')] }, 'max_tokens'],
    [{ max_tokens: 10, messages: [user('x')] }, 'model'],
    [{ ...base, messages: [] }, 'messages'],
    [{ ...base, messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role'],
    [{ ...base, messages: [user([{ type: 'text', txt: 'x' }])] }, 'messages[0].content[0].text'],
    [
      { ...base, messages: [user([{ type: 'image', source: { type: 'url' } }])] },
      'messages[0].content[0].source.url',
    ],
    [
      { ...base, messages: [user([{ type: 'image', source: { type: 'base64', data: 'x' } }])] },
      'messages[0].content[0].source.media_type',
    ],
    [
      { ...base, messages: [assistant([{ type: 'tool_use', name: 'f', input: {} }])] },
      'messages[0].content[0].id',
    ],
    [
      { ...base, messages: [user([{ type: 'tool_result', content: 'x' }])] },
      'messages[0].content[0].tool_use_id',
    ],
    [
      { ...base, messages: [user([{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text' }] }])] },
      'messages[0].content[0].content[0].text',
    ],
    [
      { ...base, messages: [assistant([{ type: 'thinking', thinking: 'x' }])] },
      'messages[0].content[0].signature',
    ],
    [{ ...base, messages: [user('x')], system: [{ type: 'text' }] }, 'system[0].text'],
    [{ ...base, messages: [user('x')], tools: [{ name: 'f' }] }, 'tools[0].input_schema'],
    [{ ...base, messages: [user('x')], tools: [{ name: 'bad name', input_schema: {} }] }, 'tools[0].name'],
    [{ ...base, messages: [user('x')], tool_choice: { type: 'tool' } }, 'tool_choice.name'],
    [{ ...base, messages: [user('x')], thinking: { type: 'enabled' } }, 'thinking.budget_tokens'],
    [{ ...base, messages: [user('x')], temperature: 1.5 }, 'temperature'],
    [{ ...base, messages: [user('x')], output_config: { effort: 'ultra' } }, 'output_config.effort'],
    [
      { ...base, messages: [user('x')], output_config: { format: { type: 'json_schema' } } },
      'output_config.format.schema',
    ],
    [{ ...base, messages: [user('x')], cache_control: { type: 'forever' } }, 'cache_control.type'],
  ])('rejects %j naming %s', (body, param) => {
    const error = decodeError(body);
    expect(error.status).toBe(400);
    expect(error.failureClass).toBe('invalid_request');
    expect(error.param).toBe(param);
    expect(error.message).toContain(param);
  });

  it.each([
    [
      assistant([{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }]),
      'messages[0].content[0]',
    ],
    [user([{ type: 'tool_use', id: 't', name: 'f', input: {} }]), 'messages[0].content[0]'],
  ])('rejects a block in the wrong role: %j', (message, param) => {
    const error = decodeError({ ...base, messages: [message] });
    expect(error.param).toBe(param);
  });

  it('keeps the client body for the fast path and lists what a translation cannot carry', () => {
    const body = {
      ...base,
      messages: [user('x')],
      mcp_servers: [{ type: 'url', url: 'https://mcp.example', name: 'x' }],
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 1 }],
      some_future_field: { a: 1 },
      service_tier: 'auto',
    };
    const decoded = anthropicMessagesDialect.decodeRequest(body);
    expect(decoded.body).toBe(body);
    expect(decoded.unmodeled.sort()).toEqual([
      'mcp_servers',
      'some_future_field',
      'tools[0] (type web_search_20250305)',
    ]);
    expect(decoded.canonical.tools).toBeUndefined();
    expect(anthropicMessagesDialect.name).toBe('anthropic-messages');
  });
});
