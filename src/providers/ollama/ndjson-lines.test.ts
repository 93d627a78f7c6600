import { describe, expect, it } from 'vitest';
import { byteChunks } from '../../../test/support/fixtures.js';
import { ndjsonLines } from './ndjson-lines.js';
import { STREAMING_THINKING, toNdjson } from './ollama-documented-examples.js';

async function lines(body: AsyncIterable<Uint8Array | string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of ndjsonLines(body)) out.push(line);
  return out;
}

async function* pieces(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

describe('ndjsonLines', () => {
  it.each([1, 2, 3, 7, 64, 4096])(
    'reassembles lines split across %i-byte chunks, multi-byte characters included',
    async (size) => {
      // STREAMING_THINKING holds "×", two bytes in UTF-8, which small chunks cut in half.
      const text = toNdjson(STREAMING_THINKING);
      const out = await lines(byteChunks(text, size));
      expect(out.map((line) => JSON.parse(line))).toEqual(STREAMING_THINKING);
    },
  );

  it('skips blank lines, strips CR, and keeps a last line without its newline', async () => {
    expect(await lines(pieces('{"a":1}\r\n\n', '  \n{"b"', ':2}\n{"c":3}'))).toEqual([
      '{"a":1}',
      '{"b":2}',
      '{"c":3}',
    ]);
  });

  it('yields nothing for an empty body', async () => {
    expect(await lines(pieces())).toEqual([]);
  });
});
