/**
 * Cohere v2 citations -> canonical citations. The same object shape arrives in a stream's citation-start
 * (`delta.message.citations`) and in a non-stream answer's `message.citations`:
 * { start, end, text, sources: [{ type: 'document' | 'tool', id, document?: { id, title, url, ... } }] }.
 * https://docs.cohere.com/docs/rag-citations
 */
import { z } from 'zod';
import type { Citation } from '../../core/canonical-events.js';

// Every field tolerates a wrong type, so one odd field never costs the citation.
const str = z.string().nullish().catch(undefined);
const num = z.number().nullish().catch(undefined);

const sourceSchema = z.looseObject({
  type: str,
  id: str,
  document: z.looseObject({ id: str, title: str, url: str }).nullish().catch(undefined),
  tool_output: z.looseObject({ id: str, title: str, url: str }).nullish().catch(undefined),
});

const citationSchema = z.looseObject({
  start: num,
  end: num,
  text: str,
  sources: z.array(z.unknown()).nullish().catch(undefined),
});

/** One canonical citation per source (each keeps the span), or one without a source when none is named. */
export function mapCohereCitation(raw: unknown): Citation[] {
  const parsed = citationSchema.safeParse(raw);
  if (!parsed.success) return [];
  const { start, end, text, sources } = parsed.data;
  const span: Citation = {
    ...(text != null ? { citedText: text } : {}),
    ...(start != null ? { startIndex: start } : {}),
    ...(end != null ? { endIndex: end } : {}),
  };
  const out: Citation[] = [];
  for (const rawSource of sources ?? []) {
    const source = sourceSchema.safeParse(rawSource);
    if (!source.success) continue;
    const data = source.data.document ?? source.data.tool_output;
    const id = source.data.id ?? data?.id;
    out.push({
      ...(data?.url ? { url: data.url } : {}),
      ...(data?.title ? { title: data.title } : {}),
      ...span,
      ...(id ? { sourceId: id } : {}),
    });
  }
  return out.length > 0 ? out : [span];
}

/** A citation field that may be one object (stream events) or an array (message bodies). */
export function mapCohereCitations(raw: unknown): Citation[] {
  if (raw == null) return [];
  return (Array.isArray(raw) ? raw : [raw]).flatMap(mapCohereCitation);
}
