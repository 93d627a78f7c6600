/**
 * Runs one cell of the matrix: the client dialect's official SDK against the real gateway, the upstream
 * mock replaying the provider's recording, then three checks: the client saw what the recording says (in
 * its own dialect), the upstream got the request in its own format, and a second turn carries back what
 * the provider needs (tool call ids and results, signatures). Responses clients continue by
 * `previous_response_id`: the gateway rebuilds the history from its store.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { expect } from 'vitest';
import { caught } from '../support/caught.js';
import type { Answer, AnthropicView, OpenAIView } from '../support/matrix-answer.js';
import { anthropicView, openAIView } from '../support/matrix-answer.js';
import { geminiTextSignatures, responsesView } from '../support/matrix-responses-answer.js';
import type { MatrixUpstream } from '../support/matrix-upstream-server.js';
import type { AnthropicResult, ClientResult, Turn } from './clients.js';
import {
  anthropicNextTurn,
  anthropicReading,
  anthropicRequest,
  IMAGE_URL,
  openAINextTurn,
  openAIReading,
  openAIRequest,
  REASONING_BUDGET,
  runAnthropic,
  runOpenAI,
  TINY_PNG,
  toolResultText,
} from './clients.js';
import type {
  ColumnEnv,
  ProviderColumn,
  ReplayedScenario,
  ScenarioReplays,
  Unsupported,
} from './column-types.js';
import type { Declared, DialectId, FixtureRole, FixtureUse, ScenarioId } from './matrix-types.js';
import type { ErrorReplay, Replay } from './replays.js';
import {
  expectResponsesRelayed,
  responsesNextTurn,
  responsesRequest,
  runResponses,
} from './responses-client.js';
import type { Shortfall } from './scenarios.js';
import {
  buildTurn,
  expectRecordingShows,
  JSON_SCHEMA,
  MODES,
  SECOND_TURN,
  SYSTEM,
  toolsFor,
} from './scenarios.js';
import { runUnsupportedCell } from './unsupported-cells.js';
import type { Wire } from './upstream.js';
import {
  imagesOf,
  jsonSchemaOf,
  reasoningOf,
  systemTextOf,
  toolNamesOf,
  toolRoundTripOf,
} from './upstream.js';

export interface MatrixClients {
  openai: OpenAI;
  anthropic: Anthropic;
}

export interface CellRun {
  declared: Declared;
  fixtures: FixtureUse[];
}

type Json = Record<string, unknown>;

/** The mock behind a column and the run's shared values: what a cell needs besides the clients. */
export interface CellUpstream {
  mock: MatrixUpstream;
  env: ColumnEnv;
}

/** How a column serves one client dialect: the wire, path and recordings of its relay or of its own API. */
export interface Served {
  /** The same-dialect fast path: the client's body goes upstream and the provider's bytes come back. */
  fast: boolean;
  wire: Wire;
  path(model: string): string;
  replays: Record<ReplayedScenario, ScenarioReplays>;
  error: ErrorReplay;
  followUp: ScenarioReplays;
}

export function servedFor(column: ProviderColumn, dialect: DialectId): Served {
  const relay = dialect === 'openai-responses' ? column.responsesRelay : undefined;
  if (relay)
    return {
      fast: true,
      wire: 'openai-responses',
      path: () => relay.path,
      replays: relay.replays,
      error: relay.error,
      followUp: relay.followUp,
    };
  return {
    fast: column.fastPath === dialect,
    wire: column.wire,
    path: (model) => column.path(model),
    replays: column.replays,
    error: column.error,
    followUp: column.followUp,
  };
}

/** Gemini signatures of plain text, which every surface carries (TEXT_SIGNATURE_NOTE says where). */
function textSignaturesOf(wire: Wire, replay: Replay): string[] {
  return wire === 'gemini' ? geminiTextSignatures(replay.body) : [];
}

export async function runProviderCell(
  clients: MatrixClients,
  column: ProviderColumn,
  upstream: CellUpstream,
  dialect: DialectId,
  scenario: ScenarioId,
): Promise<CellRun> {
  const served = servedFor(column, dialect);
  if (scenario === 'upstream-error') return runErrorCell(clients, column, served, upstream, dialect);
  const replays = served.replays[scenario];
  const unsupported = column.unsupported?.[scenario]?.(dialect);
  if (unsupported && unsupported.kind !== 'degraded')
    return runUnsupportedCell(clients, column, upstream, dialect, scenario, unsupported);
  const model = replays.model ?? column.model;
  const fast = served.fast;
  const { mock, env } = upstream;
  const fixtures: FixtureUse[] = [];
  const use = (role: FixtureRole, label: string): void => {
    if (!fixtures.some((f) => f.role === role && f.label === label)) fixtures.push({ role, label });
  };
  const notes: string[] = unsupported ? [unsupported.note] : [];
  if (replays.standIn) notes.push(replays.standIn.note);
  const lacks = recordingShortfall(replays, unsupported);
  for (const stream of MODES[scenario]) {
    const replay = fast && !stream ? replays.json : replays.stream;
    if (!replay) {
      notes.push(`the non-stream run is skipped: ${replays.stream.label} is a stream recording only`);
      continue;
    }
    use(fast && !stream ? 'non-stream' : 'stream', replay.label);
    if (replay.reshaped)
      notes.push(`${replay.label} was recorded without streaming and is replayed as the equivalent stream`);
    if (replay.note) notes.push(replay.note);
    expectRecordingShows(scenario, served.wire, replay, lacks);

    mock.reset();
    mock.enqueue(replay.answer());
    const turn = buildTurn(scenario, `${column.name}/${model}`, replay.expected, stream);
    const result = await runClient(clients, dialect, turn, fast);
    expect(mock.requests, 'one upstream request').toHaveLength(1);
    await column.checkRequest?.(mock.last(), env);
    if (fast) await expectRelayed(dialect, result, replay, turn, model, mock);
    // A relayed Response is compared with the recording's own reading (expectRelayed).
    if (!(fast && result.dialect === 'openai-responses'))
      expectClientSaw(
        result,
        fast ? (replay.relayed ?? replay.expected) : replay.expected,
        textSignaturesOf(served.wire, replay),
      );
    expectUpstreamGot(scenario, column, served, dialect, mock.lastBody(), mock.last().path, model, turn);
    if (scenario === 'streamed-tool-arguments')
      if (lacks === 'argument pieces')
        expect(argumentPieces(result), 'the client gets each call in one piece').toBe(
          replay.expected.blocks.filter((b) => b.type === 'tool_use').length,
        );
      else expect(argumentPieces(result), 'the client gets the arguments in pieces').toBeGreaterThan(1);

    if (SECOND_TURN.has(scenario)) {
      await runSecondTurn(clients, column, served, upstream, scenario, result, replay.expected, model);
      const follow = fast ? served.followUp.json : served.followUp.stream;
      if (follow) use('second turn', follow.label);
      if (
        served.wire === 'openai' &&
        !fast &&
        !column.sendsReasoningBack &&
        scenario === 'reasoning' &&
        signed(replay.expected)
      )
        notes.push(
          'the signed reasoning reaches the client, but the next turn does not carry it back: Chat Completions has no request field for reasoning',
        );
    }
    if (replay.expected.unsentSignatures)
      notes.push(
        `${replay.label} also signs a plain text part; that optional Gemini signature ${TEXT_SIGNATURE_NOTE[dialect]}`,
      );
  }
  const status = unsupported ? 'unsupported' : 'pass';
  return {
    declared: { status, ...(notes.length > 0 ? { note: unique(notes).join('; ') } : {}) },
    fixtures,
  };
}

/** What the recording may lack: what the provider cannot show, or what a stand-in recording cannot. */
function recordingShortfall(
  replays: ScenarioReplays,
  unsupported: Unsupported | undefined,
): Shortfall | undefined {
  if (unsupported?.kind === 'degraded') return unsupported.lacks;
  return replays.standIn?.shows === false ? 'stand-in' : undefined;
}

/** How many stream events carried a piece of tool-call arguments to the client. */
function argumentPieces(result: ClientResult): number {
  switch (result.dialect) {
    case 'openai-chat':
      return (result.raw as ChatCompletionChunk[]).filter((chunk) =>
        chunk.choices[0]?.delta.tool_calls?.some((call) => (call.function?.arguments ?? '') !== ''),
      ).length;
    case 'openai-responses': {
      const raw = result.raw as { events: Array<{ type: string }> };
      return raw.events.filter((event) => event.type === 'response.function_call_arguments.delta').length;
    }
    case 'anthropic-messages': {
      const raw = result.raw as { events: Anthropic.MessageStreamEvent[] };
      return raw.events.filter(
        (event) => event.type === 'content_block_delta' && event.delta.type === 'input_json_delta',
      ).length;
    }
  }
}

function signed(expected: Answer): boolean {
  return expected.blocks.some((b) => b.type === 'thinking' && b.signature);
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

export async function runClient(
  clients: MatrixClients,
  dialect: DialectId,
  turn: Turn,
  relayed = false,
): Promise<ClientResult> {
  switch (dialect) {
    case 'openai-chat':
      return runOpenAI(clients.openai, openAIRequest(turn), relayed);
    case 'openai-responses':
      return runResponses(clients.openai, responsesRequest(turn), relayed);
    case 'anthropic-messages':
      return runAnthropic(clients.anthropic, anthropicRequest(turn));
  }
}

// ---------------------------------------------------------------- what the client saw

/**
 * Compares the client's view with the fixture projection; ids the gateway made up are checked, then taken.
 * `textSignatures`: Gemini signatures of plain text, which the client gets where TEXT_SIGNATURE_NOTE says.
 */
export function expectClientSaw(
  result: ClientResult,
  expected: Answer,
  textSignatures: readonly string[] = [],
): void {
  if (result.dialect === 'openai-responses') {
    const want = responsesView(expected, textSignatures);
    const got = result.view;
    expect(
      got.items.map((item) => item.type),
      'output item types',
    ).toEqual(want.items.map((item) => item.type));
    const items = want.items.map((item, i) => {
      const seen = got.items[i]!;
      if (item.type !== 'function_call' || item.call_id !== undefined || seen.type !== 'function_call')
        return item;
      expect(seen.call_id, 'a made-up call_id').toMatch(/\S/);
      return { ...item, call_id: seen.call_id };
    });
    expect(new Set(result.toolCallIds).size, 'call_ids are distinct').toBe(result.toolCallIds.length);
    expect(got).toEqual({ ...want, items });
    return;
  }
  if (result.dialect === 'openai-chat') {
    const want = openAIView(expected, textSignatures);
    const got = result.view;
    expect(got.toolCalls.length, 'tool call count').toBe(want.toolCalls.length);
    const toolCalls = want.toolCalls.map((call, i) => {
      const seen = got.toolCalls[i]!;
      expect(seen.id, 'a made-up tool call id').toMatch(/\S/);
      return { ...call, id: call.id ?? seen.id };
    });
    expect(new Set(got.toolCalls.map((c) => c.id)).size, 'tool call ids are distinct').toBe(
      got.toolCalls.length,
    );
    expect(got).toEqual({ ...want, toolCalls } satisfies OpenAIView);
    return;
  }
  const want = anthropicView(expected, textSignatures);
  const got = result.view;
  expect(
    got.content.map((b) => b.type),
    'content block types',
  ).toEqual(want.content.map((b) => b.type));
  const content = want.content.map((block, i) => {
    const seen = got.content[i]!;
    if (block.type !== 'tool_use' || block.id !== undefined || seen.type !== 'tool_use') return block;
    expect(seen.id, 'a made-up tool_use id').toMatch(/\S/);
    return { ...block, id: seen.id };
  });
  const ids = got.content.flatMap((b) => (b.type === 'tool_use' ? [b.id] : []));
  expect(new Set(ids).size, 'tool_use ids are distinct').toBe(ids.length);
  expect(got).toEqual({ ...want, content } satisfies AnthropicView);
}

/**
 * Same-dialect fast path: the body went upstream with only the model rewritten, and the client got exactly
 * what the provider's own SDK reads from the recorded bytes.
 */
async function expectRelayed(
  dialect: DialectId,
  result: ClientResult,
  replay: Replay,
  turn: Turn,
  model: string,
  mock: MatrixUpstream,
): Promise<void> {
  if (result.dialect === 'openai-responses') {
    const params = responsesRequest(turn);
    expect(JSON.parse(mock.last().rawBody)).toEqual({ ...params, model });
    await expectResponsesRelayed(result, replay, params);
    return;
  }
  const sent = dialect === 'openai-chat' ? openAIRequest(turn) : anthropicRequest(turn);
  expect(JSON.parse(mock.last().rawBody)).toEqual({ ...sent, model });
  if (result.dialect === 'openai-chat') {
    const reading = openAIReading(replay.body, replay.contentType);
    const params = openAIRequest(turn);
    if (params.stream) {
      const chunks: ChatCompletionChunk[] = [];
      for await (const chunk of await reading.chat.completions.create(params)) chunks.push(chunk);
      expect(result.raw).toEqual(chunks);
    } else {
      expect(result.raw).toEqual(await reading.chat.completions.create(params));
    }
    return;
  }
  const reading = anthropicReading(replay.body, replay.contentType);
  const params = anthropicRequest(turn);
  if (params.stream) {
    const { stream: _stream, ...rest } = params;
    const stream = reading.messages.stream(rest);
    const events: Anthropic.MessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const raw = result.raw as Extract<AnthropicResult['raw'], { events: unknown }>;
    expect(raw.events).toEqual(events);
    expect(raw.final).toEqual(await stream.finalMessage());
  } else {
    expect(result.raw).toEqual(
      await reading.messages.create(params as Anthropic.MessageCreateParamsNonStreaming),
    );
  }
}

// ---------------------------------------------------------------- what the upstream got

export function expectUpstreamGot(
  scenario: ScenarioId,
  column: ProviderColumn,
  served: Served,
  dialect: DialectId,
  body: Json,
  path: string,
  model: string,
  turn: Turn,
): void {
  const wire = served.wire;
  expect(path).toBe(served.path(model));
  if (column.modelInBody) expect(body.model).toBe(model);
  if (turn.tools) expect(toolNamesOf(wire, body)).toEqual(turn.tools.map((t) => t.name));
  switch (scenario) {
    case 'text':
      expect(systemTextOf(wire, body)).toBe(SYSTEM);
      return;
    case 'images':
      expect(imagesOf(wire, body)).toEqual([
        { kind: 'base64', mediaType: 'image/png', data: TINY_PNG },
        { kind: 'url', url: IMAGE_URL },
      ]);
      return;
    case 'json-schema': {
      const schema = jsonSchemaOf(wire, body);
      if (wire === 'gemini') {
        // Gemini's Schema subset has no additionalProperties; the rest is the client's schema.
        const { additionalProperties: _dropped, ...rest } = JSON_SCHEMA;
        expect(schema).toEqual(rest);
      } else expect(schema).toEqual(JSON_SCHEMA);
      return;
    }
    case 'reasoning':
      expect(reasoningOf(wire, body)).toEqual(column.reasoning(dialect));
      return;
    case 'cached-usage':
      if (dialect !== 'anthropic-messages') return;
      // The client's cache breakpoint on the system prompt, in the provider's own form.
      if (wire === 'anthropic')
        expect(body.system).toEqual([
          { type: 'text', text: turn.system, cache_control: { type: 'ephemeral' } },
        ]);
      if (wire === 'bedrock')
        expect(body.system).toEqual([{ text: turn.system }, { cachePoint: { type: 'default' } }]);
      return;
    default:
      return;
  }
}

// ---------------------------------------------------------------- the next turn

async function runSecondTurn(
  clients: MatrixClients,
  column: ProviderColumn,
  served: Served,
  upstream: CellUpstream,
  scenario: ScenarioId,
  first: ClientResult,
  expected: Answer,
  model: string,
): Promise<void> {
  const fast = served.fast;
  const follow = fast ? served.followUp.json : served.followUp.stream;
  if (!follow) throw new Error(`${column.id}: no follow-up recording for the fast path`);
  const tools = toolsFor(expected);
  const reasoning = scenario === 'reasoning';
  const { mock, env } = upstream;
  mock.reset();
  mock.enqueue(follow.answer());
  const upstreamModel = `${column.name}/${model}`;
  let second: ClientResult;
  if (first.dialect === 'openai-chat') {
    const params = openAINextTurn(first, upstreamModel, tools.length > 0 ? tools : undefined);
    if (reasoning) params.reasoning_effort = 'low';
    second = await runOpenAI(clients.openai, params, fast);
    if (fast) expect(JSON.parse(mock.last().rawBody)).toEqual({ ...params, model });
  } else if (first.dialect === 'openai-responses') {
    const params = responsesNextTurn(first, upstreamModel, tools.length > 0 ? tools : undefined, reasoning);
    second = await runResponses(clients.openai, params, fast);
    if (fast) {
      // OpenAI does not know the gateway's stored history: it is inlined, and the id goes no further.
      const { previous_response_id: _id, input, ...rest } = params;
      const { input: sentInput, ...sentRest } = JSON.parse(mock.last().rawBody) as Json;
      expect(sentRest).toEqual({ ...rest, model });
      // ... the first turn's input, OpenAI's own output items as they came, then this turn's input.
      const sent = sentInput as Json[];
      const own = first.response.output as unknown as Json[];
      const added = input as unknown as Json[];
      expect(sent).toHaveLength(1 + own.length + added.length);
      expect(sent[0]).toMatchObject({ type: 'message', role: 'user' });
      expect(sent.slice(1)).toEqual([...own, ...added]);
      await expectResponsesRelayed(second, follow, params);
    }
  } else {
    const params = anthropicNextTurn(
      first,
      upstreamModel,
      tools.length > 0 ? tools : undefined,
      reasoning ? { thinking: { type: 'enabled', budget_tokens: REASONING_BUDGET } } : {},
    );
    second = await runAnthropic(clients.anthropic, params);
    if (fast) expect(JSON.parse(mock.last().rawBody)).toEqual({ ...params, model });
  }
  if (!(fast && second.dialect === 'openai-responses'))
    expectClientSaw(
      second,
      fast ? (follow.relayed ?? follow.expected) : follow.expected,
      textSignaturesOf(served.wire, follow),
    );
  await column.checkRequest?.(mock.last(), env);

  const wire = served.wire;
  const trip = toolRoundTripOf(wire, mock.lastBody());
  const calls = expected.blocks.flatMap((b) => (b.type === 'tool_use' ? [b] : []));
  expect(trip.calls.map((c) => c.name)).toEqual(calls.map((c) => c.name));
  expect(trip.calls.map((c) => c.args)).toEqual(calls.map((c) => JSON.parse(c.arguments || '{}') as unknown));
  // Ollama pairs calls and results by tool name: its wire has no ids.
  if (wire !== 'ollama') expect(trip.calls.map((c) => c.id)).toEqual(first.toolCallIds);
  expect(trip.results).toEqual(
    first.toolCallIds.map((id, i) => ({
      ...(wire === 'ollama' ? {} : { id }),
      ...(wire === 'gemini' || wire === 'ollama' ? { name: calls[i]!.name } : {}),
      text: toolResultText(i),
    })),
  );
  expect(trip.reasoningSignatures).toEqual(expectedSignaturesBack(column, served, expected));
  if (reasoning && KEEPS_REASONING_TEXT.has(wire))
    expect(trip.reasoningText, 'the reasoning goes back on the next turn').toBe(
      expected.blocks.map((b) => (b.type === 'thinking' ? b.thinking : '')).join(''),
    );
  if (wire === 'gemini') {
    // The functionCall signature goes back on the call it came with; Gemini 3 rejects the turn without it.
    expect(trip.calls.map((c) => c.signature)).toEqual(
      calls.map(
        (c, i) =>
          c.geminiSignature ??
          (i === 0 && model.startsWith('gemini-3') ? 'skip_thought_signature_validator' : undefined),
      ),
    );
  }
}

/** Where each client surface carries a Gemini signature on plain text. */
const TEXT_SIGNATURE_NOTE: Record<DialectId, string> = {
  'openai-responses': 'reaches the client in a carrier reasoning item right after the message',
  'anthropic-messages':
    'reaches the client in an empty thinking block right after the text block (`gemini:text:`)',
  'openai-chat':
    "reaches the client in the message's `extra_content.google.thought_signature` (Gemini's OpenAI-compatible field)",
};

/** Wires whose next turn carries the reasoning text back (signed or not). */
const KEEPS_REASONING_TEXT: ReadonlySet<string> = new Set([
  'openai-responses',
  'anthropic',
  'bedrock',
  'cohere',
  'mistral',
  'ollama',
]);

/**
 * Reasoning signatures in the second request, in the provider's own field. OpenAI-type upstreams get none
 * on a translated path: Chat Completions has no request field for reasoning (the fast path forwards the
 * client's reasoning_details as they are), except OpenRouter, which takes them as `reasoning_details`.
 */
function expectedSignaturesBack(column: ProviderColumn, served: Served, expected: Answer): string[] {
  const thinking = expected.blocks.flatMap((b) => (b.type === 'thinking' ? [b] : []));
  const anthropicSignatures = thinking.flatMap((b) => (b.signature ? [b.signature] : []));
  switch (served.wire) {
    case 'openai':
      return served.fast || column.sendsReasoningBack ? anthropicSignatures : [];
    case 'openai-responses':
      // OpenAI's own encrypted_content, inlined back as it came.
      return anthropicSignatures;
    case 'anthropic':
    case 'bedrock':
      return anthropicSignatures;
    case 'gemini':
      return thinking.flatMap((b) => (b.geminiSignature ? [b.geminiSignature] : []));
    default:
      // Cohere, Mistral and Ollama reasoning is unsigned.
      return [];
  }
}

// ---------------------------------------------------------------- upstream errors

/** The SDK error class and envelope type each dialect's client gets for an upstream status. */
export const CLIENT_ERROR: Record<
  number,
  {
    openai: typeof OpenAI.BadRequestError | typeof OpenAI.RateLimitError | typeof OpenAI.NotFoundError;
    anthropic:
      | typeof Anthropic.BadRequestError
      | typeof Anthropic.RateLimitError
      | typeof Anthropic.NotFoundError;
    type: string;
    name: string;
  }
> = {
  400: {
    openai: OpenAI.BadRequestError,
    anthropic: Anthropic.BadRequestError,
    type: 'invalid_request_error',
    name: 'BadRequestError',
  },
  404: {
    openai: OpenAI.NotFoundError,
    anthropic: Anthropic.NotFoundError,
    type: 'not_found_error',
    name: 'NotFoundError',
  },
  429: {
    openai: OpenAI.RateLimitError,
    anthropic: Anthropic.RateLimitError,
    type: 'rate_limit_error',
    name: 'RateLimitError',
  },
};

async function runErrorCell(
  clients: MatrixClients,
  column: ProviderColumn,
  served: Served,
  { mock, env }: CellUpstream,
  dialect: DialectId,
): Promise<CellRun> {
  const error = served.error;
  const want = CLIENT_ERROR[error.status];
  if (!want) throw new Error(`no client expectation for status ${error.status}`);
  for (const stream of MODES['upstream-error']) {
    mock.reset();
    mock.enqueue(error.answer());
    const turn: Turn = {
      model: `${column.name}/${column.model}`,
      stream,
      user: [{ type: 'text', text: 'Hello' }],
    };
    const thrown = await caught(runClient(clients, dialect, turn));
    expect(mock.requests, 'one upstream request, no retry').toHaveLength(1);
    await column.checkRequest?.(mock.last(), env);
    expect(mock.last().path).toBe(served.path(column.model));
    if (dialect !== 'anthropic-messages') {
      expect(thrown).toBeInstanceOf(want.openai);
      const apiError = thrown as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(error.status);
      expect(apiError.type).toBe(want.type);
      if (error.status === 429 && column.id === 'gemini')
        expect(apiError.headers?.get('retry-after')).toBe('35');
    } else {
      expect(thrown).toBeInstanceOf(want.anthropic);
      const apiError = thrown as InstanceType<typeof Anthropic.APIError>;
      expect(apiError.status).toBe(error.status);
      expect(apiError.error).toMatchObject({ type: 'error', error: { type: want.type } });
      if (error.status === 429 && column.id === 'gemini')
        expect(apiError.headers?.get('retry-after')).toBe('35');
    }
  }
  const notes = [
    ...(error.standIn ? [error.standIn] : []),
    ...(error.documentedStatus
      ? [`the recording keeps the body only; it is served with the documented status ${error.status}`]
      : []),
  ];
  return {
    declared: { status: 'pass', ...(notes.length > 0 ? { note: notes.join('; ') } : {}) },
    fixtures: [{ role: 'error', label: error.label }],
  };
}

export { caught };
