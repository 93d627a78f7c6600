/**
 * Runs one cell of the matrix: the client dialect's official SDK against the real gateway, the upstream
 * mock replaying the provider's recording, then three checks: the client saw what the recording says (in
 * its own dialect), the upstream got the request in its own format, and a second turn carries back what
 * the provider needs (tool call ids and results, signatures).
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { expect } from 'vitest';
import type { Answer, AnthropicView, OpenAIView } from '../support/matrix-answer.js';
import { anthropicView, openAIView } from '../support/matrix-answer.js';
import type { MockUpstream } from '../support/mock-upstream.js';
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
import type { Declared, DialectId, FixtureRole, FixtureUse, ScenarioId } from './matrix-types.js';
import type { ProviderColumn } from './provider-columns.js';
import type { Replay } from './replays.js';
import {
  buildTurn,
  expectRecordingShows,
  JSON_SCHEMA,
  MODES,
  SECOND_TURN,
  SYSTEM,
  toolsFor,
} from './scenarios.js';
import {
  expectedPath,
  imagesOf,
  jsonSchemaOf,
  modelOf,
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

export async function runProviderCell(
  clients: MatrixClients,
  column: ProviderColumn,
  mock: MockUpstream,
  dialect: DialectId,
  scenario: ScenarioId,
): Promise<CellRun> {
  if (scenario === 'upstream-error') return runErrorCell(clients, column, mock, dialect);
  const replays = column.replays[scenario];
  const model = replays.model ?? column.model;
  const fast = column.fastPath === dialect;
  const fixtures: FixtureUse[] = [];
  const use = (role: FixtureRole, label: string): void => {
    if (!fixtures.some((f) => f.role === role && f.label === label)) fixtures.push({ role, label });
  };
  const notes: string[] = [];
  for (const stream of MODES[scenario]) {
    const replay = fast && !stream ? replays.json : replays.stream;
    if (!replay) {
      notes.push(`the non-stream run is skipped: ${replays.stream.label} is a stream recording only`);
      continue;
    }
    use(fast && !stream ? 'non-stream' : 'stream', replay.label);
    if (replay.reshaped)
      notes.push(`${replay.label} was recorded without streaming and is replayed as the equivalent stream`);
    expectRecordingShows(scenario, column.id, replay);

    mock.reset();
    mock.enqueue(replay.answer());
    const turn = buildTurn(scenario, `${column.name}/${model}`, replay.expected, stream);
    const result = await runClient(clients, dialect, turn, fast);
    expect(mock.requests, 'one upstream request').toHaveLength(1);
    if (fast) await expectRelayed(dialect, result, replay, turn, model, mock);
    expectClientSaw(result, replay.expected);
    expectUpstreamGot(scenario, column, dialect, mock.lastBody(), mock.last().path, model, turn);

    if (SECOND_TURN.has(scenario)) {
      await runSecondTurn(clients, column, mock, dialect, scenario, result, replay.expected, model, fast);
      const follow = fast ? column.followUp.json : column.followUp.stream;
      if (follow) use('second turn', follow.label);
      if (column.id === 'openai' && !fast && scenario === 'reasoning')
        notes.push(
          'the signed reasoning reaches the client, but the next turn does not carry it back to an openai-type upstream: Chat Completions has no request field for reasoning',
        );
    }
    if (replay.expected.unsentSignatures)
      notes.push(
        `${replay.label} also signs a plain text part; that optional Gemini signature is not passed to the client`,
      );
  }
  return {
    declared: { status: 'pass', ...(notes.length > 0 ? { note: unique(notes).join('; ') } : {}) },
    fixtures,
  };
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
  return dialect === 'openai-chat'
    ? runOpenAI(clients.openai, openAIRequest(turn), relayed)
    : runAnthropic(clients.anthropic, anthropicRequest(turn));
}

// ---------------------------------------------------------------- what the client saw

/** Compares the client's view with the fixture projection; ids the gateway made up are checked, then taken. */
export function expectClientSaw(result: ClientResult, expected: Answer): void {
  if (result.dialect === 'openai-chat') {
    const want = openAIView(expected);
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
  const want = anthropicView(expected);
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
  mock: MockUpstream,
): Promise<void> {
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
  dialect: DialectId,
  body: Json,
  path: string,
  model: string,
  turn: Turn,
): void {
  const provider = column.id;
  expect(path).toBe(expectedPath(provider, model));
  const named = modelOf(provider, body);
  if (named !== undefined) expect(named).toBe(model);
  if (turn.tools) expect(toolNamesOf(provider, body)).toEqual(turn.tools.map((t) => t.name));
  switch (scenario) {
    case 'text':
      expect(systemTextOf(provider, body)).toBe(SYSTEM);
      return;
    case 'images':
      expect(imagesOf(provider, body)).toEqual([
        { kind: 'base64', mediaType: 'image/png', data: TINY_PNG },
        { kind: 'url', url: IMAGE_URL },
      ]);
      return;
    case 'json-schema': {
      const schema = jsonSchemaOf(provider, body);
      if (provider === 'gemini') {
        // Gemini's Schema subset has no additionalProperties; the rest is the client's schema.
        const { additionalProperties: _dropped, ...rest } = JSON_SCHEMA;
        expect(schema).toEqual(rest);
      } else expect(schema).toEqual(JSON_SCHEMA);
      return;
    }
    case 'reasoning':
      expect(reasoningOf(provider, body)).toEqual(expectedReasoning(column, dialect));
      return;
    case 'cached-usage':
      if (provider === 'anthropic' && dialect === 'anthropic-messages') {
        expect(body.system).toEqual([
          { type: 'text', text: turn.system, cache_control: { type: 'ephemeral' } },
        ]);
      }
      return;
    default:
      return;
  }
}

/** The reasoning knob each provider gets for reasoning_effort "low" / thinking budget 2048 (docs/reasoning.md). */
function expectedReasoning(column: ProviderColumn, dialect: DialectId): unknown {
  switch (column.id) {
    case 'openai':
      return 'low';
    case 'anthropic':
      return { type: 'enabled', budget_tokens: REASONING_BUDGET };
    case 'gemini':
      // An explicit Anthropic budget passes through; the OpenAI rung maps to a Gemini 3 thinking level.
      return dialect === 'anthropic-messages'
        ? { thinkingBudget: REASONING_BUDGET, includeThoughts: true }
        : { thinkingLevel: 'low', includeThoughts: true };
  }
}

// ---------------------------------------------------------------- the next turn

async function runSecondTurn(
  clients: MatrixClients,
  column: ProviderColumn,
  mock: MockUpstream,
  dialect: DialectId,
  scenario: ScenarioId,
  first: ClientResult,
  expected: Answer,
  model: string,
  fast: boolean,
): Promise<void> {
  const follow = fast ? column.followUp.json : column.followUp.stream;
  if (!follow) throw new Error(`${column.id}: no follow-up recording for the fast path`);
  const tools = toolsFor(expected);
  const reasoning = scenario === 'reasoning';
  mock.reset();
  mock.enqueue(follow.answer());
  const upstreamModel = `${column.name}/${model}`;
  let second: ClientResult;
  if (first.dialect === 'openai-chat') {
    const params = openAINextTurn(first, upstreamModel, tools.length > 0 ? tools : undefined);
    if (reasoning) params.reasoning_effort = 'low';
    second = await runOpenAI(clients.openai, params, fast);
    if (fast) expect(JSON.parse(mock.last().rawBody)).toEqual({ ...params, model });
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
  expectClientSaw(second, follow.expected);

  const trip = toolRoundTripOf(column.id, mock.lastBody());
  const calls = expected.blocks.flatMap((b) => (b.type === 'tool_use' ? [b] : []));
  expect(trip.calls.map((c) => c.name)).toEqual(calls.map((c) => c.name));
  expect(trip.calls.map((c) => c.args)).toEqual(calls.map((c) => JSON.parse(c.arguments || '{}') as unknown));
  expect(trip.calls.map((c) => c.id)).toEqual(first.toolCallIds);
  expect(trip.results).toEqual(
    first.toolCallIds.map((id, i) => ({
      id,
      ...(column.id === 'gemini' ? { name: calls[i]!.name } : {}),
      text: toolResultText(i),
    })),
  );
  expect(trip.reasoningSignatures).toEqual(expectedSignaturesBack(column, dialect, expected));
  if (column.id === 'gemini') {
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

/**
 * Reasoning signatures in the second request, in the provider's own field. OpenAI-type upstreams get none
 * on a translated path: Chat Completions has no request field for reasoning (the fast path forwards the
 * client's reasoning_details as they are).
 */
function expectedSignaturesBack(column: ProviderColumn, dialect: DialectId, expected: Answer): string[] {
  const thinking = expected.blocks.flatMap((b) => (b.type === 'thinking' ? [b] : []));
  switch (column.id) {
    case 'openai':
      return dialect === 'openai-chat' ? thinking.flatMap((b) => (b.signature ? [b.signature] : [])) : [];
    case 'anthropic':
      return thinking.flatMap((b) => (b.signature ? [b.signature] : []));
    case 'gemini':
      return thinking.flatMap((b) => (b.geminiSignature ? [b.geminiSignature] : []));
  }
}

// ---------------------------------------------------------------- upstream errors

/** The SDK error class and envelope type each dialect's client gets for an upstream status. */
export const CLIENT_ERROR: Record<
  number,
  {
    openai: typeof OpenAI.BadRequestError | typeof OpenAI.RateLimitError;
    anthropic: typeof Anthropic.BadRequestError | typeof Anthropic.RateLimitError;
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
  mock: MockUpstream,
  dialect: DialectId,
): Promise<CellRun> {
  const error = column.error;
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
    if (dialect === 'openai-chat') {
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
  return {
    declared: {
      status: 'pass',
      ...(error.documentedStatus
        ? {
            note: `the recording keeps the body only; it is served with the documented status ${error.status}`,
          }
        : {}),
    },
    fixtures: [{ role: 'error', label: error.label }],
  };
}

export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}
