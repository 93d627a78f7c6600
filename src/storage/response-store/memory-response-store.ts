/**
 * ResponseStore in this process's memory: the embedded default for a single node.
 *
 * Bounded by SIZE, not by count: records are kept as JSON text and the store holds at most `maxBytes` of it
 * (a long agent conversation can be megabytes while a chat turn is a few hundred bytes). When a write
 * goes over, the least recently used records (responses and conversations alike; reads count as use) are
 * evicted until it fits. A record larger than the whole budget is refused. Records also expire `ttlMs`
 * after their last write. Reads return fresh copies, so callers can never alter what is stored.
 */
import { GatewayError } from '../../core/errors.js';
import { newConversationId, nowSeconds } from './new-store-id.js';
import { paginateItems } from './paginate-items.js';
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

export interface MemoryResponseStoreOptions {
  /** Upper bound of stored JSON, in bytes. Default 256 MiB. */
  maxBytes?: number;
  /** Time to live after the last write. Default 30 days. */
  ttlMs?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

interface StoredConversationRecord extends StoredConversation {
  items: StoredItem[];
}

interface Entry {
  json: string;
  bytes: number;
  expiresAt: number;
}

const RESPONSE = 'resp:';
const CONVERSATION = 'conv:';

export class MemoryResponseStore implements ResponseStore {
  readonly maxBytes: number;
  readonly ttlMs: number;
  private readonly now: () => number;
  /** Insertion order is recency order: the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();
  private totalBytes = 0;

  constructor(options: MemoryResponseStoreOptions = {}) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.ttlMs = options.ttlMs ?? 30 * 24 * 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Bytes and records currently held (expired ones not yet swept included). */
  stats(): { bytes: number; entries: number } {
    return { bytes: this.totalBytes, entries: this.entries.size };
  }

  async put(record: StoredResponse): Promise<void> {
    this.write(RESPONSE + record.id, record);
  }

  async get(id: string, ownerKey: string): Promise<StoredResponse | undefined> {
    return this.readOwned<StoredResponse>(RESPONSE + id, ownerKey);
  }

  async delete(id: string, ownerKey: string): Promise<boolean> {
    if (!this.readOwned<StoredResponse>(RESPONSE + id, ownerKey)) return false;
    this.remove(RESPONSE + id);
    return true;
  }

  async listInputItems(
    id: string,
    ownerKey: string,
    options: ListOptions = {},
  ): Promise<ItemPage | undefined> {
    const record = this.readOwned<StoredResponse>(RESPONSE + id, ownerKey);
    return record ? paginateItems(record.inputItems, options) : undefined;
  }

  async update(
    id: string,
    ownerKey: string,
    patch: ResponsePatch,
    options: { ifStatus?: readonly StoredResponseStatus[] } = {},
  ): Promise<UpdateResult> {
    const record = this.readOwned<StoredResponse>(RESPONSE + id, ownerKey);
    if (!record) return { kind: 'not_found' };
    if (options.ifStatus && !options.ifStatus.includes(record.status)) return { kind: 'conflict', record };
    const updated: StoredResponse = { ...record, ...definedFields(patch) };
    this.write(RESPONSE + id, updated, { keepExpiry: true });
    return { kind: 'updated', record: structuredClone(updated) };
  }

  async createConversation(
    ownerKey: string,
    conversation: NewConversation = {},
  ): Promise<StoredConversation> {
    const record: StoredConversationRecord = {
      id: conversation.id ?? newConversationId(),
      ownerKey,
      createdAt: conversation.createdAt ?? nowSeconds(),
      metadata: conversation.metadata ?? {},
      items: [...(conversation.items ?? [])],
    };
    this.write(CONVERSATION + record.id, record);
    return withoutItems(record);
  }

  async getConversation(id: string, ownerKey: string): Promise<StoredConversation | undefined> {
    const record = this.readOwned<StoredConversationRecord>(CONVERSATION + id, ownerKey);
    return record ? withoutItems(record) : undefined;
  }

  async updateConversation(
    id: string,
    ownerKey: string,
    metadata: Record<string, string>,
  ): Promise<StoredConversation | undefined> {
    const record = this.readOwned<StoredConversationRecord>(CONVERSATION + id, ownerKey);
    if (!record) return undefined;
    record.metadata = { ...metadata };
    this.write(CONVERSATION + id, record);
    return withoutItems(record);
  }

  async deleteConversation(id: string, ownerKey: string): Promise<boolean> {
    if (!this.readOwned<StoredConversationRecord>(CONVERSATION + id, ownerKey)) return false;
    this.remove(CONVERSATION + id);
    return true;
  }

  async appendConversationItems(
    id: string,
    ownerKey: string,
    items: readonly StoredItem[],
  ): Promise<boolean> {
    const record = this.readOwned<StoredConversationRecord>(CONVERSATION + id, ownerKey);
    if (!record) return false;
    record.items.push(...items);
    this.write(CONVERSATION + id, record);
    return true;
  }

  async listConversationItems(
    id: string,
    ownerKey: string,
    options: ListOptions = {},
  ): Promise<ItemPage | undefined> {
    const record = this.readOwned<StoredConversationRecord>(CONVERSATION + id, ownerKey);
    return record ? paginateItems(record.items, options) : undefined;
  }

  async allConversationItems(id: string, ownerKey: string): Promise<StoredItem[] | undefined> {
    return this.readOwned<StoredConversationRecord>(CONVERSATION + id, ownerKey)?.items;
  }

  async getConversationItem(id: string, itemId: string, ownerKey: string): Promise<StoredItem | undefined> {
    const record = this.readOwned<StoredConversationRecord>(CONVERSATION + id, ownerKey);
    return record?.items.find((item) => item.id === itemId);
  }

  async deleteConversationItem(id: string, itemId: string, ownerKey: string): Promise<boolean> {
    const record = this.readOwned<StoredConversationRecord>(CONVERSATION + id, ownerKey);
    if (!record) return false;
    const index = record.items.findIndex((item) => item.id === itemId);
    if (index < 0) return false;
    record.items.splice(index, 1);
    this.write(CONVERSATION + id, record);
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.totalBytes = 0;
  }

  /** A fresh copy of the value under `key` when it exists, has not expired and belongs to `ownerKey`. */
  private readOwned<T extends { ownerKey: string }>(key: string, ownerKey: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(key);
      return undefined;
    }
    const value = JSON.parse(entry.json) as T;
    if (value.ownerKey !== ownerKey) return undefined;
    // Most recently used goes to the end.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return value;
  }

  private write(key: string, value: unknown, options: { keepExpiry?: boolean } = {}): void {
    const json = JSON.stringify(value);
    const bytes = Buffer.byteLength(json, 'utf8') + key.length;
    if (bytes > this.maxBytes) {
      throw new GatewayError(
        'payload_too_large',
        `Response store: a record of ${bytes} bytes exceeds the store's limit of ${this.maxBytes} bytes`,
      );
    }
    const previous = this.entries.get(key);
    const now = this.now();
    const expiresAt = options.keepExpiry && previous ? previous.expiresAt : now + this.ttlMs;
    this.remove(key);
    this.entries.set(key, { json, bytes, expiresAt });
    this.totalBytes += bytes;
    this.evict(now);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }

  /** Drops expired records, then the least recently used ones until the total fits. */
  private evict(now: number): void {
    if (this.totalBytes <= this.maxBytes) return;
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.remove(key);
    }
    for (const key of this.entries.keys()) {
      if (this.totalBytes <= this.maxBytes) return;
      this.remove(key);
    }
  }
}

function withoutItems(record: StoredConversationRecord): StoredConversation {
  const { items: _items, ...conversation } = record;
  return conversation;
}

/** The patch without keys explicitly set to undefined (they would erase fields). */
function definedFields(patch: ResponsePatch): ResponsePatch {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== undefined),
  ) as ResponsePatch;
}
