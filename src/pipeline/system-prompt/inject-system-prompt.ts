/**
 * System prompt injection in every dialect: the operator's prompt is appended to the client's system
 * prompt (after a blank line), or added when there is none. Both the canonical request (translated
 * path) and the wire body (fast path) are changed, so the upstream sees it whichever path runs.
 */
import type { CanonicalRequest } from '../../core/canonical-request.js';
import type { DecodedRequest } from '../../dialects/dialect.js';
import type { WireDialect } from '../../providers/provider-adapter.js';

export function injectSystemPrompt(decoded: DecodedRequest, dialect: WireDialect, prompt: string): void {
  injectCanonical(decoded.canonical, prompt);
  if (dialect === 'openai-chat') injectChatBody(decoded.body, prompt);
  else if (dialect === 'anthropic-messages')
    decoded.body.system = appendToSystem(decoded.body.system, prompt);
  else if (dialect === 'openai-responses') {
    const instructions = decoded.body.instructions;
    decoded.body.instructions =
      typeof instructions === 'string' && instructions !== '' ? `${instructions}\n\n${prompt}` : prompt;
  }
}

function injectCanonical(request: CanonicalRequest, prompt: string): void {
  const first = request.messages[0];
  if (first?.role === 'system') {
    const last = first.content.at(-1);
    if (last && !last.cacheControl) last.text = `${last.text}\n\n${prompt}`;
    else first.content.push({ type: 'text', text: prompt });
    return;
  }
  request.messages.unshift({ role: 'system', content: [{ type: 'text', text: prompt }] });
}

/** Chat Completions: into the leading system (or developer) message, else a new one first. */
function injectChatBody(body: Record<string, unknown>, prompt: string): void {
  const messages = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  const first = messages[0];
  if (first && (first.role === 'system' || first.role === 'developer')) {
    first.content = appendToSystem(first.content, prompt);
    return;
  }
  messages.unshift({ role: 'system', content: prompt });
  body.messages = messages;
}

/** A string or an array of text blocks, with the prompt appended. */
function appendToSystem(system: unknown, prompt: string): unknown {
  if (typeof system === 'string' && system !== '') return `${system}\n\n${prompt}`;
  if (Array.isArray(system) && system.length > 0) {
    const blocks = system as Array<Record<string, unknown>>;
    const last = blocks.at(-1);
    // A cache_control breakpoint stays where the client put it: the prompt goes in a block of its own.
    if (last && last.type === 'text' && typeof last.text === 'string' && last.cache_control === undefined) {
      last.text = `${last.text}\n\n${prompt}`;
      return blocks;
    }
    return [...blocks, { type: 'text', text: prompt }];
  }
  return prompt;
}
