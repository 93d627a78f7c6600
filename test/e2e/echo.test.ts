/**
 * The built-in echo provider, with no upstream at all: it streams back the last user message, makes a
 * tool call when asked with `/tool <name> <json>`, and reports usage, on the real gateway process.
 */
import type OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { beforeAll, describe, expect, it } from 'vitest';
import { openaiClient, readChatStream, validMessage } from '../support/chat-client.js';
import { serverWithKeys, useGateway } from '../support/e2e-gateway.js';

const CLIENT_KEY = 'jk-echo-client-key';

const GET_WEATHER = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

const gateway = useGateway(() => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[providers.echo]
type = "echo"

[[models]]
alias = "parrot"
targets = ["echo/echo-1"]
`,
}));
let client: OpenAI;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, CLIENT_KEY);
});

describe('echo provider', () => {
  it('non-stream: echoes the last user message exactly, with usage and route headers', async () => {
    const text = 'Hello, gateway! Ünïcödé and "quotes" survive.';
    const { data, response } = await client.chat.completions
      .create({
        model: 'parrot',
        messages: [
          { role: 'system', content: 'ignored by echo' },
          { role: 'user', content: 'an earlier question' },
          { role: 'assistant', content: 'an earlier answer' },
          { role: 'user', content: text },
        ],
      })
      .withResponse();
    const message = validMessage(data);
    expect(message.content).toBe(text);
    expect(data.choices[0]!.finish_reason).toBe('stop');
    expect(data.model).toBe('parrot');
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage?.total_tokens).toBe(data.usage!.prompt_tokens + data.usage!.completion_tokens);
    expect(response.headers.get('x-junction-provider')).toBe('echo');
    expect(response.headers.get('x-junction-model')).toBe('echo-1');
  });

  it('stream: the text arrives in several spec-valid chunks and reassembles exactly; include_usage adds a usage chunk', async () => {
    const text = 'one two three four five';
    const read = await readChatStream(
      await client.chat.completions.create({
        model: 'echo/anything',
        messages: [{ role: 'user', content: text }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(read.text).toBe(text);
    expect(read.chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBeGreaterThan(1);
    expect(read.finishReason).toBe('stop');
    expect(read.ids.size).toBe(1);
    const last = read.chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(read.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('stream without include_usage: no usage chunk', async () => {
    const read = await readChatStream(
      await client.chat.completions.create({
        model: 'echo/x',
        messages: [{ role: 'user', content: 'hi there' }],
        stream: true,
      }),
    );
    expect(read.text).toBe('hi there');
    expect(read.chunks.every((chunk) => chunk.usage == null)).toBe(true);
  });

  it('non-stream: `/tool get_weather {...}` yields that tool call', async () => {
    const completion = await client.chat.completions.create({
      model: 'parrot',
      messages: [{ role: 'user', content: '/tool get_weather {"city":"Paris"}' }],
      tools: [GET_WEATHER],
    });
    const message = validMessage(completion);
    expect(message.tool_calls).toHaveLength(1);
    const call = message.tool_calls![0]!;
    if (!('function' in call)) throw new Error('expected a function tool call');
    expect(call.type).toBe('function');
    expect(call.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect(call.id).toMatch(/\S/);
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('stream: the SDK stream helper assembles the echo tool call', async () => {
    const chunks: ChatCompletionChunk[] = [];
    const done: Array<{ name: string; arguments: string }> = [];
    const runner = client.chat.completions.stream({
      model: 'parrot',
      messages: [{ role: 'user', content: '/tool get_weather {"city":"Paris"}' }],
      tools: [GET_WEATHER],
    });
    runner.on('chunk', (chunk) => chunks.push(chunk));
    runner.on('tool_calls.function.arguments.done', (event) =>
      done.push({ name: event.name, arguments: event.arguments }),
    );
    const final = await runner.finalChatCompletion();
    await readChatStream(chunks);
    expect(done).toEqual([{ name: 'get_weather', arguments: '{"city":"Paris"}' }]);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('a tool result turn is answered from the tool result', async () => {
    const completion = await client.chat.completions.create({
      model: 'parrot',
      messages: [
        { role: 'user', content: '/tool get_weather {"city":"Paris"}' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny, 21C' },
      ],
      tools: [GET_WEATHER],
    });
    expect(validMessage(completion).content).toContain('sunny, 21C');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
  });

  it('max_tokens truncates with finish_reason length', async () => {
    const completion = await client.chat.completions.create({
      model: 'parrot',
      messages: [{ role: 'user', content: 'a b c d e f g h' }],
      max_tokens: 3,
    });
    expect(completion.choices[0]!.finish_reason).toBe('length');
    const content = validMessage(completion).content ?? '';
    expect(content.length).toBeGreaterThan(0);
    expect(content.length).toBeLessThan('a b c d e f g h'.length);
    expect('a b c d e f g h'.startsWith(content)).toBe(true);
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(3);
  });
});

describe('echo provider, long streams', () => {
  it('a client that stops reading for a while still gets every event of a long stream, in order', async () => {
    // 60,000 words: one SSE event each, far more than a socket buffer holds, so the gateway must wait for
    // the client to drain rather than drop, reorder or pile up events.
    const words = Array.from({ length: 60_000 }, (_, i) => `w${i}`);
    const text = words.join(' ');
    const response = await fetch(`${gateway.baseURL}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'parrot', stream: true, messages: [{ role: 'user', content: text }] }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let sse = '';
    let paused = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sse += decoder.decode(value, { stream: true });
      if (!paused) {
        paused = true;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const deltas: string[] = [];
    let sawDone = false;
    for (const line of sse.split('\n')) {
      if (!line.startsWith('data: ')) continue;
      const data = line.slice(6);
      if (data === '[DONE]') {
        sawDone = true;
        continue;
      }
      const chunk = JSON.parse(data) as ChatCompletionChunk;
      const content = chunk.choices[0]?.delta.content;
      if (content) deltas.push(content);
    }
    expect(sawDone).toBe(true);
    expect(deltas.join('')).toBe(text);
  }, 30_000);
});
