/**
 * Client fields and items a translated path cannot honour (see DecodedRequest.unmodeled). Each entry names
 * where it is: `prompt`, `tools[1] (type web_search)`, `input[3] (type web_search_call)`,
 * `input[0].content[1].file_id`. On the same-dialect fast path they are forwarded untouched; otherwise the
 * router answers 400 "<entry> is not supported by provider <name> (<type>)".
 */

import type { ResponsesInputItem, ResponsesRequest } from './openai-responses-schema.js';
import { asKnownItem, IGNORABLE_FIELDS, MODELED_FIELDS } from './openai-responses-schema.js';
import type { ItemPath } from './openai-responses-to-canonical.js';

export function findUnmodeledFields(
  request: ResponsesRequest,
  items: readonly ResponsesInputItem[],
): string[] {
  const fields: string[] = [];
  for (const [key, value] of Object.entries(request)) {
    if (value === null || value === undefined) continue;
    if (MODELED_FIELDS.has(key) || IGNORABLE_FIELDS.has(key)) continue;
    fields.push(key);
  }
  request.tools?.forEach((tool, i) => {
    if (tool.type !== 'function') fields.push(`tools[${i}] (type ${tool.type})`);
  });
  const choice = request.tool_choice;
  if (choice != null && typeof choice === 'object') {
    const type = (choice as { type: string }).type;
    if (type !== 'function' && type !== 'allowed_tools') fields.push(`tool_choice (type ${type})`);
  }
  if (request.top_logprobs != null && request.top_logprobs > 0) fields.push('top_logprobs');
  // 'medium' is OpenAI's default and asks for nothing; 'low' / 'high' steer the answer's length, which no
  // translated provider can be told (the canonical request has no such field).
  const verbosity = request.text?.verbosity;
  if (verbosity != null && verbosity !== 'medium') fields.push('text.verbosity');
  for (const include of request.include ?? []) {
    if (include === 'message.output_text.logprobs') fields.push(`include (${include})`);
  }
  fields.push(...findUnmodeledItems(items));
  return fields;
}

/** Items (and parts of items) the canonical model cannot carry. */
export function findUnmodeledItems(
  items: readonly ResponsesInputItem[],
  pathOf: ItemPath = (index) => `input[${index}]`,
): string[] {
  const fields: string[] = [];
  items.forEach((raw, index) => {
    const path = pathOf(index);
    const item = asKnownItem(raw);
    if (!item) {
      fields.push(`${path} (type ${raw.type})`);
      return;
    }
    switch (item.type) {
      case 'message':
        if (typeof item.content === 'string') return;
        item.content.forEach((part, i) => {
          const at = `${path}.content[${i}]`;
          if (part.type === 'input_image' && !part.image_url) fields.push(`${at}.file_id`);
          else if (part.type === 'input_file' && !part.file_data && !part.file_url)
            fields.push(`${at}.file_id`);
        });
        return;
      case 'function_call_output':
        if (typeof item.output === 'string') return;
        item.output.forEach((part, i) => {
          const at = `${path}.output[${i}]`;
          if (part.type === 'input_file') fields.push(`${at} (type input_file)`);
          else if (part.type === 'input_image' && !part.image_url) fields.push(`${at}.file_id`);
        });
        return;
      case 'item_reference':
        fields.push(`${path} (type item_reference)`);
        return;
      default:
        return;
    }
  });
  return fields;
}
