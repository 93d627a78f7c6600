// No recording of Ollama's native API exists; the expected bodies are the request examples of ollama/ollama
// docs/api.md ("Generate a chat completion"), see ollama-documented-examples.ts. The adapter always streams,
// so `stream` is the one field that differs from the documented bodies.
import { describe, expect, it } from 'vitest';
import type { CanonicalMessage, ProviderRequest, ToolDefinition } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import { convertToOllamaRequest } from './convert-to-ollama-request.js';
import {
  HISTORY_WITH_TOOLS_REQUEST,
  IMAGES_REQUEST,
  REPRODUCIBLE_REQUEST,
  STRUCTURED_OUTPUTS_REQUEST,
} from './ollama-documented-examples.js';

function request(
  model: string,
  messages: CanonicalMessage[],
  extra: Partial<ProviderRequest> = {},
): ProviderRequest {
  return { model: `ollama/${model}`, upstreamModel: model, messages, stream: false, ...extra };
}

const user = (text: string): CanonicalMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const streamed = (body: object) => ({ ...body, stream: true });

const WEATHER: ToolDefinition = {
  name: 'get_weather',
  description: 'Get the weather in a given city',
  parameters: HISTORY_WITH_TOOLS_REQUEST.tools[0]!.function.parameters,
};

function failure(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('convertToOllamaRequest against documented requests', () => {
  it('"Chat request (With history, with tools)": object arguments, and the result named by its call', () => {
    const body = convertToOllamaRequest(
      request(
        'llama3.2',
        [
          user('what is the weather in Toronto?'),
          {
            role: 'assistant',
            content: [
              { type: 'tool-call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Toronto"}' },
            ],
          },
          // No toolName: Ollama needs one, found from the call with this id.
          {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: 'call_0',
                content: [{ type: 'text', text: '11 degrees celsius' }],
              },
            ],
          },
        ],
        { tools: [WEATHER] },
      ),
      'ollama',
    );
    expect(body).toEqual(streamed(HISTORY_WITH_TOOLS_REQUEST));
  });

  it('"Chat request (with images)": base64 images beside the text', () => {
    const data = IMAGES_REQUEST.messages[0]!.images[0]!;
    const body = convertToOllamaRequest(
      request('llava', [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is in this image?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data } },
          ],
        },
      ]),
      'ollama',
    );
    expect(body).toEqual(streamed(IMAGES_REQUEST));
    // A data: URL is inline data too.
    const fromDataUrl = convertToOllamaRequest(
      request('llava', [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is in this image?' },
            { type: 'image', source: { kind: 'url', url: `data:image/png;base64,${data}` } },
          ],
        },
      ]),
      'ollama',
    );
    expect(fromDataUrl).toEqual(streamed(IMAGES_REQUEST));
  });

  it('"Chat request (Structured outputs)": a JSON schema becomes format, temperature goes into options', () => {
    const body = convertToOllamaRequest(
      request('llama3.1', [user(STRUCTURED_OUTPUTS_REQUEST.messages[0]!.content)], {
        responseFormat: { type: 'json_schema', name: 'answer', schema: STRUCTURED_OUTPUTS_REQUEST.format },
        temperature: 0,
      }),
      'ollama',
    );
    expect(body).toEqual(streamed(STRUCTURED_OUTPUTS_REQUEST));
  });

  it('"Chat request (Reproducible outputs)": seed and temperature in options', () => {
    const body = convertToOllamaRequest(
      request('llama3.2', [user('Hello!')], { seed: 101, temperature: 0 }),
      'ollama',
    );
    expect(body).toEqual(streamed(REPRODUCIBLE_REQUEST));
  });
});

describe('convertToOllamaRequest', () => {
  it('puts every sampling field into options, and json_object is format "json"', () => {
    const body = convertToOllamaRequest(
      request('llama3.2', [user('hi')], {
        temperature: 0.5,
        topP: 0.9,
        topK: 20,
        maxOutputTokens: 100,
        stop: ['\n', 'user:'],
        seed: 42,
        presencePenalty: 1.5,
        frequencyPenalty: 1,
        responseFormat: { type: 'json_object' },
      }),
      'ollama',
    );
    expect(body.options).toEqual({
      temperature: 0.5,
      top_p: 0.9,
      top_k: 20,
      num_predict: 100,
      stop: ['\n', 'user:'],
      seed: 42,
      presence_penalty: 1.5,
      frequency_penalty: 1,
    });
    expect(body.format).toBe('json');
    expect(convertToOllamaRequest(request('llama3.2', [user('hi')]), 'ollama')).toEqual({
      model: 'llama3.2',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
  });

  it('sets think from the reasoning ladder', () => {
    expect(
      convertToOllamaRequest(
        request('qwen3', [user('hi')], { reasoning: { mode: 'enabled', effort: 'high' } }),
        'o',
      ).think,
    ).toBe(true);
    expect(
      convertToOllamaRequest(request('qwen3', [user('hi')], { reasoning: { mode: 'disabled' } }), 'o').think,
    ).toBe(false);
    expect(
      convertToOllamaRequest(
        request('gpt-oss:20b', [user('hi')], { reasoning: { mode: 'enabled', effort: 'medium' } }),
        'o',
      ).think,
    ).toBe('medium');
  });

  it('sends reasoning back as thinking and joins system texts', () => {
    const body = convertToOllamaRequest(
      request('qwen3', [
        {
          role: 'system',
          content: [
            { type: 'text', text: 'Be brief.' },
            { type: 'text', text: 'Be kind.' },
          ],
        },
        user('17 × 23?'),
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: '17 × 20 + 17 × 3' },
            { type: 'text', text: '391' },
          ],
        },
      ]),
      'ollama',
    );
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.\nBe kind.' },
      { role: 'user', content: '17 × 23?' },
      { role: 'assistant', content: '391', thinking: '17 × 20 + 17 × 3' },
    ]);
  });

  it('tool_choice none offers no tools; a named tool is the only one offered', () => {
    const other: ToolDefinition = { name: 'other', parameters: { type: 'object' } };
    expect(
      convertToOllamaRequest(
        request('llama3.2', [user('hi')], { tools: [WEATHER, other], toolChoice: { type: 'none' } }),
        'o',
      ).tools,
    ).toBeUndefined();
    expect(
      convertToOllamaRequest(
        request('llama3.2', [user('hi')], {
          tools: [WEATHER, other],
          toolChoice: { type: 'tool', name: 'other' },
        }),
        'o',
      ).tools,
    ).toEqual([{ type: 'function', function: { name: 'other', parameters: { type: 'object' } } }]);
  });

  it('refuses an image by URL with an unsupported error naming the part', () => {
    const error = failure(() =>
      convertToOllamaRequest(
        request('llava', [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is this?' },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
            ],
          },
        ]),
        'local-ollama',
      ),
    );
    expect(error.failureClass).toBe('unsupported');
    expect(error.param).toBe('messages[0].content[1]');
    // The place goes in the param only: each surface names it in its own client's terms.
    expect(error.message).toMatch(/^image URLs are not supported by provider local-ollama; send the image/);
  });

  it('refuses files, and tool call arguments that are not a JSON object', () => {
    expect(
      failure(() =>
        convertToOllamaRequest(
          request('llama3.2', [
            {
              role: 'user',
              content: [
                { type: 'file', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBE' } },
              ],
            },
          ]),
          'o',
        ),
      ).param,
    ).toBe('messages[0].content[0]');
    const args = failure(() =>
      convertToOllamaRequest(
        request('llama3.2', [
          { role: 'assistant', content: [{ type: 'tool-call', id: 'c', name: 'f', arguments: '[1,2]' }] },
        ]),
        'o',
      ),
    );
    expect(args.failureClass).toBe('invalid_request');
    expect(args.param).toBe('messages[0].content[0].arguments');
  });
});
