// No recording of Ollama's native API exists; these streams follow its documented shapes: ollama/ollama
// docs/api.md ("Chat request (Streaming)", "Chat request (Streaming with tools)") and
// docs/capabilities/thinking.mdx. See ollama-documented-examples.ts.
import { describe, expect, it } from 'vitest';
import { byteChunks } from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { collectResponse } from '../../core/collect-response.js';
import { GatewayError } from '../../core/errors.js';
import { ndjsonLines } from './ndjson-lines.js';
import {
  STREAMING_TEXT,
  STREAMING_THINKING,
  STREAMING_TOOLS,
  toNdjson,
} from './ollama-documented-examples.js';
import { decodeOllamaStream } from './ollama-stream-decoder.js';

async function decode(text: string, chunkSize = 9): Promise<CanonicalEvent[]> {
  const events: CanonicalEvent[] = [];
  for await (const event of decodeOllamaStream(ndjsonLines(byteChunks(text, chunkSize)))) events.push(event);
  return events;
}

async function* fromArray(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  yield* events;
}

async function failure(text: string): Promise<GatewayError> {
  try {
    await decode(text);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected a GatewayError');
}

describe('decodeOllamaStream on documented streams', () => {
  it('text: content pieces, usage from the eval counts; no done_reason means stop', async () => {
    const events = await decode(toNdjson(STREAMING_TEXT));
    expect(events).toEqual([
      { type: 'response-start', model: 'llama3.2', created: 1691164339 },
      { type: 'text-delta', text: 'The' },
      { type: 'text-delta', text: ' sky is blue because of Rayleigh scattering.' },
      { type: 'usage', usage: { inputTokens: 26, outputTokens: 282 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('tools: a whole call with an object for arguments gets call_0 and JSON text arguments', async () => {
    const events = await decode(toNdjson(STREAMING_TOOLS), 4);
    expect(events.filter((e) => e.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_0', name: 'get_weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Tokyo"}' },
      { type: 'tool-call-end', index: 0 },
    ]);
    const response = await collectResponse(fromArray(events));
    expect(response.content).toEqual([
      { type: 'tool-call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
    ]);
    // Ollama says "stop" after a tool call; the canonical reason says what happened.
    expect(response.finishReason).toBe('tool_calls');
    expect(response.rawFinishReason).toBe('stop');
    expect(response.usage).toEqual({ inputTokens: 169, outputTokens: 15 });
  });

  it('thinking: message.thinking becomes reasoning before the answer; length is length', async () => {
    const response = await collectResponse(fromArray(await decode(toNdjson(STREAMING_THINKING), 3)));
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'Okay, 17 × 23 = 17 × 20 + 17 × 3 = 340 + 51 = 391.' },
      { type: 'text', text: '17 × 23 = **391**' },
    ]);
    expect(response.model).toBe('qwen3');
    expect(response.finishReason).toBe('length');
    expect(response.usage).toEqual({ inputTokens: 18, outputTokens: 120 });
  });

  it('numbers several calls in one message, and keeps an id the server sends', async () => {
    const text = toNdjson([
      {
        model: 'm',
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [
            { function: { name: 'a', arguments: {} } },
            { id: 'call_srv', function: { name: 'b', arguments: '{"x":1}' } },
          ],
        },
        done: false,
      },
      { model: 'm', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' },
    ]);
    const response = await collectResponse(fromArray(await decode(text)));
    expect(response.content).toEqual([
      { type: 'tool-call', id: 'call_0', name: 'a', arguments: '{}' },
      { type: 'tool-call', id: 'call_srv', name: 'b', arguments: '{"x":1}' },
    ]);
    expect(response.usage).toBeUndefined();
  });
});

describe('decodeOllamaStream failures', () => {
  it('an {"error"} line mid-stream ends the stream with a classified error', async () => {
    const error = await failure(
      toNdjson([STREAMING_TEXT[0], { error: 'an error was encountered while running the model' }]),
    );
    expect(error.failureClass).toBe('transient');
    expect(error.message).toBe('ollama: an error was encountered while running the model');
  });

  it('a stream without its done line is a transient failure', async () => {
    const error = await failure(toNdjson(STREAMING_TEXT.slice(0, 2)));
    expect(error.failureClass).toBe('transient');
    expect(error.message).toMatch(/ended before the response finished/);
  });

  it('a line that is not JSON is a transient failure', async () => {
    const error = await failure(`${JSON.stringify(STREAMING_TEXT[0])}\n{"model":\n`);
    expect(error.failureClass).toBe('transient');
    expect(error.message).toMatch(/malformed line/);
  });
});
