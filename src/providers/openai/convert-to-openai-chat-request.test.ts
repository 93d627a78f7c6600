import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import type { CanonicalMessage, ProviderRequest, ToolDefinition } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import { convertToOpenAIChatRequest } from './convert-to-openai-chat-request.js';

function recorded(file: string, interaction: number): Record<string, unknown> {
  return requestJson(loadCassette(`openai-chat/${file}`)[interaction]!);
}

/** Recorded tool definitions as canonical ones (the tools list is long; the mapping is 1:1). */
function canonicalTools(body: Record<string, unknown>): ToolDefinition[] {
  const tools = body['tools'] as Array<{ function: ToolDefinition }>;
  return tools.map(({ function: f }) => ({
    name: f.name,
    description: f.description,
    parameters: f.parameters,
    ...(f.strict !== undefined ? { strict: f.strict } : {}),
  }));
}

/** pydantic-ai omits `content` on tool-call-only assistant messages; we send the equivalent explicit null. */
function withExplicitNullContent(messages: unknown): unknown {
  return (messages as Array<Record<string, unknown>>).map((m) =>
    m['role'] === 'assistant' && !('content' in m) ? { ...m, content: null } : m,
  );
}

function request(messages: CanonicalMessage[], extra: Partial<ProviderRequest> = {}): ProviderRequest {
  return { model: 'openai/gpt-4o', upstreamModel: 'gpt-4o', messages, stream: true, ...extra };
}

describe('convertToOpenAIChatRequest against recorded requests', () => {
  it('tool call and tool result turn (pydantic-ai-openai_tool_output, 2nd request)', () => {
    const body = recorded('pydantic-ai-openai_tool_output.yaml', 1);
    const out = convertToOpenAIChatRequest(
      request(
        [
          {
            role: 'user',
            content: [{ type: 'text', text: 'What is the largest city in the user country?' }],
          },
          {
            role: 'assistant',
            content: [
              {
                type: 'tool-call',
                id: 'call_iXFttys57ap0o16JSlC8yhYo',
                name: 'get_user_country',
                arguments: '{}',
              },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'call_iXFttys57ap0o16JSlC8yhYo',
                content: [{ type: 'text', text: 'Mexico' }],
              },
            ],
          },
        ],
        { tools: canonicalTools(body), toolChoice: { type: 'required' } },
      ),
      'openai',
    );
    expect(out.model).toBe(body['model']);
    expect(out.messages).toEqual(withExplicitNullContent(body['messages']));
    expect(out.tools).toEqual(body['tools']);
    expect(out.tool_choice).toBe('required');
    expect(out.stream).toBe(true);
    expect(out.stream_options).toEqual({ include_usage: true });
  });

  it('streamed tool turn with explicit content null (pydantic-ai-openai-stream_tool_call_deltas, 2nd request)', () => {
    const body = recorded('pydantic-ai-openai-stream_tool_call_deltas.yaml', 1);
    const out = convertToOpenAIChatRequest(
      request(
        [
          {
            role: 'user',
            content: [{ type: 'text', text: 'What is the capital of the UK? Use the tool, then answer.' }],
          },
          {
            role: 'assistant',
            content: [
              // Reasoning from an earlier turn has no Chat Completions field and must not leak into content.
              { type: 'reasoning', text: 'I should call the tool.' },
              {
                type: 'tool-call',
                id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj',
                name: 'get_capital',
                arguments: '{"country":"UK"}',
              },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'call_ZR5UUuTt3pf61kjwAJIYdVMj',
                content: [{ type: 'text', text: 'London' }],
              },
            ],
          },
        ],
        { upstreamModel: 'gpt-4o-mini', tools: canonicalTools(body), toolChoice: { type: 'auto' } },
      ),
      'openai',
    );
    const { messages, model, stream, stream_options, tool_choice, tools } = out;
    expect({ messages, model, stream, stream_options, tool_choice, tools }).toEqual(body);
  });

  it('parallel tool calls and their results in order (pydantic-ai-stream_parallel_tool_calls, 3rd request)', () => {
    const body = recorded('pydantic-ai-stream_parallel_tool_calls_complex_agent_run.yaml', 2);
    const result = (id: string, text: string) => ({
      type: 'tool-result' as const,
      toolCallId: id,
      content: [{ type: 'text' as const, text }],
    });
    const out = convertToOpenAIChatRequest(
      request(
        [
          {
            role: 'user',
            content: [
              {
                type: 'text',
                text: 'Tell me: the capital of the country; the weather there; the product name',
              },
            ],
          },
          {
            role: 'assistant',
            content: [
              {
                type: 'tool-call',
                id: 'call_q2UyBRP7eXNTzAoR8lEhjc9Z',
                name: 'get_country',
                arguments: '{}',
              },
              {
                type: 'tool-call',
                id: 'call_b51ijcpFkDiTQG1bQzsrmtW5',
                name: 'get_product_name',
                arguments: '{}',
              },
            ],
          },
          {
            role: 'tool',
            content: [
              result('call_q2UyBRP7eXNTzAoR8lEhjc9Z', 'Mexico'),
              result('call_b51ijcpFkDiTQG1bQzsrmtW5', 'Pydantic AI'),
            ],
          },
          {
            role: 'assistant',
            content: [
              {
                type: 'tool-call',
                id: 'call_LwxJUB9KppVyogRRLQsamRJv',
                name: 'get_weather',
                arguments: '{"city":"Mexico City"}',
              },
            ],
          },
          { role: 'tool', content: [result('call_LwxJUB9KppVyogRRLQsamRJv', 'sunny')] },
        ],
        { tools: canonicalTools(body), toolChoice: { type: 'required' } },
      ),
      'openai',
    );
    expect(out.messages).toEqual(withExplicitNullContent(body['messages']));
    expect(out.tools).toEqual(body['tools']);
    expect(out.tool_choice).toBe(body['tool_choice']);
    expect(out.stream_options).toEqual(body['stream_options']);
  });

  it('json_schema response format (pydantic-ai-openai_native_output)', () => {
    const body = recorded('pydantic-ai-openai_native_output.yaml', 0);
    const recordedFormat = body['response_format'] as {
      json_schema: { name: string; schema: Record<string, unknown>; strict: boolean };
    };
    const out = convertToOpenAIChatRequest(
      request(
        [
          {
            role: 'user',
            content: [{ type: 'text', text: 'What is the largest city in the user country?' }],
          },
        ],
        {
          tools: canonicalTools(body),
          toolChoice: { type: 'auto' },
          responseFormat: { type: 'json_schema', ...recordedFormat.json_schema },
        },
      ),
      'openai',
    );
    expect(out.messages).toEqual(body['messages']);
    expect(out.response_format).toEqual(body['response_format']);
    expect(out.tools).toEqual(body['tools']);
    expect(out.tool_choice).toBe('auto');
  });
});

describe('convertToOpenAIChatRequest mapping rules', () => {
  it('sends tool_choice and parallel_tool_calls only with tools, as OpenAI refuses them without', () => {
    const user: CanonicalMessage = { role: 'user', content: [{ type: 'text', text: 'hi' }] };
    const choice = { toolChoice: { type: 'required' as const }, parallelToolCalls: false };
    const bare = convertToOpenAIChatRequest(request([user], choice), 'openai');
    expect(bare).not.toHaveProperty('tool_choice');
    expect(bare).not.toHaveProperty('parallel_tool_calls');
    const tools = [{ name: 'f', parameters: { type: 'object', properties: {} } }];
    const withTools = convertToOpenAIChatRequest(request([user], { ...choice, tools }), 'openai');
    expect(withTools).toMatchObject({ tool_choice: 'required', parallel_tool_calls: false });
  });

  it('keeps system messages in place and maps sampling, limits and metadata', () => {
    const out = convertToOpenAIChatRequest(
      request(
        [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          {
            role: 'system',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
        ],
        {
          maxOutputTokens: 256,
          temperature: 0.2,
          topP: 0.9,
          stop: ['END'],
          seed: 7,
          presencePenalty: 0.5,
          frequencyPenalty: -0.5,
          user: 'u-1',
          metadata: { team: 'x' },
          parallelToolCalls: false,
          toolChoice: { type: 'tool', name: 'lookup' },
          tools: [{ name: 'lookup', parameters: { type: 'object', properties: {} } }],
          responseFormat: { type: 'json_object' },
        },
      ),
      'openai',
    );
    expect(out.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      {
        role: 'system',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ]);
    expect(out).toMatchObject({
      max_completion_tokens: 256,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      user: 'u-1',
      metadata: { team: 'x' },
      parallel_tool_calls: false,
      tool_choice: { type: 'function', function: { name: 'lookup' } },
      response_format: { type: 'json_object' },
    });
    expect(out).not.toHaveProperty('reasoning_effort');
  });

  it('user images and files become image_url and file parts with data URLs', () => {
    const out = convertToOpenAIChatRequest(
      request([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' }, detail: 'low' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            {
              type: 'file',
              source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' },
              filename: 'a.pdf',
            },
          ],
        },
      ]),
      'openai',
    );
    expect(out.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Compare' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
      ],
    });
  });

  it('refuses a file given by URL (Chat Completions cannot fetch files)', () => {
    const convert = () =>
      convertToOpenAIChatRequest(
        request([
          {
            role: 'user',
            content: [{ type: 'file', source: { kind: 'url', url: 'https://example.com/a.pdf' } }],
          },
        ]),
        'openai',
      );
    expect(convert).toThrowError(GatewayError);
    expect(convert).toThrowError(
      expect.objectContaining({ failureClass: 'unsupported', param: 'messages[0].content[0]' }),
    );
  });

  it('tool-result images follow the whole run of tool messages as one user message', () => {
    const image = {
      type: 'image' as const,
      source: { kind: 'url' as const, url: 'https://example.com/chart.png' },
    };
    const out = convertToOpenAIChatRequest(
      request([
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Let me look.' },
            { type: 'tool-call', id: 'c1', name: 'chart', arguments: '{}' },
            { type: 'tool-call', id: 'c2', name: 'stats', arguments: '{}' },
          ],
        },
        {
          role: 'tool',
          content: [
            { type: 'tool-result', toolCallId: 'c1', content: [image] },
            {
              type: 'tool-result',
              toolCallId: 'c2',
              content: [
                { type: 'text', text: 'mean 3' },
                { type: 'text', text: 'max 9' },
              ],
            },
          ],
        },
        { role: 'user', content: [{ type: 'text', text: 'Explain' }] },
      ]),
      'openai',
    );
    expect(out.messages).toEqual([
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'chart', arguments: '{}' } },
          { id: 'c2', type: 'function', function: { name: 'stats', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '[image output follows in the next user message]' },
      { role: 'tool', tool_call_id: 'c2', content: 'mean 3\nmax 9' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Image output of tool call c1:' },
          { type: 'image_url', image_url: { url: 'https://example.com/chart.png' } },
        ],
      },
      { role: 'user', content: 'Explain' },
    ]);
  });

  it.each([
    [{ mode: 'enabled' as const, effort: 'xhigh' as const }, 'xhigh'],
    [{ mode: 'disabled' as const }, 'none'],
    [{ mode: 'enabled' as const, effort: 'low' as const }, 'low'],
    [{ mode: 'enabled' as const, effort: 'low' as const, budgetTokens: 16384 }, 'high'],
    [{ mode: 'enabled' as const, budgetTokens: 0 }, 'none'],
    [{ mode: 'enabled' as const, effort: 'max' as const }, 'max'],
    [{ mode: 'unset' as const, effort: 'low' as const }, 'low'],
    [{ mode: 'adaptive' as const, effort: 'medium' as const }, 'medium'],
    // Adaptive thinking without an effort: the model's default effort is the closest match.
    [{ mode: 'adaptive' as const }, undefined],
    [{ mode: 'disabled' as const, effort: 'high' as const }, 'none'],
  ])('reasoning %j -> reasoning_effort %s', (reasoning, effort) => {
    const out = convertToOpenAIChatRequest(request([], { reasoning }), 'openai');
    expect(out.reasoning_effort).toBe(effort);
  });

  it('top_k is refused, not silently dropped', () => {
    const convert = () => convertToOpenAIChatRequest(request([], { topK: 40 }), 'my-openai');
    expect(convert).toThrowError('top_k is not supported by provider my-openai');
    expect(convert).toThrowError(
      expect.objectContaining({ failureClass: 'unsupported', param: 'top_k', status: 400 }),
    );
  });
});
