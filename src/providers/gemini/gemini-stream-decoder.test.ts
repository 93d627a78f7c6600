import { describe, expect, it } from 'vitest';
import {
  byteChunks,
  chunksToSse,
  loadCassette,
  loadChunks,
  responseText,
} from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ToolCallPart } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { parseSse } from '../shared/sse.js';
import type { JsonTextPath } from './clean-gemini-schema.js';
import { ARRAY_ITEMS } from './clean-gemini-schema.js';
import { decodeGeminiStream } from './gemini-stream-decoder.js';

function idCounter(): () => string {
  let n = 0;
  return () => `call_test_${n++}`;
}

async function decodeText(sse: string, chunkSize = 7): Promise<CanonicalEvent[]> {
  const events: CanonicalEvent[] = [];
  const stream = decodeGeminiStream(parseSse(byteChunks(sse, chunkSize)), { newToolCallId: idCounter() });
  for await (const event of stream) events.push(event);
  return events;
}

const vercel = (name: string) => chunksToSse(loadChunks(`gemini/${name}`));

/** The first thoughtSignature found in a vercel chunks fixture, read straight from the data. */
function signatureIn(name: string, nth = 0): string {
  const found: string[] = [];
  for (const chunk of loadChunks(`gemini/${name}`)) {
    const text = JSON.stringify(chunk);
    for (const match of text.matchAll(/"thoughtSignature":"([^"]+)"/g)) if (match[1]) found.push(match[1]);
  }
  const signature = found[nth];
  if (!signature) throw new Error(`no signature #${nth} in ${name}`);
  return signature;
}

function toolCalls(content: Awaited<ReturnType<typeof collectResponse>>['content']): ToolCallPart[] {
  return content.filter((p): p is ToolCallPart => p.type === 'tool-call');
}

describe('decodeGeminiStream on recorded text streams', () => {
  const cases = [
    {
      fixture: 'vercel-google-text.chunks.txt',
      id: 'bH6LaZW8Fp_3nsEPqtaSwQ4',
      text: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y',
      usage: { inputTokens: 9, outputTokens: 23 + 185, reasoningTokens: 185 },
    },
    {
      fixture: 'vercel-google-reasoning.chunks.txt',
      id: 'dX6LadKVC7SZ28oPr9yJoQs',
      text: 'There are **3** "r"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.',
      usage: { inputTokens: 9, outputTokens: 29 + 256, reasoningTokens: 256 },
    },
    {
      fixture: 'vercel-google-reasoning-gemini3.chunks.txt',
      id: 'M3iLaY-AI7zTxN8P3Piw4Qg',
      text: 'There are **3** "r"s in strawberry.\n\nSt**r**awbe**rr**y',
      usage: { inputTokens: 9, outputTokens: 23 + 302, reasoningTokens: 302 },
    },
  ];

  it.each(cases)(
    '$fixture: text, trailing signature, usage, finish',
    async ({ fixture, id, text, usage }) => {
      const events = await decodeText(vercel(fixture));
      expect(events[0]).toEqual({ type: 'response-start', id, model: 'gemini-3-pro-preview' });
      const response = await collectResponse(toAsync(events));
      // The signature arrives on a final empty text part and must stay attached to the text.
      expect(response.content).toEqual([
        { type: 'text', text, providerData: { gemini: { thoughtSignature: signatureIn(fixture) } } },
      ]);
      expect(response.usage).toEqual(usage);
      expect(response.finishReason).toBe('stop');
      expect(response.rawFinishReason).toBe('STOP');
      expect(events.filter((e) => e.type === 'usage')).toHaveLength(1);
      expect(events.at(-1)?.type).toBe('finish');
    },
  );

  it('pydantic google_model_stream (raw SSE bytes): text, usage from the last chunk', async () => {
    const [interaction] = loadCassette('gemini/pydantic-ai-google_model_stream.yaml');
    const events = await decodeText(responseText(interaction!), 5);
    const response = await collectResponse(toAsync(events));
    expect(response.id).toBe('w1peaMz6INOvnvgPgYfPiQY');
    expect(response.model).toBe('gemini-2.0-flash-exp');
    expect(response.content).toEqual([{ type: 'text', text: 'The capital of France is Paris.\n' }]);
    expect(response.usage).toEqual({ inputTokens: 13, outputTokens: 8 });
    expect(response.finishReason).toBe('stop');
  });

  it('pydantic thinking_part_iter: thought parts become reasoning, the signature stays on the text', async () => {
    const [interaction] = loadCassette('gemini/pydantic-ai-google_model_thinking_part_iter.yaml');
    const response = await collectResponse(toAsync(await decodeText(responseText(interaction!), 64)));
    expect(response.content.map((p) => p.type)).toEqual(['reasoning', 'text']);
    const [reasoning, text] = response.content;
    expect(reasoning?.type === 'reasoning' && reasoning.text.length).toBe(1575);
    expect(
      reasoning?.type === 'reasoning' && reasoning.text.startsWith('**Clarifying User Goals**\n\n'),
    ).toBe(true);
    expect(
      reasoning?.type === 'reasoning' &&
        reasoning.text.endsWith('regardless of specific circumstances or locations.\n\n\n'),
    ).toBe(true);
    expect(text?.type === 'text' && text.text.length).toBe(1938);
    expect(text?.type === 'text' && text.text.startsWith('This is a great question! Safely crossing')).toBe(
      true,
    );
    expect(text?.type === 'text' && text.text.endsWith('Always assume a driver might not see you.')).toBe(
      true,
    );
    expect(
      text?.type === 'text' &&
        text.providerData?.gemini?.thoughtSignature?.startsWith('CiIB0e2Kb6Syj1a961EfbWv4W5C8RgAA/hGleV9V'),
    ).toBe(true);
    expect(response.usage).toEqual({ inputTokens: 34, outputTokens: 469 + 787, reasoningTokens: 787 });
    expect(response.finishReason).toBe('stop');
  });
});

describe('decodeGeminiStream on recorded function calls', () => {
  it.each([
    {
      fixture: 'vercel-google-tool-call.chunks.txt',
      usage: { inputTokens: 29, outputTokens: 60, reasoningTokens: 45 },
    },
    {
      fixture: 'vercel-google-tool-call-gemini3.chunks.txt',
      usage: { inputTokens: 29, outputTokens: 819, reasoningTokens: 804 },
    },
  ])('$fixture: one complete call with its thought signature', async ({ fixture, usage }) => {
    const events = await decodeText(vercel(fixture));
    expect(events.filter((e) => e.type.startsWith('tool-call'))).toEqual([
      {
        type: 'tool-call-start',
        index: 0,
        id: 'call_test_0',
        name: 'weather',
        providerData: { gemini: { thoughtSignature: signatureIn(fixture) } },
      },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"location":"San Francisco"}' },
      { type: 'tool-call-end', index: 0 },
    ]);
    const response = await collectResponse(toAsync(events));
    // The trailing empty text part has no signature, so no text part appears.
    expect(response.content.map((p) => p.type)).toEqual(['tool-call']);
    expect(response.finishReason).toBe('tool_calls');
    expect(response.rawFinishReason).toBe('STOP');
    expect(response.usage).toEqual(usage);
  });

  it('streamed partialArgs are reassembled per call (vercel-google-stream-tool-call-arguments)', async () => {
    const fixture = 'vercel-google-stream-tool-call-arguments.chunks.txt';
    const response = await collectResponse(toAsync(await decodeText(vercel(fixture))));
    expect(toolCalls(response.content)).toEqual([
      {
        type: 'tool-call',
        id: 'call_test_0',
        name: 'getWeather',
        arguments: '{"location":"Boston"}',
        providerData: { gemini: { thoughtSignature: signatureIn(fixture) } },
      },
      { type: 'tool-call', id: 'call_test_1', name: 'getWeather', arguments: '{"location":"San Francisco"}' },
    ]);
    expect(response.finishReason).toBe('tool_calls');
    expect(response.usage).toEqual({ inputTokens: 26, outputTokens: 23 + 132, reasoningTokens: 132 });
    expect(response.model).toBe('gemini-3.1-pro-preview');
    expect(response.created).toBe(Math.floor(Date.parse('2026-04-02T17:03:50.399550Z') / 1000));
  });

  it('thought text, a no-args call and three streamed calls (vercel-google-stream-no-args-tool-call)', async () => {
    const fixture = 'vercel-google-stream-no-args-tool-call.chunks.txt';
    const response = await collectResponse(toAsync(await decodeText(vercel(fixture))));
    expect(response.content.map((p) => p.type)).toEqual([
      'reasoning',
      'tool-call',
      'tool-call',
      'tool-call',
      'tool-call',
    ]);
    const reasoning = response.content[0];
    expect(
      reasoning?.type === 'reasoning' && reasoning.text.startsWith('**Processing User Requests**\n\n'),
    ).toBe(true);
    expect(toolCalls(response.content).map((c) => [c.name, c.arguments])).toEqual([
      ['read_theme', '{}'],
      ['read_screen', '{"id":"A"}'],
      ['read_screen', '{"id":"B"}'],
      ['read_screen', '{"id":"C"}'],
    ]);
    expect(toolCalls(response.content)[0]?.providerData).toEqual({
      gemini: { thoughtSignature: signatureIn(fixture) },
    });
    expect(response.usage).toEqual({ inputTokens: 249, outputTokens: 58 + 183, reasoningTokens: 183 });
    expect(response.finishReason).toBe('tool_calls');
  });

  it('array arguments whose terminal functionCall chunk is missing still close the call', async () => {
    const fixture =
      'vercel-google-stream-tool-call-array-arguments-missing-terminal-function-call.chunks.txt';
    const response = await collectResponse(toAsync(await decodeText(vercel(fixture))));
    const [call] = toolCalls(response.content);
    expect(call?.name).toBe('writeItems');
    expect(JSON.parse(call?.arguments ?? '')).toEqual({
      operations: [
        { action: 'add', description: 'Fresh red apple', itemid: 'apple_001', price: 0.5 },
        { action: 'add', description: 'Ripe yellow banana', itemid: 'banana_001', price: 0.3 },
      ],
    });
    expect(response.finishReason).toBe('tool_calls');
  });

  it('nested partialArgs with strings split over several chunks', async () => {
    const fixture = 'vercel-google-vertex-stream-tool-call-arguments-nested.1.chunks.txt';
    const response = await collectResponse(toAsync(await decodeText(vercel(fixture))));
    const [call] = toolCalls(response.content);
    expect(call?.name).toBe('cookRecipe');
    const args = JSON.parse(call?.arguments ?? '') as {
      recipe: { name: string; ingredients: unknown[]; steps: string[] };
    };
    expect(args.recipe.name).toBe('Lasagna');
    expect(args.recipe.ingredients).toHaveLength(10);
    expect(args.recipe.ingredients[0]).toEqual({ amount: '16 oz', name: 'Lasagna noodles' });
    expect(args.recipe.steps[1]).toBe(
      'Cook lasagna noodles according to package directions, drain and set aside.',
    );
    expect(args.recipe.steps[4]).toBe('In a 9x13 baking dish, spread a thin layer of meat sauce.');
    expect(args.recipe.steps).toHaveLength(10);
  });

  it('pydantic streaming thought-signature cassette: both turns', async () => {
    const [first, second] = loadCassette(
      'gemini/pydantic-ai-google_streaming_tool_call_thought_signature.yaml',
    );
    const turn1 = await collectResponse(toAsync(await decodeText(responseText(first!), 11)));
    expect(turn1.content).toHaveLength(1);
    const [call] = toolCalls(turn1.content);
    expect(call?.name).toBe('get_country');
    expect(call?.arguments).toBe('{}');
    expect(
      call?.providerData?.gemini?.thoughtSignature?.startsWith(
        'EpwICpkIAXLI2nxlU6gsWZaZHRYkX1orzuM8vSUFwaAt1JRxEC2hJzPAcAu3PWaKz7X+PIy',
      ),
    ).toBe(true);
    expect(turn1.finishReason).toBe('tool_calls');
    expect(turn1.usage).toEqual({ inputTokens: 29, outputTokens: 10 + 202, reasoningTokens: 202 });

    const turn2 = await collectResponse(toAsync(await decodeText(responseText(second!), 11)));
    expect(turn2.content).toEqual([{ type: 'text', text: 'The capital of Mexico is Mexico City.' }]);
    // The prompt count grows in the last chunk; the last value wins.
    expect(turn2.usage).toEqual({ inputTokens: 257, outputTokens: 8 });
    expect(turn2.finishReason).toBe('stop');
  });

  it('puts back the objects a request sent as JSON text, in whole and in partialArgs calls', async () => {
    // A request whose tool `t` had free-form objects at `headers` and `rows[]` (clean-gemini-schema.ts).
    const jsonTextArgs = new Map<string, JsonTextPath[]>([['t', [['headers'], ['rows', ARRAY_ITEMS]]]]);
    const sse = chunksToSse([
      {
        candidates: [
          {
            content: {
              parts: [
                {
                  functionCall: {
                    name: 't',
                    args: { headers: '{"a":"b"}', rows: ['{"n":1}'], q: '{"x":1}' },
                  },
                },
                { functionCall: { name: 'other', args: { headers: '{"a":"b"}' } } },
                {
                  functionCall: {
                    name: 't',
                    partialArgs: [{ jsonPath: '$.headers', stringValue: '{"c":', willContinue: true }],
                    willContinue: true,
                  },
                },
              ],
            },
          },
        ],
      },
      {
        candidates: [
          {
            content: {
              parts: [{ functionCall: { partialArgs: [{ jsonPath: '$.headers', stringValue: '2}' }] } }],
            },
            finishReason: 'STOP',
          },
        ],
      },
    ]);
    const events: CanonicalEvent[] = [];
    const stream = decodeGeminiStream(parseSse(byteChunks(sse, 13)), {
      newToolCallId: idCounter(),
      jsonTextArgs,
    });
    for await (const event of stream) events.push(event);
    const calls = toolCalls((await collectResponse(toAsync(events))).content);
    expect(calls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ['t', { headers: { a: 'b' }, rows: [{ n: 1 }], q: '{"x":1}' }],
      ['other', { headers: '{"a":"b"}' }],
      ['t', { headers: { c: 2 } }],
    ]);
  });

  it('uses the functionCall id when Gemini gives one', async () => {
    const sse = chunksToSse([
      {
        candidates: [
          {
            content: { parts: [{ functionCall: { id: 'fc_1', name: 'f', args: { a: 1 } } }] },
            finishReason: 'STOP',
          },
        ],
      },
    ]);
    const events = await decodeText(sse);
    expect(events.find((e) => e.type === 'tool-call-start')).toMatchObject({ id: 'fc_1', name: 'f' });
  });
});

describe('decodeGeminiStream blocks and errors', () => {
  it.each([
    {
      file: 'pydantic-ai-google_model_safety_settings.yaml',
      reason: 'content_filter',
      raw: 'SAFETY',
      usage: { inputTokens: 14, outputTokens: 0 },
    },
    {
      file: 'pydantic-ai-google_model_armor_response_template_real_block.yaml',
      reason: 'content_filter',
      raw: 'MODEL_ARMOR',
      usage: { inputTokens: 19, outputTokens: 6 + 27, reasoningTokens: 27 },
    },
    {
      file: 'pydantic-ai-google_model_max_tokens_thinking_model_empty_response.yaml',
      reason: 'length',
      raw: 'MAX_TOKENS',
      usage: { inputTokens: 15, outputTokens: 2, reasoningTokens: 2 },
    },
  ])('$file (generateContent body as one chunk): finish $reason', async ({ file, reason, raw, usage }) => {
    const [interaction] = loadCassette(`gemini/${file}`);
    const response = await collectResponse(
      toAsync(await decodeText(chunksToSse([JSON.parse(responseText(interaction!))]))),
    );
    expect(response.content).toEqual([]);
    expect(response.finishReason).toBe(reason);
    expect(response.rawFinishReason).toBe(raw);
    expect(response.usage).toEqual(usage);
  });

  it('promptFeedback.blockReason without a candidate finishes with content_filter', async () => {
    const sse = chunksToSse([
      { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 7 } },
    ]);
    const events = await decodeText(sse);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'content_filter', raw: 'PROHIBITED_CONTENT' });
  });

  it('ignores unknown fields and part kinds', async () => {
    const sse = chunksToSse([
      {
        candidates: [
          {
            content: { parts: [{ executableCode: { code: 'x' } }, { text: 'hi', brandNew: { x: 1 } }] },
            citationMetadata: {},
          },
        ],
        somethingNew: [1, 2],
      },
      { candidates: [{ content: { parts: [] }, finishReason: 'STOP' }] },
    ]);
    const response = await collectResponse(toAsync(await decodeText(sse)));
    expect(response.content).toEqual([{ type: 'text', text: 'hi' }]);
    expect(response.finishReason).toBe('stop');
  });

  it('an error object mid-stream throws a classified GatewayError', async () => {
    const sse = chunksToSse([
      { candidates: [{ content: { parts: [{ text: 'par' }] } }] },
      {
        error: {
          code: 503,
          message: 'The model is overloaded. Please try again later.',
          status: 'UNAVAILABLE',
        },
      },
    ]);
    const seen: CanonicalEvent[] = [];
    const error = await (async () => {
      try {
        for await (const event of decodeGeminiStream(parseSse(byteChunks(sse)))) seen.push(event);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(seen.map((e) => e.type)).toEqual(['response-start', 'text-delta']);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      failureClass: 'overloaded',
      retryable: true,
      upstreamStatus: 503,
      code: 'UNAVAILABLE',
    });
  });

  it('an empty 200 stream is a transient failure, not a silent empty answer', async () => {
    await expect(decodeText('')).rejects.toMatchObject({ failureClass: 'transient' });
  });
});

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
