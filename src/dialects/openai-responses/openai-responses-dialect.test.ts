import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, loadCassette, requestJson } from '../../../test/support/fixtures.js';
import { expectValidAgainstSpec } from '../../../test/support/openapi.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { CanonicalMessage, ReasoningPart, ToolCallPart } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { decodeContinuation } from './continuation-envelope.js';
import { openAIResponsesDialect, withHistory } from './openai-responses-dialect.js';
import type { ResponseObject } from './openai-responses-response-object.js';

type Json = Record<string, unknown>;
type AnyPart = CanonicalMessage['content'][number];

function partsOf(messages: CanonicalMessage[]): AnyPart[] {
  return messages.flatMap((m): AnyPart[] => m.content);
}

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

function decodeError(body: unknown): GatewayError {
  try {
    openAIResponsesDialect.decodeRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected decodeRequest to fail');
}

const responsesCassettes = readdirSync(fixturePath('openai-responses')).filter((f) => f.endsWith('.yaml'));

// Sent with temperature -1 on purpose to record OpenAI's 400; Junction refuses it the same way (tested below).
const INVALID = 'pydantic-ai-openai_responses_model_http_error.yaml';

function recordedRequests(): Array<{ name: string; body: Json }> {
  const out: Array<{ name: string; body: Json }> = [];
  for (const file of responsesCassettes.filter((f) => f !== INVALID)) {
    loadCassette(`openai-responses/${file}`).forEach((interaction, i) => {
      if (!interaction.request.uri.endsWith('/responses')) return;
      out.push({ name: `${file}#${i}`, body: requestJson(interaction) });
    });
  }
  return out;
}

describe('openai-responses decodeRequest on every recorded request', () => {
  const requests = recordedRequests();

  it('covers the cassettes', () => {
    expect(requests.length).toBeGreaterThanOrEqual(45);
  });

  for (const { name, body } of requests) {
    it(`decodes ${name}`, () => {
      const decoded = openAIResponsesDialect.decodeRequest(body);
      expect(decoded.canonical.model).toBe(body.model);
      expect(decoded.body).toBe(body);
      const functionTools = ((body.tools as Json[] | undefined) ?? []).filter((t) => t.type === 'function');
      expect(decoded.canonical.tools?.length ?? 0).toBe(functionTools.length);
      expect(decoded.builtInTools.map((t) => t.type)).toEqual(
        ((body.tools as Json[] | undefined) ?? []).filter((t) => t.type !== 'function').map((t) => t.type),
      );
      if (body.instructions)
        expect(decoded.canonical.messages[0]).toEqual({
          role: 'system',
          content: [{ type: 'text', text: body.instructions }],
        });
      // Every function call and output survives with its call_id.
      const input = Array.isArray(body.input) ? (body.input as Json[]) : [];
      const calls = partsOf(decoded.canonical.messages).filter(
        (p): p is ToolCallPart => p.type === 'tool-call',
      );
      expect(calls.map((c) => [c.id, c.name, c.arguments])).toEqual(
        input.filter((i) => i.type === 'function_call').map((i) => [i.call_id, i.name, i.arguments]),
      );
      const results = decoded.canonical.messages.flatMap((m) => (m.role === 'tool' ? m.content : []));
      expect(results.map((r) => r.toolCallId)).toEqual(
        input.filter((i) => i.type === 'function_call_output').map((i) => i.call_id),
      );
      // Reasoning items keep OpenAI's encrypted_content untouched.
      const reasoning = partsOf(decoded.canonical.messages).filter(
        (p): p is ReasoningPart => p.type === 'reasoning',
      );
      expect(reasoning.map((r) => r.encryptedContent)).toEqual(
        input.filter((i) => i.type === 'reasoning').map((i) => i.encrypted_content),
      );
    });
  }

  it('turns a reasoning + tool-call history into one assistant turn and a tool result', () => {
    const [, second] = loadCassette(
      'openai-responses/pydantic-ai-openai_responses_thinking_with_tool_calls.yaml',
    );
    const body = requestJson(second!);
    const input = body.input as Json[];
    const { canonical, unmodeled } = openAIResponsesDialect.decodeRequest(body);
    expect(unmodeled).toEqual([]);
    expect(canonical.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    const assistant = canonical.messages[2]!;
    expect(assistant.content.map((p) => p.type)).toEqual(['reasoning', 'tool-call']);
    const reasoningItem = input.find((i) => i.type === 'reasoning')!;
    const summary = (reasoningItem.summary as Json[]).map((p) => p.text).join('\n\n');
    expect(assistant.content[0]).toEqual({
      type: 'reasoning',
      text: summary,
      encryptedContent: reasoningItem.encrypted_content,
    });
    const call = input.find((i) => i.type === 'function_call')!;
    const output = input.find((i) => i.type === 'function_call_output')!;
    expect(assistant.content[1]).toEqual({
      type: 'tool-call',
      id: call.call_id,
      name: call.name,
      arguments: call.arguments,
    });
    expect(canonical.messages[3]).toEqual({
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: call.call_id,
          toolName: call.name,
          content: [{ type: 'text', text: output.output }],
        },
      ],
    });
    expect(canonical.reasoning).toEqual({ mode: 'enabled', effort: 'low' });
    expect(canonical.toolChoice).toEqual({ type: 'auto' });
    expect(canonical.tools).toEqual([
      {
        name: 'update_plan',
        parameters: (body.tools as Json[])[0]!.parameters,
        strict: true,
      },
    ]);
  });

  it('keeps a commentary message, reasoning and the call in one assistant turn (phase recording)', () => {
    const [, second] = loadCassette(
      'openai-responses/pydantic-ai-openai_responses_phase_streamed_on_part_start.yaml',
    );
    const { canonical } = openAIResponsesDialect.decodeRequest(requestJson(second!));
    expect(canonical.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(canonical.messages[2]!.content.map((p) => p.type)).toEqual(['reasoning', 'text', 'tool-call']);
    expect(canonical.messages[2]!.content[1]).toEqual({
      type: 'text',
      text: 'I\'ll check the capital lookup tool for "PotatoLand."',
    });
  });

  it('decodes a PDF input_file and a URL input_image', () => {
    const [doc] = loadCassette('openai-responses/pydantic-ai-openai_responses_document_url_input.yaml');
    const docBody = requestJson(doc!);
    const fileData = ((docBody.input as Json[])[0]!.content as Json[])[1]!.file_data as string;
    const { canonical } = openAIResponsesDialect.decodeRequest(docBody);
    // Empty instructions add no system message.
    expect(canonical.messages).toHaveLength(1);
    expect(canonical.messages[0]!.content[1]).toEqual({
      type: 'file',
      source: {
        kind: 'base64',
        mediaType: 'application/pdf',
        data: fileData.slice('data:application/pdf;base64,'.length),
      },
      filename: 'filename.pdf',
    });
    const [image] = loadCassette('openai-responses/pydantic-ai-openai_responses_image_url_input.yaml');
    const imageBody = requestJson(image!);
    const url = ((imageBody.input as Json[])[0]!.content as Json[])[1]!.image_url as string;
    expect(openAIResponsesDialect.decodeRequest(imageBody).canonical.messages[0]!.content[1]).toEqual({
      type: 'image',
      source: { kind: 'url', url },
      detail: 'auto',
    });
  });

  it('maps json_schema text.format', () => {
    const [, second] = loadCassette('openai-responses/pydantic-ai-openai_responses-native_output.yaml');
    const body = requestJson(second!);
    const format = (body.text as Json).format as Json;
    expect(openAIResponsesDialect.decodeRequest(body).canonical.responseFormat).toEqual({
      type: 'json_schema',
      name: 'CityLocation',
      schema: format.schema,
      strict: true,
    });
  });

  it('lists hosted tools, hosted-tool items and file outputs as unmodeled', () => {
    const [, second] = loadCassette(
      'openai-responses/pydantic-ai-openai_responses_model_web_search_tool.yaml',
    );
    const decoded = openAIResponsesDialect.decodeRequest(requestJson(second!));
    expect(decoded.unmodeled).toEqual(['tools[0] (type web_search)', 'input[2] (type web_search_call)']);
    const [, withFile] = loadCassette(
      'openai-responses/pydantic-ai-openai_responses-400_unsupported_file.yaml',
    );
    expect(openAIResponsesDialect.decodeRequest(requestJson(withFile!)).unmodeled).toEqual([
      'input[3].output[0] (type input_file)',
    ]);
    const [, mcp] = loadCassette('openai-responses/pydantic-ai-openai_responses_model_mcp_server_tool.yaml');
    expect(openAIResponsesDialect.decodeRequest(requestJson(mcp!)).unmodeled).toEqual([
      'tools[0] (type mcp)',
      'input[1] (type mcp_list_tools)',
      'input[3] (type mcp_call)',
    ]);
  });
});

describe('openai-responses request validation', () => {
  it.each([
    [{ input: 'x' }, 'model'],
    [{ model: 'm', input: 5 }, 'input'],
    [{ model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, 'input[0].call_id'],
    [{ model: 'm', input: [{ role: 'wizard', content: 'x' }] }, 'input[0].role'],
    [
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_text', txt: 'x' }] }] },
      'input[0].content[0].text',
    ],
    [{ model: 'm', input: [{ type: 'function_call_output', call_id: 'c' }] }, 'input[0].output'],
    [{ model: 'm', input: [{ type: 'reasoning', id: 'rs_1' }] }, 'input[0].summary'],
    [{ model: 'm', input: 'x', tools: [{ type: 'function', name: 'bad name!' }] }, 'tools[0].name'],
    [{ model: 'm', input: 'x', temperature: 3 }, 'temperature'],
    [{ model: 'm', input: 'x', text: { format: { type: 'json_schema', schema: {} } } }, 'text.format.name'],
  ])('rejects %j naming %s', (body, param) => {
    const error = decodeError(body);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(param);
  });

  it('refuses the recorded request OpenAI refused (temperature -1)', () => {
    const [interaction] = loadCassette(`openai-responses/${INVALID}`);
    expect(interaction!.response.status.code).toBe(400);
    const error = decodeError(requestJson(interaction!));
    expect(error.param).toBe('temperature');
  });

  it('rejects a malformed image data URL and an image in a system message with the part path', () => {
    expect(
      decodeError({
        model: 'm',
        input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'data:nope', detail: 'auto' }] }],
      }).param,
    ).toBe('input[0].content[0]');
    expect(
      decodeError({
        model: 'm',
        input: [{ role: 'system', content: [{ type: 'input_image', image_url: 'https://x/y.png' }] }],
      }).param,
    ).toBe('input[0].content[0]');
  });

  it('accepts unknown fields on items and at the top level, listing only the top-level ones', () => {
    const decoded = openAIResponsesDialect.decodeRequest({
      model: 'm',
      input: [
        {
          role: 'user',
          content: [{ type: 'input_text', text: 'x', prompt_cache_breakpoint: { mode: 'x' } }],
          phase: null,
        },
      ],
      prompt: { id: 'pmpt_1' },
      store: false,
      include: ['reasoning.encrypted_content'],
      service_tier: 'flex',
      truncation: 'auto',
    });
    expect(decoded.unmodeled).toEqual(['prompt']);
    expect(decoded.canonical.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'x' }] }]);
  });

  it('lists text.verbosity other than the default as unmodeled (no translated provider can be told it)', () => {
    const decode = (verbosity: string) =>
      openAIResponsesDialect.decodeRequest({ model: 'm', input: 'x', text: { verbosity } }).unmodeled;
    expect(decode('low')).toEqual(['text.verbosity']);
    expect(decode('high')).toEqual(['text.verbosity']);
    expect(decode('medium')).toEqual([]);
  });

  it('refuses a tool_choice naming a function that tools does not declare (400 on tool_choice)', () => {
    const decode = (tools: unknown[]) => () =>
      openAIResponsesDialect.decodeRequest({
        model: 'm',
        input: 'x',
        tools,
        tool_choice: { type: 'function', name: 'g' },
      });
    expect(decode([{ type: 'function', name: 'f' }])).toThrow(
      expect.objectContaining({ param: 'tool_choice', status: 400 }),
    );
    expect(decode([])).toThrow(expect.objectContaining({ param: 'tool_choice' }));
    expect(decode([{ type: 'function', name: 'g' }])).not.toThrow();
  });

  it('maps tool_choice forms, allowed_tools filtering and effort max', () => {
    const tools = [
      { type: 'function', name: 'a', parameters: { type: 'object' } },
      { type: 'function', name: 'b', parameters: { type: 'object' } },
    ];
    const named = openAIResponsesDialect.decodeRequest({
      model: 'm',
      input: 'x',
      tools,
      tool_choice: { type: 'function', name: 'b' },
    });
    expect(named.canonical.toolChoice).toEqual({ type: 'tool', name: 'b' });
    const allowed = openAIResponsesDialect.decodeRequest({
      model: 'm',
      input: 'x',
      tools,
      tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'a' }] },
      reasoning: { effort: 'max' },
    });
    expect(allowed.canonical.toolChoice).toEqual({ type: 'required' });
    expect(allowed.canonical.tools?.map((t) => t.name)).toEqual(['a']);
    expect(allowed.canonical.reasoning).toEqual({ mode: 'enabled', effort: 'max' });
    const builtIn = openAIResponsesDialect.decodeRequest({
      model: 'm',
      input: 'x',
      tool_choice: { type: 'web_search_preview' },
    });
    expect(builtIn.unmodeled).toEqual(['tool_choice (type web_search_preview)']);
  });

  it('lists unresolved item references and file_id parts as unmodeled', () => {
    const decoded = openAIResponsesDialect.decodeRequest({
      model: 'm',
      input: [
        { type: 'item_reference', id: 'msg_1' },
        { id: 'msg_2' },
        {
          role: 'user',
          content: [
            { type: 'input_file', file_id: 'file-1' },
            { type: 'input_image', file_id: 'file-2', detail: 'auto' },
          ],
        },
      ],
    });
    expect(decoded.unmodeled).toEqual([
      'input[0] (type item_reference)',
      'input[1] (type item_reference)',
      'input[2].content[0].file_id',
      'input[2].content[1].file_id',
    ]);
  });
});

/** Runs canonical events through the dialect as a client would see them (non-stream), then sends the output back. */
async function encodeThenDecodeNextTurn(
  events: CanonicalEvent[],
): Promise<{ response: ResponseObject; next: CanonicalMessage[] }> {
  const response = openAIResponsesDialect.encodeResponse(await collectResponse(fromArray(events)), {
    model: 'alias',
    requestId: 'r',
  }) as ResponseObject;
  expectValidAgainstSpec('Response', response);
  const next = openAIResponsesDialect.decodeRequest({
    model: 'alias',
    input: [
      { role: 'user', content: 'q' },
      ...response.output,
      { type: 'function_call_output', call_id: 'toolu_1', output: 'sunny' },
    ],
  }).canonical.messages;
  return { response, next };
}

describe('openai-responses continuation: provider data survives the next turn', () => {
  it('carries Anthropic signatures and redacted thinking through reasoning items', async () => {
    const { response, next } = await encodeThenDecodeNextTurn([
      { type: 'response-start', id: 'msg_01', model: 'claude' },
      { type: 'reasoning-delta', text: 'Thinking about weather.' },
      { type: 'reasoning-signature', signature: 'EqQBCkgIARABGAIiQL+sig==' },
      { type: 'reasoning-redacted', data: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
      { type: 'text-delta', text: 'Let me check.' },
      { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris"}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 20 } },
      { type: 'finish', reason: 'tool_calls', raw: 'tool_use' },
    ]);
    expect(response.output.map((item) => item.type)).toEqual([
      'reasoning',
      'reasoning',
      'message',
      'function_call',
    ]);
    expect(response.output[0]).toMatchObject({
      summary: [{ type: 'summary_text', text: 'Thinking about weather.' }],
    });
    expect(decodeContinuation(response.output[0]!.encrypted_content as string)).toEqual({
      signature: 'EqQBCkgIARABGAIiQL+sig==',
    });
    expect(decodeContinuation(response.output[1]!.encrypted_content as string)).toEqual({
      redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4a',
    });
    expect(next[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Thinking about weather.', signature: 'EqQBCkgIARABGAIiQL+sig==' },
        { type: 'reasoning', text: '', redactedData: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
        { type: 'text', text: 'Let me check.' },
        { type: 'tool-call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      ],
    });
    expect(next[2]).toMatchObject({
      role: 'tool',
      content: [{ toolCallId: 'toolu_1', toolName: 'get_weather' }],
    });
    expect(response).toMatchObject({
      status: 'completed',
      model: 'alias',
      usage: { input_tokens: 10, output_tokens: 20, total_tokens: 30 },
    });
  });

  it('carries Gemini thought signatures of thoughts, text and function calls', async () => {
    const { response, next } = await encodeThenDecodeNextTurn([
      { type: 'reasoning-delta', text: 'Plan.' },
      { type: 'reasoning-provider-data', providerData: { gemini: { thoughtSignature: 'T-SIG' } } },
      { type: 'text-delta', text: 'Calling.', providerData: { gemini: { thoughtSignature: 'X-SIG' } } },
      {
        type: 'tool-call-start',
        index: 0,
        id: 'toolu_1',
        name: 'get_weather',
        providerData: { gemini: { thoughtSignature: 'F-SIG' } },
      },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool-call-end', index: 0 },
      { type: 'finish', reason: 'tool_calls' },
    ]);
    // reasoning, message, carrier for the message, carrier for the call, the call.
    expect(response.output.map((item) => item.type)).toEqual([
      'reasoning',
      'message',
      'reasoning',
      'reasoning',
      'function_call',
    ]);
    expect(decodeContinuation(response.output[2]!.encrypted_content as string)).toEqual({
      providerData: { gemini: { thoughtSignature: 'X-SIG' } },
      target: { type: 'message', id: response.output[1]!.id },
    });
    expect(decodeContinuation(response.output[3]!.encrypted_content as string)).toEqual({
      providerData: { gemini: { thoughtSignature: 'F-SIG' } },
      target: { type: 'function_call', call_id: 'toolu_1' },
    });
    expect(next[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'Plan.', providerData: { gemini: { thoughtSignature: 'T-SIG' } } },
        { type: 'text', text: 'Calling.', providerData: { gemini: { thoughtSignature: 'X-SIG' } } },
        {
          type: 'tool-call',
          id: 'toolu_1',
          name: 'get_weather',
          arguments: '{}',
          providerData: { gemini: { thoughtSignature: 'F-SIG' } },
        },
      ],
    });
  });

  it('passes OpenAI encrypted_content through untouched, and finds message carriers when ids were dropped', async () => {
    const { response, next } = await encodeThenDecodeNextTurn([
      { type: 'reasoning-delta', text: 'r' },
      {
        type: 'reasoning-provider-data',
        providerData: { openai: { encryptedContent: 'gAAAAB-opaque', itemId: 'rs_up' } },
      },
      { type: 'text-delta', text: 'a', providerData: { gemini: { thoughtSignature: 'X' } } },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(response.output[0]).toMatchObject({ type: 'reasoning', encrypted_content: 'gAAAAB-opaque' });
    expect(next[1]!.content[0]).toEqual({ type: 'reasoning', text: 'r', encryptedContent: 'gAAAAB-opaque' });
    const withoutIds = response.output.map(({ id: _id, ...rest }) => rest);
    const again = openAIResponsesDialect.decodeRequest({ model: 'm', input: withoutIds }).canonical.messages;
    expect(again[0]!.content[1]).toEqual({
      type: 'text',
      text: 'a',
      providerData: { gemini: { thoughtSignature: 'X' } },
    });
  });

  it('withHistory puts stored items before the new input and keeps only the new instructions', () => {
    const decoded = openAIResponsesDialect.decodeRequest({
      model: 'm',
      instructions: 'new',
      input: [{ type: 'function_call_output', call_id: 'c1', output: '42' }],
    });
    const history = openAIResponsesDialect.decodeRequest({
      model: 'm',
      input: [
        { role: 'user', content: 'q' },
        { type: 'function_call', call_id: 'c1', name: 'calc', arguments: '{}' },
        { type: 'web_search_call', id: 'ws_1', status: 'completed' },
      ],
    }).inputItems;
    const continued = withHistory(decoded, history);
    expect(continued.canonical.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'new' }] },
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', content: [{ type: 'tool-call', id: 'c1', name: 'calc', arguments: '{}' }] },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'c1',
            toolName: 'calc',
            content: [{ type: 'text', text: '42' }],
          },
        ],
      },
    ]);
    expect(continued.unmodeled).toEqual(['history[2] (type web_search_call)']);
  });
});

describe('openai-responses non-stream encoding', () => {
  it('reports max tokens as incomplete with max_output_tokens', async () => {
    const response = openAIResponsesDialect.encodeResponse(
      await collectResponse(
        fromArray<CanonicalEvent>([
          { type: 'text-delta', text: 'cut' },
          { type: 'finish', reason: 'length' },
        ]),
      ),
      { model: 'm', requestId: 'r' },
    ) as ResponseObject;
    expectValidAgainstSpec('Response', response);
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ type: 'message', status: 'incomplete', content: [{ type: 'output_text', text: 'cut' }] }],
    });
    expect(response.completed_at).toBeUndefined();
  });

  it('uses the pre-assigned id and echoes the request given in the context', async () => {
    const request = openAIResponsesDialect.decodeRequest({
      model: 'alias',
      input: 'x',
      instructions: 'sys',
      metadata: { a: 'b' },
    }).request;
    const response = openAIResponsesDialect.encodeResponse(
      await collectResponse(
        fromArray<CanonicalEvent>([
          { type: 'text-delta', text: 'ok' },
          { type: 'finish', reason: 'stop' },
        ]),
      ),
      { model: 'alias', requestId: 'r', responseId: 'resp_fixed', createdAt: 1700000000, request } as never,
    ) as ResponseObject;
    expectValidAgainstSpec('Response', response);
    expect(response).toMatchObject({
      id: 'resp_fixed',
      created_at: 1700000000,
      instructions: 'sys',
      metadata: { a: 'b' },
      status: 'completed',
    });
    expect(typeof response.completed_at).toBe('number');
  });

  it('renders HTTP errors in the OpenAI envelope', () => {
    const rendered = openAIResponsesDialect.renderError(
      new GatewayError('invalid_request', 'input[0].call_id: required', { param: 'input[0].call_id' }),
    );
    expect(rendered).toEqual({
      status: 400,
      headers: {},
      body: {
        error: {
          message: 'input[0].call_id: required',
          type: 'invalid_request_error',
          param: 'input[0].call_id',
          code: null,
        },
      },
    });
  });
});
