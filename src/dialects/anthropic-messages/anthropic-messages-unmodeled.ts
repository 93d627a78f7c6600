/**
 * Client fields and blocks a translated path cannot honour (see DecodedRequest.unmodeled). Each entry names
 * where it is, e.g. `mcp_servers`, `tools[1] (type web_search_20250305)`, `messages[2].content[0] (type
 * server_tool_use)`. On the same-dialect fast path they are forwarded untouched.
 */
import type { MessagesRequest } from './anthropic-messages-schema.js';
import {
  IGNORABLE_FIELDS,
  isCustomTool,
  isKnownBlock,
  isKnownThinking,
  isKnownToolResultContent,
  isThinkingDisplay,
  MODELED_FIELDS,
} from './anthropic-messages-schema.js';

export function findUnmodeledFields(body: MessagesRequest): string[] {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (MODELED_FIELDS.has(key) || IGNORABLE_FIELDS.has(key)) continue;
    fields.push(key);
  }
  if (body.container != null) fields.push('container');
  if (body.mcp_servers && body.mcp_servers.length > 0) fields.push('mcp_servers');
  if (body.thinking && !isKnownThinking(body.thinking)) fields.push(`thinking (type ${body.thinking.type})`);
  else if (body.thinking && 'display' in body.thinking && body.thinking.display != null) {
    if (!isThinkingDisplay(body.thinking.display)) fields.push(`thinking.display (${body.thinking.display})`);
  }
  body.tools?.forEach((tool, i) => {
    if (!isCustomTool(tool)) fields.push(`tools[${i}] (type ${tool.type})`);
    else if (tool.defer_loading === true) fields.push(`tools[${i}].defer_loading`);
  });
  body.messages.forEach((message, i) => {
    if (typeof message.content === 'string') return;
    message.content.forEach((block, j) => {
      const at = `messages[${i}].content[${j}]`;
      if (!isKnownBlock(block)) {
        fields.push(`${at} (type ${block.type})`);
        return;
      }
      switch (block.type) {
        case 'image':
          if (block.source.type === 'file') fields.push(`${at}.source (type file)`);
          return;
        case 'document':
          if (block.source.type === 'file' || block.source.type === 'content') {
            fields.push(`${at}.source (type ${block.source.type})`);
          }
          if (block.context) fields.push(`${at}.context`);
          // Citations need Anthropic's document indexes, which no translated answer can give.
          if (block.citations?.enabled === true) fields.push(`${at}.citations`);
          return;
        case 'tool_use':
          // Programmatic tool calling: the call came from Anthropic's code execution, not from the model.
          if (block.caller && block.caller.type !== 'direct')
            fields.push(`${at}.caller (type ${block.caller.type})`);
          return;
        case 'tool_result':
          if (typeof block.content === 'string' || !block.content) return;
          block.content.forEach((inner, k) => {
            if (!isKnownToolResultContent(inner)) fields.push(`${at}.content[${k}] (type ${inner.type})`);
            else if (inner.type === 'image' && inner.source.type === 'file') {
              fields.push(`${at}.content[${k}].source (type file)`);
            }
          });
          return;
        default:
          return;
      }
    });
  });
  return fields;
}
