/** What a client gets of reasoning that carries no signature, in its own dialect (for the cells' notes). */
import type { DialectId } from './matrix-types.js';

export function unsignedReasoningSeen(dialect: DialectId): string {
  return dialect === 'openai-responses'
    ? 'a reasoning item with the text as its summary and no `encrypted_content`'
    : 'no signed `reasoning_details` entry; a thinking block with `signature: ""`';
}
