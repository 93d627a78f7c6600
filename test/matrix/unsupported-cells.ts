/**
 * Cells a provider cannot do, checked for exactly what the client gets instead: a refusal before anything
 * goes upstream (the error class, status, envelope type and message), or a relayed request with the
 * refused parameters stripped and an `x-junction-warning` saying so.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { expect } from 'vitest';
import type { Turn } from './clients.js';
import { lastAnswer, openAIRequest, TINY_PNG } from './clients.js';
import type { ProviderColumn, ReplayedScenario, Unsupported } from './column-types.js';
import type { DialectId, FixtureUse } from './matrix-types.js';
import type { CellRun, CellUpstream, MatrixClients } from './run-cell.js';
import { CLIENT_ERROR, caught, expectClientSaw, runClient } from './run-cell.js';
import { buildTurn, MODES } from './scenarios.js';
import { imagesOf } from './upstream.js';

export async function runUnsupportedCell(
  clients: MatrixClients,
  column: ProviderColumn,
  upstream: CellUpstream,
  dialect: DialectId,
  scenario: ReplayedScenario,
  unsupported: Exclude<Unsupported, { kind: 'degraded' }>,
): Promise<CellRun> {
  const fixtures =
    unsupported.kind === 'refused'
      ? await runRefused(clients, column, upstream, dialect, scenario, unsupported)
      : await runStripped(clients, column, upstream, dialect, scenario, unsupported);
  return { declared: { status: 'unsupported', note: unsupported.note }, fixtures };
}

async function runRefused(
  clients: MatrixClients,
  column: ProviderColumn,
  { mock, env }: CellUpstream,
  dialect: DialectId,
  scenario: ReplayedScenario,
  refusal: Extract<Unsupported, { kind: 'refused' }>,
): Promise<FixtureUse[]> {
  const replays = column.replays[scenario];
  const model = `${column.name}/${replays.model ?? column.model}`;
  for (const stream of MODES[scenario]) {
    mock.reset();
    const turn = buildTurn(scenario, model, replays.stream.expected, stream);
    const thrown = await caught(runClient(clients, dialect, turn));
    expect(mock.requests, 'nothing goes upstream').toHaveLength(0);
    expectClientError(dialect, thrown, refusal.status, refusal.message);
  }
  if (scenario !== 'images') return [];
  // What the provider can take, it gets: the same question with the inline image only.
  const replay = replays.stream;
  mock.reset();
  mock.enqueue(replay.answer());
  const base = buildTurn(scenario, model, replay.expected, false);
  const inline: Turn = { ...base, user: base.user.filter((part) => part.type !== 'image-url') };
  const result = await runClient(clients, dialect, inline);
  await column.checkRequest?.(mock.last(), env);
  expect(imagesOf(column.wire, mock.lastBody())).toEqual([
    { kind: 'base64', mediaType: 'image/png', data: TINY_PNG },
  ]);
  expectClientSaw(result, replay.expected);
  return [{ role: 'stream', label: replay.label }];
}

/**
 * The client's error: SDK class, status, envelope type and the gateway's message. Anthropic's envelope has
 * no `param`, so there the message may begin with the field it names (`tools: ...`).
 */
export function expectClientError(
  dialect: DialectId,
  thrown: unknown,
  status: number,
  message: string,
): void {
  const want = CLIENT_ERROR[status];
  if (!want) throw new Error(`no client expectation for status ${status}`);
  if (dialect !== 'anthropic-messages') {
    expect(thrown).toBeInstanceOf(want.openai);
    const error = thrown as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(status);
    expect(error.type).toBe(want.type);
    expect((error.error as { message?: string } | undefined)?.message).toBe(message);
  } else {
    expect(thrown).toBeInstanceOf(want.anthropic);
    const error = thrown as InstanceType<typeof Anthropic.APIError>;
    expect(error.status).toBe(status);
    expect(error.error).toMatchObject({ type: 'error', error: { type: want.type } });
    const said = (error.error as { error: { message: string } }).error.message;
    const field = said.endsWith(`: ${message}`) ? said.slice(0, -(message.length + 2)) : undefined;
    expect(said === message || /^\S+$/.test(field ?? ''), said).toBe(true);
  }
}

/**
 * The relay forwards the client's body minus what the host refuses: the upstream gets it without those
 * fields, the client gets the host's answer and a warning header naming what was stripped.
 */
async function runStripped(
  clients: MatrixClients,
  column: ProviderColumn,
  { mock, env }: CellUpstream,
  dialect: DialectId,
  scenario: ReplayedScenario,
  stripped: Extract<Unsupported, { kind: 'stripped' }>,
): Promise<FixtureUse[]> {
  if (dialect !== column.fastPath) throw new Error('stripped parameters are a relay-path outcome');
  const model = column.replays[scenario].model ?? column.model;
  const fixtures: FixtureUse[] = [];
  for (const stream of MODES[scenario]) {
    const replay = stream ? stripped.replays.stream : (stripped.replays.json ?? stripped.replays.stream);
    fixtures.push({ role: stream ? 'stream' : 'non-stream', label: replay.label });
    mock.reset();
    mock.enqueue(replay.answer());
    // The tools the scenario's own recording calls, so the request asks for what the host cannot do.
    const turn = buildTurn(
      scenario,
      `${column.name}/${model}`,
      column.replays[scenario].stream.expected,
      stream,
    );
    expect(turn.tools?.length, 'the request defines tools').toBeGreaterThan(0);
    const result = await runClient(clients, dialect, turn, true);
    await column.checkRequest?.(mock.last(), env);
    const {
      tools: _tools,
      tool_choice: _choice,
      ...rest
    } = openAIRequest(turn) as unknown as Record<string, unknown>;
    expect(JSON.parse(mock.last().rawBody)).toEqual({ ...rest, model });
    expect(lastAnswer.headers?.get('x-junction-warning')).toBe(stripped.warning);
    expectClientSaw(result, replay.relayed ?? replay.expected);
  }
  return fixtures;
}
