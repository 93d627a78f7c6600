/**
 * Canonical request -> Ollama `/api/chat` body. The adapter always streams (NDJSON).
 */
import type {
  AssistantPart,
  ImagePart,
  ProviderRequest,
  ToolResultPart,
  UserPart,
} from '../../core/canonical-request.js';
import { parseDataUrl } from '../../core/data-url.js';
import { GatewayError } from '../../core/errors.js';
import { mapOllamaThink } from './map-ollama-think.js';
import type { OllamaChatRequestBody, OllamaMessage, OllamaOptions, OllamaToolCall } from './ollama-wire.js';

export function convertToOllamaRequest(
  request: ProviderRequest,
  providerName: string,
): OllamaChatRequestBody {
  const body: OllamaChatRequestBody = {
    model: request.upstreamModel,
    messages: convertMessages(request, providerName),
    stream: true,
  };
  // Ollama has no tool_choice: "none" is honoured by not offering tools, a named tool by offering only it.
  // "required" cannot be enforced; the model decides.
  const choice = request.toolChoice;
  const tools =
    choice?.type === 'none'
      ? []
      : choice?.type === 'tool'
        ? (request.tools ?? []).filter((tool) => tool.name === choice.name)
        : (request.tools ?? []);
  if (tools.length > 0) {
    body.tools = tools.map((tool) => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.parameters,
      },
    }));
  }
  const think = mapOllamaThink(request.upstreamModel, request.reasoning);
  if (think !== undefined) body.think = think;
  const format = request.responseFormat;
  if (format?.type === 'json_object') body.format = 'json';
  else if (format?.type === 'json_schema') body.format = format.schema;
  const options = convertOptions(request);
  if (Object.keys(options).length > 0) body.options = options;
  return body;
}

function convertOptions(request: ProviderRequest): OllamaOptions {
  const options: OllamaOptions = {};
  if (request.temperature !== undefined) options.temperature = request.temperature;
  if (request.topP !== undefined) options.top_p = request.topP;
  if (request.topK !== undefined) options.top_k = request.topK;
  if (request.maxOutputTokens !== undefined) options.num_predict = request.maxOutputTokens;
  if (request.stop && request.stop.length > 0) options.stop = request.stop;
  if (request.seed !== undefined) options.seed = request.seed;
  if (request.presencePenalty !== undefined) options.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) options.frequency_penalty = request.frequencyPenalty;
  return options;
}

function convertMessages(request: ProviderRequest, providerName: string): OllamaMessage[] {
  const out: OllamaMessage[] = [];
  // Ollama pairs a tool result with its call by tool name; results that do not carry one find it here.
  const toolNames = new Map<string, string>();
  request.messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
        out.push({ role: 'system', content: message.content.map((part) => part.text).join('\n') });
        return;
      case 'user':
        out.push(userMessage(message.content, i, providerName));
        return;
      case 'assistant':
        for (const part of message.content) if (part.type === 'tool-call') toolNames.set(part.id, part.name);
        out.push(assistantMessage(message.content, i));
        return;
      case 'tool':
        message.content.forEach((result, j) => {
          out.push(toolMessage(result, toolNames, `messages[${i}].content[${j}]`, providerName));
        });
        return;
    }
  });
  return out;
}

function userMessage(parts: UserPart[], messageIndex: number, providerName: string): OllamaMessage {
  const texts: string[] = [];
  const images: string[] = [];
  parts.forEach((part, j) => {
    const param = `messages[${messageIndex}].content[${j}]`;
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'image') images.push(imageData(part, param, providerName));
    else {
      throw new GatewayError('unsupported', `file parts are not supported by provider ${providerName}`, {
        param,
        provider: providerName,
      });
    }
  });
  return { role: 'user', content: texts.join('\n'), ...(images.length > 0 ? { images } : {}) };
}

/** Ollama takes images as bare base64; it does not fetch URLs. */
function imageData(part: ImagePart, param: string, providerName: string): string {
  if (part.source.kind === 'base64') return part.source.data;
  const inline = parseDataUrl(part.source.url);
  if (inline) return inline.data;
  throw new GatewayError(
    'unsupported',
    `image URLs are not supported by provider ${providerName}; send the image inline as base64`,
    { param, provider: providerName },
  );
}

/** Reasoning goes back in `thinking`, tool calls with their arguments as an object (Ollama's form). */
function assistantMessage(parts: AssistantPart[], messageIndex: number): OllamaMessage {
  let content = '';
  const thinking: string[] = [];
  const toolCalls: OllamaToolCall[] = [];
  parts.forEach((part, j) => {
    if (part.type === 'text') content += part.text;
    else if (part.type === 'reasoning') {
      if (part.text !== '') thinking.push(part.text);
    } else {
      toolCalls.push({
        function: {
          name: part.name,
          arguments: parseArguments(part.arguments, `messages[${messageIndex}].content[${j}].arguments`),
        },
      });
    }
  });
  return {
    role: 'assistant',
    content,
    ...(thinking.length > 0 ? { thinking: thinking.join('\n') } : {}),
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  };
}

function parseArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayError('invalid_request', 'tool call arguments must be a JSON object', { param });
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new GatewayError('invalid_request', 'tool call arguments must be a JSON object', { param });
  }
  return value as Record<string, unknown>;
}

function toolMessage(
  result: ToolResultPart,
  toolNames: Map<string, string>,
  param: string,
  providerName: string,
): OllamaMessage {
  const texts: string[] = [];
  const images: string[] = [];
  result.content.forEach((part, k) => {
    if (part.type === 'text') texts.push(part.text);
    else images.push(imageData(part, `${param}.content[${k}]`, providerName));
  });
  const toolName = result.toolName ?? toolNames.get(result.toolCallId);
  return {
    role: 'tool',
    content: texts.join('\n'),
    ...(images.length > 0 ? { images } : {}),
    ...(toolName !== undefined ? { tool_name: toolName } : {}),
  };
}
