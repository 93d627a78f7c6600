import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  byteChunks,
  chunksToSse,
  fixturePath,
  loadCassette,
  loadChunks,
  responseText,
} from '../../../test/support/fixtures.js';
import type { Usage } from '../../core/usage.js';
import { parseOpenAIError } from './openai-error.js';
import { createOpenAIChatUsageTap } from './openai-usage-tap.js';

async function tap(text: string, isStream: boolean, size: number): Promise<Usage | undefined> {
  const usageTap = createOpenAIChatUsageTap(isStream);
  for await (const chunk of byteChunks(text, size)) usageTap.push(chunk);
  usageTap.end();
  return usageTap.usage();
}

const SIZES = [1, 7, 64, 100_000];

const cassetteBody = (file: string, interaction = 0) =>
  responseText(loadCassette(`openai-chat/${file}`)[interaction]!);
const rawFile = (file: string) => readFileSync(fixturePath(`openai-chat/${file}`), 'utf8');

describe('createOpenAIChatUsageTap on streams', () => {
  const streams: Array<[string, () => string, Usage | undefined]> = [
    [
      'OpenAI text (usage-only final chunk)',
      () => chunksToSse(loadChunks('openai-chat/vercel-openai-text.chunks.txt'), { done: true }),
      { inputTokens: 16, outputTokens: 300, cachedInputTokens: 0, reasoningTokens: 0 },
    ],
    [
      'OpenAI tool call deltas (raw SSE)',
      () => cassetteBody('pydantic-ai-openai-stream_tool_call_deltas.yaml'),
      { inputTokens: 53, outputTokens: 15, cachedInputTokens: 0, reasoningTokens: 0 },
    ],
    [
      'Groq reasoning (usage on the finish chunk, repeated in x_groq)',
      () => chunksToSse(loadChunks('openai-chat/vercel-groq-reasoning.chunks.txt'), { done: true }),
      { inputTokens: 17, outputTokens: 1107, reasoningTokens: 963 },
    ],
    [
      'OpenRouter reasoning (SSE comments, usage chunk with choices)',
      () => cassetteBody('pydantic-ai-openrouter_streaming_reasoning.yaml'),
      { inputTokens: 43, outputTokens: 36, cachedInputTokens: 0, reasoningTokens: 13 },
    ],
    [
      // The client did not ask for include_usage: every chunk says "usage":null and there is nothing to count.
      'OpenAI text without the usage chunk',
      () =>
        chunksToSse(
          loadChunks('openai-chat/vercel-openai-text.chunks.txt').filter(
            (c) => (c as { usage: unknown }).usage === null,
          ),
          { done: true },
        ),
      undefined,
    ],
  ];

  for (const [name, body, expected] of streams) {
    it.each(SIZES)(`${name}, %i-byte chunks`, async (size) => {
      expect(await tap(body(), true, size)).toEqual(expected);
    });
  }

  it('reads usage from a line whose text has multi-byte characters split across chunks', async () => {
    // The scan works on bytes: a split character must neither hide the key nor corrupt the parsed line.
    const line = JSON.stringify({
      choices: [{ delta: { content: 'héllo 🎉 "usage": {} 東京' } }],
      usage: { prompt_tokens: 9, completion_tokens: 4 },
    });
    const body = `data: {"choices":[{"delta":{"content":"日本語"}}],"usage":null}\n\ndata: ${line}\n\ndata: [DONE]\n\n`;
    for (const size of [1, 2, 3, 5]) {
      expect(await tap(body, true, size)).toEqual({ inputTokens: 9, outputTokens: 4 });
    }
  });

  it('accepts spaces and tabs around the colon, and skips "usage" that is not a key of an object', async () => {
    const body = [
      'data: {"note":"usage","usage" :\t null}',
      'data: {"choices":[],"usage" :\t {"prompt_tokens":3,"completion_tokens":1}}',
      '',
    ].join('\n');
    expect(await tap(body, true, 6)).toEqual({ inputTokens: 3, outputTokens: 1 });
  });

  it('reads a final usage line that has no trailing newline', async () => {
    const line = 'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}';
    expect(await tap(`data: {"choices":[],"usage":null}\n\n${line}`, true, 4)).toEqual({
      inputTokens: 5,
      outputTokens: 2,
    });
  });
});

describe('createOpenAIChatUsageTap on non-stream JSON bodies', () => {
  const bodies: Array<[string, () => string, Usage]> = [
    [
      'prompt cache write (1st call)',
      () =>
        JSON.stringify(
          loadCassette('openai-chat/pydantic-ai-openai_chat_prompt_cache_e2e.yaml')[0]!.response.parsed_body,
        ),
      {
        inputTokens: 4020,
        outputTokens: 4,
        cachedInputTokens: 0,
        cacheWriteTokens: 4012,
        reasoningTokens: 0,
      },
    ],
    [
      'prompt cache hit (2nd call, pretty-printed)',
      () =>
        JSON.stringify(
          loadCassette('openai-chat/pydantic-ai-openai_chat_prompt_cache_e2e.yaml')[1]!.response.parsed_body,
          null,
          2,
        ),
      {
        inputTokens: 4020,
        outputTokens: 4,
        cachedInputTokens: 4012,
        cacheWriteTokens: 0,
        reasoningTokens: 0,
      },
    ],
    [
      'OpenAI text body as recorded',
      () => rawFile('vercel-openai-text.json'),
      { inputTokens: 16, outputTokens: 363, cachedInputTokens: 0, reasoningTokens: 0 },
    ],
    [
      'DeepSeek JSON body with cache hits and reasoning',
      () => rawFile('vercel-deepseek-json.json'),
      { inputTokens: 495, outputTokens: 144, cachedInputTokens: 320, reasoningTokens: 118 },
    ],
    [
      'Groq body with usage_breakdown and x_groq after usage',
      () => rawFile('vercel-groq-text.json'),
      { inputTokens: 45, outputTokens: 607 },
    ],
  ];

  for (const [name, body, expected] of bodies) {
    it.each(SIZES)(`${name}, %i-byte chunks`, async (size) => {
      expect(await tap(body(), false, size)).toEqual(expected);
    });
  }

  it('is not fooled by "usage" inside strings or by a null usage before the real one', async () => {
    const body = JSON.stringify({
      choices: [
        {
          message: {
            content: 'The "usage": {"prompt_tokens": 999} field',
            tool_calls: [{ function: { arguments: '{"usage":1}' } }],
          },
        },
      ],
      meta: { usage: null },
      usage: { prompt_tokens: 12, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 2 } },
    });
    for (const size of [1, 3, 1000]) {
      expect(await tap(body, false, size)).toEqual({
        inputTokens: 12,
        outputTokens: 3,
        cachedInputTokens: 2,
      });
    }
  });
});

describe('createOpenAIChatUsageTap on a 200 JSON body that is an error object', () => {
  const ERRORS = { provider: 'up', parseError: parseOpenAIError };

  /** The failure the tap reports at the body's end, fed in `size`-byte chunks. */
  async function failureOf(text: string, size: number) {
    const usageTap = createOpenAIChatUsageTap(false, ERRORS);
    for await (const chunk of byteChunks(text, size)) expect(usageTap.push(chunk)).toBeUndefined();
    return usageTap.end();
  }

  it.each(SIZES)(
    'OpenRouter’s recorded rate-limit body (code 429) is a 429, in %i-byte chunks',
    async (size) => {
      const body = JSON.stringify(
        loadCassette('openai-chat/pydantic-ai-openrouter_errors_raised.yaml')[0]!.response.parsed_body,
      );
      const failure = await failureOf(`\n  ${body}`, size);
      expect(failure?.at).toBe(0);
      expect(failure?.error).toMatchObject({ failureClass: 'rate_limit', status: 429, provider: 'up' });
      expect(failure?.error.message).toContain('temporarily rate-limited upstream');
    },
  );

  it.each([
    [{ error: { message: 'x', type: 'server_error', param: null, code: null } }, 'transient', 500],
    [{ error: { message: 'x', type: 'requests', code: 'rate_limit_exceeded' } }, 'rate_limit', 429],
    [
      { error: { message: 'x', type: 'invalid_request_error', code: 'context_length_exceeded' } },
      'invalid_request',
      400,
    ],
    [{ error: { message: 'x' } }, 'transient', 502],
  ] as const)('%j is a %s %i', async (body, failureClass, status) => {
    for (const size of [1, 1000]) {
      expect(
        (await failureOf(JSON.stringify(body, null, size === 1 ? 2 : undefined), size))?.error,
      ).toMatchObject({
        failureClass,
        status,
      });
    }
  });

  it('an answer, an error key that is not first, a null error or an unfinished body are not failures', async () => {
    const bodies = [
      rawFile('vercel-openai-text.json'),
      JSON.stringify({ id: 'x', error: { message: 'not first' }, choices: [] }),
      JSON.stringify({ error: null, choices: [] }),
      '{"error": {"message": "cut',
      '{"err',
      '',
    ];
    for (const body of bodies)
      for (const size of [1, 7, 1000]) expect(await failureOf(body, size)).toBeUndefined();
  });

  it('without a provider it looks for no errors', async () => {
    const usageTap = createOpenAIChatUsageTap(false);
    usageTap.push(Buffer.from(JSON.stringify({ error: { message: 'x', type: 'server_error' } })));
    expect(usageTap.end()).toBeUndefined();
  });
});
