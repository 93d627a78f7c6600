/**
 * openai SDK (Responses API) -> Anthropic upstream: the translated path with stored state. A recorded
 * two-turn tool loop with extended thinking (pydantic-ai-anthropic_tool_with_thinking.yaml) is replayed:
 * turn 1 streamed, turn 2 continued with previous_response_id, and the second Anthropic request must carry
 * the signed thinking block, the text and the tool_use back exactly as the recording did, then the
 * tool_result. Also: retrieve / delete / input items with pagination, replays of the stored events,
 * store=false, owner isolation, built-in tools refused, background + cancel, Conversations, input_tokens.
 */
import type OpenAI from 'openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { useStarted } from '../support/e2e-gateway.js';
import { loadCassette, requestJson } from '../support/fixtures.js';
import { anthropicJsonAsSse } from '../support/matrix-reshape.js';
import { expectValidAgainstSpec } from '../support/openapi.js';
import { sseAnswer } from '../support/upstream-answers.js';
import {
  collectStream,
  finalResponse,
  KEY_B,
  outputText,
  rawJson,
  startResponsesWorld,
} from './responses-support.js';

const TOOL_LOOP = loadCassette('anthropic-messages/pydantic-ai-anthropic_tool_with_thinking.yaml');
const TURN1 = TOOL_LOOP[0]!.response.parsed_body as Record<string, unknown>;
const TURN2 = TOOL_LOOP[1]!.response.parsed_body as Record<string, unknown>;
const TURN2_REQUEST = requestJson(TOOL_LOOP[1]!);
const THINKING = (TURN1.content as Array<Record<string, string>>)[0]!;
const CALL_ID = 'toolu_01YGzqpRE16Vricda3Aqcejo';
const MODEL = 'claude/claude-sonnet-4-0';
const TOOLS: OpenAI.Responses.FunctionTool[] = [
  {
    type: 'function',
    name: 'get_user_country',
    description: '',
    parameters: { additionalProperties: false, properties: {}, type: 'object' },
    strict: false,
  },
];
const QUESTION = 'What is the largest city in the user country?';

const world = useStarted(
  'responses world',
  () => startResponsesWorld(),
  (started) => started.stop(),
);
beforeEach(() => {
  world.anthropic.reset();
});

function answer(message: Record<string, unknown>, delayMs?: number) {
  return sseAnswer(anthropicJsonAsSse(message), delayMs ? { delayMs } : {});
}

async function firstTurn(): Promise<OpenAI.Responses.Response> {
  world.anthropic.enqueue(answer(TURN1));
  const events = await collectStream(
    await world.client.responses.create({
      model: MODEL,
      input: QUESTION,
      tools: TOOLS,
      reasoning: { effort: 'medium' },
      max_output_tokens: 4096,
      stream: true,
    }),
  );
  const response = finalResponse(events);
  expectValidAgainstSpec('Response', response);
  return response;
}

describe('responses -> anthropic: a tool loop continued with previous_response_id', () => {
  it('turn 1 streams reasoning (signature kept), text and the call; turn 2 sends Anthropic the recorded history back', async () => {
    const first = await firstTurn();
    expect(first.status).toBe('completed');
    expect(first.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    const [reasoning, , call] = first.output;
    expect(reasoning?.type === 'reasoning' && reasoning.summary[0]?.text).toBe(THINKING.thinking);
    // The signature rides in a continuation envelope, so even a stateless client could send it back.
    expect(reasoning?.type === 'reasoning' && reasoning.encrypted_content).toMatch(/^jx1\./);
    expect(call).toMatchObject({
      type: 'function_call',
      call_id: CALL_ID,
      name: 'get_user_country',
      arguments: '{}',
    });
    expect(first.usage).toMatchObject({ input_tokens: 398, output_tokens: 155 });

    world.anthropic.enqueue(answer(TURN2));
    const second = await world.client.responses.create({
      model: MODEL,
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: CALL_ID, output: 'Mexico' }],
      tools: TOOLS,
      reasoning: { effort: 'medium' },
      max_output_tokens: 4096,
    });
    expectValidAgainstSpec('Response', second);
    expect(second.previous_response_id).toBe(first.id);
    expect(outputText(second)).toContain('Mexico City');

    const sent = world.anthropic.lastBody();
    const messages = sent.messages as Array<{ role: string; content: Array<Record<string, unknown>> }>;
    const recorded = TURN2_REQUEST.messages as Array<{
      role: string;
      content: Array<Record<string, unknown>>;
    }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1]!.content).toEqual(recorded[1]!.content);
    expect(messages[2]!.content).toMatchObject([{ type: 'tool_result', tool_use_id: CALL_ID }]);
    expect(JSON.stringify(messages[2]!.content)).toContain('Mexico');
  });

  it('retrieve gives the stored Response; input_items pages through history + input; delete removes it', async () => {
    const first = await firstTurn();
    world.anthropic.enqueue(answer(TURN2));
    const second = await world.client.responses.create({
      model: MODEL,
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: CALL_ID, output: 'Mexico' }],
      tools: TOOLS,
    });

    // The SDK adds the output_text convenience to what it retrieves, not to stream events.
    const { output_text: _text, ...retrieved } = await world.client.responses.retrieve(first.id);
    expectValidAgainstSpec('Response', retrieved);
    expect(retrieved).toEqual(first);

    const all = await world.client.responses.inputItems.list(second.id, { order: 'asc' });
    expectValidAgainstSpec(
      'ResponseItemList',
      (await rawJson(world, 'GET', `/v1/responses/${second.id}/input_items`)).body,
    );
    // Turn 2's input: the question, turn 1's output (reasoning, message, call), then the tool output.
    expect(all.data.map((item) => item.type)).toEqual([
      'message',
      'reasoning',
      'message',
      'function_call',
      'function_call_output',
    ]);
    const page1 = await rawJson(world, 'GET', `/v1/responses/${second.id}/input_items?order=asc&limit=2`);
    expect(page1.body).toMatchObject({ object: 'list', has_more: true });
    const ids = (page1.body.data as Array<{ id: string }>).map((item) => item.id);
    expect(ids).toEqual(all.data.slice(0, 2).map((item) => item.id));
    const page2 = await rawJson(
      world,
      'GET',
      `/v1/responses/${second.id}/input_items?order=asc&limit=2&after=${ids[1]}`,
    );
    expect((page2.body.data as Array<{ id: string }>).map((item) => item.id)).toEqual(
      all.data.slice(2, 4).map((item) => item.id),
    );
    const newestFirst = await world.client.responses.inputItems.list(second.id);
    expect(newestFirst.data[0]?.type).toBe('function_call_output');

    await world.client.responses.delete(second.id);
    await expect(world.client.responses.retrieve(second.id)).rejects.toMatchObject({ status: 404 });
  });

  it('GET ?stream=true replays the stored events exactly, and from starting_after', async () => {
    world.anthropic.enqueue(answer(TURN1));
    const streamed = await collectStream(
      await world.client.responses.create({ model: MODEL, input: QUESTION, tools: TOOLS, stream: true }),
    );
    const id = finalResponse(streamed).id;
    const replayed = await collectStream(await world.client.responses.retrieve(id, { stream: true }));
    expect(replayed).toEqual(streamed);
    const tail = await collectStream(
      await world.client.responses.retrieve(id, { stream: true, starting_after: 5 }),
    );
    expect(tail).toEqual(streamed.filter((event) => event.sequence_number > 5));
  });

  it('store=false answers without storing', async () => {
    world.anthropic.enqueue(answer(TURN2));
    const response = await world.client.responses.create({ model: MODEL, input: 'hi', store: false });
    expect((response as unknown as { store: boolean }).store).toBe(false);
    await expect(world.client.responses.retrieve(response.id)).rejects.toMatchObject({ status: 404 });
  });

  it('a response belongs to its key: another key gets 404 everywhere', async () => {
    world.anthropic.enqueue(answer(TURN2));
    const mine = await world.client.responses.create({ model: MODEL, input: 'hi' });
    await expect(world.other.responses.retrieve(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(world.other.responses.inputItems.list(mine.id)).rejects.toMatchObject({ status: 404 });
    await expect(world.other.responses.delete(mine.id)).rejects.toMatchObject({ status: 404 });
    const continued = await rawJson(
      world,
      'POST',
      '/v1/responses',
      { model: MODEL, previous_response_id: mine.id, input: 'more' },
      KEY_B,
    );
    expect(continued.status).toBe(404);
    expect(continued.body).toMatchObject({
      error: { param: 'previous_response_id', code: 'previous_response_not_found' },
    });
    expectValidAgainstSpec('Error', continued.body.error);
    // A missing stored response is a resource 404, with OpenAI's null code (never model_not_found).
    const missing = await rawJson(world, 'GET', `/v1/responses/${mine.id}`, undefined, KEY_B);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      error: {
        message: `Response with id '${mine.id}' not found.`,
        type: 'not_found_error',
        param: null,
        code: null,
      },
    });
    expect(world.anthropic.requests).toHaveLength(1);
    // Still there for its owner.
    expect((await world.client.responses.retrieve(mine.id)).id).toBe(mine.id);
  });

  it('a built-in tool on a provider that cannot run it is a 400 naming the tool and the provider', async () => {
    const refused = await rawJson(world, 'POST', '/v1/responses', {
      model: MODEL,
      input: 'What is the news?',
      tools: [{ type: 'web_search' }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ param: 'tools[0]', code: 'unsupported_parameter' });
    expect(String((refused.body.error as { message: string }).message)).toMatch(
      /web_search.*claude \(anthropic\)/,
    );
    expect(world.anthropic.requests).toHaveLength(0);
  });

  it('background: queued at once, completed in the store; cancel stops a running one', async () => {
    world.anthropic.enqueue(answer(TURN2));
    const queued = await world.client.responses.create({ model: MODEL, input: 'hi', background: true });
    expect(queued.status).toBe('queued');
    expect(queued.background).toBe(true);
    expectValidAgainstSpec('Response', queued);
    let done = queued;
    for (let i = 0; i < 100 && (done.status === 'queued' || done.status === 'in_progress'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      done = await world.client.responses.retrieve(queued.id);
    }
    expect(done.status).toBe('completed');
    expect(done.id).toBe(queued.id);
    expect(outputText(done)).toContain('Mexico City');
    expectValidAgainstSpec('Response', done);

    // A slow answer (one SSE event every 300 ms) is cancelled while it runs.
    world.anthropic.enqueue(answer(TURN2, 300));
    const slow = await world.client.responses.create({ model: MODEL, input: 'hi', background: true });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const cancelled = await world.client.responses.cancel(slow.id);
    expect(cancelled.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await world.client.responses.retrieve(slow.id)).status).toBe('cancelled');
    // Cancelling twice is harmless; a finished foreground response cannot be cancelled.
    expect((await world.client.responses.cancel(slow.id)).status).toBe('cancelled');
    await expect(world.client.responses.cancel(done.id)).rejects.toMatchObject({ status: 400 });
    await expect(world.other.responses.cancel(slow.id)).rejects.toMatchObject({ status: 404 });
  });

  it('background + stream: the events arrive live and the result is stored', async () => {
    world.anthropic.enqueue(answer(TURN2, 20));
    const events = await collectStream(
      await world.client.responses.create({ model: MODEL, input: 'hi', background: true, stream: true }),
    );
    expect(events[0]).toMatchObject({
      type: 'response.created',
      response: { status: 'queued', background: true },
    });
    const final = finalResponse(events);
    expect(final.status).toBe('completed');
    expect((await world.client.responses.retrieve(final.id)).output).toEqual(final.output);
  });

  it('input_tokens: an estimate on a provider without a Responses counter', async () => {
    const counted = await rawJson(world, 'POST', '/v1/responses/input_tokens', {
      model: MODEL,
      input: QUESTION,
      tools: TOOLS,
    });
    expect(counted.status).toBe(200);
    expect(counted.headers.get('x-junction-token-count')).toBe('estimate');
    expectValidAgainstSpec('TokenCountsResource', counted.body);
    expect(counted.body.input_tokens).toBeGreaterThan(10);
  });
});

describe('responses -> anthropic: the Conversations API', () => {
  it('create, continue a response in it, list / get / delete items, update, delete', async () => {
    const conversation = await world.client.conversations.create({
      metadata: { topic: 'geo' },
      items: [{ type: 'message', role: 'user', content: 'I live in Mexico.' }],
    });
    expectValidAgainstSpec('ConversationResource', conversation);
    expect(conversation.metadata).toEqual({ topic: 'geo' });

    world.anthropic.enqueue(answer(TURN2));
    const response = await world.client.responses.create({
      model: MODEL,
      conversation: conversation.id,
      input: QUESTION,
    });
    expect(response.conversation).toEqual({ id: conversation.id });
    const sent = world.anthropic.lastBody().messages as Array<{ role: string; content: unknown }>;
    expect(sent.map((m) => m.role)).toEqual(['user']);
    expect(JSON.stringify(sent[0]!.content)).toContain('I live in Mexico.');
    expect(JSON.stringify(sent[0]!.content)).toContain(QUESTION);

    const items = await world.client.conversations.items.list(conversation.id, { order: 'asc' });
    expectValidAgainstSpec(
      'ConversationItemList',
      (await rawJson(world, 'GET', `/v1/conversations/${conversation.id}/items`)).body,
    );
    expect(items.data.map((item) => item.type)).toEqual(['message', 'message', 'message']);
    const answerItem = items.data[2]!;
    expect(
      await world.client.conversations.items.retrieve(answerItem.id!, { conversation_id: conversation.id }),
    ).toEqual(answerItem);

    const added = await world.client.conversations.items.create(conversation.id, {
      items: [{ type: 'message', role: 'user', content: 'Thanks!' }],
    });
    expect(added.data).toHaveLength(1);
    await world.client.conversations.items.delete(answerItem.id!, { conversation_id: conversation.id });
    const after = await world.client.conversations.items.list(conversation.id, { order: 'asc' });
    expect(after.data.map((item) => item.id)).toEqual([
      items.data[0]!.id,
      items.data[1]!.id,
      added.data[0]!.id,
    ]);

    const updated = await world.client.conversations.update(conversation.id, {
      metadata: { topic: 'cities' },
    });
    expect(updated.metadata).toEqual({ topic: 'cities' });
    await expect(world.other.conversations.retrieve(conversation.id)).rejects.toMatchObject({ status: 404 });
    const deleted = await world.client.conversations.delete(conversation.id);
    expectValidAgainstSpec('DeletedConversationResource', deleted);
    await expect(world.client.conversations.retrieve(conversation.id)).rejects.toMatchObject({ status: 404 });
  });
});
