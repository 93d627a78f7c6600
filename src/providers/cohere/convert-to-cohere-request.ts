/**
 * Canonical request -> Cohere v2 chat request body. The adapter always streams.
 */

import type {
  AssistantPart,
  ProviderRequest,
  ToolChoice,
  ToolDefinition,
  ToolResultPart,
  UserPart,
} from '../../core/canonical-request.js';
import { toDataUrl } from '../../core/data-url.js';
import { GatewayError } from '../../core/errors.js';
import type {
  CohereAssistantContent,
  CohereChatRequestBody,
  CohereMessage,
  CohereTool,
  CohereToolContent,
  CohereUserContent,
} from './cohere-wire.js';
import { mapCohereThinking } from './map-cohere-thinking.js';

export function convertToCohereRequest(
  request: ProviderRequest,
  providerName: string,
): CohereChatRequestBody {
  const body: CohereChatRequestBody = {
    model: request.upstreamModel,
    messages: convertMessages(request, providerName),
    stream: true,
  };
  const { tools, toolChoice } = convertTools(request.tools, request.toolChoice);
  if (tools) body.tools = tools;
  if (toolChoice) body.tool_choice = toolChoice;
  const format = request.responseFormat;
  if (format?.type === 'json_object') body.response_format = { type: 'json_object' };
  else if (format?.type === 'json_schema')
    body.response_format = { type: 'json_object', json_schema: format.schema };
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.p = request.topP;
  if (request.topK !== undefined) body.k = request.topK;
  if (request.stop && request.stop.length > 0) body.stop_sequences = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  // Same meaning as OpenAI's; Cohere's range is 0 to 1, and it answers a value outside with its own 400.
  if (request.presencePenalty !== undefined) body.presence_penalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) body.frequency_penalty = request.frequencyPenalty;
  const thinking = mapCohereThinking(request.reasoning);
  if (thinking) body.thinking = thinking;
  return body;
}

/**
 * Cohere's tool_choice only knows REQUIRED and NONE (no value means auto). A named tool is forced by
 * offering only that tool and requiring a call, which is what the client asked for.
 */
function convertTools(
  tools: ToolDefinition[] | undefined,
  choice: ToolChoice | undefined,
): { tools?: CohereTool[]; toolChoice?: 'REQUIRED' | 'NONE' } {
  if (!tools || tools.length === 0) return {};
  const offered = choice?.type === 'tool' ? tools.filter((tool) => tool.name === choice.name) : tools;
  if (offered.length === 0 && choice?.type === 'tool') {
    throw new GatewayError('invalid_request', `tool_choice names "${choice.name}", which is not in tools`, {
      param: 'tool_choice',
    });
  }
  const converted = offered.map(
    (tool): CohereTool => ({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        parameters: tool.parameters,
      },
    }),
  );
  switch (choice?.type) {
    case 'required':
    case 'tool':
      return { tools: converted, toolChoice: 'REQUIRED' };
    case 'none':
      return { tools: converted, toolChoice: 'NONE' };
    default:
      return { tools: converted };
  }
}

function convertMessages(request: ProviderRequest, providerName: string): CohereMessage[] {
  const out: CohereMessage[] = [];
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
        out.push(assistantMessage(message.content));
        return;
      case 'tool':
        message.content.forEach((result, j) => {
          out.push(toolMessage(result, `messages[${i}].content[${j}]`, providerName));
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
): string | CohereUserContent[] {
  if (parts.length === 1 && parts[0]!.type === 'text') return parts[0]!.text;
  return parts.map((part, j): CohereUserContent => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    if (part.type === 'image') {
      const url =
        part.source.kind === 'url' ? part.source.url : toDataUrl(part.source.mediaType, part.source.data);
      return { type: 'image_url', image_url: { url, ...(part.detail ? { detail: part.detail } : {}) } };
    }
    // Cohere takes documents for RAG as plain text in a separate field, not as files in a message.
    throw new GatewayError('unsupported', `file parts are not supported by provider ${providerName}`, {
      param: `messages[${messageIndex}].content[${j}]`,
      provider: providerName,
    });
  });
}

/**
 * Text beside tool calls is Cohere's `tool_plan` (the stream decoder turns the plan into text, so it comes
 * back where it came from). Reasoning goes back as `thinking` content, which Cohere accepts in history.
 */
function assistantMessage(parts: AssistantPart[]): CohereMessage {
  let text = '';
  const reasoning: string[] = [];
  const toolCalls: Array<{
    id: string;
    type: 'function';
    function: { name: string; arguments: string };
  }> = [];
  for (const part of parts) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'reasoning') {
      if (part.text !== '') reasoning.push(part.text);
    } else
      toolCalls.push({
        id: part.id,
        type: 'function',
        function: { name: part.name, arguments: part.arguments },
      });
  }
  const thinking: CohereAssistantContent[] = reasoning.map((t) => ({ type: 'thinking', thinking: t }));
  if (toolCalls.length > 0) {
    return {
      role: 'assistant',
      ...(thinking.length > 0 ? { content: thinking } : {}),
      ...(text !== '' ? { tool_plan: text } : {}),
      tool_calls: toolCalls,
    };
  }
  if (thinking.length === 0) return { role: 'assistant', content: text };
  return {
    role: 'assistant',
    content: [...thinking, ...(text !== '' ? [{ type: 'text' as const, text }] : [])],
  };
}

/** One text result is sent as a string; several parts become documents, which Cohere can cite. */
function toolMessage(result: ToolResultPart, param: string, providerName: string): CohereMessage {
  const texts: string[] = [];
  result.content.forEach((part, k) => {
    if (part.type !== 'text') {
      throw new GatewayError(
        'unsupported',
        `images in tool results are not supported by provider ${providerName}`,
        {
          param: `${param}.content[${k}]`,
          provider: providerName,
        },
      );
    }
    texts.push(part.text);
  });
  const content: string | CohereToolContent[] =
    texts.length <= 1 ? (texts[0] ?? '') : texts.map((data) => ({ type: 'document', document: { data } }));
  return { role: 'tool', tool_call_id: result.toolCallId, content };
}
