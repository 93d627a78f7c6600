import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import type { CanonicalMessage, ProviderRequest, ToolDefinition } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import { convertToCohereRequest } from './convert-to-cohere-request.js';

type RecordedMessage = { role: string; content?: unknown };

/** The recorded request body; pydantic-ai did not stream, the adapter always does. */
function recorded(file: string, interaction = 0): Record<string, unknown> {
  return { ...requestJson(loadCassette(`cohere/${file}`)[interaction]!), stream: true };
}

function request(messages: CanonicalMessage[], extra: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    model: 'cohere/command-r7b-12-2024',
    upstreamModel: 'command-r7b-12-2024',
    messages,
    stream: true,
    ...extra,
  };
}

const user = (text: string): CanonicalMessage => ({ role: 'user', content: [{ type: 'text', text }] });

/** The tool definitions exactly as the cassette sent them. */
function recordedTools(file: string): ToolDefinition[] {
  const tools = recorded(file).tools as Array<{
    function: { name: string; description: string; parameters: Record<string, unknown> };
  }>;
  return tools.map(({ function: f }) => ({
    name: f.name,
    description: f.description,
    parameters: f.parameters,
  }));
}

describe('convertToCohereRequest against recorded Cohere requests', () => {
  it('a plain user message (request_simple_success)', () => {
    const body = convertToCohereRequest(request([user('hello')]), 'cohere');
    expect(body).toEqual(recorded('pydantic-ai-cohere-request_simple_success.yaml'));
  });

  it('a system message (cohere_model_instructions)', () => {
    const body = convertToCohereRequest(
      request([
        { role: 'system', content: [{ type: 'text', text: 'You are a helpful assistant.' }] },
        user('What is the capital of France?'),
      ]),
      'cohere',
    );
    expect(body).toEqual(recorded('pydantic-ai-cohere_model_instructions.yaml'));
  });

  it('a long system prompt (request_usage_with_cached_tokens)', () => {
    const expected = recorded('pydantic-ai-cohere-request_usage_with_cached_tokens.yaml');
    const system = (expected.messages as RecordedMessage[])[0]!.content as string;
    const body = convertToCohereRequest(
      request([{ role: 'system', content: [{ type: 'text', text: system }] }, user('Say hi in one word.')]),
      'cohere',
    );
    expect(body).toEqual(expected);
  });

  it('tools with tool_choice auto, then the tool result turn (tool_choice_matrix auto)', () => {
    const file = 'pydantic-ai-tool_choice_matrix-auto-cohere.yaml';
    const tools = recordedTools(file);
    const first = convertToCohereRequest(
      request([user("What's the weather in Paris?")], { tools, toolChoice: { type: 'auto' } }),
      'cohere',
    );
    expect(first).toEqual(recorded(file, 0));

    const second = convertToCohereRequest(
      request(
        [
          user("What's the weather in Paris?"),
          {
            role: 'assistant',
            content: [
              {
                type: 'tool-call',
                id: 'get_weather_9gpb31r7h7mj',
                name: 'get_weather',
                arguments: '{"city":"Paris"}',
              },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'get_weather_9gpb31r7h7mj',
                content: [{ type: 'text', text: 'Sunny, 22C in Paris' }],
              },
            ],
          },
        ],
        { tools },
      ),
      'cohere',
    );
    expect(second).toEqual(recorded(file, 1));
  });

  it('tool_choice required becomes REQUIRED (tool_choice_matrix required)', () => {
    const file = 'pydantic-ai-tool_choice_matrix-required-cohere.yaml';
    const body = convertToCohereRequest(
      request([user("What's the weather in Paris?")], {
        tools: recordedTools(file),
        toolChoice: { type: 'required' },
      }),
      'cohere',
    );
    expect(body).toEqual(recorded(file));
  });

  it('two tools with REQUIRED across both turns (tool_choice_matrix tools_plus_output)', () => {
    const file = 'pydantic-ai-tool_choice_matrix-tools_plus_output-cohere.yaml';
    const tools = recordedTools(file);
    expect(tools.map((t) => t.name)).toEqual(['get_weather', 'final_result']);
    const history: CanonicalMessage[] = [user('Get weather for Paris and summarize')];
    expect(
      convertToCohereRequest(request(history, { tools, toolChoice: { type: 'required' } }), 'cohere'),
    ).toEqual(recorded(file, 0));
    history.push(
      {
        role: 'assistant',
        content: [
          {
            type: 'tool-call',
            id: 'get_weather_mvsbdckzn39c',
            name: 'get_weather',
            arguments: '{"city":"Paris"}',
          },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'get_weather_mvsbdckzn39c',
            toolName: 'get_weather',
            content: [{ type: 'text', text: 'Sunny, 22C in Paris' }],
          },
        ],
      },
    );
    expect(
      convertToCohereRequest(request(history, { tools, toolChoice: { type: 'required' } }), 'cohere'),
    ).toEqual(recorded(file, 1));
  });

  it('replays reasoning as thinking content before the text (cohere_model_thinking_part)', () => {
    const expected = recorded('pydantic-ai-cohere_model_thinking_part.yaml', 1);
    const messages = expected.messages as RecordedMessage[];
    const assistant = messages[1]!.content as Array<{ type: string; thinking?: string; text?: string }>;
    const body = convertToCohereRequest(
      {
        ...request([
          user('How do I cross the street?'),
          {
            role: 'assistant',
            content: [
              // What OpenAI produced in the cassette's first interaction, encrypted content and all.
              { type: 'reasoning', text: assistant[0]!.thinking!, encryptedContent: 'gAAAAAB...' },
              { type: 'text', text: assistant[1]!.text! },
            ],
          },
          user(messages[2]!.content as string),
        ]),
        upstreamModel: 'command-a-reasoning-08-2025',
      },
      'cohere',
    );
    expect(body).toEqual(expected);
  });
});

describe('convertToCohereRequest', () => {
  it('maps sampling parameters to Cohere names and a JSON schema to json_object + json_schema', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } } };
    const body = convertToCohereRequest(
      request([user('hi')], {
        maxOutputTokens: 100,
        temperature: 0.3,
        topP: 0.9,
        topK: 40,
        stop: ['END'],
        seed: 7,
        presencePenalty: 0.2,
        frequencyPenalty: 0.6,
        responseFormat: { type: 'json_schema', name: 'city', schema },
      }),
      'cohere',
    );
    expect(body).toMatchObject({
      max_tokens: 100,
      temperature: 0.3,
      p: 0.9,
      k: 40,
      stop_sequences: ['END'],
      seed: 7,
      presence_penalty: 0.2,
      frequency_penalty: 0.6,
      response_format: { type: 'json_object', json_schema: schema },
    });
    expect(
      convertToCohereRequest(request([user('hi')], { responseFormat: { type: 'json_object' } }), 'cohere')
        .response_format,
    ).toEqual({ type: 'json_object' });
    expect(
      convertToCohereRequest(request([user('hi')], { responseFormat: { type: 'text' } }), 'cohere')
        .response_format,
    ).toBeUndefined();
  });

  it.each([
    [{ mode: 'disabled' as const }, { type: 'disabled' }],
    [
      { mode: 'enabled' as const, effort: 'low' as const },
      { type: 'enabled', token_budget: 2048 },
    ],
    [
      { mode: 'enabled' as const, effort: 'high' as const },
      { type: 'enabled', token_budget: 16384 },
    ],
    [
      { mode: 'enabled' as const, effort: 'high' as const, budgetTokens: 5000 },
      { type: 'enabled', token_budget: 5000 },
    ],
    [{ mode: 'enabled' as const, budgetTokens: 0 }, { type: 'disabled' }],
  ])('reasoning %j -> thinking %j', (reasoning, thinking) => {
    expect(convertToCohereRequest(request([user('hi')], { reasoning }), 'cohere').thinking).toEqual(thinking);
  });

  it('sends images as image_url content parts, inline data as a data URL', () => {
    const body = convertToCohereRequest(
      request([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' }, detail: 'high' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
      ]),
      'cohere',
    );
    expect(body.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' } },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
      ],
    });
  });

  it('a named tool choice offers only that tool and requires it', () => {
    const tools: ToolDefinition[] = [
      { name: 'a', parameters: { type: 'object' } },
      { name: 'b', description: 'B', parameters: { type: 'object' } },
    ];
    const body = convertToCohereRequest(
      request([user('hi')], { tools, toolChoice: { type: 'tool', name: 'b' } }),
      'cohere',
    );
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'b', description: 'B', parameters: { type: 'object' } } },
    ]);
    expect(body.tool_choice).toBe('REQUIRED');
    expect(
      convertToCohereRequest(request([user('hi')], { tools, toolChoice: { type: 'none' } }), 'cohere')
        .tool_choice,
    ).toBe('NONE');
  });

  it('puts text beside tool calls into tool_plan, and several tool result parts into documents', () => {
    const body = convertToCohereRequest(
      request([
        user('weather?'),
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'I will use the weather tool.' },
            { type: 'tool-call', id: 'weather_1', name: 'weather', arguments: '{"location":"SF"}' },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'weather_1',
              content: [
                { type: 'text', text: '{"temp":20}' },
                { type: 'text', text: '{"wind":3}' },
              ],
            },
          ],
        },
      ]),
      'cohere',
    );
    expect(body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        tool_plan: 'I will use the weather tool.',
        tool_calls: [
          {
            id: 'weather_1',
            type: 'function',
            function: { name: 'weather', arguments: '{"location":"SF"}' },
          },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'weather_1',
        content: [
          { type: 'document', document: { data: '{"temp":20}' } },
          { type: 'document', document: { data: '{"wind":3}' } },
        ],
      },
    ]);
  });

  it('refuses file parts and tool-result images with an unsupported error naming the part', () => {
    const fileError = (() => {
      try {
        convertToCohereRequest(
          request([
            {
              role: 'user',
              content: [
                { type: 'text', text: 'read' },
                { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' } },
              ],
            },
          ]),
          'co',
        );
      } catch (error) {
        return error;
      }
    })();
    expect(fileError).toBeInstanceOf(GatewayError);
    expect((fileError as GatewayError).failureClass).toBe('unsupported');
    expect((fileError as GatewayError).param).toBe('messages[0].content[1]');

    expect(() =>
      convertToCohereRequest(
        request([
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'x',
                content: [{ type: 'image', source: { kind: 'url', url: 'https://e.com/a.png' } }],
              },
            ],
          },
        ]),
        'co',
      ),
    ).toThrow(/images in tool results/);
  });
});
