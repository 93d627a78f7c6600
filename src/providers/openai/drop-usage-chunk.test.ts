import { describe, expect, it } from 'vitest';
import { dropUsageOnlyChunks } from './drop-usage-chunk.js';

async function* pieces(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}

const content = 'data: {"choices":[{"index":0,"delta":{"content":"héllo"}}],"usage":null}\n\n';
const finish = 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}\n\n';
const usage = 'data: {"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}}\n\n';
const done = 'data: [DONE]\n\n';

describe('dropUsageOnlyChunks', () => {
  it('drops only the usage-only line, however the bytes are cut', async () => {
    for (const size of [1, 3, 17, 1000]) {
      const out = await collect(dropUsageOnlyChunks(pieces(content + finish + usage + done, size)));
      expect(out).toBe(`${content}${finish}\n${done}`);
    }
  });

  it('keeps usage on a chunk that has choices, an Azure filter chunk, and a last line without newline', async () => {
    const withChoices = 'data: {"choices":[{"index":0,"delta":{}}],"usage":{"prompt_tokens":1}}\n\n';
    const filter = 'data: {"choices":[],"prompt_filter_results":[]}\n\n';
    const text = `${filter}${withChoices}data: [DONE]`;
    expect(await collect(dropUsageOnlyChunks(pieces(text, 5)))).toBe(text);
  });
});
