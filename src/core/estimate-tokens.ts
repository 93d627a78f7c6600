/**
 * A rough token estimate (4 characters a token) for providers that cannot count: echo's usage and,
 * later, pre-call reservations. Documented as an estimate wherever it surfaces.
 */
import type { CanonicalRequest } from './canonical-request.js';

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function estimateRequestTokens(request: CanonicalRequest): number {
  let chars = 0;
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === 'text' || part.type === 'reasoning') chars += part.text.length;
      else if (part.type === 'tool-call') chars += part.name.length + part.arguments.length;
      else if (part.type === 'tool-result') {
        for (const inner of part.content) if (inner.type === 'text') chars += inner.text.length;
      }
    }
  }
  for (const tool of request.tools ?? []) chars += tool.name.length + JSON.stringify(tool.parameters).length;
  return Math.max(1, Math.ceil(chars / 4));
}
