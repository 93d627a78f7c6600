import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import {
  byteChunks,
  chunksToSse,
  loadCassette,
  loadChunks,
  loadJson,
  requestJson,
  responseText,
} from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import type { GeminiPart } from '../../providers/gemini/convert-to-gemini-request.js';
import { convertToGeminiRequest } from '../../providers/gemini/convert-to-gemini-request.js';
import { decodeGeminiStream } from '../../providers/gemini/gemini-stream-decoder.js';
import { parseSse } from '../../providers/shared/sse.js';
import { decodeGeminiSignature, encodeGeminiSignature } from '../shared/gemini-thought-signature.js';
import { anthropicMessagesDialect } from './anthropic-messages-dialect.js';
import { encodeAnthropicMessage } from './anthropic-messages-response.js';
import { createAnthropicMessagesStreamEncoder } from './anthropic-messages-stream-encoder.js';

const context = { model: 'gem', requestId: 'req_1' };

/** Every functionCall thoughtSignature and thought signature a recorded Gemini stream carries, in order. */
function recordedSignatures(chunks: unknown[]): string[] {
  const out: string[] = [];
  for (const chunk of chunks as Array<{ candidates?: Array<{ content?: { parts?: unknown[] } }> }>) {
    for (const part of (chunk.candidates?.[0]?.content?.parts ?? []) as Array<Record<string, unknown>>) {
      if (typeof part.thoughtSignature === 'string' && (part.functionCall || part.thought === true))
        out.push(part.thoughtSignature);
    }
  }
  return out;
}

/** A recorded answer's chunks: a vercel `*.chunks.txt`, or a whole response (one chunk of the same shape). */
function geminiChunks(file: string): unknown[] {
  return file.endsWith('.json') ? [loadJson(file)] : loadChunks(file);
}

async function* geminiEvents(file: string | unknown[]): AsyncGenerator<CanonicalEvent> {
  let n = 0;
  const chunks = typeof file === 'string' ? geminiChunks(file) : file;
  yield* decodeGeminiStream(parseSse(byteChunks(chunksToSse(chunks), 11)), {
    newToolCallId: () => `call_${n++}`,
  });
}

async function streamed(file: string | unknown[]): Promise<Anthropic.Message> {
  const encoder = createAnthropicMessagesStreamEncoder(context);
  let sse = '';
  for await (const event of geminiEvents(file)) sse += encoder.event(event);
  sse += encoder.end();
  const client = new Anthropic({
    apiKey: 'test',
    maxRetries: 0,
    fetch: async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  return client.messages
    .stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
    .finalMessage();
}

/** The next Gemini request when the client sends `content` back as the assistant turn. */
function nextGeminiTurn(content: unknown[], toolUseIds: string[]) {
  const decoded = anthropicMessagesDialect.decodeRequest({
    model: 'gem/gemini-3-pro-preview',
    max_tokens: 100,
    messages: [
      { role: 'user', content: 'go' },
      { role: 'assistant', content },
      {
        role: 'user',
        content: toolUseIds.map((id) => ({ type: 'tool_result', tool_use_id: id, content: 'ok' })),
      },
    ],
  });
  const request: ProviderRequest = { ...decoded.canonical, upstreamModel: 'gemini-3-pro-preview' };
  return convertToGeminiRequest(request).contents[1]!.parts;
}

describe('Gemini thought signatures on the Anthropic surface', () => {
  it('prefixes say what the signature belonged to, and decode back', () => {
    expect(encodeGeminiSignature('function_call', 'abc')).toBe('gemini:function_call:abc');
    expect(decodeGeminiSignature('gemini:thought:x/y+z=')).toEqual({ kind: 'thought', signature: 'x/y+z=' });
    expect(decodeGeminiSignature('EqoeCqce+/=')).toBeUndefined();
  });

  it.each([
    'gemini/vercel-google-tool-call-gemini3.chunks.txt',
    'gemini/vercel-google-stream-tool-call-arguments.chunks.txt',
    'gemini/vercel-google-stream-no-args-tool-call.chunks.txt',
  ])(
    '%s: stream and non-stream put each functionCall signature in a thinking block before its tool_use, and the next turn gives it back to the same call',
    async (file) => {
      const signatures = recordedSignatures(loadChunks(file));
      expect(signatures.length).toBeGreaterThan(0);

      const message = await streamed(file);
      const collected = encodeAnthropicMessage(await collectResponse(geminiEvents(file)), context);
      expect(collected.content).toEqual(message.content);

      const signed = message.content.flatMap((block, i) =>
        block.type === 'thinking' && block.signature.startsWith('gemini:function_call:')
          ? [{ signature: block.signature, next: message.content[i + 1] }]
          : [],
      );
      expect(signed.map((s) => s.signature)).toEqual(signatures.map((s) => `gemini:function_call:${s}`));
      for (const { next } of signed) expect(next?.type).toBe('tool_use');

      const toolUses = message.content.filter((block) => block.type === 'tool_use');
      const parts = nextGeminiTurn(
        message.content,
        toolUses.map((block) => block.id),
      );
      const calls = parts.filter((part) => part.functionCall);
      expect(calls.map((part) => part.functionCall!.name)).toEqual(toolUses.map((block) => block.name));
      // The first call carries the recorded signature (not the skip value); the others carry none.
      expect(calls.map((part) => part.thoughtSignature)).toEqual(
        toolUses.map((_, i) => (i === 0 ? signatures[0] : undefined)),
      );
    },
  );

  it('a thought-part signature closes its thinking block and goes back on the thought part', async () => {
    const events: CanonicalEvent[] = [
      { type: 'reasoning-delta', text: 'thinking it over' },
      { type: 'reasoning-provider-data', providerData: { gemini: { thoughtSignature: 'SIG' } } },
      { type: 'text-delta', text: 'answer' },
      { type: 'finish', reason: 'stop' },
    ];
    async function* replay(): AsyncGenerator<CanonicalEvent> {
      yield* events;
    }
    const collected = encodeAnthropicMessage(await collectResponse(replay()), context);
    expect(collected.content).toEqual([
      { type: 'thinking', thinking: 'thinking it over', signature: 'gemini:thought:SIG' },
      { type: 'text', text: 'answer' },
    ]);
    const decoded = anthropicMessagesDialect.decodeRequest({
      model: 'gem/gemini-3-pro-preview',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: collected.content },
        { role: 'user', content: 'more' },
      ],
    });
    const parts = convertToGeminiRequest({ ...decoded.canonical, upstreamModel: 'gemini-3-pro-preview' })
      .contents[1]!.parts;
    expect(parts).toEqual([
      { text: 'thinking it over', thought: true, thoughtSignature: 'SIG' },
      { text: 'answer' },
    ]);
  });

  /** The next Gemini request's contents when the client sends `content` back and asks `next`. */
  function followUp(question: string, content: unknown[], next: string) {
    const decoded = anthropicMessagesDialect.decodeRequest({
      model: 'gem/gemini-3-pro-preview',
      max_tokens: 100,
      messages: [
        { role: 'user', content: question },
        { role: 'assistant', content },
        { role: 'user', content: next },
      ],
    });
    return convertToGeminiRequest({ ...decoded.canonical, upstreamModel: 'gemini-3-pro-preview' }).contents;
  }

  it.each([
    // Non-stream: the signature is on the answer's text part.
    'gemini/vercel-google-reasoning-gemini3.json',
    // Stream: it comes last, on an empty text part after the text.
    'gemini/vercel-google-reasoning-gemini3.chunks.txt',
  ])(
    '%s: a text-part signature rides in an empty thinking block right after the text block and goes back on the text',
    async (file) => {
      const chunks = geminiChunks(file) as Array<{ candidates: Array<{ content: { parts: GeminiPart[] } }> }>;
      const parts = chunks.flatMap((chunk) => chunk.candidates[0]?.content.parts ?? []);
      const text = parts.map((part) => part.text ?? '').join('');
      const [signature] = parts.flatMap((part) => (part.thoughtSignature ? [part.thoughtSignature] : []));
      expect(signature).toBeTruthy();

      const message = await streamed(file);
      const collected = encodeAnthropicMessage(await collectResponse(geminiEvents(file)), context);
      expect(message.content).toEqual([
        { type: 'text', text },
        { type: 'thinking', thinking: '', signature: `gemini:text:${signature}` },
      ]);
      expect(collected.content).toEqual(message.content);

      for (const content of [message.content, collected.content as unknown[]])
        expect(followUp('q', content, 'more')[1]).toEqual({
          role: 'model',
          parts: [{ text, thoughtSignature: signature }],
        });
    },
  );

  it('the recorded two-turn thinking conversation (gemini-3): the second request is the one recorded', async () => {
    const [first, second] = loadCassette('gemini/pydantic-ai-google_model_thinking_part.yaml');
    // The recording's SDK sent the signature base64url-encoded: the same bytes to Gemini.
    const recorded = JSON.parse(
      JSON.stringify(requestJson(second!).contents).replace(
        /"thoughtSignature":"([^"]*)"/g,
        (_, sig: string) => `"thoughtSignature":"${sig.replace(/-/g, '+').replace(/_/g, '/')}"`,
      ),
    ) as Array<{ parts: Array<{ text?: string }> }>;
    const question = recorded[0]!.parts[0]!.text!;
    const next = recorded[2]!.parts[0]!.text!;
    const answer = [JSON.parse(responseText(first!))];

    const message = await streamed(answer);
    const collected = encodeAnthropicMessage(await collectResponse(geminiEvents(answer)), context);
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text', 'thinking']);
    for (const content of [message.content, collected.content as unknown[]])
      expect(followUp(question, content, next)).toEqual(recorded);
  });

  it('a text signature with no text before it goes back on an empty text part', () => {
    const contents = followUp(
      'q',
      [
        { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} },
        { type: 'thinking', thinking: '', signature: 'gemini:text:SIG' },
      ],
      'more',
    );
    expect(contents[1]?.parts.at(-1)).toEqual({ text: '', thoughtSignature: 'SIG' });
  });

  it('an Anthropic signature is left alone', () => {
    const decoded = anthropicMessagesDialect.decodeRequest({
      model: 'm',
      max_tokens: 10,
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 't', signature: 'EqoeCqce' },
            { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} },
          ],
        },
      ],
    });
    expect(decoded.canonical.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 't', signature: 'EqoeCqce' },
        { type: 'tool-call', id: 'toolu_1', name: 'f', arguments: '{}' },
      ],
    });
  });
});
