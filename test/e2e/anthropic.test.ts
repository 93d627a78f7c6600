/**
 * OpenAI-chat client -> Anthropic provider (translated path). The mock replays recorded Anthropic SSE;
 * the client must see exactly the recorded text, tool calls, reasoning with its signature and usage, in
 * spec-valid Chat Completions; the upstream must receive a proper Messages request.
 */
import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { beforeAll, describe, expect, it } from 'vitest';
import { openaiClient, readChatStream, validMessage } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import { expectedFromAnthropicStream } from '../support/fixture-expectations.js';
import { expectValidAgainstSpec } from '../support/openapi.js';
import {
  anthropicChunksAnswer,
  anthropicChunksSse,
  cassetteAnswer,
  cassetteText,
  sseAnswer,
} from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-anthropic-client-key';
const TEXT = 'anthropic-messages/vercel-anthropic-text.chunks.txt';
const RAW_TEXT = 'anthropic-messages/pydantic-ai-anthropic-stream_plain_text_raw_sse.yaml';
const JSON_TOOL = 'anthropic-messages/vercel-anthropic-json-tool.1.chunks.txt';
const TEXT_THEN_TOOL = 'anthropic-messages/vercel-anthropic-tool-no-args.chunks.txt';
const PROMPT_CACHE = 'anthropic-messages/vercel-anthropic-code-execution-20260120-prompt-cache.1.chunks.txt';
const THINKING = 'anthropic-messages/pydantic-ai-anthropic_model_thinking_part_stream.yaml';

const JSON_TOOL_DEF = {
  type: 'function' as const,
  function: {
    name: 'json',
    description: 'Respond with a JSON object.',
    parameters: {
      type: 'object',
      properties: {
        elements: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              location: { type: 'string' },
              temperature: { type: 'number' },
              condition: { type: 'string' },
            },
          },
        },
      },
      required: ['elements'],
    },
  },
};

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[providers.claude]
type = "anthropic"
base_url = "${upstream.origin}"
api_key = "env:E2E_ANTHROPIC_UPSTREAM_KEY"

[[models]]
alias = "sonnet"
targets = ["claude/claude-sonnet-4-5"]
`,
  env: { E2E_ANTHROPIC_UPSTREAM_KEY: 'test' },
}));
let client: OpenAI;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, CLIENT_KEY);
});

function upstreamMessages(): Array<{ role: string; content: Array<Record<string, unknown>> }> {
  return mock.lastBody().messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
}

function systemText(system: unknown): string {
  if (typeof system === 'string') return system;
  return (system as Array<{ text: string }>).map((block) => block.text).join('\n');
}

describe('anthropic: text', () => {
  it('non-stream: exact text, finish and usage; the upstream gets a Messages request with system hoisted', async () => {
    const expected = expectedFromAnthropicStream(anthropicChunksSse(TEXT));
    mock.enqueue(anthropicChunksAnswer(TEXT));
    const requestId = `e2e-${randomUUID()}`;
    const { data, response } = await client.chat.completions
      .create(
        {
          model: 'sonnet',
          messages: [
            { role: 'system', content: 'You are terse.' },
            { role: 'user', content: 'Hello' },
          ],
          temperature: 0.5,
        },
        { headers: { 'x-request-id': requestId } },
      )
      .withResponse();

    const message = validMessage(data);
    expect(message.content).toBe(expected.text);
    expect(expected.text.length).toBeGreaterThan(20);
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({
      prompt_tokens: expected.usage.prompt_tokens,
      completion_tokens: expected.usage.completion_tokens,
      total_tokens: expected.usage.prompt_tokens + expected.usage.completion_tokens,
    });
    expect(data.model).toBe('sonnet');
    expect(response.headers.get('x-junction-provider')).toBe('claude');
    expect(response.headers.get('x-junction-model')).toBe('claude-sonnet-4-5');

    const upstream = mock.last();
    expect(upstream.method).toBe('POST');
    expect(upstream.path).toBe('/v1/messages');
    expect(upstream.headers['x-api-key']).toBe('test');
    expect(upstream.headers['anthropic-version']).toBe('2023-06-01');
    expect(upstream.headers.authorization).toBeUndefined();
    expect(upstream.rawBody).not.toContain(CLIENT_KEY);
    const body = mock.lastBody();
    expect(body.model).toBe('claude-sonnet-4-5');
    expect(body.stream).toBe(true);
    expect(typeof body.max_tokens).toBe('number');
    expect(body.max_tokens as number).toBeGreaterThan(0);
    expect(body.temperature).toBe(0.5);
    expect(systemText(body.system)).toBe('You are terse.');
    const messages = upstreamMessages();
    expect(messages.map((m) => m.role)).toEqual(['user']);
    expect(JSON.stringify(messages[0]!.content)).toContain('Hello');

    const usage = await gateway.usageRecord(requestId);
    expect(usage).toMatchObject({ fastPath: false, provider: 'claude', status: 200 });
    expect(usage.usage).toMatchObject({
      inputTokens: expected.usage.prompt_tokens,
      outputTokens: expected.usage.completion_tokens,
    });
  });

  it('stream: byte-exact recorded SSE (padded data lines, ping) gives the exact text and usage chunk', async () => {
    const expected = expectedFromAnthropicStream(cassetteText(RAW_TEXT));
    mock.enqueue(cassetteAnswer(RAW_TEXT));
    const stream = await client.chat.completions.create({
      model: 'claude/claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'What is 1+1? Answer with just the number.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const read = await readChatStream(stream);
    expect(read.text).toBe('2');
    expect(read.text).toBe(expected.text);
    expect(read.finishReason).toBe('stop');
    expect(read.ids.size).toBe(1);
    expect(read.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 });
    expect(read.chunks[0]!.choices[0]!.delta.role).toBe('assistant');
  });

  it('stream: chunks reach the client while the upstream is still streaming', async () => {
    mock.enqueue(cassetteAnswer(RAW_TEXT, 0, { delayMs: 120 }));
    const stream = await client.chat.completions.create({
      model: 'claude/claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'What is 1+1?' }],
      stream: true,
    });
    let firstTextAt: number | undefined;
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) firstTextAt ??= performance.now();
    const written = mock.last().chunkWrittenAt;
    expect(firstTextAt).toBeDefined();
    // The text delta is the 4th event; message_delta and message_stop follow at 120 ms intervals.
    expect(firstTextAt!).toBeLessThan(written.at(-1)!);
  });

  it('usage: cache reads and writes count as prompt tokens, cache reads as cached_tokens; server tool blocks are not client output', async () => {
    const expected = expectedFromAnthropicStream(anthropicChunksSse(PROMPT_CACHE));
    expect(expected.usage).toEqual({
      prompt_tokens: 9632,
      completion_tokens: 198,
      cached_tokens: 6289,
      reasoning_tokens: 0,
    });
    mock.enqueue(anthropicChunksAnswer(PROMPT_CACHE));
    const requestId = `e2e-${randomUUID()}`;
    const completion = await client.chat.completions.create(
      { model: 'sonnet', messages: [{ role: 'user', content: 'Sum of squares 1..12?' }] },
      { headers: { 'x-request-id': requestId } },
    );
    const message = validMessage(completion);
    expect(message.content).toBe(expected.text);
    expect(message.tool_calls ?? []).toEqual([]);
    expect(completion.usage?.prompt_tokens).toBe(9632);
    expect(completion.usage?.completion_tokens).toBe(198);
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(6289);
    const usage = await gateway.usageRecord(requestId);
    expect(usage.usage).toMatchObject({ inputTokens: 9632, outputTokens: 198, cachedInputTokens: 6289 });

    mock.enqueue(anthropicChunksAnswer(PROMPT_CACHE));
    const read = await readChatStream(
      await client.chat.completions.create({
        model: 'sonnet',
        messages: [{ role: 'user', content: 'Sum of squares 1..12?' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(read.text).toBe(expected.text);
    expect(read.toolCalls).toEqual([]);
    expect(read.usage?.prompt_tokens_details?.cached_tokens).toBe(6289);
    expect(read.usage?.prompt_tokens).toBe(9632);
  });
});

describe('anthropic: mid-stream failure', () => {
  it('an upstream `event: error` after text has streamed ends the stream with an error the SDK raises', async () => {
    // The shape of Anthropic's mid-stream error event as users have pasted it (no recording exists).
    const events = anthropicChunksSse(TEXT).split('\n\n').slice(0, 5).join('\n\n');
    const error =
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    mock.enqueue(sseAnswer(`${events}\n\n${error}`));
    const stream = await client.chat.completions.create({
      model: 'sonnet',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
    let text = '';
    let raised: unknown;
    try {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    } catch (thrown) {
      raised = thrown;
    }
    expect(text).toBe('Hello! I');
    expect(raised).toBeInstanceOf(OpenAI.APIError);
    expect((raised as InstanceType<typeof OpenAI.APIError>).message).toMatch(/overload/i);

    // The gateway is still serving.
    mock.enqueue(anthropicChunksAnswer(TEXT));
    const after = await client.chat.completions.create({
      model: 'sonnet',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(after.choices[0]!.message.content).toBe(
      expectedFromAnthropicStream(anthropicChunksSse(TEXT)).text,
    );
  });
});

describe('anthropic: tools', () => {
  it('non-stream: tool_use becomes a tool call with the recorded id, name and exact arguments', async () => {
    const expected = expectedFromAnthropicStream(anthropicChunksSse(JSON_TOOL));
    mock.enqueue(anthropicChunksAnswer(JSON_TOOL));
    const completion = await client.chat.completions.create({
      model: 'sonnet',
      messages: [{ role: 'user', content: 'Weather in San Francisco as JSON.' }],
      tools: [JSON_TOOL_DEF],
      tool_choice: { type: 'function', function: { name: 'json' } },
    });
    const message = validMessage(completion);
    const call = message.tool_calls?.[0];
    expect(
      call && 'function' in call
        ? { id: call.id, name: call.function.name, arguments: call.function.arguments }
        : undefined,
    ).toEqual(expected.toolCalls[0]);
    expect(expected.toolCalls[0]!.id).toBe('toolu_01KFbKqPYSuAKujiL6mTfzYA');
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.usage).toMatchObject({ prompt_tokens: 849, completion_tokens: 47 });

    const body = mock.lastBody();
    expect(body.tools).toEqual([
      {
        name: 'json',
        description: 'Respond with a JSON object.',
        input_schema: JSON_TOOL_DEF.function.parameters,
      },
    ]);
    expect(body.tool_choice).toMatchObject({ type: 'tool', name: 'json' });
  });

  it('stream: the SDK stream helper assembles text and the streamed tool call (no arguments -> "{}")', async () => {
    const expected = expectedFromAnthropicStream(anthropicChunksSse(TEXT_THEN_TOOL));
    mock.enqueue(anthropicChunksAnswer(TEXT_THEN_TOOL));
    const done: Array<{ name: string; arguments: string }> = [];
    const chunks: unknown[] = [];
    const runner = client.chat.completions.stream({
      model: 'sonnet',
      messages: [{ role: 'user', content: 'Update the issue list.' }],
      tools: [
        {
          type: 'function',
          function: { name: 'updateIssueList', parameters: { type: 'object', properties: {} } },
        },
      ],
    });
    runner.on('chunk', (chunk) => chunks.push(chunk));
    runner.on('tool_calls.function.arguments.done', (event) =>
      done.push({ name: event.name, arguments: event.arguments }),
    );
    const final = await runner.finalChatCompletion();
    for (const chunk of chunks) expectValidAgainstSpec('CreateChatCompletionStreamResponse', chunk);

    const message = final.choices[0]!.message;
    expect(message.content).toBe("I'll update the issue list for you.");
    expect(message.content).toBe(expected.text);
    const call = message.tool_calls?.[0];
    expect(
      call && 'function' in call
        ? { id: call.id, name: call.function.name, arguments: call.function.arguments }
        : undefined,
    ).toEqual({
      id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP',
      name: 'updateIssueList',
      arguments: '{}',
    });
    expect(done).toEqual([{ name: 'updateIssueList', arguments: '{}' }]);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('stream: streamed input_json_delta arguments are reassembled exactly', async () => {
    const expected = expectedFromAnthropicStream(anthropicChunksSse(JSON_TOOL));
    mock.enqueue(anthropicChunksAnswer(JSON_TOOL));
    const read = await readChatStream(
      await client.chat.completions.create({
        model: 'sonnet',
        messages: [{ role: 'user', content: 'Weather in San Francisco as JSON.' }],
        tools: [JSON_TOOL_DEF],
        stream: true,
      }),
    );
    expect(read.toolCalls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args }))).toEqual(
      expected.toolCalls,
    );
    expect(read.finishReason).toBe('tool_calls');
  });

  it('tool results: the assistant tool call and the tool message become tool_use and tool_result blocks', async () => {
    mock.enqueue(anthropicChunksAnswer(TEXT));
    await client.chat.completions.create({
      model: 'sonnet',
      messages: [
        { role: 'user', content: 'Weather in San Francisco as JSON.' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA',
              type: 'function',
              function: { name: 'json', arguments: '{"elements":[]}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', content: 'stored' },
      ],
      tools: [JSON_TOOL_DEF],
    });
    const messages = upstreamMessages();
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1]!.content).toEqual([
      { type: 'tool_use', id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', name: 'json', input: { elements: [] } },
    ]);
    expect(messages[2]!.content[0]).toMatchObject({
      type: 'tool_result',
      tool_use_id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA',
    });
    expect(JSON.stringify(messages[2]!.content[0])).toContain('stored');
  });
});

describe('anthropic: reasoning', () => {
  it('non-stream: thinking arrives as reasoning_content + reasoning_details with the signature, and goes back upstream on the next turn', async () => {
    const expected = expectedFromAnthropicStream(cassetteText(THINKING));
    expect(expected.signatures).toHaveLength(1);
    mock.enqueue(cassetteAnswer(THINKING));
    const question = 'How do I cross the street?';
    const completion = await client.chat.completions.create({
      model: 'claude/claude-sonnet-4-0',
      messages: [{ role: 'user', content: question }],
      reasoning_effort: 'low',
    });
    const thinking = mock.lastBody().thinking as { type: string; budget_tokens: number };
    expect(thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(mock.lastBody().max_tokens as number).toBeGreaterThan(thinking.budget_tokens);

    const message = validMessage(completion);
    expect(message.content).toBe(expected.text);
    expect(message.reasoning_content).toBe(expected.reasoning);
    expect(message.reasoning_details).toEqual([
      { type: 'reasoning.text', index: 0, text: expected.reasoning, signature: expected.signatures[0] },
    ]);

    // Next turn: the client sends the assistant message back as it got it.
    mock.enqueue(anthropicChunksAnswer(TEXT));
    const history = [
      { role: 'user', content: question },
      { role: 'assistant', content: message.content, reasoning_details: message.reasoning_details },
      { role: 'user', content: 'Thanks. And at night?' },
    ] as ChatCompletionMessageParam[];
    await client.chat.completions.create({
      model: 'claude/claude-sonnet-4-0',
      messages: history,
      reasoning_effort: 'low',
    });
    const messages = upstreamMessages();
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1]!.content[0]).toEqual({
      type: 'thinking',
      thinking: expected.reasoning,
      signature: expected.signatures[0],
    });
    expect(messages[1]!.content[1]).toMatchObject({ type: 'text', text: expected.text });
  });

  it('stream: reasoning deltas and the signature arrive before the text; usage counts them', async () => {
    const expected = expectedFromAnthropicStream(cassetteText(THINKING));
    mock.enqueue(cassetteAnswer(THINKING));
    const read = await readChatStream(
      await client.chat.completions.create({
        model: 'claude/claude-sonnet-4-0',
        messages: [{ role: 'user', content: 'How do I cross the street?' }],
        reasoning_effort: 'low',
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(read.reasoning).toBe(expected.reasoning);
    expect(read.signatures).toEqual(expected.signatures);
    expect(read.text).toBe(expected.text);
    expect(read.finishReason).toBe('stop');
    expect(read.usage).toMatchObject({
      prompt_tokens: expected.usage.prompt_tokens,
      completion_tokens: expected.usage.completion_tokens,
    });
    const firstText = read.chunks.findIndex((chunk) => chunk.choices[0]?.delta.content);
    const lastReasoning = read.chunks.findLastIndex(
      (chunk) => (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content,
    );
    expect(lastReasoning).toBeLessThan(firstText);
  });
});
