/**
 * Canonical citations -> Chat Completions `message.annotations` (`url_citation`). The wire type only has
 * URL citations, so citations without a URL (document spans) are left out. The spec requires a title and
 * both indexes: a missing title is '' and a citation without a known span (Perplexity's URL list) is
 * given the empty span 0..0 rather than a made-up one.
 */
import type { Citation } from '../../core/canonical-events.js';

export interface ChatUrlAnnotation {
  type: 'url_citation';
  url_citation: { url: string; title: string; start_index: number; end_index: number };
}

export function toChatAnnotations(citations: readonly Citation[] | undefined): ChatUrlAnnotation[] {
  const out: ChatUrlAnnotation[] = [];
  for (const citation of citations ?? []) {
    if (!citation.url) continue;
    const start = citation.startIndex ?? 0;
    out.push({
      type: 'url_citation',
      url_citation: {
        url: citation.url,
        title: citation.title ?? '',
        start_index: start,
        end_index: citation.endIndex ?? start,
      },
    });
  }
  return out;
}
