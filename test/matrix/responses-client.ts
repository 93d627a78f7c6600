/**
 * The OpenAI Responses client dialect, driven by the official `openai` SDK (`client.responses.create`,
 * `client.responses.stream`): a neutral `Turn` becomes a create body, and what the SDK hands back becomes
 * a view comparable with the fixture projection (matrix-responses-answer.ts). What the gateway writes is
 * checked against the OpenAPI spec (every stream event, every Response) and, for streams, against the
 * documented event sequence. The next turn continues with `previous_response_id`, as Responses clients do.
 */
import type OpenAI from 'openai';
import type {
  FunctionTool,
  Response,
  ResponseCreateParams,
  ResponseCreateParamsNonStreaming,
  ResponseInputItem,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import { expect } from 'vitest';
import type { ResponsesView } from '../support/matrix-responses-answer.js';
import { recordedResponse, responsesViewOf } from '../support/matrix-responses-answer.js';
import { responsesStreamProblems } from '../support/matrix-responses-events.js';
import { expectValidAgainstSpec } from '../support/openapi.js';
import type { ToolSpec, Turn } from './clients.js';
import { openAIReading, toolResultText } from './clients.js';
import type { Replay } from './replays.js';

export interface ResponsesResult {
  dialect: 'openai-responses';
  view: ResponsesView;
  /** The SDK's result: the Response, or the events of a stream and the stream's final Response. */
  raw: Response | { events: ResponseStreamEvent[]; final: Response };
  /** The Response as the gateway sent it (a stream's terminal event's), for the next turn's id. */
  response: Response;
  toolCallIds: string[];
}

/** The reasoning a Responses client asks for: the same rung as reasoning_effort "low", with summaries. */
export const RESPONSES_REASONING = { effort: 'low', summary: 'auto' } as const;

export function responsesTools(tools: ToolSpec[]): FunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    name: tool.name,
    description: tool.description,
    parameters: tool.parameters,
    strict: false,
  }));
}

export function responsesRequest(turn: Turn): ResponseCreateParams {
  const params: Record<string, unknown> = {
    model: turn.model,
    input: [
      {
        role: 'user',
        content: turn.user.map((part) => {
          if (part.type === 'text') return { type: 'input_text', text: part.text };
          const url = part.type === 'image' ? `data:${part.mediaType};base64,${part.data}` : part.url;
          return { type: 'input_image', image_url: url, detail: 'auto' };
        }),
      },
    ],
  };
  if (turn.system) params.instructions = turn.system;
  if (turn.tools) params.tools = responsesTools(turn.tools);
  if (turn.toolChoice) params.tool_choice = turn.toolChoice;
  if (turn.jsonSchema)
    params.text = {
      format: {
        type: 'json_schema',
        name: turn.jsonSchema.name,
        schema: turn.jsonSchema.schema,
        strict: true,
      },
    };
  if (turn.reasoning) {
    params.reasoning = RESPONSES_REASONING;
    params.include = ['reasoning.encrypted_content'];
  }
  if (turn.stream) params.stream = true;
  return params as unknown as ResponseCreateParams;
}

/**
 * `relayed`: the answer is OpenAI's own bytes (the same-dialect fast path); the gateway does not own them,
 * so they are not held to the spec or the sequence rules (the recordings predate the spec in places).
 */
export async function runResponses(
  client: OpenAI,
  params: ResponseCreateParams,
  relayed = false,
): Promise<ResponsesResult> {
  let raw: ResponsesResult['raw'];
  let response: Response;
  if (params.stream) {
    const { stream: _stream, ...rest } = params;
    const stream = client.responses.stream(rest);
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const final = await stream.finalResponse();
    response = terminalResponse(events);
    if (!relayed) {
      for (const event of events) expectValidAgainstSpec('ResponseStreamEvent', event);
      expect(responsesStreamProblems(events)).toEqual([]);
    }
    raw = { events, final };
  } else {
    response = await client.responses.create(params);
    raw = response;
  }
  if (!relayed) {
    expectValidAgainstSpec('Response', withoutSdkFields(response));
    expectEchoed(response, params);
  }
  const view = responsesViewOf(response as unknown as Record<string, unknown>);
  return {
    dialect: 'openai-responses',
    view,
    raw,
    response,
    toolCallIds: view.items.flatMap((item) => (item.type === 'function_call' ? [item.call_id ?? ''] : [])),
  };
}

function terminalResponse(events: ResponseStreamEvent[]): Response {
  const terminal = events.findLast(
    (event) =>
      event.type === 'response.completed' ||
      event.type === 'response.incomplete' ||
      event.type === 'response.failed',
  );
  if (!terminal || !('response' in terminal))
    throw new Error(`no terminal event in ${events.map((e) => e.type).join(', ')}`);
  return terminal.response;
}

/** A Response echoes the request it answers: the model asked for, instructions, tools, format, reasoning, chain. */
function expectEchoed(response: Response, params: ResponseCreateParams): void {
  expect(response.model).toBe(params.model);
  expect(response.instructions ?? null).toBe(params.instructions ?? null);
  expect(response.previous_response_id ?? null).toBe(params.previous_response_id ?? null);
  expect(response.tools.map((tool) => (tool.type === 'function' ? tool.name : tool.type))).toEqual(
    (params.tools ?? []).map((tool) => (tool.type === 'function' ? tool.name : tool.type)),
  );
  expect(response.text?.format).toEqual(params.text?.format ?? { type: 'text' });
  expect(response.reasoning?.effort ?? null).toBe(params.reasoning?.effort ?? null);
}

/** The Response as it came over the wire: without the `output_text` convenience the SDK adds. */
function withoutSdkFields(response: Response): unknown {
  const { output_text: _text, ...wire } = response;
  return wire;
}

/** The tool results (or a follow-up question) a client sends after a Response, continuing it by id. */
export function responsesNextTurn(
  result: ResponsesResult,
  model: string,
  tools?: ToolSpec[],
  reasoning = false,
): ResponseCreateParamsNonStreaming {
  const input: ResponseInputItem[] =
    result.toolCallIds.length === 0
      ? [{ role: 'user', content: 'Thanks. And then?' }]
      : result.toolCallIds.map((id, i) => ({
          type: 'function_call_output',
          call_id: id,
          output: toolResultText(i),
        }));
  return {
    model,
    previous_response_id: result.response.id,
    input,
    ...(tools ? { tools: responsesTools(tools) } : {}),
    ...(reasoning ? { reasoning: RESPONSES_REASONING, include: ['reasoning.encrypted_content'] } : {}),
  };
}

/**
 * Same-dialect fast path: the client got exactly what the SDK reads from the recorded bytes, and its view
 * is the recording's own (hosted-tool items, several messages, OpenAI's encrypted_content as it is).
 */
export async function expectResponsesRelayed(
  result: ResponsesResult,
  replay: Replay,
  params: ResponseCreateParams,
): Promise<void> {
  const reading = openAIReading(replay.body, replay.contentType);
  if (params.stream) {
    const { stream: _stream, ...rest } = params;
    const stream = reading.responses.stream(rest);
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(result.raw).toEqual({ events, final: await stream.finalResponse() });
  } else {
    expect(result.raw).toEqual(await reading.responses.create(params));
  }
  expect(result.view).toEqual(responsesViewOf(recordedResponse(replay.body, replay.contentType)));
}
