import { describe, expect, it } from 'vitest';
import {
  byteChunks,
  chunksToSse,
  loadCassette,
  requestJson,
  responseText,
} from '../../../test/support/fixtures.js';
import type {
  AssistantPart,
  CanonicalMessage,
  ProviderRequest,
  UserPart,
} from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { parseSse } from '../shared/sse.js';
import {
  convertToGeminiCall,
  convertToGeminiRequest,
  PARALLEL_TOOL_CALLS_IGNORED,
  SKIP_THOUGHT_SIGNATURE,
} from './convert-to-gemini-request.js';
import { decodeGeminiStream } from './gemini-stream-decoder.js';

function request(overrides: Partial<ProviderRequest> & { messages: CanonicalMessage[] }): ProviderRequest {
  return { model: 'gemini/x', upstreamModel: 'gemini-2.5-flash', stream: true, ...overrides };
}

/** Decodes a recorded answer (SSE text, or a generateContent JSON body) into the assistant's parts. */
async function assistantFrom(body: string): Promise<AssistantPart[]> {
  const sse = body.trimStart().startsWith('data:') ? body : chunksToSse([JSON.parse(body)]);
  let n = 0;
  const events = decodeGeminiStream(parseSse(byteChunks(sse, 64)), { newToolCallId: () => `call_${n++}` });
  return (await collectResponse(events)).content;
}

/**
 * pydantic-ai's recorder wrote some requests with proto field names (function_call) and its SDK sends
 * signatures base64url-encoded; both are the same bytes to Gemini, so compare in one spelling.
 */
function normalize(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v));
  if (typeof value === 'string' && key === 'thoughtSignature')
    return value.replace(/-/g, '+').replace(/_/g, '/');
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const camel = k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    out[camel] = normalize(v, camel);
  }
  return out;
}

/** pydantic-ai names the tool output `return_value`; we send `result` (Gemini accepts any key). */
function renameReturnValue<T>(contents: T): T {
  return JSON.parse(JSON.stringify(contents).replace(/"return_value":/g, '"result":'));
}

function withToolCallIds(parts: AssistantPart[], ids: string[]): AssistantPart[] {
  let i = 0;
  return parts.map((p) => (p.type === 'tool-call' ? { ...p, id: ids[i++] ?? p.id } : p));
}

describe('convertToGeminiRequest against recorded second turns', () => {
  it('streaming thought-signature cassette: the signature goes back on the functionCall part', async () => {
    const [first, second] = loadCassette(
      'gemini/pydantic-ai-google_streaming_tool_call_thought_signature.yaml',
    );
    const recorded = normalize(renameReturnValue(requestJson(second!))) as { contents: unknown[] };
    const callId = 'pyd_ai_29bf73b69e02448588e15893d47a3e7e';
    const assistant = withToolCallIds(await assistantFrom(responseText(first!)), [callId]);

    const body = convertToGeminiRequest(
      request({
        upstreamModel: 'gemini-3-pro-preview',
        messages: [
          {
            role: 'user',
            content: [{ type: 'text', text: 'What is the capital of the user country? Call the tool' }],
          },
          { role: 'assistant', content: assistant },
          // No toolName: it is found from the call id.
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: callId, content: [{ type: 'text', text: 'Mexico' }] },
            ],
          },
        ],
        tools: [
          {
            name: 'get_country',
            description: '',
            parameters: { additionalProperties: false, properties: {}, type: 'object' },
          },
        ],
      }),
    );

    expect(normalize(body.contents)).toEqual(recorded.contents);
    // A parameterless tool is declared without `parameters` (Gemini rejects an empty OBJECT).
    expect(body.tools).toEqual([{ functionDeclarations: [{ name: 'get_country', description: '' }] }]);
  });

  it('gemini-3 thinking cassette: thought summary and the signed answer text go back as recorded', async () => {
    const [first, second] = loadCassette('gemini/pydantic-ai-google_model_thinking_part.yaml');
    const recorded = normalize(requestJson(second!)) as {
      contents: Array<{ parts: Array<{ text: string }> }>;
      systemInstruction: unknown;
    };
    const assistant = await assistantFrom(responseText(first!));
    expect(assistant.map((p) => p.type)).toEqual(['reasoning', 'text']);

    const body = convertToGeminiRequest(
      request({
        upstreamModel: 'gemini-3-pro-preview',
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'You are a helpful assistant.' }] },
          { role: 'user', content: [{ type: 'text', text: 'How do I cross the street?' }] },
          { role: 'assistant', content: assistant },
          { role: 'user', content: [{ type: 'text', text: recorded.contents[2]?.parts[0]?.text ?? '' }] },
        ],
        reasoning: { mode: 'enabled', effort: 'high' },
      }),
    );

    expect(normalize(body.contents)).toEqual(recorded.contents);
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'You are a helpful assistant.' }] });
    expect(body.generationConfig).toEqual({
      thinkingConfig: { thinkingLevel: 'high', includeThoughts: true },
    });
  });

  it('vertex cassette: a failed tool call goes back as functionResponse {error}', async () => {
    const interactions = loadCassette('gemini/pydantic-ai-vertex-400_invalid_argument_url_fetch.yaml');
    const recorded = normalize(requestJson(interactions[1]!)) as {
      contents: Array<{ parts: Array<{ functionResponse?: { response: { error: string } } }> }>;
    };
    const callId = 'pyd_ai_a2bb5e2b6b2644d9af30a398b3f3a285';
    const assistant = withToolCallIds(await assistantFrom(responseText(interactions[0]!)), [callId]);
    const errorText = recorded.contents[2]?.parts[0]?.functionResponse?.response.error ?? '';
    expect(errorText).toContain('Extra inputs are not permitted');

    const body = convertToGeminiRequest(
      request({
        upstreamModel: 'gemini-3-flash-preview',
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'text',
                text: 'Use the get_file tool now to retrieve a image file, then describe what you received.',
              },
            ],
          },
          { role: 'assistant', content: assistant },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: callId,
                toolName: 'get_file',
                isError: true,
                content: [{ type: 'text', text: errorText }],
              },
            ],
          },
        ],
      }),
    );
    expect(normalize(body.contents)).toEqual(recorded.contents);
  });

  it('gemini-2.0 iter_stream cassette: two tool rounds, no signatures, tool schemas cleaned', async () => {
    const interactions = loadCassette('gemini/pydantic-ai-google_model_iter_stream.yaml');
    const recorded = requestJson(interactions[2]!) as { contents: unknown[]; tools: unknown };
    const [id1, id2] = ['pyd_ai_0e1a07b3c2b64d2ab3ad2efbe18e1b97', 'pyd_ai_98b25d994c5648df82f683188629229d'];
    const turn1 = withToolCallIds(await assistantFrom(responseText(interactions[0]!)), [id1]);
    const turn2 = withToolCallIds(await assistantFrom(responseText(interactions[1]!)), [id2]);
    const tool = (name: string, description: string, param: string, paramDescription: string) => ({
      name,
      description,
      parameters: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: { [param]: { type: 'string', description: paramDescription, title: param } },
        required: [param],
        additionalProperties: false,
      },
      strict: true,
    });

    const body = convertToGeminiRequest(
      request({
        upstreamModel: 'gemini-2.0-flash',
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'You are a helpful chatbot.' }] },
          {
            role: 'user',
            content: [{ type: 'text', text: 'What is the temperature of the capital of France?' }],
          },
          { role: 'assistant', content: turn1 },
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: id1, content: [{ type: 'text', text: 'Paris' }] }],
          },
          { role: 'assistant', content: turn2 },
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: id2, content: [{ type: 'text', text: '30°C' }] }],
          },
        ],
        tools: [
          tool('get_capital', 'Get the capital of a country.', 'country', 'The country name.'),
          tool('get_temperature', 'Get the temperature in a city.', 'city', 'The city name.'),
        ],
      }),
    );

    expect(body.contents).toEqual(renameReturnValue(recorded.contents));
    // The recording spells types in upper case (OpenAPI enum names); Gemini takes either.
    expect(
      JSON.parse(
        JSON.stringify(body.tools).replace(
          /"type":"(\w+)"/g,
          (_, t: string) => `"type":"${t.toUpperCase()}"`,
        ),
      ),
    ).toEqual(recorded.tools);
  });

  it('tool_choice required matches the recorded toolConfig', () => {
    const [interaction] = loadCassette('gemini/pydantic-ai-tool_choice_matrix-required-google.yaml');
    const recorded = requestJson(interaction!) as { toolConfig: unknown };
    const body = convertToGeminiRequest(
      request({
        messages: [{ role: 'user', content: [{ type: 'text', text: "What's the weather in Paris?" }] }],
        tools: [
          {
            name: 'get_weather',
            description: 'Get weather for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        ],
        toolChoice: { type: 'required' },
      }),
    );
    expect(body.toolConfig).toEqual(recorded.toolConfig);
    expect(body.tools?.[0]?.functionDeclarations[0]?.parameters).toEqual({
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
    });
  });

  it('a URL image becomes fileData with a guessed mimeType, as in the vertex ImageUrl cassette', () => {
    const [interaction] = loadCassette('gemini/pydantic-ai-google_vertex_url_input-ImageUrl.yaml');
    const recorded = normalize(requestJson(interaction!)) as { contents: unknown };
    const url = 'https://upload.wikimedia.org/wikipedia/commons/6/6a/Www.wikipedia_screenshot_%282021%29.png';
    const body = convertToGeminiRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is the main content of this URL?' },
              { type: 'image', source: { kind: 'url', url } },
            ],
          },
        ],
      }),
    );
    expect(body.contents).toEqual(recorded.contents);
  });
});

describe('convertToGeminiRequest details', () => {
  const call = (id: string, name: string, args: string, signature?: string): AssistantPart => ({
    type: 'tool-call',
    id,
    name,
    arguments: args,
    ...(signature ? { providerData: { gemini: { thoughtSignature: signature } } } : {}),
  });

  it('parallel calls: signature on the first only, responses merged into one user turn with the next message', () => {
    const body = convertToGeminiRequest(
      request({
        upstreamModel: 'gemini-3-flash-preview',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'q' }] },
          { role: 'assistant', content: [call('a', 'f', '{"x":1}', 'SIG'), call('b', 'g', '')] },
          {
            role: 'tool',
            content: [
              { type: 'tool-result', toolCallId: 'a', content: [{ type: 'text', text: '{"ok":true}' }] },
            ],
          },
          {
            role: 'tool',
            content: [{ type: 'tool-result', toolCallId: 'b', content: [{ type: 'text', text: '[1,2]' }] }],
          },
          { role: 'user', content: [{ type: 'text', text: 'and?' }] },
        ],
      }),
    );
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'q' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { id: 'a', name: 'f', args: { x: 1 } }, thoughtSignature: 'SIG' },
          { functionCall: { id: 'b', name: 'g', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          // A JSON object result is the response itself; anything else is wrapped.
          { functionResponse: { id: 'a', name: 'f', response: { ok: true } } },
          { functionResponse: { id: 'b', name: 'g', response: { result: '[1,2]' } } },
          { text: 'and?' },
        ],
      },
    ]);
  });

  it.each([
    { model: 'gemini-3-pro-preview', expected: SKIP_THOUGHT_SIGNATURE },
    { model: 'gemini-3.1-pro-preview', expected: SKIP_THOUGHT_SIGNATURE },
    { model: 'gemini-2.5-flash', expected: undefined },
  ])('unsigned history call on $model -> thoughtSignature $expected', ({ model, expected }) => {
    const body = convertToGeminiRequest(
      request({
        upstreamModel: model,
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'q' }] },
          { role: 'assistant', content: [call('toolu_1', 'f', '{}'), call('toolu_2', 'f', '{}')] },
        ],
      }),
    );
    const parts = body.contents[1]?.parts ?? [];
    expect(parts[0]?.thoughtSignature).toBe(expected);
    expect(parts[1]?.thoughtSignature).toBeUndefined();
  });

  it('a tool result without a matching call is an invalid request naming the field', () => {
    const convert = () =>
      convertToGeminiRequest(
        request({
          messages: [
            {
              role: 'tool',
              content: [{ type: 'tool-result', toolCallId: 'nope', content: [{ type: 'text', text: 'x' }] }],
            },
          ],
        }),
      );
    expect(convert).toThrow(GatewayError);
    expect(convert).toThrow(
      expect.objectContaining({ failureClass: 'invalid_request', param: 'messages[0].content[0]' }),
    );
  });

  it('tool call arguments that are not a JSON object are rejected', () => {
    expect(() =>
      convertToGeminiRequest(
        request({ messages: [{ role: 'assistant', content: [call('a', 'f', '[1]')] }] }),
      ),
    ).toThrow(
      expect.objectContaining({ failureClass: 'invalid_request', param: 'messages[0].content[0].arguments' }),
    );
  });

  it('media parts: base64, data URL, file URL and tool-result images', () => {
    const body = convertToGeminiRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
              { type: 'image', source: { kind: 'url', url: 'data:image/webp;base64,BBBB' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat' } },
              { type: 'file', source: { kind: 'url', url: 'https://example.com/doc' } },
              { type: 'file', source: { kind: 'url', url: 'https://example.com/notes.txt?x=1' } },
              {
                type: 'file',
                source: { kind: 'base64', mediaType: 'application/pdf', data: 'CCCC' },
                filename: 'a.pdf',
              },
            ],
          },
          { role: 'assistant', content: [call('c', 'shot', '{}')] },
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'c',
                content: [
                  { type: 'text', text: 'done' },
                  { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'DDDD' } },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect(body.contents[0]?.parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
      { inlineData: { mimeType: 'image/webp', data: 'BBBB' } },
      { fileData: { fileUri: 'https://example.com/cat', mimeType: 'image/jpeg' } },
      { fileData: { fileUri: 'https://example.com/doc', mimeType: 'application/pdf' } },
      { fileData: { fileUri: 'https://example.com/notes.txt?x=1', mimeType: 'text/plain' } },
      { inlineData: { mimeType: 'application/pdf', data: 'CCCC' } },
    ]);
    expect(body.contents[2]?.parts).toEqual([
      { functionResponse: { id: 'c', name: 'shot', response: { result: 'done' } } },
      { inlineData: { mimeType: 'image/png', data: 'DDDD' } },
    ]);
  });

  it('generation config, JSON schema output and tool choice for a named tool', () => {
    const body = convertToGeminiRequest(
      request({
        upstreamModel: 'gemini-2.5-pro',
        messages: [{ role: 'user', content: [{ type: 'text', text: 'q' }] }],
        temperature: 0.2,
        topP: 0.9,
        topK: 40,
        maxOutputTokens: 500,
        stop: ['END'],
        seed: 7,
        responseFormat: {
          type: 'json_schema',
          name: 'City',
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, zip: { type: ['string', 'null'] } },
            required: ['city', 'zip'],
            additionalProperties: false,
          },
          strict: true,
        },
        reasoning: { mode: 'disabled' },
        tools: [{ name: 'f', parameters: { type: 'object', properties: { a: { type: 'integer' } } } }],
        toolChoice: { type: 'tool', name: 'f' },
      }),
    );
    expect(body.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 500,
      stopSequences: ['END'],
      seed: 7,
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'object',
        properties: { city: { type: 'string' }, zip: { type: 'string', nullable: true } },
        required: ['city', 'zip'],
      },
      // 2.5 Pro cannot switch thinking off: the least it allows, without thought summaries.
      thinkingConfig: { thinkingBudget: 128, includeThoughts: false },
    });
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } });
  });

  it('json_object output and a minimal request', () => {
    const body = convertToGeminiRequest(
      request({
        messages: [{ role: 'user', content: [{ type: 'text', text: 'q' }] }],
        responseFormat: { type: 'json_object' },
      }),
    );
    expect(body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'q' }] }],
      generationConfig: { responseMimeType: 'application/json' },
    });
  });

  it('drops empty assistant turns (e.g. only another provider’s redacted reasoning)', () => {
    const body = convertToGeminiRequest(
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'a' }] },
          { role: 'assistant', content: [{ type: 'reasoning', text: '', redactedData: 'opaque' }] },
          { role: 'user', content: [{ type: 'text', text: 'b' }] },
        ],
      }),
    );
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }]);
  });

  // Gemini answers an empty text part with 400 "required oneof field 'data' must have one initialized field".
  it('drops empty text parts: an empty system prompt sends no systemInstruction, an empty user text goes', () => {
    const body = convertToGeminiRequest(
      request({
        messages: [
          { role: 'system', content: [{ type: 'text', text: '' }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: '' },
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' } },
            ],
          },
        ],
      }),
    );
    expect(body.systemInstruction).toBeUndefined();
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }] },
    ]);

    const mixed = convertToGeminiRequest(
      request({
        messages: [
          {
            role: 'system',
            content: [
              { type: 'text', text: 'Be brief.' },
              { type: 'text', text: '' },
            ],
          },
          { role: 'user', content: [{ type: 'text', text: '' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
        ],
      }),
    );
    expect(mixed.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] });
    // The empty user message leaves no turn at all (Gemini refuses a content without parts).
    expect(mixed.contents).toEqual([
      { role: 'model', parts: [{ text: 'hello' }] },
      { role: 'user', parts: [{ text: 'hi' }] },
    ]);
  });

  it('a conversation with nothing but empty messages is an invalid request naming messages', () => {
    let caught: unknown;
    try {
      convertToGeminiRequest(
        request({
          messages: [
            { role: 'system', content: [{ type: 'text', text: 'sys' }] },
            { role: 'user', content: [{ type: 'text', text: '' }] },
          ],
        }),
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect(caught).toMatchObject({ failureClass: 'invalid_request', status: 400, param: 'messages' });
  });

  // Dropped, it would leave the model turn last, which Gemini continues as a prefill instead of answering.
  it('an empty last user message is a 400 naming it, not dropped into a prefill of the model turn before it', () => {
    const turns = (last: UserPart[]): ProviderRequest =>
      request({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'a' }] },
          { role: 'user', content: last },
        ],
      });
    for (const empty of [[{ type: 'text', text: '' }], []] satisfies UserPart[][]) {
      expect(() => convertToGeminiRequest(turns(empty))).toThrow(
        expect.objectContaining({
          failureClass: 'invalid_request',
          status: 400,
          param: 'messages[2].content',
        }),
      );
    }
    expect(convertToGeminiRequest(turns([{ type: 'text', text: 'more' }])).contents.at(-1)?.role).toBe(
      'user',
    );
  });
});

describe('convertToGeminiRequest: schemas without properties', () => {
  const JSON_TEXT = 'A JSON object, written as JSON text.';
  const user: CanonicalMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'q' }] }];

  it('tool parameters: free-form objects go as JSON text and the call knows where, per tool', () => {
    const call = convertToGeminiCall(
      request({
        messages: user,
        tools: [
          {
            name: 't',
            parameters: {
              type: 'object',
              properties: {
                headers: { type: 'object', additionalProperties: { type: 'string' } },
                opts: { type: 'object', properties: {} },
                q: { properties: { a: { type: 'string' } } },
              },
            },
          },
          { name: 'plain', parameters: { type: 'object', properties: { a: { type: 'string' } } } },
          { name: 'none', parameters: { type: 'object', properties: {} } },
        ],
      }),
    );
    expect(call.body.tools?.[0]?.functionDeclarations).toEqual([
      {
        name: 't',
        parameters: {
          type: 'object',
          properties: {
            headers: { type: 'string', description: JSON_TEXT },
            opts: { type: 'string', description: JSON_TEXT },
            q: { type: 'object', properties: { a: { type: 'string' } } },
          },
        },
      },
      { name: 'plain', parameters: { type: 'object', properties: { a: { type: 'string' } } } },
      { name: 'none' },
    ]);
    expect([...call.jsonTextArgs]).toEqual([['t', [['headers'], ['opts']]]]);
  });

  it('response_format: an object without properties at the top is JSON output without a schema', () => {
    for (const schema of [
      { type: 'object' },
      { type: 'object', additionalProperties: { type: 'string' } },
      {},
    ]) {
      const body = convertToGeminiRequest(
        request({ messages: user, responseFormat: { type: 'json_schema', name: 'x', schema } }),
      );
      expect(body.generationConfig).toEqual({ responseMimeType: 'application/json' });
    }
  });

  it('response_format: a nested object without properties is refused with a 400 naming response_format', () => {
    let caught: unknown;
    try {
      convertToGeminiRequest(
        request({
          messages: user,
          responseFormat: {
            type: 'json_schema',
            name: 'x',
            schema: {
              type: 'object',
              properties: { items: { type: 'array', items: { properties: { labels: { type: 'object' } } } } },
            },
          },
        }),
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect(caught).toMatchObject({ failureClass: 'unsupported', status: 400, param: 'response_format' });
    expect((caught as GatewayError).message).toContain('items[].labels');
  });
});

describe('convertToGeminiRequest: parallel_tool_calls', () => {
  const tools = [{ name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } }];
  const messages: CanonicalMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'q' }] }];

  it('false cannot be honoured (Gemini has no switch): the request goes on and the client is warned', () => {
    const warnings: string[] = [];
    const body = convertToGeminiRequest(request({ messages, tools, parallelToolCalls: false }), (m) =>
      warnings.push(m),
    );
    expect(warnings).toEqual([PARALLEL_TOOL_CALLS_IGNORED]);
    expect(PARALLEL_TOOL_CALLS_IGNORED).toContain('parallel_tool_calls');
    expect(JSON.stringify(body)).not.toMatch(/parallel/i);
    expect(body.toolConfig).toBeUndefined();
  });

  it('no warning when it changes nothing: true, no tools, or tool_choice none', () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    convertToGeminiRequest(request({ messages, tools, parallelToolCalls: true }), warn);
    convertToGeminiRequest(request({ messages, parallelToolCalls: false }), warn);
    convertToGeminiRequest(
      request({ messages, tools, toolChoice: { type: 'none' }, parallelToolCalls: false }),
      warn,
    );
    expect(warnings).toEqual([]);
  });
});

describe('convertToGeminiRequest: strict tools', () => {
  const messages: CanonicalMessage[] = [{ role: 'user', content: [{ type: 'text', text: 'q' }] }];
  const parameters = {
    type: 'object',
    properties: { a: { type: 'string' } },
    required: ['a'],
    additionalProperties: false,
  };
  const strict = { name: 'f', parameters, strict: true };
  const loose = { name: 'g', parameters };
  const modeFor = (overrides: Partial<ProviderRequest>, validatedMode?: boolean) =>
    convertToGeminiRequest(
      request({ messages, tools: [strict, loose], ...overrides }),
      undefined,
      validatedMode === undefined ? {} : { validatedMode },
    ).toolConfig?.functionCallingConfig;

  // VALIDATED: the model chooses between calls and text as with AUTO, but its calls are constrained to the
  // declared schema, which is what strict asks for (the OpenAI Agents SDK sends it by default).
  it('a strict tool with the choice left to the model (unset or auto) asks for VALIDATED', () => {
    expect(modeFor({})).toEqual({ mode: 'VALIDATED' });
    expect(modeFor({ toolChoice: { type: 'auto' } })).toEqual({ mode: 'VALIDATED' });
  });

  it('required, a named tool and none keep their modes: VALIDATED would let the model answer in text', () => {
    expect(modeFor({ toolChoice: { type: 'required' } })).toEqual({ mode: 'ANY' });
    expect(modeFor({ toolChoice: { type: 'tool', name: 'f' } })).toEqual({
      mode: 'ANY',
      allowedFunctionNames: ['f'],
    });
    expect(modeFor({ toolChoice: { type: 'none' } })).toEqual({ mode: 'NONE' });
  });

  it('without a strict tool nothing changes', () => {
    expect(modeFor({ tools: [loose] })).toBeUndefined();
    expect(modeFor({ tools: [{ ...strict, strict: false }], toolChoice: { type: 'auto' } })).toEqual({
      mode: 'AUTO',
    });
  });

  it('where the API has no VALIDATED mode (Vertex v1) strict is left out and the choice maps as without it', () => {
    expect(modeFor({}, false)).toBeUndefined();
    expect(modeFor({ toolChoice: { type: 'auto' } }, false)).toEqual({ mode: 'AUTO' });
  });
});

describe('convertToGeminiRequest: penalties', () => {
  it('presence and frequency penalties are generationConfig fields of their own on Gemini', () => {
    const body = convertToGeminiRequest(
      request({
        messages: [{ role: 'user', content: [{ type: 'text', text: 'q' }] }],
        presencePenalty: 0.5,
        frequencyPenalty: -0.25,
      }),
    );
    expect(body.generationConfig).toEqual({ presencePenalty: 0.5, frequencyPenalty: -0.25 });
  });
});
