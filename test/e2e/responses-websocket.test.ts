/**
 * WebSocket mode, driven by the official SDK's own client (`ResponsesWS` from
 * openai/resources/responses/ws): `response.create` messages in, the same stream events SSE carries out,
 * several responses one after another on one socket, on Anthropic, Gemini and the OpenAI fast path.
 * previous_response_id continues from the socket's own cache with store=false (nothing stored); errors
 * are `error` events that leave the socket open; the handshake itself is authenticated.
 */
import type OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { ResponsesWS } from 'openai/resources/responses/ws';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useStarted } from '../support/e2e-gateway.js';
import { loadCassette } from '../support/fixtures.js';
import { anthropicJsonAsSse } from '../support/matrix-reshape.js';
import { expectValidAgainstSpec } from '../support/openapi.js';
import { cassetteAnswer, geminiChunksAnswer, sseAnswer } from '../support/upstream-answers.js';
import { outputText, startResponsesWorld } from './responses-support.js';

const TOOL_LOOP = loadCassette('anthropic-messages/pydantic-ai-anthropic_tool_with_thinking.yaml');
const TURN1 = TOOL_LOOP[0]!.response.parsed_body as Record<string, unknown>;
const TURN2 = TOOL_LOOP[1]!.response.parsed_body as Record<string, unknown>;
const CALL_ID = 'toolu_01YGzqpRE16Vricda3Aqcejo';
const TOOLS = [
  {
    type: 'function' as const,
    name: 'get_user_country',
    description: '',
    parameters: { additionalProperties: false, properties: {}, type: 'object' },
    strict: false,
  },
];

const world = useStarted(
  'responses world',
  () => startResponsesWorld(),
  (started) => started.stop(),
);
const sockets: ResponsesWS[] = [];

// Registered after the world, so it runs before the world stops.
afterAll(() => {
  for (const socket of sockets) socket.close();
});
beforeEach(() => {
  world.anthropic.reset();
  world.gemini.reset();
  world.openai.reset();
});

interface Turn {
  events: ResponseStreamEvent[];
  response: OpenAI.Responses.Response;
}

/** A socket plus a way to await the next response (or error) on it. */
function connect(client = world.client) {
  const socket = new ResponsesWS(client);
  sockets.push(socket);
  const events: ResponseStreamEvent[] = [];
  const errors: Array<{ message: string; error?: unknown }> = [];
  const waiters: Array<() => void> = [];
  socket.on('event', (event) => {
    events.push(event as ResponseStreamEvent);
    for (const wake of waiters.splice(0)) wake();
  });
  socket.on('error', (error) => {
    errors.push(error as { message: string; error?: unknown });
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (done: () => boolean): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!done()) {
      if (Date.now() > deadline)
        throw new Error(`timed out; events so far: ${events.map((e) => e.type).join(', ')}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  return {
    socket,
    errors,
    /** Sends a create and waits for its terminal event. */
    async create(body: Record<string, unknown>): Promise<Turn> {
      const start = events.length;
      socket.send({ type: 'response.create', ...body } as never);
      await until(() =>
        events.slice(start).some((e) => e.type === 'response.completed' || e.type === 'response.failed'),
      );
      const own = events.slice(start);
      for (const event of own) expectValidAgainstSpec('ResponseStreamEvent', event);
      const last = own.at(-1) as ResponseStreamEvent & { response: OpenAI.Responses.Response };
      return { events: own, response: last.response };
    },
    /** Sends something and waits for the error event it causes. */
    async failing(send: () => void): Promise<{ message: string; error?: unknown }> {
      const start = errors.length;
      send();
      await until(() => errors.length > start);
      return errors[start]!;
    },
  };
}

describe('responses: WebSocket mode', () => {
  it('several responses on one socket, on three providers, each a complete event sequence', async () => {
    const ws = connect();
    world.anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN2)));
    const a = await ws.create({ model: 'claude/claude-sonnet-4-0', input: 'Largest city in Mexico?' });
    expect(a.events[0]?.type).toBe('response.created');
    expect(a.response.status).toBe('completed');
    expect(outputText(a.response)).toContain('Mexico City');

    world.gemini.enqueue(geminiChunksAnswer('gemini/vercel-google-text.chunks.txt'));
    const b = await ws.create({ model: 'gem/gemini-2.5-flash', input: 'A recipe, please' });
    expect(b.response.status).toBe('completed');
    expect(b.response.id).not.toBe(a.response.id);
    // Sequence numbers restart with each response.
    expect(b.events.map((e) => e.sequence_number)).toEqual(b.events.map((_, i) => i));

    // The OpenAI fast path over the socket: OpenAI's own events, forwarded as they came.
    world.openai.enqueue(
      cassetteAnswer('openai-responses/pydantic-ai-openai_responses_streaming_usage.yaml', 0),
    );
    const c = await wsCreateUnvalidated(ws, { model: 'oai/gpt-5', input: 'Calculate 100 * 200 / 3' });
    expect(c.response.id).toBe('resp_0050471a34b36ae60068c97b94a480819587a9d70cf2979b33');
    expect(world.openai.lastBody()).toMatchObject({ model: 'gpt-5', stream: true });
    expect(world.openai.lastBody()).not.toHaveProperty('type');

    // Stored (store defaults to true): retrievable over HTTP.
    expect((await world.client.responses.retrieve(a.response.id)).status).toBe('completed');
    expect(ws.errors).toEqual([]);
  });

  it('previous_response_id with store=false continues from the socket’s own cache', async () => {
    const ws = connect();
    world.anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN1)));
    const first = await ws.create({
      model: 'claude/claude-sonnet-4-0',
      store: false,
      input: 'What is the largest city in the user country?',
      tools: TOOLS,
    });
    expect(first.response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);

    world.anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN2)));
    const second = await ws.create({
      model: 'claude/claude-sonnet-4-0',
      store: false,
      previous_response_id: first.response.id,
      input: [{ type: 'function_call_output', call_id: CALL_ID, output: 'Mexico' }],
      tools: TOOLS,
    });
    expect(outputText(second.response)).toContain('Mexico City');
    const messages = world.anthropic.lastBody().messages as Array<{ role: string; content: unknown }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1]!.content).toEqual(TURN1.content);

    // Nothing was stored, and another socket (or HTTP) cannot continue it.
    await expect(world.client.responses.retrieve(first.response.id)).rejects.toMatchObject({ status: 404 });
    const other = connect();
    const error = await other.failing(() =>
      other.socket.send({
        type: 'response.create',
        model: 'claude/claude-sonnet-4-0',
        previous_response_id: first.response.id,
        input: 'more',
      } as never),
    );
    expect(error.error).toMatchObject({ type: 'error', code: 'previous_response_not_found', status: 404 });
  });

  it('errors arrive as error events and leave the socket open for the next response', async () => {
    const ws = connect();
    const unknown = await ws.failing(() =>
      ws.socket.send({
        type: 'response.create',
        model: 'claude/claude-sonnet-4-0',
        previous_response_id: 'resp_nope',
        input: 'x',
      } as never),
    );
    expect(unknown.error).toMatchObject({ type: 'error', param: 'previous_response_id' });
    expectValidAgainstSpec('ResponseErrorEvent', unknown.error);

    const badJson = await ws.failing(() => ws.socket.sendRaw('{not json'));
    expect(badJson.error).toMatchObject({ type: 'error', status: 400 });
    const wrongType = await ws.failing(() => ws.socket.send({ type: 'session.update' } as never));
    expect(wrongType.error).toMatchObject({ param: 'type' });
    const background = await ws.failing(() =>
      ws.socket.send({
        type: 'response.create',
        model: 'claude/claude-sonnet-4-0',
        input: 'x',
        background: true,
      } as never),
    );
    expect(background.error).toMatchObject({ param: 'background' });

    // An upstream failure: response.failed then error, and the socket still works.
    world.anthropic.enqueue({
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'error',
        error: { type: 'invalid_request_error', message: 'prompt is too long' },
      }),
    });
    const refused = await ws.failing(() =>
      ws.socket.send({ type: 'response.create', model: 'claude/claude-sonnet-4-0', input: 'x' } as never),
    );
    expect(refused.error).toMatchObject({ type: 'error', status: 400 });
    expect(String(refused.message)).toContain('prompt is too long');

    world.anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN2)));
    const ok = await ws.create({ model: 'claude/claude-sonnet-4-0', input: 'Largest city in Mexico?' });
    expect(ok.response.status).toBe('completed');
    expect(ws.socket.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('generate:false warms up a turn that the next one continues', async () => {
    const ws = connect();
    const warm = await ws.create({
      model: 'claude/claude-sonnet-4-0',
      store: false,
      generate: false,
      instructions: 'Be brief.',
      input: 'I live in Mexico.',
    });
    expect(warm.response.output).toEqual([]);
    expect(world.anthropic.requests).toHaveLength(0);
    world.anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN2)));
    await ws.create({
      model: 'claude/claude-sonnet-4-0',
      store: false,
      previous_response_id: warm.response.id,
      input: 'Largest city in my country?',
    });
    const messages = world.anthropic.lastBody().messages as Array<{ role: string; content: unknown }>;
    expect(JSON.stringify(messages)).toContain('I live in Mexico.');
    expect(JSON.stringify(messages)).toContain('Largest city in my country?');
  });

  it('the handshake is authenticated: a wrong key is refused before the upgrade', async () => {
    const url = `${world.gateway.baseURL.replace(/^http/, 'ws')}/v1/responses`;
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(url, { headers: { authorization: 'Bearer wrong-key' } });
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => reject(new Error('upgraded with a wrong key')));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });
});

/** The OpenAI recording predates parts of the spec (user: null): its relayed events are not validated. */
async function wsCreateUnvalidated(
  ws: ReturnType<typeof connect>,
  body: Record<string, unknown>,
): Promise<Turn> {
  const events: ResponseStreamEvent[] = [];
  const onEvent = (event: unknown): void => {
    events.push(event as ResponseStreamEvent);
  };
  ws.socket.on('event', onEvent);
  ws.socket.send({ type: 'response.create', ...body } as never);
  const deadline = Date.now() + 10_000;
  while (!events.some((e) => e.type === 'response.completed')) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  ws.socket.off('event', onEvent);
  const last = events.at(-1) as ResponseStreamEvent & { response: OpenAI.Responses.Response };
  return { events, response: last.response };
}
