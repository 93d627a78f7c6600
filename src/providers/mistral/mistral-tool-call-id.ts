/**
 * Mistral rejects tool call ids that are not exactly 9 letters or digits, so ids from other providers
 * (`call_…`, `toolu_…`) are mapped to 9-character ids before they reach Mistral. The mapping is a hash, so
 * the same id maps the same way in the assistant's tool_calls and in the tool result that answers it, on
 * every turn, without state. Each request keeps the reverse map, so an id Mistral echoes back is restored.
 */
import { createHash } from 'node:crypto';

const MISTRAL_ID = /^[A-Za-z0-9]{9}$/;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A 9-character base62 id derived from `id`; Mistral's own ids pass through unchanged. */
export function toMistralToolCallId(id: string): string {
  if (MISTRAL_ID.test(id)) return id;
  let value = createHash('sha256').update(id).digest().readBigUInt64BE(0);
  let out = '';
  for (let i = 0; i < 9; i++) {
    out += ALPHABET[Number(value % 62n)];
    value /= 62n;
  }
  return out;
}

/** The ids of one request: maps foreign ids to Mistral's form and remembers how to map them back. */
export class MistralToolCallIds {
  private readonly original = new Map<string, string>();

  toMistral(id: string): string {
    const mapped = toMistralToolCallId(id);
    if (mapped !== id) this.original.set(mapped, id);
    return mapped;
  }

  /** The client's id for an id Mistral sent, when it is one this request mapped. */
  fromMistral(id: string): string {
    return this.original.get(id) ?? id;
  }
}
