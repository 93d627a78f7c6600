import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import type { CanonicalMessage, ProviderRequest, ToolDefinition } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import { convertToMistralRequest } from './convert-to-mistral-request.js';
import { MistralToolCallIds, toMistralToolCallId } from './mistral-tool-call-id.js';

type Json = Record<string, unknown>;

function recorded(file: string, interaction = 0): Json {
  return requestJson(loadCassette(`mistral/${file}`)[interaction]!);
}

/**
 * pydantic-ai's own defaults that are not part of the message (`prefix: false`, an empty `tool_calls`, the
 * tool call `index`) are dropped from the recorded messages before comparing.
 */
function recordedMessages(body: Json): unknown[] {
  return (body.messages as Json[]).map((message) => {
    const { prefix: _prefix, ...rest } = message;
    if (Array.isArray(rest.tool_calls)) {
      if (rest.tool_calls.length === 0) delete rest.tool_calls;
      else rest.tool_calls = (rest.tool_calls as Json[]).map(({ index: _index, ...call }) => call);
    }
    return rest;
  });
}

function recordedTools(body: Json): ToolDefinition[] {
  return (body.tools as Array<{ function: ToolDefinition }>).map(({ function: f }) => ({
    name: f.name,
    description: f.description,
    parameters: f.parameters,
  }));
}

function request(messages: CanonicalMessage[], extra: Partial<ProviderRequest> = {}): ProviderRequest {
  return {
    model: 'mistral/mistral-large-latest',
    upstreamModel: 'mistral-large-latest',
    messages,
    stream: true,
    ...extra,
  };
}

const user = (text: string): CanonicalMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const convert = (req: ProviderRequest) => convertToMistralRequest(req, 'mistral', new MistralToolCallIds());

describe('convertToMistralRequest against recorded Mistral requests', () => {
  it('the magistral stream request is exactly what was recorded (mistral_model_thinking_part_iter)', () => {
    const body = convert({
      ...request([user('How do I cross the street?')]),
      upstreamModel: 'magistral-medium-latest',
    });
    expect(body).toEqual(recorded('pydantic-ai-mistral_model_thinking_part_iter.yaml'));
  });

  it('tools with tool_choice auto, then the tool call and its result (tool_choice_matrix auto)', () => {
    const file = 'pydantic-ai-tool_choice_matrix-auto-mistral.yaml';
    const tools = recordedTools(recorded(file));
    const history: CanonicalMessage[] = [user("What's the weather in Paris?")];
    const first = convert(request(history, { tools, toolChoice: { type: 'auto' } }));
    expect(first.messages).toEqual(recordedMessages(recorded(file)));
    expect(first.tool_choice).toBe('auto');
    expect(first.tools?.map((tool) => tool.function)).toEqual(
      (recorded(file).tools as Array<{ function: unknown }>).map((tool) => tool.function),
    );
    expect(first.tools?.every((tool) => tool.type === 'function')).toBe(true);

    history.push(
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', id: 'KikbB849t', name: 'get_weather', arguments: '{"city": "Paris"}' },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'KikbB849t',
            content: [{ type: 'text', text: 'Sunny, 22C in Paris' }],
          },
        ],
      },
    );
    const second = convert(request(history, { tools, toolChoice: { type: 'auto' } }));
    expect(second.messages).toEqual(recordedMessages(recorded(file, 1)));
  });

  it('tool_choice required is sent as "any" (tool_choice_matrix required and tools_plus_output)', () => {
    const required = recorded('pydantic-ai-tool_choice_matrix-required-mistral.yaml');
    expect(required.tool_choice).toBe('any');
    const body = convert(
      request([user("What's the weather in Paris?")], {
        tools: recordedTools(required),
        toolChoice: { type: 'required' },
      }),
    );
    expect(body.tool_choice).toBe('any');
    expect(body.messages).toEqual(recordedMessages(required));

    const file = 'pydantic-ai-tool_choice_matrix-tools_plus_output-mistral.yaml';
    const tools = recordedTools(recorded(file));
    const second = convert(
      request(
        [
          user('Get weather for Paris and summarize'),
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', id: 'rHU0eZiMa', name: 'get_weather', arguments: '{"city": "Paris"}' },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'rHU0eZiMa',
                content: [{ type: 'text', text: 'Sunny, 22C in Paris' }],
              },
            ],
          },
        ],
        { tools, toolChoice: { type: 'required' } },
      ),
    );
    expect(second.tool_choice).toBe(recorded(file, 1).tool_choice);
    expect(second.messages).toEqual(recordedMessages(recorded(file, 1)));
    expect(second.tools?.map((tool) => tool.function.name)).toEqual(['get_weather', 'final_result']);
  });

  it('an assistant text turn is sent as a text chunk (mistral_history_uses_prompt_cache)', () => {
    const file = 'pydantic-ai-mistral_history_uses_prompt_cache.yaml';
    const expected = recorded(file, 1);
    const system = (expected.messages as Json[])[0]!.content as string;
    const body = convert(
      request([
        { role: 'system', content: [{ type: 'text', text: system }] },
        user('Reply with exactly: cache probe one.'),
        { role: 'assistant', content: [{ type: 'text', text: 'cache probe one.' }] },
        user('Reply with exactly: cache probe two.'),
      ]),
    );
    expect(body.messages).toEqual(recordedMessages(expected));
  });

  it('reasoning goes back as one thinking chunk holding each reasoning part (mistral_model_thinking_part)', () => {
    const expected = recorded('pydantic-ai-mistral_model_thinking_part.yaml', 1);
    const messages = expected.messages as Json[];
    const assistant = messages[1]!.content as Array<{
      type: string;
      thinking?: Array<{ text: string }>;
      text?: string;
    }>;
    const thoughts = assistant[0]!.thinking!.map((t) => t.text);
    expect(thoughts).toHaveLength(3);
    const body = convert({
      ...request([
        user('How do I cross the street?'),
        {
          role: 'assistant',
          content: [
            ...thoughts.map((text) => ({ type: 'reasoning' as const, text })),
            { type: 'text', text: assistant[1]!.text! },
          ],
        },
        user(messages[2]!.content as string),
      ]),
      upstreamModel: 'magistral-medium-latest',
    });
    expect(body.messages).toEqual(recordedMessages(expected));
  });

  it('several text parts in a user message stay separate chunks (text_document_url_input)', () => {
    const expected = recorded('pydantic-ai-mistral-text_document_url_input.yaml', 1);
    const content = (expected.messages as Json[])[0]!.content as Array<{ text: string }>;
    const body = convert(
      request([
        { role: 'user', content: content.map((chunk) => ({ type: 'text' as const, text: chunk.text })) },
      ]),
    );
    expect(body.messages).toEqual(recordedMessages(expected));
  });
});

describe('convertToMistralRequest', () => {
  it('sends a trailing assistant message with prefix: true, so Mistral continues it', () => {
    const assistant: CanonicalMessage = {
      role: 'assistant',
      content: [{ type: 'text', text: 'The colour is' }],
    };
    const body = convert(request([user('Name a colour.'), assistant]));
    expect(body.messages.at(-1)).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'The colour is' }],
      prefix: true,
    });
    // An earlier assistant turn is history, without prefix.
    const history = convert(request([user('Hi'), assistant, user('Again')]));
    expect(history.messages[1]).not.toHaveProperty('prefix');
  });

  it('maps foreign tool call ids to 9 characters, the same in the call and in its result', () => {
    const ids = new MistralToolCallIds();
    const body = convertToMistralRequest(
      request([
        user('weather?'),
        {
          role: 'assistant',
          content: [{ type: 'tool-call', id: 'call_q2UyBRP7eXNTzAoR8lEhjc9Z', name: 'w', arguments: '{}' }],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'call_q2UyBRP7eXNTzAoR8lEhjc9Z',
              toolName: 'w',
              content: [
                { type: 'text', text: 'sunny' },
                { type: 'text', text: '22C' },
              ],
            },
          ],
        },
      ]),
      'mistral',
      ids,
    );
    const mapped = toMistralToolCallId('call_q2UyBRP7eXNTzAoR8lEhjc9Z');
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [],
      tool_calls: [{ id: mapped, type: 'function', function: { name: 'w', arguments: '{}' } }],
    });
    expect(body.messages[2]).toEqual({
      role: 'tool',
      tool_call_id: mapped,
      name: 'w',
      content: 'sunny\n22C',
    });
    expect(ids.fromMistral(mapped)).toBe('call_q2UyBRP7eXNTzAoR8lEhjc9Z');
  });

  it('uses Mistral names for the sampling fields and keeps json_schema as Chat Completions has it', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const body = convert(
      request([user('hi')], {
        maxOutputTokens: 64,
        temperature: 0.2,
        topP: 0.8,
        stop: ['\n\n'],
        seed: 42,
        presencePenalty: 0.3,
        frequencyPenalty: 0.4,
        parallelToolCalls: false,
        tools: [{ name: 'f', parameters: { type: 'object' } }],
        toolChoice: { type: 'tool', name: 'f' },
        responseFormat: { type: 'json_schema', name: 'answer', schema, strict: true },
        user: 'u-1',
        metadata: { a: 'b' },
      }),
    );
    expect(body).toEqual({
      model: 'mistral-large-latest',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
      max_tokens: 64,
      temperature: 0.2,
      top_p: 0.8,
      stop: ['\n\n'],
      random_seed: 42,
      presence_penalty: 0.3,
      frequency_penalty: 0.4,
    });
  });

  it('adds prompt_mode for magistral and reasoning_effort for adjustable models', () => {
    expect(
      convert({
        ...request([user('hi')], { reasoning: { mode: 'enabled', effort: 'high' } }),
        upstreamModel: 'magistral-small-latest',
      }).prompt_mode,
    ).toBe('reasoning');
    const small = convert({
      ...request([user('hi')], { reasoning: { mode: 'enabled', effort: 'medium' } }),
      upstreamModel: 'mistral-small-latest',
    });
    expect(small.reasoning_effort).toBe('high');
    expect(small.prompt_mode).toBeUndefined();
  });

  it('sends images as image_url strings and documents as document_url', () => {
    const body = convert(
      request([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image', source: { kind: 'url', url: 'https://e.com/a.png' } },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/' } },
            {
              type: 'file',
              source: { kind: 'url', url: 'https://arxiv.org/pdf/1805.04770' },
              filename: 'paper.pdf',
            },
            { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0=' } },
          ],
        },
      ]),
    );
    expect(body.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'look' },
        { type: 'image_url', image_url: 'https://e.com/a.png' },
        { type: 'image_url', image_url: 'data:image/jpeg;base64,/9j/' },
        {
          type: 'document_url',
          document_url: 'https://arxiv.org/pdf/1805.04770',
          document_name: 'paper.pdf',
        },
        { type: 'document_url', document_url: 'data:application/pdf;base64,JVBERi0=' },
      ],
    });
  });

  it('refuses top_k, inline non-PDF files and tool-result images', () => {
    const attempt = (req: ProviderRequest): GatewayError => {
      try {
        convert(req);
      } catch (error) {
        expect(error).toBeInstanceOf(GatewayError);
        return error as GatewayError;
      }
      throw new Error('expected a GatewayError');
    };
    expect(attempt(request([user('hi')], { topK: 5 })).param).toBe('top_k');
    const file = attempt(
      request([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'read' },
            { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: 'aGk=' } },
          ],
        },
      ]),
    );
    expect(file.failureClass).toBe('unsupported');
    expect(file.param).toBe('messages[0].content[1]');
    const image = attempt(
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
    );
    expect(image.param).toBe('messages[0].content[0].content[0]');
  });
});
