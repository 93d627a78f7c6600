/**
 * The one behaviour every ResponseStore backend must show. Backends run it from their own test file with
 * a harness that opens `count` stores over one shared state (separate connections for Redis, as separate
 * gateway nodes would have). Every test uses fresh ids, so backends need no reset between tests.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResponseStore, StoredItem, StoredResponse } from './response-store.js';

export interface ResponseStoreHarness {
  /** Opens `count` stores over the same shared state; `ttlMs` overrides the TTL. */
  open(count: number, options?: { ttlMs?: number }): Promise<ResponseStore[]>;
  /** Closes what open() created and deletes what the tests wrote. */
  cleanup(): Promise<void>;
}

const OWNER = 'key-alice';
const OTHER = 'key-mallory';

function item(id: string, text = `text of ${id}`): StoredItem {
  return { id, type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text }] };
}

function record(overrides: Partial<StoredResponse> = {}): StoredResponse {
  const id = `resp_${randomUUID().replaceAll('-', '')}`;
  return {
    id,
    ownerKey: OWNER,
    createdAt: 1_700_000_000,
    status: 'completed',
    response: { id, object: 'response', status: 'completed', output: [], metadata: {}, tools: [] },
    inputItems: ['a', 'b', 'c', 'd', 'e'].map((letter) => item(`msg_${letter}`)),
    outputItems: [
      { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'jx1.eyJ2IjoxfQ' },
      {
        id: 'fc_1',
        type: 'function_call',
        call_id: 'call_1',
        name: 'f',
        arguments: '{}',
        status: 'completed',
      },
    ],
    streamEvents: [{ type: 'response.created', sequence_number: 0 }],
    meta: { provider: 'anthropic', model: 'claude' },
    ...overrides,
  };
}

const ids = (page: { data: StoredItem[] } | undefined): string[] => (page?.data ?? []).map((i) => i.id);

export function responseStoreContract(name: string, harness: ResponseStoreHarness): void {
  const one = async (): Promise<ResponseStore> => (await harness.open(1))[0]!;

  describe(`${name}: ResponseStore contract`, () => {
    afterAll(() => harness.cleanup());

    describe('responses', () => {
      it('stores and returns a record exactly, from another node too', async () => {
        const [a, b] = await harness.open(2);
        const stored = record({
          conversationId: 'conv_1',
          // Unicode, empty arrays and nested empties must survive as they are.
          response: { id: 'x', output: [], text: 'naïve — 日本語 🚀', nested: { empty: {}, list: [[]] } },
        });
        await a!.put(stored);
        expect(await b!.get(stored.id, OWNER)).toEqual(stored);
        expect(await a!.get(stored.id, OWNER)).toEqual(stored);
      });

      it('returns copies: changing a returned record changes nothing stored', async () => {
        const store = await one();
        const stored = record();
        await store.put(stored);
        const first = (await store.get(stored.id, OWNER))!;
        first.inputItems.push(item('msg_z'));
        (first.response as { status: string }).status = 'failed';
        expect(await store.get(stored.id, OWNER)).toEqual(stored);
      });

      it('isolates owners: another key sees, lists, updates and deletes nothing', async () => {
        const store = await one();
        const stored = record();
        await store.put(stored);
        expect(await store.get(stored.id, OTHER)).toBeUndefined();
        expect(await store.listInputItems(stored.id, OTHER)).toBeUndefined();
        expect(await store.update(stored.id, OTHER, { status: 'cancelled' })).toEqual({ kind: 'not_found' });
        expect(await store.delete(stored.id, OTHER)).toBe(false);
        expect(await store.get(stored.id, OWNER)).toEqual(stored);
      });

      it('deletes', async () => {
        const store = await one();
        const stored = record();
        await store.put(stored);
        expect(await store.delete(stored.id, OWNER)).toBe(true);
        expect(await store.get(stored.id, OWNER)).toBeUndefined();
        expect(await store.delete(stored.id, OWNER)).toBe(false);
        expect(await store.get('resp_never', OWNER)).toBeUndefined();
      });

      it('replaces a record on put', async () => {
        const store = await one();
        const stored = record({ status: 'in_progress' });
        await store.put(stored);
        const done = { ...stored, status: 'completed' as const, outputItems: [] };
        await store.put(done);
        expect(await store.get(stored.id, OWNER)).toEqual(done);
      });

      it('pages input items by cursor in both orders', async () => {
        const store = await one();
        const stored = record();
        await store.put(stored);
        const list = (options: Parameters<ResponseStore['listInputItems']>[2]) =>
          store.listInputItems(stored.id, OWNER, options);
        // Default: newest first, 20 per page.
        const all = await list({});
        expect(ids(all)).toEqual(['msg_e', 'msg_d', 'msg_c', 'msg_b', 'msg_a']);
        expect(all).toMatchObject({ hasMore: false, firstId: 'msg_e', lastId: 'msg_a' });
        expect(all!.data[0]).toEqual(item('msg_e'));
        const first = await list({ order: 'asc', limit: 2 });
        expect(first).toMatchObject({ hasMore: true, firstId: 'msg_a', lastId: 'msg_b' });
        const second = await list({ order: 'asc', limit: 2, after: first!.lastId! });
        expect(ids(second)).toEqual(['msg_c', 'msg_d']);
        expect(second!.hasMore).toBe(true);
        const third = await list({ order: 'asc', limit: 2, after: second!.lastId! });
        expect(ids(third)).toEqual(['msg_e']);
        expect(third!.hasMore).toBe(false);
        expect(ids(await list({ order: 'desc', after: 'msg_c' }))).toEqual(['msg_b', 'msg_a']);
        expect(await list({ order: 'asc', before: 'msg_d', limit: 2 })).toMatchObject({ hasMore: true });
        expect(ids(await list({ order: 'asc', before: 'msg_d', limit: 2 }))).toEqual(['msg_b', 'msg_c']);
        expect(ids(await list({ order: 'asc', after: 'msg_a', before: 'msg_e' }))).toEqual([
          'msg_b',
          'msg_c',
          'msg_d',
        ]);
        expect(await list({ after: 'msg_unknown' })).toEqual({
          data: [],
          hasMore: false,
          firstId: null,
          lastId: null,
        });
        expect(ids(await list({ limit: 1000 }))).toHaveLength(5);
        expect(await store.listInputItems('resp_never', OWNER)).toBeUndefined();
      });

      it('updates fields, and guards a background cancel with ifStatus', async () => {
        const [a, b] = await harness.open(2);
        const stored = record({ status: 'in_progress', outputItems: [] });
        await a!.put(stored);
        const cancelled = await b!.update(
          stored.id,
          OWNER,
          { status: 'cancelled', response: { ...stored.response, status: 'cancelled' } },
          { ifStatus: ['queued', 'in_progress'] },
        );
        expect(cancelled.kind).toBe('updated');
        expect(await a!.get(stored.id, OWNER)).toMatchObject({
          status: 'cancelled',
          response: { status: 'cancelled' },
          inputItems: stored.inputItems,
        });
        // The run finishing afterwards must not overwrite the cancel.
        const late = await a!.update(
          stored.id,
          OWNER,
          { status: 'completed' },
          { ifStatus: ['queued', 'in_progress'] },
        );
        expect(late.kind).toBe('conflict');
        expect(late.kind === 'conflict' && late.record.status).toBe('cancelled');
        // Unconditional updates of the body keep the other fields.
        const output = [item('msg_out')];
        const patched = await a!.update(stored.id, OWNER, { outputItems: output, meta: { note: 'x' } });
        expect(patched).toEqual({
          kind: 'updated',
          record: {
            ...stored,
            status: 'cancelled',
            response: { ...stored.response, status: 'cancelled' },
            outputItems: output,
            meta: { note: 'x' },
          },
        });
        expect(await b!.get(stored.id, OWNER)).toEqual(
          patched.kind === 'updated' ? patched.record : undefined,
        );
        expect(await a!.update('resp_never', OWNER, { status: 'failed' })).toEqual({ kind: 'not_found' });
      });

      it('expires records after the TTL', async () => {
        const [store] = await harness.open(1, { ttlMs: 150 });
        const stored = record();
        await store!.put(stored);
        expect(await store!.get(stored.id, OWNER)).toEqual(stored);
        await new Promise((resolve) => setTimeout(resolve, 400));
        expect(await store!.get(stored.id, OWNER)).toBeUndefined();
      });
    });

    describe('conversations', () => {
      it('creates, reads from another node, and isolates owners', async () => {
        const [a, b] = await harness.open(2);
        const created = await a!.createConversation(OWNER, {
          items: [item('msg_1'), item('msg_2')],
          metadata: { topic: 'demo' },
          createdAt: 1_700_000_123,
        });
        expect(created).toMatchObject({
          ownerKey: OWNER,
          metadata: { topic: 'demo' },
          createdAt: 1_700_000_123,
        });
        expect(created.id).toMatch(/^conv_[0-9a-f]{48}$/);
        expect(await b!.getConversation(created.id, OWNER)).toEqual(created);
        expect(await b!.getConversation(created.id, OTHER)).toBeUndefined();
        expect(await b!.listConversationItems(created.id, OTHER)).toBeUndefined();
        expect(await b!.allConversationItems(created.id, OTHER)).toBeUndefined();
        expect(await b!.getConversationItem(created.id, 'msg_1', OTHER)).toBeUndefined();
        expect(await b!.appendConversationItems(created.id, OTHER, [item('msg_x')])).toBe(false);
        expect(await b!.deleteConversationItem(created.id, 'msg_1', OTHER)).toBe(false);
        expect(await b!.updateConversation(created.id, OTHER, { topic: 'stolen' })).toBeUndefined();
        expect(await b!.deleteConversation(created.id, OTHER)).toBe(false);
        expect(await a!.allConversationItems(created.id, OWNER)).toEqual([item('msg_1'), item('msg_2')]);
      });

      it('appends from several nodes, pages, gets and deletes items', async () => {
        const [a, b] = await harness.open(2);
        const { id } = await a!.createConversation(OWNER, { items: [item('msg_1')] });
        expect(await b!.appendConversationItems(id, OWNER, [item('msg_2'), item('msg_3')])).toBe(true);
        expect(await a!.appendConversationItems(id, OWNER, [item('msg_4')])).toBe(true);
        expect(ids(await a!.listConversationItems(id, OWNER, { order: 'asc' }))).toEqual([
          'msg_1',
          'msg_2',
          'msg_3',
          'msg_4',
        ]);
        const page = await b!.listConversationItems(id, OWNER, { limit: 3 });
        expect(ids(page)).toEqual(['msg_4', 'msg_3', 'msg_2']);
        expect(page).toMatchObject({ hasMore: true, firstId: 'msg_4', lastId: 'msg_2' });
        expect(ids(await b!.listConversationItems(id, OWNER, { limit: 3, after: 'msg_2' }))).toEqual([
          'msg_1',
        ]);
        expect(await a!.getConversationItem(id, 'msg_3', OWNER)).toEqual(item('msg_3'));
        expect(await a!.getConversationItem(id, 'msg_none', OWNER)).toBeUndefined();
        expect(await b!.deleteConversationItem(id, 'msg_2', OWNER)).toBe(true);
        expect(await b!.deleteConversationItem(id, 'msg_2', OWNER)).toBe(false);
        expect(await a!.allConversationItems(id, OWNER)).toEqual([
          item('msg_1'),
          item('msg_3'),
          item('msg_4'),
        ]);
        expect(ids(await a!.listConversationItems('conv_never', OWNER))).toEqual([]);
        expect(await a!.listConversationItems('conv_never', OWNER)).toBeUndefined();
      });

      it('starts empty, updates metadata, and deletes', async () => {
        const store = await one();
        const created = await store.createConversation(OWNER);
        expect(created.metadata).toEqual({});
        expect(await store.listConversationItems(created.id, OWNER)).toEqual({
          data: [],
          hasMore: false,
          firstId: null,
          lastId: null,
        });
        const updated = await store.updateConversation(created.id, OWNER, { a: '1' });
        expect(updated).toEqual({ ...created, metadata: { a: '1' } });
        expect(await store.getConversation(created.id, OWNER)).toEqual(updated);
        expect(await store.deleteConversation(created.id, OWNER)).toBe(true);
        expect(await store.getConversation(created.id, OWNER)).toBeUndefined();
        expect(await store.allConversationItems(created.id, OWNER)).toBeUndefined();
        expect(await store.deleteConversation(created.id, OWNER)).toBe(false);
      });
    });
  });
}
