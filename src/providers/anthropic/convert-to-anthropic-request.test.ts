import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import type {
  AssistantPart,
  CanonicalMessage,
  ImagePart,
  ProviderRequest,
  ReasoningRequest,
  ToolChoice,
  ToolResultPart,
  UserPart,
} from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import type { AnthropicMessagesBody } from './convert-to-anthropic-request.js';
import { convertToAnthropicRequest, JSON_OBJECT_INSTRUCTION } from './convert-to-anthropic-request.js';

const DIR = 'anthropic-messages';

type Json = Record<string, unknown>;

function request(overrides: Partial<ProviderRequest>): ProviderRequest {
  return {
    model: 'anthropic/claude-sonnet-4-5',
    upstreamModel: 'claude-sonnet-4-5',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    stream: false,
    ...overrides,
  };
}

/**
 * The fixture body in the one shape we emit: string `system` and string tool_result `content` become
 * text-block arrays (Anthropic treats both forms alike) and `stream` is always true.
 */
function normalizeFixtureBody(body: Json): Json {
  const out: Json = { ...body, stream: true };
  if (typeof body.system === 'string') out.system = [{ type: 'text', text: body.system }];
  out.messages = (body.messages as Json[]).map((message) => ({
    ...message,
    content: (message.content as Json[]).map((block) =>
      block.type === 'tool_result' && typeof block.content === 'string'
        ? { ...block, content: [{ type: 'text', text: block.content }] }
        : block,
    ),
  }));
  return out;
}

// --- Builds the canonical request that means what a recorded Anthropic body says. ---

function canonicalFromAnthropicBody(body: Json): ProviderRequest {
  const messages: CanonicalMessage[] = [];
  if (typeof body.system === 'string')
    messages.push({ role: 'system', content: [{ type: 'text', text: body.system }] });
  for (const message of body.messages as Json[]) {
    const blocks = message.content as Json[];
    if (message.role === 'assistant') {
      messages.push({ role: 'assistant', content: blocks.map(assistantPart) });
      continue;
    }
    const results = blocks.filter((block) => block.type === 'tool_result').map(toolResultPart);
    if (results.length > 0) messages.push({ role: 'tool', content: results });
    const rest = blocks.filter((block) => block.type !== 'tool_result').map(userPart);
    if (rest.length > 0) messages.push({ role: 'user', content: rest });
  }
  const canonical: ProviderRequest = {
    model: `anthropic/${body.model}`,
    upstreamModel: body.model as string,
    messages,
    maxOutputTokens: body.max_tokens as number,
    stream: false,
  };
  if (body.tools) {
    canonical.tools = (body.tools as Json[]).map((tool) => ({
      name: tool.name as string,
      description: tool.description as string,
      parameters: tool.input_schema as Json,
      ...(tool.strict === true ? { strict: true } : {}),
    }));
  }
  const choice = body.tool_choice as Json | undefined;
  if (choice) {
    const map: Record<string, ToolChoice> = {
      auto: { type: 'auto' },
      any: { type: 'required' },
      none: { type: 'none' },
      tool: { type: 'tool', name: choice.name as string },
    };
    canonical.toolChoice = map[choice.type as string];
  }
  const thinking = body.thinking as Json | undefined;
  if (thinking?.type === 'enabled')
    canonical.reasoning = { mode: 'enabled' as const, budgetTokens: thinking.budget_tokens as number };
  const format = (body.output_config as Json | undefined)?.format as Json | undefined;
  if (format)
    canonical.responseFormat = { type: 'json_schema', name: 'output', schema: format.schema as Json };
  return canonical;
}

function source(raw: Json): ImagePart['source'] {
  return raw.type === 'url'
    ? { kind: 'url', url: raw.url as string }
    : { kind: 'base64', mediaType: raw.media_type as string, data: raw.data as string };
}

function userPart(block: Json): UserPart {
  if (block.type === 'text') return { type: 'text', text: block.text as string };
  if (block.type === 'image') return { type: 'image', source: source(block.source as Json) };
  if (block.type === 'document') return { type: 'file', source: source(block.source as Json) };
  throw new Error(`unexpected user block ${String(block.type)}`);
}

function toolResultPart(block: Json): ToolResultPart {
  const blocks =
    typeof block.content === 'string' ? [{ type: 'text', text: block.content }] : (block.content as Json[]);
  const content = blocks.map((item) => ({ type: 'text' as const, text: item.text as string }));
  return {
    type: 'tool-result',
    toolCallId: block.tool_use_id as string,
    content,
    isError: block.is_error as boolean,
  };
}

function assistantPart(block: Json): AssistantPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text as string };
    case 'thinking':
      return { type: 'reasoning', text: block.thinking as string, signature: block.signature as string };
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: block.data as string };
    case 'tool_use':
      return {
        type: 'tool-call',
        id: block.id as string,
        name: block.name as string,
        arguments: JSON.stringify(block.input),
      };
    default:
      throw new Error(`unexpected assistant block ${String(block.type)}`);
  }
}

const RECORDED_REQUESTS = [
  'pydantic-ai-anthropic_tool_with_thinking.yaml',
  'pydantic-ai-anthropic-multiple_parallel_tool_calls.yaml',
  'pydantic-ai-anthropic_model_thinking_part.yaml',
  'pydantic-ai-anthropic_model_thinking_part_redacted.yaml',
  'pydantic-ai-anthropic_model_thinking_part_stream.yaml',
  'pydantic-ai-anthropic_model_thinking_part_redacted_stream.yaml',
  'pydantic-ai-anthropic-stream_plain_text_raw_sse.yaml',
  'pydantic-ai-anthropic-no_tools_native_output_strict_true.yaml',
  'pydantic-ai-anthropic-strict_true_tool_native_output.yaml',
  'pydantic-ai-anthropic_native_output_decimal_strict.yaml',
  'pydantic-ai-anthropic_output_tool_with_thinking.yaml',
  'pydantic-ai-anthropic_tool_output.yaml',
  'pydantic-ai-anthropic_model_instructions.yaml',
  'pydantic-ai-anthropic_prompted_output.yaml',
  'pydantic-ai-anthropic-image_url_input.yaml',
  'pydantic-ai-anthropic-document_url_input.yaml',
  'pydantic-ai-tool_choice_matrix-auto-anthropic.yaml',
  'pydantic-ai-tool_choice_matrix-none-anthropic.yaml',
  'pydantic-ai-tool_choice_matrix-required-anthropic.yaml',
].flatMap((file) =>
  loadCassette(`${DIR}/${file}`)
    .filter(
      (interaction) =>
        interaction.request.uri.includes('/v1/messages?') || interaction.request.uri.endsWith('/v1/messages'),
    )
    .map((interaction, i) => ({ name: `${file}#${i}`, body: requestJson(interaction) })),
);

describe('convertToAnthropicRequest against recorded requests', () => {
  it.each(RECORDED_REQUESTS)('$name: the same request means the same body', ({ body }) => {
    expect(convertToAnthropicRequest(canonicalFromAnthropicBody(body), 'anthropic')).toEqual(
      normalizeFixtureBody(body),
    );
  });

  it('multi-turn thinking + tool_use + tool_result (tool_with_thinking): signature carried, tool result as user turn', () => {
    const recorded = requestJson(loadCassette(`${DIR}/pydantic-ai-anthropic_tool_with_thinking.yaml`)[1]!);
    const assistantBlocks = (recorded.messages as Json[])[1]!.content as Json[];
    const thinking = assistantBlocks[0]!;
    const canonical: ProviderRequest = {
      model: 'anthropic/claude-sonnet-4-0',
      upstreamModel: 'claude-sonnet-4-0',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What is the largest city in the user country?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: thinking.thinking as string, signature: thinking.signature as string },
            { type: 'text', text: assistantBlocks[1]!.text as string },
            {
              type: 'tool-call',
              id: 'toolu_01YGzqpRE16Vricda3Aqcejo',
              name: 'get_user_country',
              arguments: '',
            },
          ],
        },
        {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              toolCallId: 'toolu_01YGzqpRE16Vricda3Aqcejo',
              content: [{ type: 'text', text: 'Mexico' }],
              isError: false,
            },
          ],
        },
      ],
      tools: [
        {
          name: 'get_user_country',
          description: '',
          parameters: { additionalProperties: false, properties: {}, type: 'object' },
        },
      ],
      toolChoice: { type: 'auto' },
      maxOutputTokens: 4096,
      reasoning: { mode: 'enabled' as const, budgetTokens: 3000 },
      temperature: 0.2,
      stream: false,
    };
    const body = convertToAnthropicRequest(canonical, 'anthropic');
    const expected = normalizeFixtureBody(recorded);
    expect(body.messages).toEqual(expected.messages);
    expect(body.tools).toEqual(expected.tools);
    expect(body.tool_choice).toEqual(expected.tool_choice);
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 3000 });
    expect(body.max_tokens).toBe(4096);
    expect(body.system).toBeUndefined();
    // Thinking on: the temperature the client sent is left out, as Anthropic demands.
    expect(body.temperature).toBeUndefined();
    expect(body.stream).toBe(true);
  });

  it('parallel tool results sent as separate OpenAI-style tool messages merge into one user turn', () => {
    const recorded = requestJson(
      loadCassette(`${DIR}/pydantic-ai-anthropic-multiple_parallel_tool_calls.yaml`)[1]!,
    );
    const [, assistant, results] = recorded.messages as Json[];
    const calls = (assistant!.content as Json[]).filter((block) => block.type === 'tool_use');
    expect(calls).toHaveLength(4);
    const canonical: ProviderRequest = {
      model: 'anthropic/claude-haiku-4-5',
      upstreamModel: 'claude-haiku-4-5',
      messages: [
        { role: 'system', content: [{ type: 'text', text: recorded.system as string }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Alice, Bob, Charlie and Daisy are a family. Who is the youngest?' },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: (assistant!.content as Json[])[0]!.text as string },
            ...calls.map((call) => ({
              type: 'tool-call' as const,
              id: call.id as string,
              name: 'retrieve_entity_info',
              arguments: JSON.stringify(call.input),
            })),
          ],
        },
        ...(results!.content as Json[]).map(
          (result): CanonicalMessage => ({
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: result.tool_use_id as string,
                content: [{ type: 'text', text: result.content as string }],
                isError: false,
              },
            ],
          }),
        ),
      ],
      tools: [
        {
          name: 'retrieve_entity_info',
          description: 'Get the knowledge about the given entity.',
          parameters: (recorded.tools as Json[])[0]!.input_schema as Json,
        },
      ],
      toolChoice: { type: 'auto' },
      maxOutputTokens: 4096,
      stream: false,
    };
    const body = convertToAnthropicRequest(canonical, 'anthropic');
    expect(body).toEqual(normalizeFixtureBody(recorded));
    expect(body.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(body.messages[2]!.content.map((block) => block.type)).toEqual([
      'tool_result',
      'tool_result',
      'tool_result',
      'tool_result',
    ]);
  });
});

describe('convertToAnthropicRequest rules', () => {
  it('hoists system messages from anywhere, in order, keeping cache_control', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'A', cacheControl: { type: 'ephemeral' } }] },
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
          { role: 'system', content: [{ type: 'text', text: 'B' }] },
          {
            role: 'user',
            content: [{ type: 'text', text: 'Again', cacheControl: { type: 'ephemeral', ttl: '1h' } }],
          },
        ],
      }),
      'anthropic',
    );
    expect(body.system).toEqual([
      { type: 'text', text: 'A', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'B' },
    ]);
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'text', text: 'Again', cache_control: { type: 'ephemeral', ttl: '1h' } },
        ],
      },
    ]);
  });

  it('drops unsigned reasoning (Anthropic rejects it), keeps signed and redacted, and re-merges around emptied turns', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Q1' }] },
          {
            role: 'assistant',
            content: [{ type: 'reasoning', text: 'from another provider', encryptedContent: 'enc' }],
          },
          { role: 'user', content: [{ type: 'text', text: 'Q2' }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'unsigned' },
              { type: 'reasoning', text: 'signed', signature: 'sig' },
              { type: 'reasoning', text: '', redactedData: 'opaque' },
              { type: 'text', text: 'A2' },
            ],
          },
        ],
      }),
      'anthropic',
    );
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Q1' },
          { type: 'text', text: 'Q2' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'signed', signature: 'sig' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'text', text: 'A2' },
        ],
      },
    ]);
  });

  it('tool results: is_error, text and image content, placed before user text in a merged turn', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Look' }] },
          {
            role: 'assistant',
            content: [{ type: 'tool-call', id: 'call_1', name: 'shot', arguments: '{"x":1}' }],
          },
          { role: 'user', content: [{ type: 'text', text: 'and also' }] },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'call_1',
                isError: true,
                content: [
                  { type: 'text', text: 'failed' },
                  { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
                ],
              },
            ],
          },
        ],
      }),
      'anthropic',
    );
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'call_1', name: 'shot', input: { x: 1 } }],
    });
    expect(body.messages[2]).toEqual({
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'call_1',
          is_error: true,
          content: [
            { type: 'text', text: 'failed' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
          ],
        },
        { type: 'text', text: 'and also' },
      ],
    });
  });

  it('images and documents by URL and base64; text documents as a text source', () => {
    const body = convertToAnthropicRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'url', url: 'https://example.com/a.jpg' } },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: '/9j/' } },
              { type: 'file', source: { kind: 'url', url: 'https://example.com/a.pdf' } },
              {
                type: 'file',
                source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBER' },
                filename: 'a.pdf',
              },
              {
                type: 'file',
                source: {
                  kind: 'base64',
                  mediaType: 'text/plain',
                  data: Buffer.from('hello').toString('base64'),
                },
              },
            ],
          },
        ],
      }),
      'anthropic',
    );
    expect(body.messages[0]!.content).toEqual([
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/' } },
      { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
      {
        type: 'document',
        source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' },
        title: 'a.pdf',
      },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello' } },
    ]);
  });

  it('an empty last user message is a 400, not dropped into a prefill of the assistant message before it', () => {
    const turns = (last: string): ProviderRequest =>
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'a' }] },
          { role: 'user', content: [{ type: 'text', text: last }] },
        ],
      });
    expect(() => convertToAnthropicRequest(turns(''), 'anthropic')).toThrow(
      expect.objectContaining({ failureClass: 'invalid_request', param: 'messages[2].content' }),
    );
    expect(convertToAnthropicRequest(turns('more'), 'anthropic').messages.at(-1)?.role).toBe('user');
  });

  it('tool call arguments: empty means {}, invalid JSON is the client’s invalid request', () => {
    const call = (args: string): ProviderRequest =>
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'go' }] },
          { role: 'assistant', content: [{ type: 'tool-call', id: 't1', name: 'f', arguments: args }] },
        ],
      });
    expect(convertToAnthropicRequest(call(''), 'anthropic').messages[1]!.content).toEqual([
      { type: 'tool_use', id: 't1', name: 'f', input: {} },
    ]);
    expect(() => convertToAnthropicRequest(call('{"a":'), 'anthropic')).toThrow(GatewayError);
    try {
      convertToAnthropicRequest(call('{"a":'), 'anthropic');
    } catch (error) {
      expect((error as GatewayError).failureClass).toBe('invalid_request');
      // The part itself, so each surface can name the tool call where its client sent it.
      expect((error as GatewayError).param).toBe('messages[1].content[0]');
    }
  });

  it.each([
    [undefined, undefined, undefined],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    [{ type: 'auto' }, true, { type: 'auto' }],
    [{ type: 'required' }, undefined, { type: 'any' }],
    [{ type: 'required' }, false, { type: 'any', disable_parallel_tool_use: true }],
    [{ type: 'tool', name: 'f' }, false, { type: 'tool', name: 'f', disable_parallel_tool_use: true }],
    [{ type: 'none' }, false, { type: 'none' }],
  ] as const)('tool_choice %o with parallelToolCalls %o → %o', (toolChoice, parallelToolCalls, expected) => {
    const body = convertToAnthropicRequest(
      request({
        tools: [
          {
            name: 'f',
            description: 'F',
            parameters: { type: 'object' },
            strict: true,
            cacheControl: { type: 'ephemeral' },
          },
        ],
        ...(toolChoice ? { toolChoice } : {}),
        ...(parallelToolCalls !== undefined ? { parallelToolCalls } : {}),
      }),
      'anthropic',
    );
    expect(body.tool_choice).toEqual(expected);
    expect(body.tools).toEqual([
      {
        name: 'f',
        description: 'F',
        input_schema: { type: 'object' },
        strict: true,
        cache_control: { type: 'ephemeral' },
      },
    ]);
  });

  it('sampling, stop sequences and user id pass through when thinking is off', () => {
    const body = convertToAnthropicRequest(
      request({
        temperature: 0.3,
        topP: 0.8,
        topK: 40,
        stop: ['END'],
        user: 'user-42',
        maxOutputTokens: 100,
      }),
      'anthropic',
    );
    expect(body).toMatchObject({
      temperature: 0.3,
      top_p: 0.8,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      max_tokens: 100,
    });
    expect(body.thinking).toBeUndefined();
  });

  it('thinking off is said explicitly, and sampling then passes through', () => {
    const body = convertToAnthropicRequest(
      request({ reasoning: { mode: 'disabled' }, temperature: 0.5, topK: 5, topP: 0.5 }),
      'anthropic',
    );
    expect(body.thinking).toEqual({ type: 'disabled' });
    expect(body).toMatchObject({ temperature: 0.5, top_k: 5, top_p: 0.5 });
    expect(body.output_config).toBeUndefined();
  });

  it.each([
    [{ mode: 'enabled' as const, effort: 'minimal' as const }, 1024],
    [{ mode: 'enabled' as const, effort: 'medium' as const }, 8192],
    [{ mode: 'enabled' as const, effort: 'xhigh' as const }, 32768],
    [{ mode: 'enabled' as const, budgetTokens: 5000 }, 5000],
  ])('reasoning %o → budget %o', (reasoning, budget) => {
    const body = convertToAnthropicRequest(
      request({ reasoning, temperature: 0.5, topK: 5, topP: 0.5 }),
      'anthropic',
    );
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
    expect(body.temperature).toBeUndefined();
    expect(body.top_k).toBeUndefined();
    expect(body.top_p).toBeUndefined();
    expect(body.max_tokens).toBeGreaterThan(budget);
    // A rung from an OpenAI-style client says how much to think; older models take no output effort.
    expect(body.output_config).toBeUndefined();
  });

  const reasoningFields = (body: AnthropicMessagesBody) => ({
    thinking: body.thinking,
    output_config: body.output_config,
  });

  it.each<[ReasoningRequest, Partial<AnthropicMessagesBody>]>([
    [{ mode: 'adaptive' }, { thinking: { type: 'adaptive' } }],
    [
      { mode: 'adaptive', effort: 'max' },
      { thinking: { type: 'adaptive' }, output_config: { effort: 'max' } },
    ],
    [
      { mode: 'adaptive', effort: 'xhigh' },
      { thinking: { type: 'adaptive' }, output_config: { effort: 'xhigh' } },
    ],
    [{ mode: 'unset', effort: 'low' }, { output_config: { effort: 'low' } }],
    [{ mode: 'adaptive', display: 'summarized' }, { thinking: { type: 'adaptive', display: 'summarized' } }],
    [
      { mode: 'enabled', budgetTokens: 2000, display: 'omitted' },
      { thinking: { type: 'enabled', budget_tokens: 2000, display: 'omitted' } },
    ],
    [
      { mode: 'disabled', effort: 'medium' },
      { thinking: { type: 'disabled' }, output_config: { effort: 'medium' } },
    ],
    [
      { mode: 'enabled', budgetTokens: 3000, effort: 'high' },
      { thinking: { type: 'enabled', budget_tokens: 3000 }, output_config: { effort: 'high' } },
    ],
  ])("an Anthropic client's thinking %o goes back as it was given", (reasoning, expected) => {
    const body = convertToAnthropicRequest(
      request({ upstreamModel: 'claude-opus-4-6', reasoning, maxOutputTokens: 4096 }),
      'anthropic',
    );
    expect(reasoningFields(body)).toEqual({ thinking: undefined, output_config: undefined, ...expected });
  });

  it('adaptive thinking leaves temperature and top_k out and max_tokens as asked', () => {
    const body = convertToAnthropicRequest(
      request({
        reasoning: { mode: 'adaptive' },
        maxOutputTokens: 1000,
        temperature: 0.5,
        topK: 5,
        topP: 0.98,
      }),
      'anthropic',
    );
    expect(body).toMatchObject({ max_tokens: 1000, top_p: 0.98 });
    expect(body.temperature).toBeUndefined();
    expect(body.top_k).toBeUndefined();
  });

  it('an effort and a json_schema format share output_config', () => {
    const body = convertToAnthropicRequest(
      request({
        reasoning: { mode: 'unset', effort: 'medium' },
        responseFormat: { type: 'json_schema', name: 'response', schema: { type: 'object' } },
      }),
      'anthropic',
    );
    expect(body.output_config).toEqual({
      effort: 'medium',
      format: { type: 'json_schema', schema: { type: 'object' } },
    });
  });

  it.each<[string, ReasoningRequest, Partial<AnthropicMessagesBody>]>([
    [
      'claude-opus-4-7',
      { mode: 'enabled', effort: 'low' },
      { thinking: { type: 'adaptive' }, output_config: { effort: 'low' } },
    ],
    [
      'claude-opus-4-7',
      { mode: 'enabled', effort: 'minimal' },
      { thinking: { type: 'adaptive' }, output_config: { effort: 'low' } },
    ],
    [
      'claude-mythos-preview',
      { mode: 'enabled', effort: 'max' },
      { thinking: { type: 'adaptive' }, output_config: { effort: 'max' } },
    ],
    // They reject `disabled`; leaving thinking out keeps it off.
    ['claude-sonnet-5', { mode: 'disabled' }, {}],
    // A client's own budget is the client's: Anthropic answers for it.
    [
      'claude-opus-4-7',
      { mode: 'enabled', budgetTokens: 3000 },
      { thinking: { type: 'enabled', budget_tokens: 3000 } },
    ],
  ])('%s takes only adaptive thinking: %o', (upstreamModel, reasoning, expected) => {
    const body = convertToAnthropicRequest(request({ upstreamModel, reasoning }), 'anthropic');
    expect(reasoningFields(body)).toEqual({ thinking: undefined, output_config: undefined, ...expected });
  });

  it('with thinking, max_tokens always exceeds the budget and top_p survives only in [0.95, 1]', () => {
    const low = convertToAnthropicRequest(
      request({
        reasoning: { mode: 'enabled' as const, budgetTokens: 2048 },
        maxOutputTokens: 1000,
        topP: 0.97,
      }),
      'anthropic',
    );
    expect(low.max_tokens).toBe(3048);
    expect(low.top_p).toBe(0.97);
    const roomy = convertToAnthropicRequest(
      request({ reasoning: { mode: 'enabled' as const, budgetTokens: 2048 }, maxOutputTokens: 10000 }),
      'anthropic',
    );
    expect(roomy.max_tokens).toBe(10000);
    const unknownModel = convertToAnthropicRequest(
      request({ upstreamModel: 'claude-next', reasoning: { mode: 'enabled', effort: 'high' } }),
      'anthropic',
    );
    expect(unknownModel.max_tokens).toBe(4096 + 16384);
  });

  it('max_tokens defaults per model when the client gives none', () => {
    expect(
      convertToAnthropicRequest(request({ upstreamModel: 'claude-sonnet-4-5' }), 'anthropic').max_tokens,
    ).toBe(64000);
    expect(
      convertToAnthropicRequest(request({ upstreamModel: 'claude-opus-4-1-20250805' }), 'anthropic')
        .max_tokens,
    ).toBe(32000);
    expect(
      convertToAnthropicRequest(request({ upstreamModel: 'claude-3-5-haiku-latest' }), 'anthropic')
        .max_tokens,
    ).toBe(8192);
  });

  it('json_schema → output_config.format; json_object → an appended system instruction', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const structured = convertToAnthropicRequest(
      request({ responseFormat: { type: 'json_schema', name: 'x', schema, strict: true } }),
      'anthropic',
    );
    expect(structured.output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(structured.system).toBeUndefined();

    const jsonMode = convertToAnthropicRequest(
      request({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be terse.' }] },
          { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        ],
        responseFormat: { type: 'json_object' },
      }),
      'anthropic',
    );
    expect(jsonMode.system).toEqual([
      { type: 'text', text: 'Be terse.' },
      { type: 'text', text: JSON_OBJECT_INSTRUCTION },
    ]);
    expect(JSON_OBJECT_INSTRUCTION).toBe('Respond with a single JSON object only.');
    expect(jsonMode.output_config).toBeUndefined();
  });
});

/** The error a conversion throws, for assertions on its fields. */
function refusal(convert: () => unknown): GatewayError {
  try {
    convert();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('the conversion did not refuse the request');
}

describe('convertToAnthropicRequest refuses what Anthropic cannot do', () => {
  it('seed: the Messages API has none, so it is a 400 naming seed instead of a silent drop', () => {
    const error = refusal(() => convertToAnthropicRequest(request({ seed: 42 }), 'claude'));
    expect(error).toMatchObject({
      failureClass: 'unsupported',
      status: 400,
      param: 'seed',
      code: 'unsupported_parameter',
      provider: 'claude',
    });
    expect(error.message).toBe(
      'seed is not supported by provider claude: the Anthropic Messages API has no seed',
    );
  });

  it('presence and frequency penalties: Anthropic has none, so a nonzero one is a 400 naming it', () => {
    for (const [field, param] of [
      ['presencePenalty', 'presence_penalty'],
      ['frequencyPenalty', 'frequency_penalty'],
    ] as const) {
      const error = refusal(() => convertToAnthropicRequest(request({ [field]: 0.5 }), 'claude'));
      expect(error).toMatchObject({
        failureClass: 'unsupported',
        status: 400,
        param,
        code: 'unsupported_parameter',
      });
    }
  });

  it('stop: a sequence without a non-whitespace character is a 400 naming stop, not a silent drop', () => {
    for (const stop of [['\n', ''], ['END', '  '], ['\n']]) {
      const error = refusal(() => convertToAnthropicRequest(request({ stop }), 'claude'));
      expect(error).toMatchObject({
        failureClass: 'unsupported',
        status: 400,
        param: 'stop',
        code: 'unsupported_value',
      });
      expect(error.message).toContain('needs every stop sequence to contain a non-whitespace character');
    }
    expect(convertToAnthropicRequest(request({ stop: ['\nEND', ' x '] }), 'claude').stop_sequences).toEqual([
      '\nEND',
      ' x ',
    ]);
  });

  it('tools: parameters without a type get type "object", which Anthropic requires; what was given is kept', () => {
    const tool = (name: string, parameters: Record<string, unknown>) => ({ name, parameters });
    const body = convertToAnthropicRequest(
      request({
        tools: [
          tool('empty', {}),
          tool('untyped', { properties: { a: { type: 'string' } }, required: ['a'] }),
          tool('typed', { type: 'object', properties: { b: { type: 'integer' } } }),
        ],
      }),
      'claude',
    );
    expect(body.tools?.map((t) => t.input_schema)).toEqual([
      { type: 'object' },
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
      { type: 'object', properties: { b: { type: 'integer' } } },
    ]);
  });
});
