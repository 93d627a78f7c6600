/**
 * Splits a newline-delimited JSON byte stream into its lines, each handed out as soon as its newline
 * arrives. A line may be split across chunks (and a UTF-8 character across bytes); blank lines are skipped
 * and a last line without its newline still counts.
 */
import type { ReadyIterator } from '../../core/ready-iterator.js';
import { Utf8Decoder } from '../../core/utf8-decoder.js';
import { cutMessages } from '../shared/cut-messages.js';

export function ndjsonLines(body: AsyncIterable<Uint8Array | string>): ReadyIterator<string> {
  const decoder = new Utf8Decoder();
  let partial = '';
  return cutMessages(body, {
    feed(chunk, lines) {
      partial += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      let start = 0;
      for (let newline = partial.indexOf('\n'); newline !== -1; newline = partial.indexOf('\n', start)) {
        const line = partial.slice(start, newline).trim();
        if (line !== '') lines.push(line);
        start = newline + 1;
      }
      partial = partial.slice(start);
    },
    end(lines) {
      const last = (partial + decoder.end()).trim();
      if (last !== '') lines.push(last);
    },
  });
}
