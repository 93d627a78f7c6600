import { describe, expect, it } from 'vitest';
import { byteChunks, chunksToSse, loadChunks } from '../../../test/support/fixtures.js';
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { collectResponse } from '../../core/collect-response.js';
import { decodeAnthropicStream } from '../../providers/anthropic/anthropic-stream-decoder.js';
import { parseSse } from '../../providers/shared/sse.js';
import { anthropicMessagesDialect } from './anthropic-messages-dialect.js';

async function webSearchEvents(): Promise<CanonicalEvent[]> {
  const sse = chunksToSse(loadChunks('anthropic-messages/vercel-anthropic-web-search-tool.1.chunks.txt'), {
    withEventNames: true,
  });
  const out: CanonicalEvent[] = [];
  for await (const event of decodeAnthropicStream(parseSse(byteChunks(sse)))) out.push(event);
  return out;
}

async function* fromArray(events: CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  yield* events;
}

// Anthropic citations need encrypted_index (web search) or request document indexes (char_location), which
// canonical citations do not carry: translated answers keep their text and drop the citations.
describe('anthropic-messages: canonical citations are not rendered', () => {
  const context = { model: 'claude-test', requestId: 'r1' };

  it('non-stream: the text is intact and no block has citations', async () => {
    const events = await webSearchEvents();
    const response = await collectResponse(fromArray(events));
    expect(response.citations).toHaveLength(14);
    const body = anthropicMessagesDialect.encodeResponse(response, context) as {
      content: Array<Record<string, unknown>>;
    };
    const texts = body.content.filter((b) => b.type === 'text');
    expect(texts.map((b) => b.text).join('')).toBe(
      response.content.map((p) => (p.type === 'text' ? p.text : '')).join(''),
    );
    expect(body.content.some((b) => 'citations' in b)).toBe(false);
  });

  it('stream: citation events add no SSE output', async () => {
    const decoded = anthropicMessagesDialect.decodeRequest({
      model: 'claude-test',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const encoder = anthropicMessagesDialect.createStreamEncoder(context, decoded);
    encoder.event({ type: 'text-delta', text: 'hi' });
    expect(
      encoder.event({
        type: 'citation',
        citation: { url: 'https://a.test', title: 'A', startIndex: 0, endIndex: 2 },
      }),
    ).toBe('');
    const rest = (await webSearchEvents()).map((e) => encoder.event(e)).join('') + encoder.end();
    expect(rest).not.toContain('citations_delta');
    expect(rest).toContain('Apple today announced the grand reopening');
  });
});
