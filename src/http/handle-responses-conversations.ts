/**
 * The Conversations API that a create's `conversation` refers to: `POST /v1/conversations`,
 * `GET|POST|DELETE /v1/conversations/{id}`, `GET|POST /v1/conversations/{id}/items`,
 * `GET|DELETE /v1/conversations/{id}/items/{item_id}`. Items are stored as ItemResources (ids assigned);
 * a conversation belongs to the key that created it.
 */
import { z } from 'zod';
import { toItemResources } from '../dialects/openai-responses/openai-responses-items.js';
import { inputItem } from '../dialects/openai-responses/openai-responses-schema.js';
import { zodToGatewayError } from '../dialects/shared/format-zod-error.js';
import type { StoredConversation } from '../storage/response-store/response-store.js';
import {
  itemList,
  listOptions,
  paramOf,
  queryOf,
  sendJson,
  withOpenAIErrors,
} from './handle-responses-retrieve.js';
import { callerOf } from './responses-surface.js';
import { notFound } from './responses-turn.js';

const metadata = z
  .record(z.string().max(64), z.string().max(512))
  .refine((m) => Object.keys(m).length <= 16, {
    message: 'metadata may have at most 16 keys',
  });
const createBody = z.looseObject({
  items: z.array(inputItem).max(20, 'at most 20 items can be added at once').nullish(),
  metadata: metadata.nullish(),
});
const updateBody = z.looseObject({ metadata });
const itemsBody = z.looseObject({
  items: z.array(inputItem).min(1).max(20, 'at most 20 items can be added at once'),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw zodToGatewayError(parsed.error);
  return parsed.data;
}

function conversationObject(conversation: StoredConversation): Record<string, unknown> {
  return {
    id: conversation.id,
    object: 'conversation',
    created_at: conversation.createdAt,
    metadata: conversation.metadata,
  };
}

export const handleConversationCreate = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  const body = parse(createBody, request.body);
  const conversation = await surface.store.createConversation(keyName, {
    items: toItemResources(body.items ?? []),
    metadata: body.metadata ?? {},
  });
  await sendJson(reply, conversationObject(conversation));
});

export const handleConversationRetrieve = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  const id = paramOf(request, 'id');
  const conversation = await surface.store.getConversation(id, keyName);
  if (!conversation) throw notFound('Conversation', id);
  await sendJson(reply, conversationObject(conversation));
});

export const handleConversationUpdate = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  const id = paramOf(request, 'id');
  const body = parse(updateBody, request.body);
  const conversation = await surface.store.updateConversation(id, keyName, body.metadata);
  if (!conversation) throw notFound('Conversation', id);
  await sendJson(reply, conversationObject(conversation));
});

export const handleConversationDelete = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  const id = paramOf(request, 'id');
  if (!(await surface.store.deleteConversation(id, keyName))) throw notFound('Conversation', id);
  await sendJson(reply, { id, object: 'conversation.deleted', deleted: true });
});

export const handleConversationItemsList = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  const id = paramOf(request, 'id');
  const page = await surface.store.listConversationItems(id, keyName, listOptions(queryOf(request)));
  if (!page) throw notFound('Conversation', id);
  await sendJson(reply, itemList(page));
});

export const handleConversationItemsCreate = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  const id = paramOf(request, 'id');
  const items = toItemResources(parse(itemsBody, request.body).items);
  if (!(await surface.store.appendConversationItems(id, keyName, items))) throw notFound('Conversation', id);
  await sendJson(reply, {
    object: 'list',
    data: items,
    first_id: items[0]?.id ?? null,
    last_id: items.at(-1)?.id ?? null,
    has_more: false,
  });
});

export const handleConversationItemRetrieve = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  const id = paramOf(request, 'id');
  const itemId = paramOf(request, 'item_id');
  const item = await surface.store.getConversationItem(id, itemId, keyName);
  if (!item) throw notFound('Item', itemId);
  await sendJson(reply, item);
});

export const handleConversationItemDelete = withOpenAIErrors(async (surface, request, reply) => {
  const { keyName } = await callerOf(surface, request.headers);
  const id = paramOf(request, 'id');
  const itemId = paramOf(request, 'item_id');
  if (!(await surface.store.deleteConversationItem(id, itemId, keyName))) throw notFound('Item', itemId);
  const conversation = await surface.store.getConversation(id, keyName);
  if (!conversation) throw notFound('Conversation', id);
  await sendJson(reply, conversationObject(conversation));
});
