/**
 * Splits a newline-delimited JSON byte stream into its lines, yielding each as soon as its newline
 * arrives. A line may be split across chunks (and a UTF-8 character across bytes); blank lines are skipped
 * and a last line without its newline still counts.
 */
import { Utf8Decoder } from '../../core/utf8-decoder.js';

export async function* ndjsonLines(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new Utf8Decoder();
  let partial = '';
  for await (const chunk of body) {
    partial += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let newline = partial.indexOf('\n');
    while (newline !== -1) {
      const line = partial.slice(0, newline).trim();
      partial = partial.slice(newline + 1);
      if (line !== '') yield line;
      newline = partial.indexOf('\n');
    }
  }
  const last = (partial + decoder.end()).trim();
  if (last !== '') yield last;
}
