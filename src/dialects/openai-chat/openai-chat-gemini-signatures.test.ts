/**
 * Gemini thought signatures on the OpenAI chat surface, on recorded Gemini answers: every signature Gemini
 * gave must come back to Gemini on the next turn when the client resends the assistant message as it
 * received it (from the SDK's non-stream message, or the SDK stream helper's final message).
 */
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { byteChunks, chunksToSse, loadChunks, loadJson } from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import type { ProviderRequest } from '../../core/canonical-request.js';
import { collectResponse } from '../../core/collect-response.js';
import type { GeminiPart } from '../../providers/gemini/convert-to-gemini-request.js';
import { convertToGeminiRequest } from '../../providers/gemini/convert-to-gemini-request.js';
import { decodeGeminiStream } from '../../providers/gemini/gemini-stream-decoder.js';
import { parseSse } from '../../providers/shared/sse.js';
import { openAIChatDialect } from './openai-chat-dialect.js';
import { encodeChatCompletion } from './openai-chat-response.js';
import { createOpenAIChatStreamEncoder } from './openai-chat-stream-encoder.js';

const context = { model: 'gem', requestId: 'req_1' };
/** Gemini 3 signs its answer text: on the text part itself (non-stream) or on a last empty part (stream). */
const SIGNED_TEXT_JSON = 'gemini/vercel-google-reasoning-gemini3.json';
const SIGNED_TEXT_STREAM = 'gemini/vercel-google-reasoning-gemini3.chunks.txt';

type Part = { text?: string; thought?: boolean; thoughtSignature?: string; functionCall?: unknown };

function chunksOf(file: string): unknown[] {
  return file.endsWith('.json') ? [loadJson(file)] : loadChunks(file);
}

/** Every thoughtSignature a recorded answer carries on a text part, in order. */
function textSignatures(chunks: unknown[]): string[] {
  return (chunks as Array<{ candidates?: Array<{ content?: { parts?: Part[] } }> }>).flatMap((chunk) =>
    (chunk.candidates?.[0]?.content?.parts ?? []).flatMap((part) =>
      typeof part.thoughtSignature === 'string' && !part.functionCall && part.thought !== true
        ? [part.thoughtSignature]
        : [],
    ),
  );
}

async function* geminiEvents(chunks: unknown[]): AsyncGenerator<CanonicalEvent> {
  yield* decodeGeminiStream(parseSse(byteChunks(chunksToSse(chunks), 13)), { newToolCallId: () => 'call_0' });
}

/** What the SDK's stream helper assembles from the encoded SSE. */
async function streamedMessage(events: AsyncIterable<CanonicalEvent>) {
  const encoder = createOpenAIChatStreamEncoder(context, false);
  let sse = '';
  for await (const event of events) sse += encoder.event(event);
  sse += encoder.end();
  const client = new OpenAI({
    apiKey: 'test',
    maxRetries: 0,
    fetch: async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  const final = await client.chat.completions
    .stream({ model: 'gem', messages: [{ role: 'user', content: 'x' }] })
    .finalChatCompletion();
  return final.choices[0]!.message;
}

/** The model turn Gemini gets when the client sends `message` back as the assistant message. */
function nextGeminiModelTurn(message: unknown): GeminiPart[] {
  const decoded = openAIChatDialect.decodeRequest({
    model: 'gem/gemini-3-pro-preview',
    messages: [
      { role: 'user', content: 'How many "r"s are in strawberry?' },
      message as ChatCompletionMessageParam,
      { role: 'user', content: 'And in raspberry?' },
    ],
  });
  const request: ProviderRequest = { ...decoded.canonical, upstreamModel: 'gemini-3-pro-preview' };
  return convertToGeminiRequest(request).contents[1]!.parts;
}

describe('Gemini text-part signatures on the OpenAI chat surface', () => {
  it('non-stream: the signed answer text carries extra_content.google.thought_signature, and the next turn signs the text again', async () => {
    const chunks = chunksOf(SIGNED_TEXT_JSON);
    const [signature] = textSignatures(chunks);
    expect(signature).toBeTruthy();

    const completion = encodeChatCompletion(await collectResponse(geminiEvents(chunks)), context);
    const message = (completion.choices as Array<{ message: Record<string, unknown> }>)[0]!.message;
    expect(message.extra_content).toEqual({ google: { thought_signature: signature } });

    // The message exactly as received (a JSON round trip, as an SDK client holds it).
    const parts = nextGeminiModelTurn(JSON.parse(JSON.stringify(message)));
    expect(parts).toEqual([{ text: message.content, thoughtSignature: signature }]);
  });

  it('stream: the signature on the trailing empty part reaches the SDK stream helper final message, and the next turn gives it back', async () => {
    const chunks = chunksOf(SIGNED_TEXT_STREAM);
    const signatures = textSignatures(chunks);
    expect(signatures).toHaveLength(1);

    const message = await streamedMessage(geminiEvents(chunks));
    expect((message as unknown as Record<string, unknown>).extra_content).toEqual({
      google: { thought_signature: signatures[0] },
    });
    const parts = nextGeminiModelTurn(message);
    expect(parts).toEqual([{ text: message.content, thoughtSignature: signatures[0] }]);
  });

  it('a signature on an empty text part with no answer text still goes back, on an empty text part', async () => {
    const events: CanonicalEvent[] = [
      { type: 'reasoning-delta', text: 'pondering' },
      { type: 'text-delta', text: '', providerData: { gemini: { thoughtSignature: 'SIG' } } },
      { type: 'finish', reason: 'stop' },
    ];
    const collected = encodeChatCompletion(await collectResponse(fromArray(events)), context);
    const message = (collected.choices as Array<{ message: Record<string, unknown> }>)[0]!.message;
    expect(message.extra_content).toEqual({ google: { thought_signature: 'SIG' } });
    const streamed = await streamedMessage(fromArray(events));
    expect((streamed as unknown as Record<string, unknown>).extra_content).toEqual(message.extra_content);
    expect(nextGeminiModelTurn(message)).toEqual([
      { text: 'pondering', thought: true },
      { text: '', thoughtSignature: 'SIG' },
    ]);
  });
});

describe('Gemini thought-part signatures on the OpenAI chat surface', () => {
  it('ride in reasoning_details (prefixed, so no other provider takes them for its own) and go back on the thought part', async () => {
    const events: CanonicalEvent[] = [
      { type: 'reasoning-delta', text: 'thinking it over' },
      { type: 'reasoning-provider-data', providerData: { gemini: { thoughtSignature: 'THOUGHT_SIG' } } },
      { type: 'text-delta', text: 'Answer.' },
      { type: 'finish', reason: 'stop' },
    ];
    const collected = encodeChatCompletion(await collectResponse(fromArray(events)), context);
    const message = (collected.choices as Array<{ message: Record<string, unknown> }>)[0]!.message;
    expect(message.reasoning_details).toEqual([
      { type: 'reasoning.text', index: 0, text: 'thinking it over', signature: 'gemini:thought:THOUGHT_SIG' },
    ]);
    expect(nextGeminiModelTurn(message)).toEqual([
      { text: 'thinking it over', thought: true, thoughtSignature: 'THOUGHT_SIG' },
      { text: 'Answer.' },
    ]);
    // Not an Anthropic signature: a Claude upstream never sees it.
    const decoded = openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }, message, { role: 'user', content: 'y' }],
    });
    const reasoning = decoded.canonical.messages[1]!.content[0];
    expect(reasoning).toMatchObject({ type: 'reasoning', text: 'thinking it over' });
    expect(reasoning).not.toHaveProperty('signature');

    const streamed = await streamedMessage(fromArray(events));
    const details = (streamed as unknown as { reasoning_details?: Array<Record<string, unknown>> })
      .reasoning_details;
    expect(details?.at(-1)).toMatchObject({ signature: 'gemini:thought:THOUGHT_SIG' });
  });
});

async function* fromArray(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  yield* events;
}
