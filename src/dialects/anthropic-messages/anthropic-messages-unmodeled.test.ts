import { describe, expect, it } from 'vitest';
import { anthropicMessagesDialect } from './anthropic-messages-dialect.js';

const PDF = { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' };

function unmodeledOf(document: Record<string, unknown>): string[] {
  return anthropicMessagesDialect.decodeRequest({
    model: 'm',
    max_tokens: 10,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'cite it' }, document] }],
  }).unmodeled;
}

describe('document citations on a translated path', () => {
  it('citations enabled is reported, so the request is refused naming it rather than answered without citations', () => {
    expect(unmodeledOf({ type: 'document', source: PDF, citations: { enabled: true } })).toEqual([
      'messages[0].content[1].citations',
    ]);
  });

  it('citations off or absent asks for nothing', () => {
    expect(unmodeledOf({ type: 'document', source: PDF, citations: { enabled: false } })).toEqual([]);
    expect(unmodeledOf({ type: 'document', source: PDF, citations: null })).toEqual([]);
    expect(unmodeledOf({ type: 'document', source: PDF })).toEqual([]);
  });
});
