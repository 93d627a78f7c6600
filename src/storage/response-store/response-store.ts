/**
 * Where Junction keeps Responses API state: stored responses (for `GET /v1/responses/{id}`,
 * `previous_response_id`, `?stream=true` replays, background cancel) and conversations (the Conversations
 * API that `conversation` refers to). Items are wire JSON (Responses items with an `id`), stored as given:
 * the store never interprets them.
 *
 * Ownership: every record belongs to the key that created it (`ownerKey`). Reading, listing, updating or
 * deleting with another owner behaves exactly like a missing record (undefined / false / not_found), so the
 * route answers 404 and never reveals that the id exists.
 *
 * Backends: memory (bounded LRU by bytes, TTL; one node) and Redis (TTL per record; shared by every node).
 * Both run response-store.contract.ts.
 */

export type StoredResponseStatus =
  | 'completed'
  | 'failed'
  | 'in_progress'
  | 'cancelled'
  | 'queued'
  | 'incomplete';

/** A wire item with the id it is listed and looked up by. */
export type StoredItem = Record<string, unknown> & { id: string };

export interface StoredResponse {
  /** `resp_…` */
  id: string;
  /** The identity of the API key that created it (e.g. its configured name). */
  ownerKey: string;
  /** Unix seconds. */
  createdAt: number;
  status: StoredResponseStatus;
  /** The Response object as returned to the client. */
  response: Record<string, unknown>;
  /**
   * Everything needed to rebuild this turn's input: the items of earlier turns (their input and output,
   * references resolved) followed by this request's own input items. The next turn's history is
   * `inputItems` + `outputItems`, whichever provider serves it.
   */
  inputItems: StoredItem[];
  outputItems: StoredItem[];
  /** The stream events as emitted, for `?stream=true` replays. */
  streamEvents?: Array<Record<string, unknown>>;
  conversationId?: string;
  /** Route-side facts worth keeping (the provider and model that served it, the request's instructions...). */
  meta?: Record<string, unknown>;
}

export type ResponsePatch = Partial<
  Pick<StoredResponse, 'status' | 'response' | 'outputItems' | 'streamEvents' | 'meta'>
>;

export type UpdateResult =
  | { kind: 'updated'; record: StoredResponse }
  /** `ifStatus` did not match: nothing changed; `record` is the current state. */
  | { kind: 'conflict'; record: StoredResponse }
  | { kind: 'not_found' };

export interface ListOptions {
  /** Item id to start after (exclusive), in the listing order. */
  after?: string;
  /** Item id to end before (exclusive), in the listing order. */
  before?: string;
  /** 1..100; default 20. */
  limit?: number;
  /** Default 'desc' (newest first), as in OpenAI's list endpoints. */
  order?: 'asc' | 'desc';
}

export interface ItemPage {
  data: StoredItem[];
  hasMore: boolean;
  /** Ids of the first and last item of `data` (null when it is empty). */
  firstId: string | null;
  lastId: string | null;
}

export interface StoredConversation {
  /** `conv_…` */
  id: string;
  ownerKey: string;
  /** Unix seconds. */
  createdAt: number;
  metadata: Record<string, string>;
}

export interface NewConversation {
  /** A caller-chosen id; a fresh `conv_…` by default. */
  id?: string;
  items?: StoredItem[];
  metadata?: Record<string, string>;
  /** Unix seconds; now by default. */
  createdAt?: number;
}

export interface ResponseStore {
  /** Stores (or replaces) a response record; the TTL restarts. */
  put(record: StoredResponse): Promise<void>;
  get(id: string, ownerKey: string): Promise<StoredResponse | undefined>;
  /** True when a record of this owner was deleted. */
  delete(id: string, ownerKey: string): Promise<boolean>;
  /** A page of the record's inputItems; undefined when there is no such record for this owner. */
  listInputItems(id: string, ownerKey: string, options?: ListOptions): Promise<ItemPage | undefined>;
  /**
   * Changes fields of a stored response atomically. With `ifStatus`, only when the current status is one
   * of them (background cancel: `ifStatus: ['queued', 'in_progress']`), across nodes too.
   */
  update(
    id: string,
    ownerKey: string,
    patch: ResponsePatch,
    options?: { ifStatus?: readonly StoredResponseStatus[] },
  ): Promise<UpdateResult>;

  createConversation(ownerKey: string, conversation?: NewConversation): Promise<StoredConversation>;
  getConversation(id: string, ownerKey: string): Promise<StoredConversation | undefined>;
  /** Replaces the metadata; undefined when there is no such conversation for this owner. */
  updateConversation(
    id: string,
    ownerKey: string,
    metadata: Record<string, string>,
  ): Promise<StoredConversation | undefined>;
  deleteConversation(id: string, ownerKey: string): Promise<boolean>;
  /** Appends items (atomically, also across nodes); false when there is no such conversation for this owner. */
  appendConversationItems(id: string, ownerKey: string, items: readonly StoredItem[]): Promise<boolean>;
  listConversationItems(id: string, ownerKey: string, options?: ListOptions): Promise<ItemPage | undefined>;
  /** Every item of the conversation in order (for rebuilding a turn's input). */
  allConversationItems(id: string, ownerKey: string): Promise<StoredItem[] | undefined>;
  getConversationItem(id: string, itemId: string, ownerKey: string): Promise<StoredItem | undefined>;
  deleteConversationItem(id: string, itemId: string, ownerKey: string): Promise<boolean>;

  close(): Promise<void>;
}

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;
