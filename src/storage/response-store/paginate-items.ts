/**
 * Cursor pagination over an ordered item list, as OpenAI's list endpoints do it: `order` picks the
 * direction, `after` / `before` are item ids (exclusive) in that direction, `limit` caps the page. With only
 * `before`, the page is the `limit` items right before the cursor. An unknown cursor gives an empty page.
 */
import type { ItemPage, ListOptions, StoredItem } from './response-store.js';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './response-store.js';

export function listLimit(options: ListOptions): number {
  const limit = options.limit ?? DEFAULT_LIST_LIMIT;
  return Math.min(MAX_LIST_LIMIT, Math.max(1, Math.floor(limit)));
}

/** The positions (in `ids`, stored order) of the page; shared by backends that fetch items by id. */
export function pageIndexes(
  ids: readonly string[],
  options: ListOptions = {},
): { indexes: number[]; hasMore: boolean } {
  const limit = listLimit(options);
  const ordered = ids.map((_, i) => i);
  if ((options.order ?? 'desc') === 'desc') ordered.reverse();
  let start = 0;
  let end = ordered.length;
  if (options.after !== undefined) {
    const at = ordered.findIndex((i) => ids[i] === options.after);
    if (at < 0) return { indexes: [], hasMore: false };
    start = at + 1;
  }
  if (options.before !== undefined) {
    const at = ordered.findIndex((i) => ids[i] === options.before);
    if (at < 0) return { indexes: [], hasMore: false };
    end = at;
  }
  const window = ordered.slice(start, Math.max(start, end));
  if (options.before !== undefined && options.after === undefined) {
    return { indexes: window.slice(-limit), hasMore: window.length > limit };
  }
  return { indexes: window.slice(0, limit), hasMore: window.length > limit };
}

export function paginateItems(items: readonly StoredItem[], options: ListOptions = {}): ItemPage {
  const { indexes, hasMore } = pageIndexes(
    items.map((item) => item.id),
    options,
  );
  return toPage(
    indexes.map((i) => items[i]!),
    hasMore,
  );
}

export function toPage(data: StoredItem[], hasMore: boolean): ItemPage {
  return { data, hasMore, firstId: data[0]?.id ?? null, lastId: data.at(-1)?.id ?? null };
}
