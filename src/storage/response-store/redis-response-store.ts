/**
 * ResponseStore on Redis (or Valkey), shared by every gateway node: a response stored by one node is
 * continued, listed or cancelled by another.
 *
 * Layout (every key expires `ttlMs` after its last write; `{id}` is a hash tag so one record's keys share a
 * Redis Cluster slot):
 *   <prefix>resp:{<id>}             HASH  owner, status, record (JSON of the rest of StoredResponse)
 *   <prefix>conv:{<id>}             HASH  owner, meta (JSON {id, createdAt, metadata})
 *   <prefix>conv:{<id>}:order       LIST  item ids in conversation order
 *   <prefix>conv:{<id>}:items       HASH  item id -> item JSON
 *
 * Owner checks and conditional updates run inside Lua scripts so they are atomic across nodes. JSON is
 * never decoded in Lua (cjson would turn empty arrays into objects); scripts only move strings.
 */
import type { Redis } from 'ioredis';
import { luaScript, runScript } from '../redis/run-script.js';
import { newConversationId, nowSeconds } from './new-store-id.js';
import { pageIndexes, paginateItems, toPage } from './paginate-items.js';
import type {
  ItemPage,
  ListOptions,
  NewConversation,
  ResponsePatch,
  ResponseStore,
  StoredConversation,
  StoredItem,
  StoredResponse,
  StoredResponseStatus,
  UpdateResult,
} from './response-store.js';

export interface RedisResponseStoreOptions {
  /** Prepended to every key, e.g. "junction:". */
  keyPrefix?: string;
  /** Time to live after the last write. Default 30 days. */
  ttlMs?: number;
  /** Whether close() quits the client (false when the client is shared with other stores). */
  ownsClient?: boolean;
}

/** KEYS[1] the record's owner hash, then its other keys; ARGV owner. Deletes when owned: 1, else 0. */
const DELETE_OWNED_SOURCE = `if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
   redis.call('DEL', unpack(KEYS))
   return 1`;
const DELETE_RESPONSE = luaScript(DELETE_OWNED_SOURCE, 1);
const DELETE_CONVERSATION = luaScript(DELETE_OWNED_SOURCE, 3);

/**
 * KEYS[1] response; ARGV owner, newStatus ('' = keep), newRecord ('' = keep), then allowed statuses.
 * Returns {0} not found, {2, status, record} conflict, {1} updated.
 */
const UPDATE_RESPONSE = luaScript(
  `local current = redis.call('HMGET', KEYS[1], 'owner', 'status', 'record')
   if current[1] ~= ARGV[1] then return {0} end
   if #ARGV > 3 then
     local allowed = false
     for i = 4, #ARGV do if current[2] == ARGV[i] then allowed = true end end
     if not allowed then return {2, current[2], current[3]} end
   end
   if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'status', ARGV[2]) end
   if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'record', ARGV[3]) end
   return {1}`,
  1,
);

/** KEYS conversation, order, items; ARGV owner, ttlMs, then id/json pairs. 1 appended, 0 not found. */
const APPEND_ITEMS = luaScript(
  `if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
   for i = 3, #ARGV, 2 do
     redis.call('RPUSH', KEYS[2], ARGV[i])
     redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
   end
   for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
   return 1`,
  3,
);

/** KEYS conversation, order, items; ARGV owner, item id, ttlMs. 1 deleted, 0 not found. */
const DELETE_ITEM = luaScript(
  `if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
   if redis.call('HDEL', KEYS[3], ARGV[2]) == 0 then return 0 end
   redis.call('LREM', KEYS[2], 0, ARGV[2])
   for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
   return 1`,
  3,
);

/** KEYS conversation, order, items; ARGV owner, meta JSON, ttlMs. 1 updated, 0 not found. */
const UPDATE_CONVERSATION = luaScript(
  `if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
   redis.call('HSET', KEYS[1], 'meta', ARGV[2])
   for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
   return 1`,
  3,
);

type ResponseBody = Omit<StoredResponse, 'id' | 'ownerKey' | 'status'>;
type ConversationMeta = Omit<StoredConversation, 'ownerKey'>;

export class RedisResponseStore implements ResponseStore {
  private readonly prefix: string;
  readonly ttlMs: number;
  private readonly ownsClient: boolean;

  constructor(
    private readonly redis: Redis,
    options: RedisResponseStoreOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'junction:';
    this.ttlMs = options.ttlMs ?? 30 * 24 * 60 * 60 * 1000;
    this.ownsClient = options.ownsClient ?? true;
  }

  async put(record: StoredResponse): Promise<void> {
    const key = this.responseKey(record.id);
    const { id: _id, ownerKey, status, ...body } = record;
    await this.redis
      .multi()
      .del(key)
      .hset(key, 'owner', ownerKey, 'status', status, 'record', JSON.stringify(body))
      .pexpire(key, this.ttlMs)
      .exec()
      .then(throwOnMultiError);
  }

  async get(id: string, ownerKey: string): Promise<StoredResponse | undefined> {
    const [owner, status, record] = await this.redis.hmget(this.responseKey(id), 'owner', 'status', 'record');
    if (owner !== ownerKey || status == null || record == null) return undefined;
    return { id, ownerKey, status: status as StoredResponseStatus, ...(JSON.parse(record) as ResponseBody) };
  }

  async delete(id: string, ownerKey: string): Promise<boolean> {
    return (await runScript(this.redis, DELETE_RESPONSE, [this.responseKey(id)], [ownerKey])) === 1;
  }

  async listInputItems(
    id: string,
    ownerKey: string,
    options: ListOptions = {},
  ): Promise<ItemPage | undefined> {
    const record = await this.get(id, ownerKey);
    return record ? paginateItems(record.inputItems, options) : undefined;
  }

  async update(
    id: string,
    ownerKey: string,
    patch: ResponsePatch,
    options: { ifStatus?: readonly StoredResponseStatus[] } = {},
  ): Promise<UpdateResult> {
    // The body is rewritten from a read; `ifStatus` guards the races that matter (cancel vs. completion, a
    // reader failing an abandoned response vs. its node), and the node running a response serialises its
    // own writes (http/responses-background.ts).
    const current = await this.get(id, ownerKey);
    if (!current) return { kind: 'not_found' };
    const { status, ...bodyPatch } = definedFields(patch);
    const hasBody = Object.keys(bodyPatch).length > 0;
    const updated: StoredResponse = { ...current, ...bodyPatch, ...(status ? { status } : {}) };
    const { id: _id, ownerKey: _owner, status: _status, ...body } = updated;
    const reply = (await runScript(
      this.redis,
      UPDATE_RESPONSE,
      [this.responseKey(id)],
      [ownerKey, status ?? '', hasBody ? JSON.stringify(body) : '', ...(options.ifStatus ?? [])],
    )) as [number, string?, string?];
    if (reply[0] === 0) return { kind: 'not_found' };
    if (reply[0] === 2) {
      const record: StoredResponse = {
        id,
        ownerKey,
        status: reply[1] as StoredResponseStatus,
        ...(JSON.parse(reply[2]!) as ResponseBody),
      };
      return { kind: 'conflict', record };
    }
    return { kind: 'updated', record: updated };
  }

  async createConversation(
    ownerKey: string,
    conversation: NewConversation = {},
  ): Promise<StoredConversation> {
    const meta: ConversationMeta = {
      id: conversation.id ?? newConversationId(),
      createdAt: conversation.createdAt ?? nowSeconds(),
      metadata: conversation.metadata ?? {},
    };
    const [key, order, items] = this.conversationKeys(meta.id);
    const multi = this.redis
      .multi()
      .del(key, order, items)
      .hset(key, 'owner', ownerKey, 'meta', JSON.stringify(meta));
    const initial = conversation.items ?? [];
    if (initial.length > 0) {
      multi.rpush(order, ...initial.map((item) => item.id));
      multi.hset(items, ...initial.flatMap((item) => [item.id, JSON.stringify(item)]));
    }
    for (const k of [key, order, items]) multi.pexpire(k, this.ttlMs);
    await multi.exec().then(throwOnMultiError);
    return { ...meta, ownerKey };
  }

  async getConversation(id: string, ownerKey: string): Promise<StoredConversation | undefined> {
    const [owner, meta] = await this.redis.hmget(this.conversationKeys(id)[0], 'owner', 'meta');
    if (owner !== ownerKey || meta == null) return undefined;
    return { ...(JSON.parse(meta) as ConversationMeta), ownerKey };
  }

  async updateConversation(
    id: string,
    ownerKey: string,
    metadata: Record<string, string>,
  ): Promise<StoredConversation | undefined> {
    const current = await this.getConversation(id, ownerKey);
    if (!current) return undefined;
    const meta: ConversationMeta = { id, createdAt: current.createdAt, metadata: { ...metadata } };
    const done = await runScript(this.redis, UPDATE_CONVERSATION, this.conversationKeys(id), [
      ownerKey,
      JSON.stringify(meta),
      String(this.ttlMs),
    ]);
    return done === 1 ? { ...meta, ownerKey } : undefined;
  }

  async deleteConversation(id: string, ownerKey: string): Promise<boolean> {
    return (await runScript(this.redis, DELETE_CONVERSATION, this.conversationKeys(id), [ownerKey])) === 1;
  }

  async appendConversationItems(
    id: string,
    ownerKey: string,
    items: readonly StoredItem[],
  ): Promise<boolean> {
    const pairs = items.flatMap((item) => [item.id, JSON.stringify(item)]);
    const done = await runScript(this.redis, APPEND_ITEMS, this.conversationKeys(id), [
      ownerKey,
      String(this.ttlMs),
      ...pairs,
    ]);
    return done === 1;
  }

  async listConversationItems(
    id: string,
    ownerKey: string,
    options: ListOptions = {},
  ): Promise<ItemPage | undefined> {
    const [key, order, items] = this.conversationKeys(id);
    const [owner, ids] = await this.ownerAndIds(key, order);
    if (owner !== ownerKey) return undefined;
    const { indexes, hasMore } = pageIndexes(ids, options);
    if (indexes.length === 0) return toPage([], hasMore);
    const values = await this.redis.hmget(items, ...indexes.map((i) => ids[i]!));
    return toPage(parseItems(values), hasMore);
  }

  async allConversationItems(id: string, ownerKey: string): Promise<StoredItem[] | undefined> {
    const [key, order, items] = this.conversationKeys(id);
    const [owner, ids] = await this.ownerAndIds(key, order);
    if (owner !== ownerKey) return undefined;
    if (ids.length === 0) return [];
    return parseItems(await this.redis.hmget(items, ...ids));
  }

  async getConversationItem(id: string, itemId: string, ownerKey: string): Promise<StoredItem | undefined> {
    const [key, , items] = this.conversationKeys(id);
    const replies = await this.redis
      .multi()
      .hget(key, 'owner')
      .hget(items, itemId)
      .exec()
      .then(throwOnMultiError);
    if (replies[0] !== ownerKey || typeof replies[1] !== 'string') return undefined;
    return JSON.parse(replies[1]) as StoredItem;
  }

  async deleteConversationItem(id: string, itemId: string, ownerKey: string): Promise<boolean> {
    const done = await runScript(this.redis, DELETE_ITEM, this.conversationKeys(id), [
      ownerKey,
      itemId,
      String(this.ttlMs),
    ]);
    return done === 1;
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.redis.quit();
  }

  private responseKey(id: string): string {
    return `${this.prefix}resp:{${id}}`;
  }

  private conversationKeys(id: string): [string, string, string] {
    const base = `${this.prefix}conv:{${id}}`;
    return [base, `${base}:order`, `${base}:items`];
  }

  private async ownerAndIds(key: string, order: string): Promise<[string | null, string[]]> {
    const replies = await this.redis
      .multi()
      .hget(key, 'owner')
      .lrange(order, 0, -1)
      .exec()
      .then(throwOnMultiError);
    return [(replies[0] as string | null) ?? null, (replies[1] as string[] | null) ?? []];
  }
}

function parseItems(values: Array<string | null>): StoredItem[] {
  return values
    .filter((value): value is string => value !== null)
    .map((value) => JSON.parse(value) as StoredItem);
}

/** MULTI replies as values; the first command error is thrown. */
function throwOnMultiError(results: Array<[Error | null, unknown]> | null): unknown[] {
  if (!results) throw new Error('Redis transaction aborted');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

function definedFields(patch: ResponsePatch): ResponsePatch {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as ResponsePatch;
}
