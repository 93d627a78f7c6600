/**
 * Streams under failure, through the real gateway with the official `openai` SDK: before the first byte
 * a failure is failed over invisibly; after bytes were sent, a stalled, reset or corrupted upstream ends
 * the stream with an error the SDK raises (never a silent truncation or a hang), on the fast path (OpenAI
 * upstream, bytes relayed) and the translated path (Anthropic upstream). `resume_streams = true`
 * continues a broken answer on the next target, which receives the partial answer as the last assistant
 * message, so the client reads one coherent answer; a break inside a tool call still ends in an error.
 */

import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTINUE_INSTRUCTION } from '../../src/routing/resume-stream.js';
import { openaiClient, readChatStream, validMessage } from '../support/chat-client.js';
import { abClaudeGateway, useFaultUpstreams, useGateway } from '../support/e2e-gateway.js';

const { a, b, claude } = useFaultUpstreams('a', 'b', 'claude');
const gateway = useGateway(() => ({
  config: `${abClaudeGateway(a, b, claude)}
[routing]
breaker = { consecutive_failures = 1000, min_requests = 1000 }
idle_timeout = "300ms"

[[models]]
alias = "plain"
targets = ["a/model-a", "b/model-b"]

[[models]]
alias = "plain-translated"
targets = ["claude/claude-x", "b/model-b"]

[[models]]
alias = "resume"
targets = ["a/model-a", "b/model-b"]
resume_streams = true

[[models]]
alias = "resume-translated"
targets = ["claude/claude-x", "b/model-b"]
resume_streams = true
`,
}));
let client: OpenAI;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, 'any-client-key');
});

const QUESTION = 'Tell me about the fox.';

interface StreamResult {
  text: string;
  ids: Set<string>;
  finishReason: string | null;
  error?: unknown;
  elapsedMs: number;
  headers: Headers;
}

/** Reads a stream to its end or its error, keeping what arrived before the error. */
async function streamAnswer(model: string): Promise<StreamResult> {
  const started = performance.now();
  const { data, response } = await client.chat.completions
    .create({ model, messages: [{ role: 'user', content: QUESTION }], stream: true })
    .withResponse();
  const out: StreamResult = {
    text: '',
    ids: new Set(),
    finishReason: null,
    elapsedMs: 0,
    headers: response.headers,
  };
  try {
    for await (const chunk of data) {
      out.ids.add(chunk.id);
      out.text += chunk.choices[0]?.delta.content ?? '';
      out.finishReason = chunk.choices[0]?.finish_reason ?? out.finishReason;
    }
  } catch (error) {
    out.error = error;
  }
  out.elapsedMs = performance.now() - started;
  return out;
}

const PATHS = [
  { path: 'fast path (OpenAI upstream, relayed bytes)', model: 'plain', upstream: () => a },
  { path: 'translated path (Anthropic upstream)', model: 'plain-translated', upstream: () => claude },
];

describe.each(PATHS)('after bytes were sent, $path', ({ model, upstream }) => {
  it('idle_timeout: a stall mid-stream ends in an error the SDK raises, not a hang', async () => {
    upstream().enqueue({ pieces: ['one ', 'two ', 'three'], stallAfterPieces: 2, stallMs: 10_000 });

    const result = await streamAnswer(model);

    expect(result.text).toBe('one two ');
    expect(result.error).toBeInstanceOf(OpenAI.APIError);
    expect((result.error as Error).message).toMatch(/sent nothing within 300 ms/);
    expect(result.elapsedMs).toBeLessThan(2_500);
    // Bytes had reached the client: no failover, the next target was never asked.
    expect(b.requests).toHaveLength(0);
  });

  it('a connection reset mid-stream ends in an error, not a silent truncation', async () => {
    upstream().enqueue({ pieces: ['alpha ', 'beta ', 'gamma'], resetAfterPieces: 2 });

    const result = await streamAnswer(model);

    expect(result.text).toBe('alpha beta ');
    expect(result.error).toBeInstanceOf(OpenAI.APIError);
    expect(result.finishReason).toBeNull();
    expect(b.requests).toHaveLength(0);
  });

  it('a malformed JSON chunk mid-stream ends in an error', async () => {
    upstream().enqueue({ pieces: ['fine ', 'then ', 'broken'], malformedAfterPieces: 1 });

    const result = await streamAnswer(model);

    expect(result.text).toBe('fine ');
    // Relayed bytes reach the SDK's own JSON parser (SyntaxError); translated, the gateway's error event.
    expect(result.error).toBeInstanceOf(Error);
    expect(b.requests).toHaveLength(0);
  });
});

describe('before any byte was sent', () => {
  it.each(PATHS)(
    '$path: a reset before the headers is failed over invisibly',
    async ({ model, upstream }) => {
      upstream().enqueue({ resetBeforeHeaders: true });
      b.enqueue({ pieces: ['clean ', 'answer'] });

      const result = await streamAnswer(model);

      expect(result.error).toBeUndefined();
      expect(result.text).toBe('clean answer');
      expect(result.finishReason).toBe('stop');
      expect(result.headers.get('x-junction-attempts')).toBe('2');
      expect(result.headers.get('x-junction-provider')).toBe('b');
    },
  );

  it('translated path: a stream accepted (message_start) that dies before any text is failed over too', async () => {
    // The first byte to the client is held until the upstream's first meaningful event, so a stream that
    // broke before saying anything is still invisible to the client.
    claude.enqueue({ pieces: ['never sent'], resetAfterPieces: 0 });
    b.enqueue({ pieces: ['fresh ', 'start'] });

    const result = await streamAnswer('plain-translated');

    expect(result.error).toBeUndefined();
    expect(result.text).toBe('fresh start');
    expect(result.headers.get('x-junction-attempts')).toBe('2');
    expect(result.headers.get('x-junction-provider')).toBe('b');
    expect(b.requests[0]!.body.messages).toEqual([{ role: 'user', content: QUESTION }]);
  });
});

describe('a non-stream request, whose answer the client has not received yet', () => {
  it.each([
    ['a connection reset', { resetAfterPieces: 2 }],
    ['an idle stall', { stallAfterPieces: 2, stallMs: 10_000 }],
  ])('translated path: %s mid-answer is failed over invisibly', async (_what, fault) => {
    // The gateway streams from the upstream and collects: the break comes after text arrived, but none
    // of it has reached the client, so the next target answers the whole question afresh.
    claude.enqueue({ pieces: ['half ', 'an ', 'answer'], ...fault });
    b.enqueue({ pieces: ['whole ', 'answer'] });

    const { data, response } = await client.chat.completions
      .create({ model: 'plain-translated', messages: [{ role: 'user', content: QUESTION }] })
      .withResponse();

    expect(validMessage(data).content).toBe('whole answer');
    expect(response.headers.get('x-junction-attempts')).toBe('2');
    expect(response.headers.get('x-junction-provider')).toBe('b');
    expect(b.requests[0]!.body.messages).toEqual([{ role: 'user', content: QUESTION }]);
  });
});

describe('resume_streams = true', () => {
  const PARTIAL = ['The quick ', 'brown ', 'fox'];

  it('fast-path alias: a reset after 2 chunks is continued on the next target as one answer', async () => {
    a.enqueue({ pieces: PARTIAL, resetAfterPieces: 2 });
    b.enqueue({ pieces: ['fox jumps ', 'over the dog.'] });

    const result = await streamAnswer('resume');

    expect(result.error).toBeUndefined();
    expect(result.text).toBe('The quick brown fox jumps over the dog.');
    expect(result.finishReason).toBe('stop');
    // One answer: every chunk carries the same completion id.
    expect(result.ids.size).toBe(1);
    // The fast path is off for a resumable alias: a was asked through the translated path (stream_options
    // added by the adapter), and b got the partial answer as the last assistant message.
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(1);
    expect(b.requests[0]!.body.model).toBe('model-b');
    expect(b.requests[0]!.body.messages).toEqual([
      { role: 'user', content: QUESTION },
      { role: 'assistant', content: 'The quick brown ' },
      // b is OpenAI-type, without assistant prefill, so it is asked explicitly to continue.
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
    // Headers leave with the first byte, so they name the target the answer started on.
    expect(result.headers.get('x-junction-provider')).toBe('a');
  });

  it('non-stream request: the collected answer is the same splice', async () => {
    a.enqueue({ pieces: PARTIAL, resetAfterPieces: 2 });
    b.enqueue({ pieces: ['fox jumps.'] });

    const completion = await client.chat.completions.create({
      model: 'resume',
      messages: [{ role: 'user', content: QUESTION }],
    });

    expect(validMessage(completion).content).toBe('The quick brown fox jumps.');
    // The gateway streams from the upstream even for a non-stream client, so it can splice.
    expect(a.requests[0]!.body.stream).toBe(true);
    expect(b.requests[0]!.body.messages).toEqual([
      { role: 'user', content: QUESTION },
      { role: 'assistant', content: 'The quick brown ' },
      // b is OpenAI-type, without assistant prefill, so it is asked explicitly to continue.
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
  });

  it.each([
    ['an idle stall', { stallAfterPieces: 2, stallMs: 10_000 }],
    ['a truncated stream (no message_stop)', { truncateAfterPieces: 2 }],
    ['a malformed event', { malformedAfterPieces: 2 }],
  ])('translated alias: %s is continued on the next target', async (_what, fault) => {
    claude.enqueue({ pieces: PARTIAL, ...fault });
    b.enqueue({ pieces: ['fox.'] });

    const result = await streamAnswer('resume-translated');

    expect(result.error).toBeUndefined();
    expect(result.text).toBe('The quick brown fox.');
    expect(result.ids.size).toBe(1);
    expect(b.requests[0]!.body.messages).toEqual([
      { role: 'user', content: QUESTION },
      { role: 'assistant', content: 'The quick brown ' },
      // b is OpenAI-type, without assistant prefill, so it is asked explicitly to continue.
      { role: 'user', content: CONTINUE_INSTRUCTION },
    ]);
  });

  it('the usage of a continued answer is what both attempts reported, not the continuation alone', async () => {
    // claude reports 7 input tokens (and 1 output so far) in message_start, then stalls; b answers the
    // continuation with 7 + 3 tokens. Both were spent upstream, so both count against limits and budgets.
    claude.enqueue({ pieces: PARTIAL, stallAfterPieces: 2, stallMs: 10_000 });
    b.enqueue({ pieces: ['fox.'] });
    const requestId = `resume-usage-${Date.now()}`;
    const { data } = await client.chat.completions
      .create(
        {
          model: 'resume-translated',
          messages: [{ role: 'user', content: QUESTION }],
          stream: true,
          stream_options: { include_usage: true },
        },
        { headers: { 'x-request-id': requestId } },
      )
      .withResponse();
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of data) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('The quick brown fox.');
    expect(usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 4 });
    const record = await gateway.usageRecord(requestId);
    expect(record.usage).toMatchObject({ inputTokens: 14, outputTokens: 4 });
  });

  it('a break inside a tool call cannot be continued: the stream ends with an error', async () => {
    a.enqueue({ pieces: ['Let me look that up.'], toolCall: { name: 'lookup', argumentsStart: '{"q":"fo' } });

    const result = await streamAnswer('resume');

    expect(result.text).toBe('Let me look that up.');
    expect(result.error).toBeInstanceOf(OpenAI.APIError);
    expect(b.requests).toHaveLength(0);
  });

  it('when the next target fails too, the client gets the error, not a hang', async () => {
    a.enqueue({ pieces: PARTIAL, resetAfterPieces: 2 });
    b.enqueue({ status: 503 });

    const result = await streamAnswer('resume');

    expect(result.text).toBe('The quick brown ');
    expect(result.error).toBeInstanceOf(OpenAI.APIError);
    expect(b.requests).toHaveLength(1);
  });
});

describe('the stream stays usable', () => {
  it('after all of the above a normal stream still works on every path', async () => {
    for (const model of ['plain', 'plain-translated', 'resume', 'resume-translated']) {
      const { data } = await client.chat.completions
        .create({ model, messages: [{ role: 'user', content: QUESTION }], stream: true })
        .withResponse();
      const read = await readChatStream(data);
      expect(read.text).toBe('ok');
      expect(read.finishReason).toBe('stop');
    }
  });
});
