/**
 * The client-written text of a request, for input guardrails: system, user and tool-result text
 * (assistant turns are the model's own earlier output). Also rewrites that text for redaction, in
 * the canonical request and in the wire body alike, so the fast path forwards the redacted text too.
 */
import type { CanonicalRequest, TextPart } from '../../core/canonical-request.js';

export function requestTexts(request: CanonicalRequest): string[] {
  const texts: string[] = [];
  for (const message of request.messages) {
    if (message.role === 'assistant') continue;
    for (const part of message.content) {
      if (part.type === 'text') texts.push(part.text);
      else if (part.type === 'tool-result') {
        for (const inner of part.content) if (inner.type === 'text') texts.push(inner.text);
      }
    }
  }
  return texts;
}

export function rewriteRequestText(request: CanonicalRequest, rewrite: (text: string) => string): void {
  const apply = (part: TextPart): void => {
    part.text = rewrite(part.text);
  };
  for (const message of request.messages) {
    if (message.role === 'assistant') continue;
    for (const part of message.content) {
      if (part.type === 'text') apply(part);
      else if (part.type === 'tool-result') {
        for (const inner of part.content) if (inner.type === 'text') apply(inner);
      }
    }
  }
}

/** Fields whose string values are prompt text in the wire bodies Junction speaks. */
const TEXT_FIELDS = new Set(['content', 'text', 'system', 'instructions', 'input']);
/** Subtrees that hold model output or opaque data, never client prose. */
const SKIPPED_FIELDS = new Set([
  'tools',
  'tool_calls',
  'functions',
  'signature',
  'data',
  'image_url',
  'source',
]);

/** Rewrites prompt text anywhere in a client wire body (messages, system, input, instructions). */
export function rewriteBodyText(body: Record<string, unknown>, rewrite: (text: string) => string): void {
  for (const field of ['messages', 'system', 'input', 'instructions']) {
    if (field in body) body[field] = walk(body[field], field, rewrite);
  }
}

function walk(value: unknown, field: string, rewrite: (text: string) => string): unknown {
  if (typeof value === 'string') return TEXT_FIELDS.has(field) ? rewrite(value) : value;
  if (Array.isArray(value)) return value.map((entry) => walk(entry, field, rewrite));
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    if (object.role === 'assistant') return value;
    for (const [key, inner] of Object.entries(object)) {
      if (!SKIPPED_FIELDS.has(key)) object[key] = walk(inner, key, rewrite);
    }
  }
  return value;
}
