/**
 * Items between the wire and the response store: resolving `item_reference`s, and giving input items the
 * ids and shapes the spec's ItemResource has (what `GET /v1/responses/{id}/input_items` and the
 * Conversations API list).
 */
import { invalidRequest } from '../../core/errors.js';
import type { IdPrefix } from './openai-responses-ids.js';
import { newId } from './openai-responses-ids.js';
import type { ResponsesInputItem } from './openai-responses-schema.js';
import { asKnownItem } from './openai-responses-schema.js';

/** A wire item with the id the store keys it by. */
export type ItemResource = Record<string, unknown> & { id: string; type: string };

/**
 * Replaces every item_reference with the item it names. `find` looks an id up in what the caller may see
 * (the owner's stored responses and conversation); an unknown id is a 400 naming the item.
 */
export function resolveItemReferences(
  items: readonly ResponsesInputItem[],
  find: (id: string) => ResponsesInputItem | undefined,
): ResponsesInputItem[] {
  return items.map((item, index) => {
    if (item.type !== 'item_reference') return item;
    const id = String(item.id);
    const found = find(id);
    if (!found) throw invalidRequest(`input[${index}]: no stored item with id '${id}'`, `input[${index}]`);
    return found;
  });
}

const PREFIX: Record<string, IdPrefix> = {
  message: 'msg',
  function_call: 'fc',
  function_call_output: 'fco',
  reasoning: 'rs',
};

/**
 * Input items as ItemResources: an id on each (kept when the client gave one), messages with content-part
 * lists and a status, calls and outputs with a status.
 */
export function toItemResources(items: readonly ResponsesInputItem[]): ItemResource[] {
  return items.map((raw) => {
    const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : newId(PREFIX[raw.type] ?? 'item');
    const item = asKnownItem(raw);
    if (item?.type === 'message') {
      const assistant = item.role === 'assistant';
      const content =
        typeof item.content === 'string'
          ? [assistant ? outputText(item.content) : { type: 'input_text', text: item.content }]
          : item.content.map((part) =>
              assistant && part.type === 'output_text' ? { ...outputText(part.text), ...part } : part,
            );
      return { ...item, id, type: 'message', status: item.status ?? 'completed', content };
    }
    if (item?.type === 'function_call' || item?.type === 'function_call_output')
      return { ...item, id, status: item.status ?? 'completed' };
    return { ...raw, id };
  });
}

function outputText(text: string): Record<string, unknown> {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}
