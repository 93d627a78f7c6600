/**
 * Canonical citations -> Responses `output_text.annotations` (`url_citation`). Only URL citations have a
 * Responses form (file_citation needs an uploaded file id), so the rest are left out. Canonical offsets
 * count from the start of the whole response text; an annotation's count from its message's text, so the
 * message's own start is subtracted. The wire requires a title and both indexes: a missing title is ''
 * and a citation without a known span (Perplexity's URL list) gets the empty span 0..0.
 */
import type { Citation } from '../../core/canonical-events.js';

export interface ResponsesUrlAnnotation {
  type: 'url_citation';
  url: string;
  title: string;
  start_index: number;
  end_index: number;
}

export function toResponsesAnnotation(
  citation: Citation,
  messageStart: number,
  messageLength: number,
): ResponsesUrlAnnotation | undefined {
  if (!citation.url) return undefined;
  const local = (offset: number): number => Math.min(Math.max(offset - messageStart, 0), messageLength);
  const start = citation.startIndex === undefined ? 0 : local(citation.startIndex);
  const end = citation.endIndex === undefined ? start : Math.max(local(citation.endIndex), start);
  return {
    type: 'url_citation',
    url: citation.url,
    title: citation.title ?? '',
    start_index: start,
    end_index: end,
  };
}
