/**
 * The Response object's envelope: ids, status, and the request fields the spec requires echoed back
 * (instructions, tools, tool_choice, parallel_tool_calls, temperature, top_p, text, reasoning, truncation,
 * metadata, previous_response_id, store, max_output_tokens, ...), with OpenAI's defaults where the client
 * gave none.
 */
import type { ResponsesRequest } from './openai-responses-schema.js';
import type { ResponsesUsage } from './openai-responses-usage.js';

export type ResponseStatus = 'completed' | 'failed' | 'in_progress' | 'cancelled' | 'queued' | 'incomplete';

/** One item of `output` (reasoning, message, function_call, ...), as JSON. */
export type OutputItem = Record<string, unknown> & { id: string; type: string };

export interface ResponseObject extends Record<string, unknown> {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  model: string;
  output: OutputItem[];
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
  usage?: ResponsesUsage;
}

export interface ResponseEnvelopeOptions {
  id: string;
  createdAt: number;
  /** The model name to report: what the client asked for. */
  model: string;
  status: ResponseStatus;
  request?: ResponsesRequest;
}

const SERVICE_TIERS = new Set(['auto', 'default', 'flex', 'scale', 'priority']);

export function responseEnvelope(options: ResponseEnvelopeOptions): ResponseObject {
  const request = options.request;
  const conversation = request?.conversation;
  const response: ResponseObject = {
    id: options.id,
    object: 'response',
    created_at: options.createdAt,
    status: options.status,
    background: request?.background ?? false,
    error: null,
    incomplete_details: null,
    instructions: request?.instructions ?? null,
    max_output_tokens: request?.max_output_tokens ?? null,
    max_tool_calls: request?.max_tool_calls ?? null,
    model: options.model,
    output: [],
    parallel_tool_calls: request?.parallel_tool_calls ?? true,
    previous_response_id: request?.previous_response_id ?? null,
    prompt_cache_key: request?.prompt_cache_key ?? null,
    reasoning: {
      effort: request?.reasoning?.effort ?? null,
      summary: request?.reasoning?.summary ?? request?.reasoning?.generate_summary ?? null,
    },
    safety_identifier: request?.safety_identifier ?? null,
    service_tier:
      request?.service_tier && SERVICE_TIERS.has(request.service_tier) ? request.service_tier : 'default',
    store: request?.store ?? true,
    temperature: request?.temperature ?? 1,
    text: {
      format: request?.text?.format ?? { type: 'text' },
      verbosity: request?.text?.verbosity ?? 'medium',
    },
    tool_choice: request?.tool_choice ?? 'auto',
    tools: (request?.tools ?? []).map(echoTool),
    top_logprobs: request?.top_logprobs ?? 0,
    top_p: request?.top_p ?? 1,
    truncation: request?.truncation ?? 'disabled',
    metadata: request?.metadata ?? {},
    conversation:
      conversation == null ? null : { id: typeof conversation === 'string' ? conversation : conversation.id },
  };
  if (request?.user != null) response.user = request.user;
  return response;
}

/** Function tools as the spec's FunctionTool (strict and parameters are required, nullable). */
function echoTool(tool: NonNullable<ResponsesRequest['tools']>[number]): Record<string, unknown> {
  if (tool.type !== 'function') return tool;
  const fn = tool as Record<string, unknown>;
  return {
    ...fn,
    description: fn.description ?? null,
    parameters: fn.parameters ?? null,
    strict: fn.strict ?? null,
  };
}
