import { describe, expect, it } from 'vitest';
import { chunksToSse, loadCassette, loadChunks, responseText } from '../../../test/support/fixtures.js';
import { GatewayError } from '../../core/errors.js';
import { parseOpenAIError } from '../openai/openai-error.js';
import { createOpenAIResponsesUsageTap } from '../openai/openai-responses-usage-tap.js';
import { createOpenAIChatUsageTap } from '../openai/openai-usage-tap.js';
import type { RelayedResponse } from '../provider-adapter.js';
import { relayResponse } from './relay-response.js';
import type { UpstreamBody } from './upstream-body.js';

const SIZES = [1, 7, 64, 100_000];
const PROVIDER = 'up';

const cassetteBody = (file: string) => responseText(loadCassette(`openai-chat/${file}`)[0]!);
const TEXT_SSE = chunksToSse(loadChunks('openai-chat/vercel-openai-text.chunks.txt'), { done: true });
const ROLE_EVENT = TEXT_SSE.slice(0, TEXT_SSE.indexOf('\n\n') + 2);
const CONTENT_EVENT = TEXT_SSE.slice(ROLE_EVENT.length, TEXT_SSE.indexOf('\n\n', ROLE_EVENT.length) + 2);

/** An accepted upstream SSE answer whose body arrives in `size`-byte chunks; says whether it was released. */
function upstream(text: string, size: number, contentType = 'text/event-stream') {
  const bytes = Buffer.from(text);
  let at = 0;
  const state = { ended: false, destroyed: false };
  const body: UpstreamBody = {
    get ended() {
      return state.ended;
    },
    destroy() {
      state.destroyed = true;
      state.ended = true;
    },
    text: async () => '',
    json: async () => ({}),
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<Uint8Array>> => {
        if (at >= bytes.length || state.ended) {
          state.ended = true;
          return { done: true, value: undefined };
        }
        const chunk = bytes.subarray(at, at + size);
        at += size;
        return { done: false, value: chunk };
      },
    }),
  };
  return { response: { status: 200, headers: { 'content-type': contentType }, body }, state };
}

const ERRORS = { provider: PROVIDER, parseError: parseOpenAIError };

function relay(
  text: string,
  size: number,
  createTap = (isStream: boolean) => createOpenAIChatUsageTap(isStream, ERRORS),
) {
  const { response, state } = upstream(text, size);
  const relayed = relayResponse(response, ['content-type'], createTap, true, PROVIDER);
  return { relayed, state };
}

/** Reads a relayed body to its end or its failure; `startedAt` is the relayed length when content began. */
async function read(relayed: RelayedResponse) {
  const chunks: string[] = [];
  let error: unknown;
  let startedAt: number | undefined;
  try {
    for await (const chunk of relayed.body) {
      chunks.push(Buffer.from(chunk).toString('utf8'));
      if (startedAt === undefined && relayed.started?.()) startedAt = chunks.join('').length;
    }
  } catch (thrown) {
    error = thrown;
  }
  return { text: chunks.join(''), chunks, error, startedAt };
}

describe('relayResponse on an OpenAI chat stream read for in-band errors', () => {
  it('relays a clean stream unchanged, in whole lines, and says when content started', async () => {
    for (const size of SIZES) {
      const { relayed, state } = relay(TEXT_SSE, size);
      expect(relayed.started?.()).toBe(false);
      const out = await read(relayed);
      expect(out.error).toBeUndefined();
      expect(out.text).toBe(TEXT_SSE);
      for (const chunk of out.chunks) expect(chunk === '' || chunk.endsWith('\n')).toBe(true);
      // The role chunk is the opening; the first text chunk is content.
      expect(out.startedAt).toBeGreaterThanOrEqual(ROLE_EVENT.length + CONTENT_EVENT.length - 1);
      expect(relayed.usage()).toMatchObject({ inputTokens: 16, outputTokens: 300 });
      expect(state.ended).toBe(true);
    }
  });

  it('stops before OpenRouter’s error chunk (the error key after id and provider), its usage read', async () => {
    const text = cassetteBody('pydantic-ai-openrouter_stream_error.yaml');
    const errorLine = text.indexOf(
      'data: {"id":"gen-1762179802-UN8pkJI4AGZvryk0kFnb","provider":"Minimax","error"',
    );
    expect(errorLine).toBeGreaterThan(0);
    for (const size of SIZES) {
      const { relayed, state } = relay(text, size);
      const out = await read(relayed);
      expect(out.text).toBe(text.slice(0, errorLine));
      expect(out.error).toBeInstanceOf(GatewayError);
      expect(out.error).toMatchObject({
        failureClass: 'invalid_request',
        status: 400,
        upstreamStatus: 400,
        message: `${PROVIDER}: Token limit reached`,
      });
      expect(relayed.started?.()).toBe(true);
      expect(relayed.usage()).toMatchObject({ inputTokens: 43, outputTokens: 10 });
      expect(state.destroyed).toBe(true);
    }
  });

  it('stops before Groq’s `event: error` (its event line too when both arrive together)', async () => {
    const text = cassetteBody('pydantic-ai-groq-tool_use_failed_error_streaming.yaml');
    const eventLine = text.indexOf('event: error\n');
    const dataLine = text.indexOf('data: {"error"');
    expect(dataLine).toBe(eventLine + 'event: error\n'.length);
    for (const size of SIZES) {
      const out = await read(relay(text, size).relayed);
      // In small chunks the `event:` line is a whole line of its own before its data arrives.
      expect(out.text).toBe(text.slice(0, size >= dataLine ? eventLine : out.text.length));
      expect(out.text.length === eventLine || out.text.length === dataLine).toBe(true);
      expect(out.error).toMatchObject({
        failureClass: 'invalid_request',
        status: 400,
        code: 'tool_use_failed',
      });
    }
  });

  it('an error before any content leaves started false; its class follows the status it carries', async () => {
    const vllm = (code: number, type: string) =>
      `data: ${JSON.stringify({ error: { object: 'error', message: 'engine', type, param: null, code } })}\n\n`;
    for (const size of SIZES) {
      const { relayed } = relay(ROLE_EVENT + vllm(500, 'InternalServerError'), size);
      const out = await read(relayed);
      expect(out.text).toBe(ROLE_EVENT);
      expect(relayed.started?.()).toBe(false);
      expect(out.error).toMatchObject({ failureClass: 'transient', retryable: true, upstreamStatus: 500 });
    }
    // No status in the envelope: OpenAI's own `server_error` type stands for its 500.
    const openai =
      'data: {"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}\n\n';
    const out = await read(relay(openai, 7).relayed);
    expect(out.text).toBe('');
    expect(out.error).toMatchObject({ failureClass: 'transient', status: 500, upstreamStatus: 500 });
  });

  it('`"error": null` on ordinary chunks, and an "error" inside text, are not errors', async () => {
    const chunk = (content: string) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }], error: null })}\n\n`;
    const text = `${ROLE_EVENT}${chunk('{"error": {"message": "x"}} is JSON')}${chunk('"error"')}data: [DONE]\n\n`;
    for (const size of SIZES) {
      const out = await read(relay(text, size).relayed);
      expect(out.error).toBeUndefined();
      expect(out.text).toBe(text);
    }
  });

  it('a last line without a newline is still relayed', async () => {
    const text = `${ROLE_EVENT}${CONTENT_EVENT}data: [DONE]`;
    for (const size of SIZES) expect((await read(relay(text, size).relayed)).text).toBe(text);
  });
});

describe('relayResponse on a Responses stream read for in-band failures', () => {
  const relayResponses = (text: string, size: number) =>
    relay(text, size, (isStream) => createOpenAIResponsesUsageTap(isStream, ERRORS));
  const frames = (chunks: unknown[]) => chunksToSse(chunks, { withEventNames: true });
  /** OpenAI's recorded failure: created, in_progress, `error` (insufficient_quota), response.failed. */
  const FAILED = loadChunks('openai-responses/vercel-openai-error.1.chunks.txt') as Array<
    Record<string, unknown>
  >;
  const TEXT = loadChunks(
    'openai-responses/vercel-open-responses-openai-pdf-input-file.1.chunks.txt',
  ) as Array<Record<string, unknown>>;
  const failedEvent = (error: unknown) => {
    const recorded = FAILED[3]!;
    return frames([{ ...recorded, response: { ...(recorded.response as object), error } }]);
  };

  it('relays a clean stream unchanged and says content started at the first text delta', async () => {
    const text = frames(TEXT);
    const opening = frames(TEXT.slice(0, 4));
    for (const size of SIZES) {
      const { relayed } = relayResponses(text, size);
      const out = await read(relayed);
      expect(out.error).toBeUndefined();
      expect(out.text).toBe(text);
      expect(out.startedAt).toBeGreaterThan(opening.length);
      expect(relayed.usage()).toMatchObject({
        inputTokens: expect.any(Number),
        outputTokens: expect.any(Number),
      });
    }
  });

  it('stops before OpenAI’s recorded `error` event (its `event:` line too), classed as the 429 quota error', async () => {
    const text = frames(FAILED);
    const opening = frames(FAILED.slice(0, 2));
    for (const size of SIZES) {
      const { relayed, state } = relayResponses(text, size);
      const out = await read(relayed);
      // In small chunks the `event:` line is a whole line of its own before its data arrives.
      expect([opening, `${opening}event: error\n`]).toContain(out.text);
      if (size >= text.length) expect(out.text).toBe(opening);
      expect(relayed.started?.()).toBe(false);
      expect(out.error).toBeInstanceOf(GatewayError);
      expect(out.error).toMatchObject({
        failureClass: 'quota',
        status: 429,
        upstreamStatus: 429,
        code: 'insufficient_quota',
      });
      expect(state.destroyed).toBe(true);
    }
  });

  it.each([
    ['rate_limit_exceeded', 'rate_limit', 429],
    ['server_error', 'transient', 500],
    ['invalid_prompt', 'invalid_request', 400],
  ])(
    'response.failed (%s) after content: the bytes before it, then its failure (%s, %i)',
    async (code, failureClass, status) => {
      const before = frames(TEXT.slice(0, 6));
      const text = before + failedEvent({ code, message: 'failed' });
      for (const size of SIZES) {
        const { relayed } = relayResponses(text, size);
        const out = await read(relayed);
        expect([before, `${before}event: response.failed\n`]).toContain(out.text);
        if (size >= text.length) expect(out.text).toBe(before);
        expect(relayed.started?.()).toBe(true);
        expect(out.error).toMatchObject({ failureClass, status, message: `${PROVIDER}: failed` });
      }
    },
  );

  it('the spec’s flat `error` event is found by its type; an unknown code is a transient 502', async () => {
    const opening = frames(TEXT.slice(0, 4));
    const flat = frames([
      {
        type: 'error',
        code: 'ERR_SOMETHING',
        message: 'Something went wrong',
        param: null,
        sequence_number: 4,
      },
    ]);
    for (const size of SIZES) {
      const out = await read(relayResponses(opening + flat, size).relayed);
      expect([opening, `${opening}event: error\n`]).toContain(out.text);
      if (size >= opening.length + flat.length) expect(out.text).toBe(opening);
      expect(out.error).toMatchObject({ failureClass: 'transient', status: 502, code: 'ERR_SOMETHING' });
    }
  });

  it('response.incomplete, a failed Response’s `"error": null` and a delta that says "error" are not failures', async () => {
    const deltaSaysError = { ...TEXT[4]!, delta: 'error' };
    const completed = TEXT.at(-1)!;
    const incomplete = {
      ...completed,
      type: 'response.incomplete',
      response: {
        ...(completed.response as object),
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
      },
    };
    const text = frames([...TEXT.slice(0, 4), deltaSaysError, ...TEXT.slice(5, -1), incomplete]);
    for (const size of SIZES) {
      const out = await read(relayResponses(text, size).relayed);
      expect(out.error).toBeUndefined();
      expect(out.text).toBe(text);
    }
  });
});

describe('relayResponse on a 200 JSON body that is an error object', () => {
  const relayJson = (text: string, size: number) => {
    const { response, state } = upstream(text, size, 'application/json');
    const createTap = (isStream: boolean) => createOpenAIChatUsageTap(isStream, ERRORS);
    return { relayed: relayResponse(response, ['content-type'], createTap, false, PROVIDER), state };
  };

  it('hands out the body as it comes and fails at its end (the router gathers it, so nothing is sent)', async () => {
    const text = JSON.stringify({ error: { message: 'Provider returned error', code: 502 } });
    for (const size of SIZES) {
      const { relayed, state } = relayJson(text, size);
      expect(relayed.started).toBeUndefined();
      const out = await read(relayed);
      expect(out.text).toBe(text);
      expect(out.error).toMatchObject({ failureClass: 'transient', status: 502, upstreamStatus: 502 });
      expect(state.ended).toBe(true);
    }
  });

  it('an answer passes untouched', async () => {
    const text = JSON.stringify({ id: 'chatcmpl-1', choices: [], error: { not: 'first' } });
    for (const size of SIZES) {
      const out = await read(relayJson(text, size).relayed);
      expect(out.error).toBeUndefined();
      expect(out.text).toBe(text);
    }
  });
});
