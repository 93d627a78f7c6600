import { describe, expect, it } from 'vitest';
import { loadJson } from '../../../test/support/fixtures.js';
import { mapCohereCitation, mapCohereCitations } from './map-cohere-citations.js';

const body = loadJson('cohere/vercel-cohere-citations.json') as {
  message: { content: Array<{ text: string }>; citations: unknown[] };
};
const text = body.message.content[0]?.text ?? '';

describe('mapCohereCitations on the recorded citations answer', () => {
  const citations = mapCohereCitations(body.message.citations);

  it('keeps every span, cited text and document source', () => {
    expect(citations).toEqual([
      {
        title: 'benefits.txt',
        citedText: 'Automation of tasks',
        startIndex: 52,
        endIndex: 71,
        sourceId: 'doc:0',
      },
      {
        title: 'benefits.txt',
        citedText: 'Better decision-making',
        startIndex: 75,
        endIndex: 97,
        sourceId: 'doc:0',
      },
      {
        title: 'benefits.txt',
        citedText: 'Cost reduction',
        startIndex: 101,
        endIndex: 115,
        sourceId: 'doc:0',
      },
    ]);
  });

  it('has offsets that point at the cited text in the answer', () => {
    for (const c of citations) expect(text.slice(c.startIndex, c.endIndex)).toBe(c.citedText);
  });
});

describe('mapCohereCitation edge cases', () => {
  it.each([
    [
      'one object, as in a stream event',
      { start: 0, end: 2, text: 'hi', sources: [] },
      [{ citedText: 'hi', startIndex: 0, endIndex: 2 }],
    ],
    [
      'a tool source with a url in its output',
      {
        start: 1,
        end: 3,
        text: 'ab',
        sources: [{ type: 'tool', id: 'web:0', tool_output: { url: 'https://x.test', title: 'X' } }],
      },
      [{ url: 'https://x.test', title: 'X', citedText: 'ab', startIndex: 1, endIndex: 3, sourceId: 'web:0' }],
    ],
    ['wrong field types', { start: 'a', end: null, text: 5, sources: 'x' }, [{}]],
    ['not an object', 'nope', []],
  ])('%s', (_name, raw, expected) => {
    expect(mapCohereCitations(raw)).toEqual(expected);
    if (!Array.isArray(raw)) expect(mapCohereCitation(raw)).toEqual(expected);
  });
});
