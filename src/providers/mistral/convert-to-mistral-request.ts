/**
 * Canonical request -> Mistral chat completions body. Tools, response_format and the sampling fields are
 * the Chat Completions wire, so they come from the OpenAI converter; messages differ (thinking chunks,
 * 9-character tool call ids, document_url) and are written here.
 */

import type {
  AssistantPart,
  FilePart,
  ProviderRequest,
  ToolResultPart,
  UserPart,
} from '../../core/canonical-request.js';
import { toDataUrl } from '../../core/data-url.js';
import { GatewayError } from '../../core/errors.js';
import { convertToOpenAIChatRequest } from '../openai/convert-to-openai-chat-request.js';
import type { OpenAIChatToolChoice } from '../openai/openai-chat-wire.js';
import { mapMistralReasoning } from './map-mistral-reasoning.js';
import type { MistralToolCallIds } from './mistral-tool-call-id.js';
import type {
  MistralAssistantChunk,
  MistralChatRequestBody,
  MistralMessage,
  MistralToolChoice,
  MistralUserChunk,
} from './mistral-wire.js';

export function convertToMistralRequest(
  request: ProviderRequest,
  providerName: string,
  ids: MistralToolCallIds,
): MistralChatRequestBody {
  // Messages are converted below; the OpenAI converter supplies (and validates, e.g. top_k) the rest.
  const openai = convertToOpenAIChatRequest({ ...request, messages: [] }, providerName);
  const body: MistralChatRequestBody = {
    model: request.upstreamModel,
    messages: convertMessages(request, providerName, ids),
    stream: true,
  };
  if (openai.tools) body.tools = openai.tools;
  if (openai.tool_choice !== undefined) body.tool_choice = mistralToolChoice(openai.tool_choice);
  if (openai.parallel_tool_calls !== undefined) body.parallel_tool_calls = openai.parallel_tool_calls;
  if (openai.response_format) body.response_format = openai.response_format;
  if (openai.max_completion_tokens !== undefined) body.max_tokens = openai.max_completion_tokens;
  if (openai.temperature !== undefined) body.temperature = openai.temperature;
  if (openai.top_p !== undefined) body.top_p = openai.top_p;
  if (openai.stop) body.stop = openai.stop;
  if (openai.seed !== undefined) body.random_seed = openai.seed;
  if (openai.presence_penalty !== undefined) body.presence_penalty = openai.presence_penalty;
  if (openai.frequency_penalty !== undefined) body.frequency_penalty = openai.frequency_penalty;
  Object.assign(body, mapMistralReasoning(request.upstreamModel, request.reasoning));
  return body;
}

function mistralToolChoice(choice: OpenAIChatToolChoice): MistralToolChoice {
  return choice === 'required' ? 'any' : choice;
}

function convertMessages(
  request: ProviderRequest,
  providerName: string,
  ids: MistralToolCallIds,
): MistralMessage[] {
  const out: MistralMessage[] = [];
  request.messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
        out.push({
          role: 'system',
          content:
            message.content.length === 1
              ? message.content[0]!.text
              : message.content.map((part) => ({ type: 'text' as const, text: part.text })),
        });
        return;
      case 'user':
        out.push({ role: 'user', content: userContent(message.content, i, providerName) });
        return;
      case 'assistant':
        out.push(assistantMessage(message.content, ids, i === request.messages.length - 1));
        return;
      case 'tool':
        message.content.forEach((result, j) => {
          out.push(toolMessage(result, `messages[${i}].content[${j}]`, providerName, ids));
        });
        return;
    }
  });
  return out;
}

function userContent(
  parts: UserPart[],
  messageIndex: number,
  providerName: string,
): string | MistralUserChunk[] {
  if (parts.length === 1 && parts[0]!.type === 'text') return parts[0]!.text;
  return parts.map((part, j): MistralUserChunk => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (part.type === 'image') {
      const source = part.source;
      return {
        type: 'image_url',
        image_url: source.kind === 'url' ? source.url : toDataUrl(source.mediaType, source.data),
      };
    }
    return documentChunk(part, `messages[${messageIndex}].content[${j}]`, providerName);
  });
}

/** Mistral reads documents from a URL, or a PDF inline as a data URL; nothing else inline. */
function documentChunk(part: FilePart, param: string, providerName: string): MistralUserChunk {
  let url: string;
  if (part.source.kind === 'url') url = part.source.url;
  else if (part.source.mediaType === 'application/pdf') url = toDataUrl('application/pdf', part.source.data);
  else {
    throw new GatewayError(
      'unsupported',
      `inline ${part.source.mediaType} files are not supported by provider ${providerName}; send a PDF or a URL`,
      { param, provider: providerName },
    );
  }
  return {
    type: 'document_url',
    document_url: url,
    ...(part.filename !== undefined ? { document_name: part.filename } : {}),
  };
}

/**
 * Assistant content is always a chunk list, as Mistral returns it: reasoning goes back as `thinking`
 * chunks (consecutive reasoning parts form one chunk) so magistral sees its own earlier thoughts.
 * A trailing assistant message is sent with `prefix: true`: Mistral refuses a last assistant message
 * without it, and with it continues that text, as Anthropic does with a prefill.
 */
function assistantMessage(parts: AssistantPart[], ids: MistralToolCallIds, last: boolean): MistralMessage {
  const content: MistralAssistantChunk[] = [];
  const toolCalls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> =
    [];
  for (const part of parts) {
    if (part.type === 'text') content.push({ type: 'text', text: part.text });
    else if (part.type === 'reasoning') {
      if (part.text === '') continue; // opaque reasoning from another provider: nothing Mistral can read
      const last = content.at(-1);
      if (last?.type === 'thinking') last.thinking.push({ type: 'text', text: part.text });
      else content.push({ type: 'thinking', thinking: [{ type: 'text', text: part.text }] });
    } else {
      toolCalls.push({
        id: ids.toMistral(part.id),
        type: 'function',
        function: { name: part.name, arguments: part.arguments },
      });
    }
  }
  return {
    role: 'assistant',
    content,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    ...(last ? { prefix: true as const } : {}),
  };
}

function toolMessage(
  result: ToolResultPart,
  param: string,
  providerName: string,
  ids: MistralToolCallIds,
): MistralMessage {
  const texts = result.content.map((part, k) => {
    if (part.type === 'text') return part.text;
    throw new GatewayError(
      'unsupported',
      `images in tool results are not supported by provider ${providerName}`,
      {
        param: `${param}.content[${k}]`,
        provider: providerName,
      },
    );
  });
  return {
    role: 'tool',
    tool_call_id: ids.toMistral(result.toolCallId),
    ...(result.toolName !== undefined ? { name: result.toolName } : {}),
    content: texts.join('\n'),
  };
}
