import { describe, expect, it } from 'vitest';
import { decodeResponsesRequest } from '../dialects/openai-responses/openai-responses-dialect.js';
import { MemoryResponseStore } from '../storage/response-store/memory-response-store.js';
import type { StoredItem } from '../storage/response-store/response-store.js';
import { prepareTurn, recordTurn } from './responses-turn.js';

const OWNER = 'team-a';

function store(): MemoryResponseStore {
  return new MemoryResponseStore();
}

const question: StoredItem = {
  id: 'msg_q',
  type: 'message',
  role: 'user',
  status: 'completed',
  content: [{ type: 'input_text', text: 'Capital of France?' }],
};
const call: StoredItem = {
  id: 'fc_1',
  type: 'function_call',
  status: 'completed',
  call_id: 'call_1',
  name: 'capital',
  arguments: '{"country":"France"}',
};

async function stored(responseStore: MemoryResponseStore, id = 'resp_1'): Promise<void> {
  await responseStore.put({
    id,
    ownerKey: OWNER,
    createdAt: 1,
    status: 'completed',
    response: { id, object: 'response', status: 'completed', output: [call] },
    inputItems: [question],
    outputItems: [call],
  });
}

describe('prepareTurn', () => {
  it('previous_response_id: history = stored input + output; canonical and relay body rebuilt', async () => {
    const responseStore = store();
    await stored(responseStore);
    const turn = await prepareTurn(
      decodeResponsesRequest({
        model: 'm',
        previous_response_id: 'resp_1',
        input: [{ type: 'function_call_output', call_id: 'call_1', output: 'Paris' }],
      }),
      { store: responseStore, ownerKey: OWNER },
    );
    expect(turn.history).toEqual([question, call]);
    expect(turn.decoded.canonical.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(turn.decoded.canonical.messages[1]!.content).toEqual([
      { type: 'tool-call', id: 'call_1', name: 'capital', arguments: '{"country":"France"}' },
    ]);
    expect(turn.decoded.body).not.toHaveProperty('previous_response_id');
    expect((turn.decoded.body.input as unknown[]).length).toBe(3);
    expect(turn.inputItems).toMatchObject([
      { type: 'function_call_output', call_id: 'call_1', status: 'completed' },
    ]);
    expect(turn.inputItems[0]!.id).toMatch(/^fco_/);
    expect(turn.responseId).toMatch(/^resp_/);
  });

  it('another owner, or an unknown id: 404 previous_response_not_found', async () => {
    const responseStore = store();
    await stored(responseStore);
    const decoded = decodeResponsesRequest({ model: 'm', previous_response_id: 'resp_1', input: 'x' });
    await expect(prepareTurn(decoded, { store: responseStore, ownerKey: 'team-b' })).rejects.toMatchObject({
      status: 404,
      code: 'previous_response_not_found',
      param: 'previous_response_id',
    });
  });

  it('a socket cache is looked up first (store=false turns)', async () => {
    const turn = await prepareTurn(
      decodeResponsesRequest({ model: 'm', previous_response_id: 'resp_ws', input: 'next' }),
      {
        store: store(),
        ownerKey: OWNER,
        cache: { get: (id) => (id === 'resp_ws' ? { items: [question] } : undefined), set: () => undefined },
      },
    );
    expect(turn.history).toEqual([question]);
  });

  it('item_reference resolved against the history, and no longer unmodeled', async () => {
    const responseStore = store();
    await stored(responseStore);
    const turn = await prepareTurn(
      decodeResponsesRequest({
        model: 'm',
        previous_response_id: 'resp_1',
        input: [{ type: 'item_reference', id: 'msg_q' }],
      }),
      { store: responseStore, ownerKey: OWNER },
    );
    expect(turn.decoded.unmodeled).toEqual([]);
    expect(turn.inputItems[0]).toMatchObject({ id: 'msg_q', type: 'message' });
    await expect(
      prepareTurn(decodeResponsesRequest({ model: 'm', input: [{ type: 'item_reference', id: 'nope' }] }), {
        store: responseStore,
        ownerKey: OWNER,
      }),
    ).rejects.toMatchObject({ status: 400, param: 'input[0]' });
  });

  it('previous_response_id and conversation together are a 400', async () => {
    await expect(
      prepareTurn(
        decodeResponsesRequest({ model: 'm', previous_response_id: 'a', conversation: 'conv_1', input: 'x' }),
        {
          store: store(),
          ownerKey: OWNER,
        },
      ),
    ).rejects.toMatchObject({ status: 400, param: 'conversation' });
  });

  it('conversation: its items are the history; recordTurn appends input and output', async () => {
    const responseStore = store();
    const conversation = await responseStore.createConversation(OWNER, { items: [question] });
    const turn = await prepareTurn(
      decodeResponsesRequest({ model: 'm', conversation: conversation.id, input: 'And Spain?' }),
      {
        store: responseStore,
        ownerKey: OWNER,
      },
    );
    expect(turn.decoded.canonical.messages.map((m) => m.role)).toEqual(['user', 'user']);
    expect(turn.decoded.body).not.toHaveProperty('conversation');
    const answer = { id: 'msg_a', type: 'message', role: 'assistant', status: 'completed', content: [] };
    const record = await recordTurn(responseStore, turn, {
      id: turn.responseId,
      status: 'completed',
      output: [answer],
    });
    expect(record?.response.conversation).toEqual({ id: conversation.id });
    const items = await responseStore.allConversationItems(conversation.id, OWNER);
    expect(items?.map((item) => item.id)).toEqual(['msg_q', turn.inputItems[0]!.id, 'msg_a']);
  });

  it('store=false: recordTurn stores nothing', async () => {
    const responseStore = store();
    const turn = await prepareTurn(decodeResponsesRequest({ model: 'm', store: false, input: 'x' }), {
      store: responseStore,
      ownerKey: OWNER,
    });
    expect(
      await recordTurn(responseStore, turn, { id: turn.responseId, status: 'completed', output: [] }),
    ).toBeUndefined();
    expect(await responseStore.get(turn.responseId, OWNER)).toBeUndefined();
  });
});
