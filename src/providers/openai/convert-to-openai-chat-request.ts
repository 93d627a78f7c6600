/**
 * Canonical request -> Chat Completions request body. The adapter always streams, so the body always asks
 * for a stream with a final usage chunk.
 */

import type {
  AssistantPart,
  FilePart,
  ImagePart,
  ProviderRequest,
  TextPart,
  ToolChoice,
  ToolResultPart,
  UserPart,
} from '../../core/canonical-request.js';
import { toDataUrl } from '../../core/data-url.js';
import { GatewayError } from '../../core/errors.js';
import { ladderEffort } from '../../core/reasoning-effort.js';
import { markToolError } from './mark-tool-error.js';
import type {
  OpenAIChatContentPart,
  OpenAIChatMessage,
  OpenAIChatRequestBody,
  OpenAIChatToolCall,
  OpenAIChatToolChoice,
} from './openai-chat-wire.js';

export function convertToOpenAIChatRequest(
  request: ProviderRequest,
  providerName: string,
): OpenAIChatRequestBody {
  if (request.topK !== undefined) {
    throw new GatewayError('unsupported', `top_k is not supported by provider ${providerName}`, {
      param: 'top_k',
      provider: providerName,
    });
  }
  const body: OpenAIChatRequestBody = {
    model: request.upstreamModel,
    messages: convertMessages(request, providerName),
    stream: true,
    stream_options: { include_usage: true },
  };
  // OpenAI refuses tool_choice and parallel_tool_calls without tools ("'tool_choice' is only allowed when
  // 'tools' are specified"); with no tools they choose nothing, so they go only with tools.
  if (request.tools && request.tools.length > 0) {
    if (request.toolChoice) body.tool_choice = convertToolChoice(request.toolChoice);
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.parameters,
        ...(tool.strict !== undefined ? { strict: tool.strict } : {}),
      },
    }));
  }
  if (request.responseFormat) {
    const format = request.responseFormat;
    body.response_format =
      format.type === 'json_schema'
        ? {
            type: 'json_schema',
            json_schema: {
              name: format.name,
              schema: format.schema,
              ...(format.strict !== undefined ? { strict: format.strict } : {}),
              ...(format.description !== undefined ? { description: format.description } : {}),
            },
          }
        : { type: format.type };
  }
  if (request.maxOutputTokens !== undefined) body.max_completion_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop && request.stop.length > 0) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  if (request.user !== undefined) body.user = request.user;
  if (request.metadata !== undefined) body.metadata = request.metadata;
  const effort = reasoningEffort(request);
  if (effort !== undefined) body.reasoning_effort = effort;
  return body;
}

/**
 * OpenAI's ReasoningEffort enum (none, minimal, low, medium, high, xhigh, max) covers the whole ladder, so
 * a rung passes through unchanged. OpenAI takes no token budget: an explicit budget (which wins over the
 * effort, see canonical-request.ts) is mapped to its nearest rung, thinking off is `none`, and adaptive
 * thinking without an effort sends nothing (the model's default effort is the closest match).
 */
function reasoningEffort(request: ProviderRequest): string | undefined {
  return ladderEffort(request.reasoning);
}

function convertToolChoice(choice: ToolChoice): OpenAIChatToolChoice {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type;
}

function convertMessages(request: ProviderRequest, providerName: string): OpenAIChatMessage[] {
  const out: OpenAIChatMessage[] = [];
  // Images returned by tools, held until the run of tool messages ends (see convertToolResult).
  let toolImages: OpenAIChatContentPart[] = [];
  const flushToolImages = () => {
    if (toolImages.length > 0) out.push({ role: 'user', content: toolImages });
    toolImages = [];
  };
  request.messages.forEach((message, i) => {
    if (message.role !== 'tool') flushToolImages();
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: textContent(message.content) });
        return;
      case 'user':
        out.push({ role: 'user', content: userContent(message.content, i, providerName) });
        return;
      case 'assistant':
        out.push(assistantMessage(message.content));
        return;
      case 'tool':
        for (const result of message.content) {
          const { text, images } = convertToolResult(result);
          out.push({ role: 'tool', tool_call_id: result.toolCallId, content: text });
          toolImages.push(...images);
        }
        return;
    }
  });
  flushToolImages();
  return out;
}

function textContent(parts: TextPart[]): string | Array<{ type: 'text'; text: string }> {
  if (parts.length === 1) return parts[0]!.text;
  return parts.map((part) => ({ type: 'text', text: part.text }));
}

function userContent(
  parts: UserPart[],
  messageIndex: number,
  providerName: string,
): string | OpenAIChatContentPart[] {
  if (parts.length === 1 && parts[0]!.type === 'text') return parts[0]!.text;
  return parts.map((part, j): OpenAIChatContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (part.type === 'image') return imagePart(part);
    return filePart(part, `messages[${messageIndex}].content[${j}]`, providerName);
  });
}

function imagePart(part: ImagePart): OpenAIChatContentPart {
  const url =
    part.source.kind === 'url' ? part.source.url : toDataUrl(part.source.mediaType, part.source.data);
  return { type: 'image_url', image_url: { url, ...(part.detail ? { detail: part.detail } : {}) } };
}

function filePart(part: FilePart, param: string, providerName: string): OpenAIChatContentPart {
  let fileData: string;
  if (part.source.kind === 'base64') fileData = toDataUrl(part.source.mediaType, part.source.data);
  else if (part.source.url.startsWith('data:')) fileData = part.source.url;
  else {
    // Chat Completions file parts take inline data or an uploaded file id, never a URL to fetch.
    throw new GatewayError(
      'unsupported',
      `file URLs are not supported by provider ${providerName}; send the file inline`,
      {
        param,
        provider: providerName,
      },
    );
  }
  return {
    type: 'file',
    file: { file_data: fileData, ...(part.filename !== undefined ? { filename: part.filename } : {}) },
  };
}

/**
 * Reasoning parts are dropped: Chat Completions has no request field for them, and the reasoning this
 * family produces (reasoning_content / reasoning) is not meant to be sent back.
 */
function assistantMessage(parts: AssistantPart[]): OpenAIChatMessage {
  let text = '';
  let hasText = false;
  const toolCalls: OpenAIChatToolCall[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      // Concatenated like the deltas they came from; many compatible servers only take string content here.
      text += part.text;
      hasText = true;
    } else if (part.type === 'tool-call') {
      toolCalls.push({
        id: part.id,
        type: 'function',
        function: { name: part.name, arguments: part.arguments },
      });
    }
  }
  return {
    role: 'assistant',
    content: hasText ? text : null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}

const IMAGES_FOLLOW = '[image output follows in the next user message]';

/**
 * OpenAI tool messages take text only. Images a tool returned go into a user message placed after the run
 * of tool messages: it cannot sit between them, because every tool_call_id of the assistant turn must be
 * answered by the tool messages that immediately follow it. The label ties each image to its call.
 */
function convertToolResult(result: ToolResultPart): { text: string; images: OpenAIChatContentPart[] } {
  const texts: string[] = [];
  const images: OpenAIChatContentPart[] = [];
  for (const part of result.content) {
    if (part.type === 'text') texts.push(part.text);
    else images.push(imagePart(part));
  }
  // Separate text blocks stay separate lines rather than running into each other.
  // Images alone still leave the tool message a text: where they went.
  const body = texts.length === 0 && images.length > 0 ? IMAGES_FOLLOW : texts.join('\n');
  const text = markToolError(body, result.isError === true);
  if (images.length === 0) return { text, images };
  const label: OpenAIChatContentPart = {
    type: 'text',
    text: `Image output of tool call ${result.toolCallId}:`,
  };
  return { text, images: [label, ...images] };
}
