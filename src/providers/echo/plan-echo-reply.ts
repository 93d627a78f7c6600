/**
 * Decides what the echo provider answers: the last user text, a tool call, or the last tool result.
 */
import type { CanonicalMessage, ProviderRequest } from '../../core/canonical-request.js';
import { GatewayError } from '../../core/errors.js';
import { ladderEffort } from '../../core/reasoning-effort.js';

export interface EchoPlan {
  text: string;
  toolCall?: { id: string; name: string; arguments: string };
  reasoning?: string;
}

const TOOL_COMMAND = /^\/tool\s+(\S+)\s*([\s\S]*)$/;

export function planEchoReply(request: ProviderRequest): EchoPlan {
  const last = request.messages.at(-1);
  const reasoning =
    request.reasoning && ladderEffort(request.reasoning) !== 'none'
      ? 'The user wants their message echoed back.'
      : undefined;
  if (last?.role === 'tool') {
    const text = last.content
      .flatMap((result) => result.content.filter((part) => part.type === 'text').map((part) => part.text))
      .join('\n');
    return { text: `tool result: ${text}`, reasoning };
  }
  const text = lastUserText(request.messages);
  const toolCall = planToolCall(request, text);
  return toolCall ? { text: '', toolCall, reasoning } : { text, reasoning };
}

function lastUserText(messages: CanonicalMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== 'user') continue;
    return message.content
      .filter((part) => part.type === 'text')
      .map((part) => part.text)
      .join('\n');
  }
  return '';
}

function planToolCall(request: ProviderRequest, text: string): EchoPlan['toolCall'] {
  const tools = request.tools ?? [];
  if (tools.length === 0 || request.toolChoice?.type === 'none') return undefined;
  const command = TOOL_COMMAND.exec(text.trim());
  let name: string | undefined;
  let args = '{}';
  if (command) {
    name = command[1]!;
    if (command[2]!.trim() !== '') args = command[2]!.trim();
  } else if (request.toolChoice?.type === 'tool') {
    name = request.toolChoice.name;
  } else if (request.toolChoice?.type === 'required') {
    name = tools[0]!.name;
  }
  if (name === undefined) return undefined;
  if (!tools.some((tool) => tool.name === name)) {
    throw new GatewayError('invalid_request', `echo: no tool named "${name}" in this request`, {
      param: 'tools',
    });
  }
  try {
    JSON.parse(args);
  } catch {
    throw new GatewayError('invalid_request', 'echo: /tool arguments must be a JSON object', {
      param: 'messages',
    });
  }
  return { id: `call_echo_${stableId(name + args)}`, name, arguments: args };
}

/** A short deterministic id, so the same request always produces the same tool call id. */
function stableId(text: string): string {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return (hash >>> 0).toString(36);
}
