import { describe, expect, it } from 'vitest';
import { loadCassette, requestJson } from '../../../test/support/fixtures.js';
import type { CanonicalMessage, ProviderRequest, ReasoningRequest } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import {
  convertToBedrockRequest,
  EMPTY_TOOL_RESULT_TEXT,
  isAnthropicModel,
  JSON_OBJECT_INSTRUCTION,
} from './convert-to-bedrock-request.js';

type Json = Record<string, unknown>;

/** The recorded request body of a cassette interaction (Bedrock bodies are raw JSON strings). */
function recorded(file: string, interaction = 0): Json {
  return requestJson(loadCassette(`bedrock-converse/${file}`)[interaction]!);
}

/**
 * pydantic-ai always sends `system: []`, `inferenceConfig: {}` and tool results with `status: "success"`;
 * Junction leaves out what is empty or the default. Everything else must match the recording exactly.
 */
function normalized(body: Json): Json {
  const copy = structuredClone(body);
  if (Array.isArray(copy.system) && copy.system.length === 0) delete copy.system;
  if (copy.inferenceConfig && Object.keys(copy.inferenceConfig as Json).length === 0)
    delete copy.inferenceConfig;
  for (const message of copy.messages as Array<{ content: Json[] }>) {
    for (const block of message.content) {
      const result = block.toolResult as Json | undefined;
      if (result?.status === 'success') delete result.status;
    }
  }
  return copy;
}

function request(
  upstreamModel: string,
  messages: CanonicalMessage[],
  extra: Partial<ProviderRequest> = {},
): ProviderRequest {
  return { model: `aws/${upstreamModel}`, upstreamModel, messages, stream: true, ...extra };
}

/** A tool definition taken from a recorded toolSpec. */
function toolsOf(body: Json): NonNullable<ProviderRequest['tools']> {
  const tools = (body.toolConfig as { tools: Json[] }).tools;
  return tools.flatMap((entry) => {
    const spec = entry.toolSpec as
      | { name: string; description?: string; inputSchema: { json: Json }; strict?: boolean }
      | undefined;
    if (!spec) return [];
    return [
      {
        name: spec.name,
        parameters: spec.inputSchema.json,
        ...(spec.description ? { description: spec.description } : {}),
        ...(spec.strict ? { strict: true } : {}),
      },
    ];
  });
}

describe('convertToBedrockRequest against recorded Converse requests', () => {
  it('system prompt, user text and temperature (model_stream)', () => {
    const body = recorded('pydantic-ai-bedrock_model_stream.yaml');
    const converted = convertToBedrockRequest(
      request(
        'us.amazon.nova-micro-v1:0',
        [
          { role: 'system', content: [{ type: 'text', text: 'You are a helpful chatbot.' }] },
          { role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] },
        ],
        { temperature: 0 },
      ),
      'bedrock',
    );
    expect(converted).toEqual(normalized(body));
  });

  it('a tool call turn and its result, with tools and topP (model_iter_stream, second call)', () => {
    const body = recorded('pydantic-ai-bedrock_model_iter_stream.yaml', 1);
    const assistantText = ((body.messages as Array<{ content: Json[] }>)[1]!.content[0] as { text: string })
      .text;
    const converted = convertToBedrockRequest(
      request(
        'us.amazon.nova-micro-v1:0',
        [
          { role: 'system', content: [{ type: 'text', text: 'You are a helpful chatbot.' }] },
          {
            role: 'user',
            content: [{ type: 'text', text: 'What is the temperature of the capital of France?' }],
          },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: assistantText },
              {
                type: 'tool-call',
                id: 'tooluse_lAG_zP8QRHmSYOwZzzaCqA',
                name: 'get_temperature',
                arguments: '{"city":"Paris"}',
              },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'tooluse_lAG_zP8QRHmSYOwZzzaCqA',
                content: [{ type: 'text', text: '30°C' }],
              },
            ],
          },
        ],
        { topP: 0.5, tools: toolsOf(body) },
      ),
      'bedrock',
    );
    expect(converted).toEqual(normalized(body));
  });

  it('signed reasoning replayed with a tool call, thinking budget (anthropic_tool_with_thinking, second call)', () => {
    const body = recorded('pydantic-ai-bedrock_anthropic_tool_with_thinking.yaml', 1);
    const reasoning = (
      (body.messages as Array<{ content: Json[] }>)[1]!.content[0] as {
        reasoningContent: { reasoningText: { text: string; signature: string } };
      }
    ).reasoningContent.reasoningText;
    const converted = convertToBedrockRequest(
      request(
        'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
        [
          {
            role: 'user',
            content: [{ type: 'text', text: 'What is the largest city in the user country?' }],
          },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: reasoning.text, signature: reasoning.signature },
              { type: 'text', text: "I'll need to check what country you're from to answer that question." },
              {
                type: 'tool-call',
                id: 'tooluse_W9DaUFg4Tj2cRPpndqxWSg',
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
                toolCallId: 'tooluse_W9DaUFg4Tj2cRPpndqxWSg',
                content: [{ type: 'text', text: 'Mexico' }],
              },
            ],
          },
        ],
        { tools: toolsOf(body), reasoning: { mode: 'enabled' as const, budgetTokens: 1024 } },
      ),
      'bedrock',
    );
    // pydantic-ai let Bedrock pick maxTokens; Junction sends Claude 3.7's ceiling so it exceeds the budget.
    expect(converted).toEqual({ ...normalized(body), inferenceConfig: { maxTokens: 8192 } });
  });

  it('cache points after system, user parts and tools, with a txt document (cache_write_and_read)', () => {
    const body = recorded('pydantic-ai-bedrock_cache_write_and_read.yaml', 1);
    const system = ((body.system as Json[])[0] as { text: string }).text;
    const userContent = (body.messages as Array<{ content: Json[] }>)[0]!.content;
    const longText = (userContent[0] as { text: string }).text;
    const documentBytes = (userContent[1] as { document: { source: { bytes: string } } }).document.source
      .bytes;
    const tools = toolsOf(body);
    tools[1] = { ...tools[1]!, cacheControl: { type: 'ephemeral' } };
    const converted = convertToBedrockRequest(
      request(
        'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        [
          { role: 'system', content: [{ type: 'text', text: system, cacheControl: { type: 'ephemeral' } }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: longText },
              { type: 'file', source: { kind: 'base64', mediaType: 'text/plain', data: documentBytes } },
              { type: 'text', text: '\n', cacheControl: { type: 'ephemeral' } },
              { type: 'text', text: 'What is 10 + 11?', cacheControl: { type: 'ephemeral' } },
            ],
          },
        ],
        { tools, toolChoice: { type: 'auto' } },
      ),
      'bedrock',
    );
    expect(converted).toEqual(normalized(body));
  });

  it('an image inside a tool result (image_in_tool_result-llama4, second call)', () => {
    const body = recorded('pydantic-ai-bedrock_image_in_tool_result-llama4.yaml', 1);
    const result = (
      (body.messages as Array<{ content: Json[] }>)[2]!.content[0] as {
        toolResult: { content: Array<{ image: { source: { bytes: string } } }> };
      }
    ).toolResult;
    const converted = convertToBedrockRequest(
      request(
        'us.meta.llama4-maverick-17b-instruct-v1:0',
        [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Call the `get_file` tool, then briefly describe what you received.' },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', id: 'tooluse_7bASwwA1lgLIeP9NHYgwBT', name: 'get_file', arguments: '' },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'tooluse_7bASwwA1lgLIeP9NHYgwBT',
                content: [
                  {
                    type: 'image',
                    source: {
                      kind: 'base64',
                      mediaType: 'image/jpeg',
                      data: result.content[0]!.image.source.bytes,
                    },
                  },
                ],
              },
            ],
          },
        ],
        { tools: toolsOf(body) },
      ),
      'bedrock',
    );
    expect(converted).toEqual(normalized(body));
  });

  it('a document after text (text_document_url_input, second call)', () => {
    const body = recorded('pydantic-ai-bedrock-text_document_url_input.yaml', 1);
    const bytes = (
      (body.messages as Array<{ content: Json[] }>)[0]!.content[1] as {
        document: { source: { bytes: string } };
      }
    ).document.source.bytes;
    const converted = convertToBedrockRequest(
      request('anthropic.claude-v2', [
        { role: 'system', content: [{ type: 'text', text: 'You are a helpful chatbot.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is the main content on this document?' },
            { type: 'file', source: { kind: 'base64', mediaType: 'text/plain; charset=UTF-8', data: bytes } },
          ],
        },
      ]),
      'bedrock',
    );
    expect(converted).toEqual(normalized(body));
  });

  it.each([
    ['pydantic-ai-tool_choice_matrix-required-bedrock.yaml', { type: 'required' }],
    ['pydantic-ai-tool_choice_matrix-auto-bedrock.yaml', { type: 'auto' }],
    ['pydantic-ai-bedrock_strict_tool_supported_model.yaml', { type: 'auto' }],
  ] as const)('tool choice and strict tools (%s)', (file, toolChoice) => {
    const body = recorded(file);
    const text = ((body.messages as Array<{ content: Json[] }>)[0]!.content[0] as { text: string }).text;
    const converted = convertToBedrockRequest(
      request(
        'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        [{ role: 'user', content: [{ type: 'text', text }] }],
        {
          tools: toolsOf(body),
          toolChoice,
        },
      ),
      'bedrock',
    );
    expect(converted).toEqual(normalized(body));
  });

  it('native structured output as outputConfig.textFormat (native_output_stream)', () => {
    const body = recorded('pydantic-ai-bedrock_native_output_stream.yaml');
    const jsonSchema = (
      body.outputConfig as { textFormat: { structure: { jsonSchema: { schema: string } } } }
    ).textFormat.structure.jsonSchema;
    const schema = JSON.parse(jsonSchema.schema) as Record<string, unknown>;
    const converted = convertToBedrockRequest(
      request(
        'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        [
          {
            role: 'user',
            content: [
              {
                type: 'text',
                text: 'What is the capital of France? Give me the city name, country, and population.',
              },
            ],
          },
        ],
        {
          responseFormat: {
            type: 'json_schema',
            name: 'CityInfo',
            schema,
            description: 'Information about a city.',
          },
        },
      ),
      'bedrock',
    );
    // The schema travels as a JSON text; Python spelled it with spaces, so compare it parsed.
    const sent = converted.outputConfig!.textFormat.structure.jsonSchema;
    expect(JSON.parse(sent.schema)).toEqual(schema);
    expect({ ...sent, schema: '' }).toEqual({ ...jsonSchema, schema: '' });
    expect({ ...converted, outputConfig: undefined }).toEqual({
      ...normalized(body),
      outputConfig: undefined,
    });
  });
});

describe('convertToBedrockRequest rules', () => {
  const user = (text: string): CanonicalMessage => ({ role: 'user', content: [{ type: 'text', text }] });

  it('refuses an image URL, naming the part', () => {
    const convert = () =>
      convertToBedrockRequest(
        request('us.amazon.nova-lite-v1:0', [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
            ],
          },
        ]),
        'bedrock',
      );
    expect(convert).toThrow(GatewayError);
    try {
      convert();
    } catch (error) {
      expect((error as GatewayError).failureClass).toBe('unsupported');
      // The place goes in the param only: each surface names it in its own client's terms.
      expect((error as GatewayError).param).toBe('messages[0].content[1]');
      expect((error as GatewayError).message).not.toContain('messages[');
    }
  });

  it('takes data URLs inline and s3:// URLs as S3 locations', () => {
    const body = convertToBedrockRequest(
      request('us.amazon.nova-lite-v1:0', [
        {
          role: 'user',
          content: [
            { type: 'image', source: { kind: 'url', url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image', source: { kind: 'url', url: 's3://bucket/photo.jpg' } },
            { type: 'file', source: { kind: 'url', url: 's3://bucket/report.pdf' } },
          ],
        },
      ]),
      'bedrock',
    );
    expect(body.messages[0]!.content).toEqual([
      { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } },
      { image: { format: 'jpeg', source: { s3Location: { uri: 's3://bucket/photo.jpg' } } } },
      {
        document: {
          format: 'pdf',
          name: 'Document 1',
          source: { s3Location: { uri: 's3://bucket/report.pdf' } },
        },
      },
    ]);
  });

  it('cleans a filename into a valid document name and refuses unknown formats', () => {
    const body = convertToBedrockRequest(
      request('m', [
        {
          role: 'user',
          content: [
            {
              type: 'file',
              filename: 'Q3 report_final.v2.pdf',
              source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' },
            },
          ],
        },
      ]),
      'bedrock',
    );
    expect(body.messages[0]!.content[0]).toEqual({
      document: { format: 'pdf', name: 'Q3 report final v2 pdf', source: { bytes: 'JVBE' } },
    });
    expect(() =>
      convertToBedrockRequest(
        request('m', [
          {
            role: 'user',
            content: [
              { type: 'file', source: { kind: 'base64', mediaType: 'application/zip', data: 'UEs=' } },
            ],
          },
        ]),
        'bedrock',
      ),
    ).toThrow(/pdf, csv/);
  });

  it('maps the reasoning ladder onto Claude thinking, dropping what Claude refuses with it', () => {
    const warnings: string[] = [];
    const body = convertToBedrockRequest(
      request('us.anthropic.claude-sonnet-4-20250514-v1:0', [user('Hi')], {
        reasoning: { mode: 'enabled', effort: 'medium' },
        temperature: 0.2,
        topK: 5,
        topP: 0.97,
      }),
      'bedrock',
      (message) => warnings.push(message),
    );
    expect(warnings).toEqual([
      'stripped unsupported parameter(s) on Bedrock with Claude thinking: temperature, top_k',
    ]);
    expect(body.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 8192 } });
    expect(body.inferenceConfig).toEqual({ maxTokens: 64000, topP: 0.97 });
  });

  it.each<[string, ReasoningRequest, Record<string, unknown> | undefined]>([
    ['us.anthropic.claude-opus-4-6-v1', { mode: 'adaptive' }, { thinking: { type: 'adaptive' } }],
    [
      'us.anthropic.claude-opus-4-6-v1',
      { mode: 'adaptive', effort: 'max' },
      { thinking: { type: 'adaptive' }, output_config: { effort: 'max' } },
    ],
    [
      'us.anthropic.claude-opus-4-6-v1',
      { mode: 'unset', effort: 'low' },
      { output_config: { effort: 'low' } },
    ],
    ['anthropic.claude-sonnet-4-6', { mode: 'disabled' }, { thinking: { type: 'disabled' } }],
    [
      'global.anthropic.claude-opus-4-7',
      { mode: 'enabled', effort: 'high' },
      { thinking: { type: 'adaptive' }, output_config: { effort: 'high' } },
    ],
  ])('%s: Claude thinking %o in the Messages API shape', (model, reasoning, expected) => {
    const body = convertToBedrockRequest(
      request(model, [user('Hi')], { reasoning, maxOutputTokens: 500 }),
      'bedrock',
    );
    expect(body.additionalModelRequestFields).toEqual(expected);
    // Only a budget raises maxTokens.
    expect(body.inferenceConfig).toEqual({ maxTokens: 500 });
  });

  it('raises maxTokens above a budget it does not exceed', () => {
    const body = convertToBedrockRequest(
      request('anthropic.claude-3-7-sonnet-20250219-v1:0', [user('Hi')], {
        reasoning: { mode: 'enabled' as const, budgetTokens: 4096 },
        maxOutputTokens: 1000,
      }),
      'bedrock',
    );
    expect(body.inferenceConfig).toEqual({ maxTokens: 5096 });
  });

  it('sends top_k to Claude, and no Claude-only fields to other models', () => {
    expect(
      convertToBedrockRequest(
        request('anthropic.claude-3-haiku-20240307-v1:0', [user('Hi')], { topK: 40 }),
        'bedrock',
      ).additionalModelRequestFields,
    ).toEqual({
      top_k: 40,
    });
    const warnings: string[] = [];
    const nova = convertToBedrockRequest(
      request('us.amazon.nova-pro-v1:0', [user('Hi')], {
        topK: 40,
        maxOutputTokens: 300,
        stop: ['END'],
      }),
      'bedrock',
      (message) => warnings.push(message),
    );
    expect(warnings).toEqual([
      'stripped unsupported parameter(s) on Bedrock for us.amazon.nova-pro-v1:0: top_k',
    ]);
    expect(nova.additionalModelRequestFields).toBeUndefined();
    expect(nova.inferenceConfig).toEqual({ maxTokens: 300, stopSequences: ['END'] });
    expect(
      isAnthropicModel(
        'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0',
      ),
    ).toBe(true);
  });

  it('merges consecutive tool results into one user turn, results first, with error status and a placeholder for empty output', () => {
    const body = convertToBedrockRequest(
      request(
        'm',
        [
          user('go'),
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', id: 'a', name: 'one', arguments: '{}' },
              { type: 'tool-call', id: 'b', name: 'two', arguments: '{"x":1}' },
            ],
          },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'a',
                content: [{ type: 'text', text: 'boom' }],
                isError: true,
              },
            ],
          },
          { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'b', content: [] }] },
          user('and now?'),
        ],
        {
          tools: [
            { name: 'one', parameters: { type: 'object' } },
            { name: 'two', parameters: { type: 'object' } },
          ],
        },
      ),
      'bedrock',
    );
    expect(body.messages).toHaveLength(3);
    expect(body.messages[2]).toEqual({
      role: 'user',
      content: [
        { toolResult: { toolUseId: 'a', content: [{ text: 'boom' }], status: 'error' } },
        { toolResult: { toolUseId: 'b', content: [{ text: EMPTY_TOOL_RESULT_TEXT }] } },
        { text: 'and now?' },
      ],
    });
    expect(body.messages[1]!.content[1]).toEqual({
      toolUse: { toolUseId: 'b', name: 'two', input: { x: 1 } },
    });
  });

  it('replays redacted reasoning and drops unsigned reasoning', () => {
    const body = convertToBedrockRequest(
      request('us.anthropic.claude-3-7-sonnet-20250219-v1:0', [
        user('q'),
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: '', redactedData: 'RXRrRUNr' },
            { type: 'reasoning', text: 'unsigned thoughts from elsewhere' },
            { type: 'text', text: 'answer' },
          ],
        },
        user('again'),
      ]),
      'bedrock',
    );
    expect(body.messages[1]!.content).toEqual([
      { reasoningContent: { redactedContent: 'RXRrRUNr' } },
      { text: 'answer' },
    ]);
  });

  it('presence and frequency penalties: Converse has none, so a nonzero one is a 400 naming it', () => {
    for (const [field, param] of [
      ['presencePenalty', 'presence_penalty'],
      ['frequencyPenalty', 'frequency_penalty'],
    ] as const) {
      let caught: unknown;
      try {
        convertToBedrockRequest(request('us.amazon.nova-pro-v1:0', [user('Hi')], { [field]: 1 }), 'aws');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GatewayError);
      expect(caught).toMatchObject({ failureClass: 'unsupported', status: 400, param, provider: 'aws' });
    }
  });

  it('rejects tool-call arguments that are not JSON', () => {
    expect(() =>
      convertToBedrockRequest(
        request('m', [
          user('q'),
          { role: 'assistant', content: [{ type: 'tool-call', id: 'a', name: 'f', arguments: '{oops' }] },
        ]),
        'bedrock',
      ),
    ).toThrow(/not valid JSON/);
  });

  it('renders json_object as an instruction, and withholds tools for tool choice none', () => {
    const body = convertToBedrockRequest(
      request('m', [user('q')], {
        responseFormat: { type: 'json_object' },
        tools: [{ name: 'f', parameters: { type: 'object' } }],
        toolChoice: { type: 'none' },
      }),
      'bedrock',
    );
    expect(body.system).toEqual([{ text: JSON_OBJECT_INSTRUCTION }]);
    expect(body.toolConfig).toBeUndefined();
  });

  it('keeps the tools for tool choice none when the history holds tool blocks (Converse requires it)', () => {
    const body = convertToBedrockRequest(
      request(
        'm',
        [
          user('q'),
          { role: 'assistant', content: [{ type: 'tool-call', id: 'a', name: 'f', arguments: '{}' }] },
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: 'a', content: [{ type: 'text', text: 'ok' }] }],
          },
        ],
        { tools: [{ name: 'f', parameters: { type: 'object' } }], toolChoice: { type: 'none' } },
      ),
      'bedrock',
    );
    expect(body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'f', inputSchema: { json: { type: 'object' } } } }],
    });
  });

  it('sends a named tool choice', () => {
    const body = convertToBedrockRequest(
      request('m', [user('q')], {
        tools: [{ name: 'f', parameters: { type: 'object' } }],
        toolChoice: { type: 'tool', name: 'f' },
      }),
      'bedrock',
    );
    expect(body.toolConfig?.toolChoice).toEqual({ tool: { name: 'f' } });
  });

  it('seed: Converse has none, so it is a 400 naming it, not a silent drop', () => {
    expect(() =>
      convertToBedrockRequest(request('us.amazon.nova-pro-v1:0', [user('Hi')], { seed: 7 }), 'aws'),
    ).toThrow(expect.objectContaining({ failureClass: 'unsupported', status: 400, param: 'seed' }));
  });

  it('a whitespace-only stop sequence is refused for Claude, which rejects it, and passed on to others', () => {
    const claude = request('us.anthropic.claude-sonnet-4-5-20250929-v1:0', [user('Hi')], { stop: ['\n'] });
    expect(() => convertToBedrockRequest(claude, 'aws')).toThrow(
      expect.objectContaining({ failureClass: 'unsupported', status: 400, param: 'stop' }),
    );
    const nova = request('us.amazon.nova-pro-v1:0', [user('Hi')], { stop: ['\n'] });
    expect(convertToBedrockRequest(nova, 'aws').inferenceConfig?.stopSequences).toEqual(['\n']);
  });

  it('a tool with parameters {} gets an object schema, what the client gave still winning', () => {
    const body = convertToBedrockRequest(
      request('us.amazon.nova-pro-v1:0', [user('Hi')], {
        tools: [
          { name: 'ping', parameters: {} },
          { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } },
        ],
      }),
      'aws',
    );
    const specs = body.toolConfig?.tools.map((tool) =>
      'toolSpec' in tool ? tool.toolSpec.inputSchema : undefined,
    );
    expect(specs).toEqual([
      { json: { type: 'object' } },
      { json: { type: 'object', properties: { a: { type: 'string' } } } },
    ]);
  });
});
