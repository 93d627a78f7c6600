/**
 * One Responses turn before and after it runs, whatever carries it (HTTP, background, WebSocket):
 *
 * - prepareTurn: the caller's stored state becomes this request's history. `previous_response_id` (the
 *   socket's own cache first, then the store) or `conversation` give earlier items, `item_reference`s are
 *   resolved, and the decoded request is rebuilt with the history in front (withHistory), so ANY provider
 *   can serve the turn, a different one from the last turn's included: the items are canonical-able and
 *   carry their continuation data. The relay body gets the same history inlined (OpenAI does not know
 *   Junction's ids).
 * - narrowForBuiltInTools: hosted tools only run on an upstream relaying the Responses API natively.
 * - recordTurn: the finished Response into the store (unless store=false) and the conversation.
 *
 * State belongs to the key that created it: another key's ids are "not found".
 */
import { GatewayError, invalidRequest } from '../core/errors.js';
import {
  assertBuiltInToolsSupported,
  NATIVE_BUILT_IN_TOOL_PROVIDERS,
} from '../dialects/openai-responses/openai-responses-built-in-tools.js';
import type { DecodedResponsesRequest } from '../dialects/openai-responses/openai-responses-dialect.js';
import { withHistory } from '../dialects/openai-responses/openai-responses-dialect.js';
import { newId } from '../dialects/openai-responses/openai-responses-ids.js';
import type { ItemResource } from '../dialects/openai-responses/openai-responses-items.js';
import {
  resolveItemReferences,
  toItemResources,
} from '../dialects/openai-responses/openai-responses-items.js';
import type { ResponsesEncodeContext } from '../dialects/openai-responses/openai-responses-response.js';
import type { ResponsesInputItem } from '../dialects/openai-responses/openai-responses-schema.js';
import { inputItem } from '../dialects/openai-responses/openai-responses-schema.js';
import { findUnmodeledItems } from '../dialects/openai-responses/openai-responses-unmodeled.js';
import {
  inlineHistoryForPassthrough,
  prepareOpenAIPassthrough,
} from '../dialects/openai-responses/prepare-openai-passthrough.js';
import { canRelay } from '../providers/provider-adapter.js';
import type { Route } from '../routing/model-catalog.js';
import type {
  ResponseStore,
  StoredItem,
  StoredResponse,
  StoredResponseStatus,
} from '../storage/response-store/response-store.js';

/** Earlier turns a WebSocket keeps for itself (store=false continues from here). */
export interface TurnCache {
  get(id: string): { items: StoredItem[] } | undefined;
  set(id: string, items: StoredItem[]): void;
}

export interface ResponsesTurn {
  /** The request with history applied; its `body` is what a relay sends. */
  decoded: DecodedResponsesRequest;
  ownerKey: string;
  responseId: string;
  createdAt: number;
  /** Items of earlier turns (the previous response's input + output, or the conversation's items). */
  history: StoredItem[];
  /** This request's input as stored items (ids assigned, references resolved). */
  inputItems: ItemResource[];
  /** False: answered but not stored (store=false). */
  store: boolean;
  conversationId?: string;
  previousResponseId?: string;
}

export interface PrepareOptions {
  store: ResponseStore;
  ownerKey: string;
  /** A WebSocket's own cache, looked up before the store. */
  cache?: TurnCache;
}

export async function prepareTurn(
  decoded: DecodedResponsesRequest,
  options: PrepareOptions,
): Promise<ResponsesTurn> {
  const { request } = decoded;
  const { store, ownerKey } = options;
  const previousId = request.previous_response_id ?? undefined;
  const conversation = request.conversation;
  const conversationId =
    conversation == null ? undefined : typeof conversation === 'string' ? conversation : conversation.id;
  if (previousId !== undefined && conversationId !== undefined) {
    throw invalidRequest(
      "Mutually exclusive parameters: provide only one of 'previous_response_id' or 'conversation'.",
      'conversation',
    );
  }
  let history: StoredItem[] = [];
  if (previousId !== undefined) history = await previousItems(previousId, options);
  if (conversationId !== undefined) {
    const items = await store.allConversationItems(conversationId, ownerKey);
    if (!items) throw notFound('Conversation', conversationId, 'conversation');
    history = items;
  }
  const byId = new Map(history.map((item) => [item.id, item]));
  const hasReferences = decoded.inputItems.some((item) => item.type === 'item_reference');
  const resolved = hasReferences
    ? resolveItemReferences(decoded.inputItems, (id) => {
        const found = byId.get(id);
        return found ? asInputItem(found) : undefined;
      })
    : decoded.inputItems;
  const stateful = previousId !== undefined || conversationId !== undefined;
  let next = decoded;
  if (stateful || hasReferences) {
    // References are resolved now, so this request's item entries in `unmodeled` are recomputed.
    const own: DecodedResponsesRequest = {
      ...decoded,
      inputItems: resolved,
      unmodeled: [
        ...decoded.unmodeled.filter((entry) => !entry.startsWith('input[')),
        ...findUnmodeledItems(resolved),
      ],
    };
    next = withHistory(own, history.map(asInputItem));
  }
  const clientBody = hasReferences ? { ...decoded.body, input: resolved } : decoded.body;
  const body = stateful
    ? inlineHistoryForPassthrough(clientBody, history)
    : prepareOpenAIPassthrough(clientBody);
  return {
    decoded: { ...next, body },
    ownerKey,
    responseId: newId('resp'),
    createdAt: Math.floor(Date.now() / 1000),
    history,
    inputItems: toItemResources(resolved),
    store: request.store !== false,
    ...(conversationId !== undefined ? { conversationId } : {}),
    ...(previousId !== undefined ? { previousResponseId: previousId } : {}),
  };
}

async function previousItems(id: string, options: PrepareOptions): Promise<StoredItem[]> {
  const cached = options.cache?.get(id);
  if (cached) return cached.items;
  const record = await options.store.get(id, options.ownerKey);
  if (!record) throw notFound('Previous response', id, 'previous_response_id', 'previous_response_not_found');
  if (record.status === 'queued' || record.status === 'in_progress') {
    throw invalidRequest(
      `Previous response '${id}' is still ${record.status}; continue it once it has finished.`,
      'previous_response_id',
    );
  }
  return [...record.inputItems, ...record.outputItems];
}

/** The encode context that makes the answer carry this turn's id and echo its request. */
export function encodeContextOf(turn: ResponsesTurn, requestId: string): ResponsesEncodeContext {
  return {
    model: turn.decoded.canonical.model,
    requestId,
    request: turn.decoded.request,
    responseId: turn.responseId,
    createdAt: turn.createdAt,
  };
}

/**
 * Hosted tools (web_search, mcp, ...) run inside OpenAI's Responses API, so only targets that relay it
 * natively can take the request: the route keeps those; with none, a 400 names the tool and the provider.
 */
export function narrowForBuiltInTools(route: Route, turn: ResponsesTurn): Route {
  const builtIns = turn.decoded.builtInTools;
  if (builtIns.length === 0) return route;
  const native = route.targets.filter((target) => canRelay(target.provider, 'openai-responses'));
  if (native.length === route.targets.length) return route;
  if (native.length === 0) {
    const first = route.targets[0]!.provider;
    // A natively capable type reached without its Responses endpoint (Azure on an old api-version).
    const type = NATIVE_BUILT_IN_TOOL_PROVIDERS.has(first.type)
      ? `${first.type}, Chat Completions only`
      : first.type;
    assertBuiltInToolsSupported(builtIns, type, first.name);
  }
  return { ...route, targets: native };
}

export interface RecordOptions {
  /** Stream events as sent, for `?stream=true` replays. */
  streamEvents?: ReadonlyArray<Record<string, unknown>>;
  meta?: Record<string, unknown>;
  /** Keep a background record's status unless it is still running (a cancel wins). */
  ifRunning?: boolean;
}

/**
 * Stores the finished Response of `turn` (unless store=false) and appends its items to the conversation.
 * Returns the stored record (undefined when not stored or when a cancel won).
 */
export async function recordTurn(
  store: ResponseStore,
  turn: ResponsesTurn,
  response: Record<string, unknown>,
  options: RecordOptions = {},
): Promise<StoredResponse | undefined> {
  const outputItems = outputItemsOf(response);
  const status = (
    typeof response.status === 'string' ? response.status : 'completed'
  ) as StoredResponseStatus;
  // A relayed answer echoes what OpenAI was sent; the stored copy says what the client asked.
  const stored = { ...response };
  if (turn.previousResponseId !== undefined) stored.previous_response_id = turn.previousResponseId;
  if (turn.conversationId !== undefined) stored.conversation = { id: turn.conversationId };
  const id = typeof response.id === 'string' ? response.id : turn.responseId;
  let record: StoredResponse | undefined;
  if (turn.store) {
    record = {
      id,
      ownerKey: turn.ownerKey,
      createdAt: typeof response.created_at === 'number' ? response.created_at : turn.createdAt,
      status,
      response: stored,
      inputItems: [...turn.history, ...turn.inputItems],
      outputItems,
      ...(options.streamEvents ? { streamEvents: [...options.streamEvents] } : {}),
      ...(turn.conversationId !== undefined ? { conversationId: turn.conversationId } : {}),
      ...(options.meta ? { meta: options.meta } : {}),
    };
    if (options.ifRunning) {
      const result = await store.update(
        id,
        turn.ownerKey,
        {
          status,
          response: stored,
          outputItems,
          ...(record.streamEvents ? { streamEvents: record.streamEvents } : {}),
          ...(options.meta ? { meta: options.meta } : {}),
        },
        { ifStatus: ['queued', 'in_progress'] },
      );
      if (result.kind !== 'updated') return undefined;
    } else {
      await store.put(record);
    }
  }
  if (turn.conversationId !== undefined && status !== 'failed' && status !== 'cancelled') {
    await store.appendConversationItems(turn.conversationId, turn.ownerKey, [
      ...turn.inputItems,
      ...outputItems,
    ]);
  }
  return record;
}

export function outputItemsOf(response: Record<string, unknown>): StoredItem[] {
  const output = Array.isArray(response.output) ? (response.output as unknown[]) : [];
  return output.filter(
    (item): item is StoredItem =>
      typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string',
  );
}

/** A stored item as an input item (stored items are wire JSON the dialect accepts back). */
export function asInputItem(item: StoredItem): ResponsesInputItem {
  const parsed = inputItem.safeParse(item);
  return parsed.success ? parsed.data : (item as unknown as ResponsesInputItem);
}

export function notFound(what: string, id: string, param?: string, code?: string): GatewayError {
  return new GatewayError('not_found', `${what} with id '${id}' not found.`, {
    ...(param ? { param } : {}),
    ...(code ? { code } : {}),
  });
}
