import { describe, expect, it } from 'vitest';
import { loadCassette } from '../../test/support/fixtures.js';
import { cassetteText } from '../../test/support/upstream-answers.js';
import { RelayedResponsesReader } from './responses-relay-reader.js';

const STREAM = cassetteText('openai-responses/pydantic-ai-openai_responses_streaming_usage.yaml');
const JSON_BODY = JSON.stringify(
  loadCassette('openai-responses/pydantic-ai-openai_responses_model_simple_response.yaml')[0]!.response
    .parsed_body,
);

function pieces(text: string, size: number): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}

describe('RelayedResponsesReader', () => {
  it.each([7, 64, 100_000])(
    'SSE cut into %i-byte pieces: every event, in order; the final Response',
    (size) => {
      const reader = new RelayedResponsesReader(true);
      const seen: string[] = [];
      let finishedAt = -1;
      pieces(STREAM, size).forEach((chunk, index) => {
        for (const event of reader.push(chunk)) seen.push(event.type);
        if (finishedAt === -1 && reader.finished) finishedAt = index;
      });
      for (const event of reader.end()) seen.push(event.type);
      expect(seen[0]).toBe('response.created');
      expect(seen.at(-1)).toBe('response.completed');
      expect(reader.events.map((event) => event.sequence_number)).toEqual(seen.map((_, i) => i));
      expect(reader.response).toMatchObject({
        id: 'resp_0050471a34b36ae60068c97b94a480819587a9d70cf2979b33',
        status: 'completed',
        usage: { input_tokens: 53, output_tokens: 469 },
      });
      // The terminal event is known by the chunk that completes it, before the next one is released.
      expect(finishedAt).toBe(pieces(STREAM, size).length - 1);
    },
  );

  it('a JSON body is read once complete', () => {
    const reader = new RelayedResponsesReader(false);
    for (const chunk of pieces(JSON_BODY, 50)) expect(reader.push(chunk)).toEqual([]);
    expect(reader.finished).toBe(false);
    reader.end();
    expect(reader.response).toMatchObject({ id: 'resp_68c2e8c147ac819491bcd667055eadbc02e845978fbbb592' });
    expect(reader.events).toEqual([]);
  });

  it('bad JSON in one event is skipped, not fatal', () => {
    const reader = new RelayedResponsesReader(true);
    const events = reader.push(
      new TextEncoder().encode('data: {oops\n\nevent: response.in_progress\ndata: {"sequence_number":1}\n\n'),
    );
    expect(events).toEqual([{ type: 'response.in_progress', sequence_number: 1 }]);
  });
});
