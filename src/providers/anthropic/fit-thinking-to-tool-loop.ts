/**
 * With thinking on, Claude wants the assistant message that opens the tool-use loop a request continues to
 * begin with Claude's own thinking: "a final `assistant` message must start with a thinking block (preceding
 * the lastmost set of `tool_use` and `tool_result` blocks) ... To avoid this requirement, disable
 * `thinking`" (a 400 otherwise). A loop opened by another model has no such block, and none can be made,
 * since Claude signs its own: a conversation that fails over, or moves, from Gemini or GPT to Claude in the
 * middle of a tool loop would fail on every call until the loop ended. So such a call goes with thinking
 * off, as the error advises, and the client hears so in `x-junction-warning`. Thinking blocks later in the
 * same loop are left out too (with thinking off Claude refuses them in the current turn). The loop's next
 * user turn thinks again. LiteLLM does the same under `modify_params`.
 *
 * The same rule on the two shapes a request to Claude takes: the canonical request (translated path,
 * Claude on Bedrock and Vertex) and the relayed Messages body (same-dialect fast path).
 */
import type { CanonicalMessage, ProviderRequest } from '../../core/canonical-request.js';
import { mapAnthropicThinking } from './map-anthropic-thinking.js';

export const THINKING_OFF_FOR_LOOP =
  'thinking is off for this call: the tool-use loop it continues was opened by another model, and Claude ' +
  'requires that loop to open with its own thinking block';

/**
 * The request as Claude will take it: unchanged unless thinking would be on and the tool-use loop the
 * conversation ends in opens without Claude's thinking, in which case reasoning is off (an output effort
 * Claude would have been sent stays) and the loop's reasoning parts are left out.
 */
export function fitThinkingToToolLoop(
  request: ProviderRequest,
  warn?: (message: string) => void,
): ProviderRequest {
  const { reasoning } = request;
  const mapped = reasoning && mapAnthropicThinking(request.upstreamModel, reasoning);
  if (!reasoning || !mapped?.thinks) return request;
  const start = toolLoopStart(request.messages, (m) => m.role === 'assistant', hasToolResults);
  if (start === -1 || opensWithThinking(request.messages, start)) return request;
  warn?.(THINKING_OFF_FOR_LOOP);
  return {
    ...request,
    reasoning: mapped.effort === undefined ? { mode: 'unset' } : { mode: 'unset', effort: reasoning.effort },
    messages: request.messages.map((message, index) =>
      index >= start && message.role === 'assistant'
        ? { ...message, content: message.content.filter((part) => part.type !== 'reasoning') }
        : message,
    ),
  };
}

/** The relayed Messages body by the same rule: `thinking` removed, and the loop's thinking blocks. */
export function fitRelayedThinkingToToolLoop(
  body: Record<string, unknown>,
  warn?: (message: string) => void,
): Record<string, unknown> {
  const type = (body.thinking as { type?: unknown } | null | undefined)?.type;
  const { messages } = body;
  if ((type !== 'enabled' && type !== 'adaptive') || !Array.isArray(messages)) return body;
  const start = toolLoopStart(messages as unknown[], isWireAssistant, wireHasToolResults);
  if (start === -1 || wireOpensWithThinking(messages[start])) return body;
  warn?.(THINKING_OFF_FOR_LOOP);
  const { thinking: _off, ...rest } = body;
  return {
    ...rest,
    messages: (messages as unknown[]).flatMap((message, index) =>
      index >= start && isWireAssistant(message) ? withoutThinkingBlocks(message) : [message],
    ),
  };
}

/**
 * The index of the first assistant message of the tool-use loop the conversation ends in, or -1 when it
 * ends in none. Going back from the end: a run of non-assistant messages that holds tool results continues
 * a loop (Anthropic makes the run one user message), the assistant messages before it belong to the loop,
 * and a run without tool results is the user turn that began it.
 */
function toolLoopStart<M>(
  messages: readonly M[],
  isAssistant: (message: M) => boolean,
  holdsToolResults: (message: M) => boolean,
): number {
  let start = -1;
  let i = messages.length - 1;
  while (i >= 0) {
    let results = false;
    for (; i >= 0 && !isAssistant(messages[i]!); i--) results ||= holdsToolResults(messages[i]!);
    if (!results) return start;
    for (; i >= 0 && isAssistant(messages[i]!); i--) start = i;
  }
  return start;
}

function hasToolResults(message: CanonicalMessage): boolean {
  return message.role === 'tool';
}

/**
 * Whether the loop's first block Claude will see is thinking it can verify: signed reasoning or redacted
 * data. Blocks the converters leave out (empty text, reasoning without a signature) are passed over;
 * system messages between the loop's assistant messages are hoisted and do not count.
 */
function opensWithThinking(messages: readonly CanonicalMessage[], start: number): boolean {
  for (let i = start; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role === 'system') continue;
    if (message.role !== 'assistant') return false;
    for (const part of message.content) {
      if (part.type === 'text' && part.text === '') continue;
      if (part.type !== 'reasoning') return false;
      if (part.redactedData !== undefined || part.signature) return true;
    }
  }
  return false;
}

function wireContent(message: unknown): unknown {
  return typeof message === 'object' && message !== null
    ? (message as Record<string, unknown>).content
    : undefined;
}

function isWireAssistant(message: unknown): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as Record<string, unknown>).role === 'assistant'
  );
}

function blockType(block: unknown): unknown {
  return typeof block === 'object' && block !== null ? (block as Record<string, unknown>).type : undefined;
}

function wireHasToolResults(message: unknown): boolean {
  const content = wireContent(message);
  return Array.isArray(content) && content.some((block) => blockType(block) === 'tool_result');
}

function wireOpensWithThinking(message: unknown): boolean {
  const content = wireContent(message);
  if (!Array.isArray(content)) return false;
  for (const block of content) {
    const type = blockType(block);
    if (type === 'text' && (block as { text?: unknown }).text === '') continue;
    return type === 'thinking' || type === 'redacted_thinking';
  }
  return false;
}

/** An assistant message without its thinking blocks; none when nothing is left (Anthropic refuses it). */
function withoutThinkingBlocks(message: unknown): unknown[] {
  const content = wireContent(message);
  if (!Array.isArray(content)) return [message];
  const kept = content.filter((block) => {
    const type = blockType(block);
    return type !== 'thinking' && type !== 'redacted_thinking';
  });
  if (kept.length === content.length) return [message];
  return kept.length === 0 ? [] : [{ ...(message as Record<string, unknown>), content: kept }];
}
