/**
 * The fast path asks an OpenAI-wire upstream for usage on every stream (`stream_options.include_usage`),
 * because budgets, token limits and the usage log need the real count; without it a relayed stream ends
 * with no usage at all and costs nothing. A client that did not ask for it must not see the extra chunk
 * it brings (`"choices": []` with a `usage` object: clients that read `choices[0]` break on it), so that
 * one `data:` line is dropped here, after the usage tap has read it. Every other byte passes unchanged.
 *
 * Bytes go on whole lines at a time: a line cut by a chunk boundary waits for its end (a partial SSE line
 * is of no use to a client anyway). Only a line whose `"usage"` opens an object is parsed; the
 * `"usage":null` of ordinary chunks is skipped by a string search.
 */
import { asBuffer } from '../../core/as-buffer.js';
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { nextReadyThen } from '../../core/ready-iterator.js';

const NEWLINE = 0x0a;
const EMPTY = new Uint8Array(0);
const USAGE_OBJECT = /"usage"\s*:\s*\{/;

export function dropUsageOnlyChunks(source: AsyncIterable<Uint8Array>): ReadyIterator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  let partial: Buffer | undefined;
  let finished = false;

  const onResult = (next: IteratorResult<Uint8Array>): IteratorResult<Uint8Array> => {
    if (next.done) {
      if (finished || !partial) return { done: true, value: undefined };
      // The last line had no newline: hand it on (filtered) before ending.
      finished = true;
      const rest = partial;
      partial = undefined;
      return { done: false, value: filterLines(rest) };
    }
    const bytes = asBuffer(next.value);
    const joined = partial ? Buffer.concat([partial, bytes]) : bytes;
    const lastNewline = joined.lastIndexOf(NEWLINE);
    if (lastNewline === -1) {
      partial = Buffer.from(joined);
      return { done: false, value: EMPTY };
    }
    // A partial line is copied: the chunk's memory may be a slice of a larger, reused buffer.
    partial = lastNewline + 1 < joined.length ? Buffer.from(joined.subarray(lastNewline + 1)) : undefined;
    return { done: false, value: filterLines(joined.subarray(0, lastNewline + 1)) };
  };
  const rethrow = (error: unknown): never => {
    throw error;
  };
  return {
    next: () =>
      finished ? Promise.resolve({ done: true, value: undefined }) : iterator.next().then(onResult),
    nextSync: () =>
      finished ? { done: true, value: undefined } : nextReadyThen(iterator, onResult, rethrow),
    return: async () => {
      finished = true;
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** `bytes` without the usage-only `data:` lines (usually returned as is). */
function filterLines(bytes: Buffer): Buffer {
  const view = bytes.toString('latin1');
  if (!USAGE_OBJECT.test(view)) return bytes;
  const kept: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    const newline = view.indexOf('\n', start);
    const end = newline === -1 ? bytes.length : newline + 1;
    const line = view.slice(start, end);
    if (!(USAGE_OBJECT.test(line) && isUsageOnly(bytes.toString('utf8', start, end)))) {
      kept.push(bytes.subarray(start, end));
    }
    start = end;
  }
  return kept.length === 1 ? kept[0]! : Buffer.concat(kept);
}

function isUsageOnly(line: string): boolean {
  const trimmed = line.trim();
  if (!trimmed.startsWith('data:')) return false;
  let chunk: unknown;
  try {
    chunk = JSON.parse(trimmed.slice(5));
  } catch {
    return false;
  }
  if (typeof chunk !== 'object' || chunk === null) return false;
  const { choices, usage } = chunk as { choices?: unknown; usage?: unknown };
  return Array.isArray(choices) && choices.length === 0 && typeof usage === 'object' && usage !== null;
}
