/**
 * An alias's `defaults` (written in OpenAI Chat Completions names) on the Responses surface: the relayed
 * body gets them in the Responses API's own names (max_tokens -> max_output_tokens, reasoning_effort ->
 * reasoning.effort; no seed or stop, which CreateResponse does not have), the translated path gets them
 * in the canonical request, a continued turn (previous_response_id) gets them as much as a first one, and
 * the client's own values win everywhere.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useStarted } from '../support/e2e-gateway.js';
import { loadJson } from '../support/fixtures.js';
import { anthropicJsonAsSse } from '../support/matrix-reshape.js';
import { expectValidAgainstSpec } from '../support/openapi.js';
import { cassetteAnswer, sseAnswer } from '../support/upstream-answers.js';
import { collectStream, finalResponse, startResponsesWorld } from './responses-support.js';

const TOOL_LOOP = 'openai-responses/pydantic-ai-openai_responses_model_simple_response_with_tool_call.yaml';
const STREAM = 'openai-responses/pydantic-ai-openai_responses_streaming_usage.yaml';
const CLAUDE_TEXT = loadJson('anthropic-messages/vercel-anthropic-text.json') as Record<string, unknown>;
const CALL_ID = 'call_YfwRsW8sUxDKipwyhWTzOXCA';

const world = useStarted(
  'responses world',
  () =>
    startResponsesWorld(`
[[models]]
alias = "tuned-oai"
targets = ["oai/gpt-4o"]
defaults = { temperature = 0.2, max_tokens = 50, reasoning_effort = "low", seed = 7, stop = "END" }

[[models]]
alias = "tuned-claude"
targets = ["claude/claude-sonnet-4-5"]
defaults = { temperature = 0.2, max_tokens = 50, stop = "END" }
`),
  (started) => started.stop(),
);
beforeEach(() => {
  world.openai.reset();
  world.anthropic.reset();
});

describe('alias defaults on the Responses relay (OpenAI upstream)', () => {
  it('fill the body in Responses names, leave out what CreateResponse has no field for', async () => {
    world.openai.enqueue(cassetteAnswer(TOOL_LOOP, 0));
    await world.client.responses.create({ model: 'tuned-oai', input: 'hi' });
    const sent = world.openai.lastBody();
    expect(world.openai.last().path).toBe('/v1/responses');
    expect(sent).toMatchObject({
      model: 'gpt-4o',
      temperature: 0.2,
      max_output_tokens: 50,
      reasoning: { effort: 'low' },
    });
    for (const field of ['max_tokens', 'max_completion_tokens', 'reasoning_effort', 'seed', 'stop'])
      expect(sent).not.toHaveProperty(field);
  });

  it('the client’s values win, a reasoning object without effort gets the default effort', async () => {
    world.openai.enqueue(cassetteAnswer(STREAM, 0));
    await collectStream(
      await world.client.responses.create({
        model: 'tuned-oai',
        input: 'hi',
        temperature: 0.9,
        max_output_tokens: 200,
        reasoning: { summary: 'auto' },
        stream: true,
      }),
      false,
    );
    expect(world.openai.lastBody()).toMatchObject({
      temperature: 0.9,
      max_output_tokens: 200,
      reasoning: { summary: 'auto', effort: 'low' },
    });
  });

  it('a turn continued with previous_response_id gets them too', async () => {
    world.openai.enqueue(cassetteAnswer(TOOL_LOOP, 0), cassetteAnswer(TOOL_LOOP, 1));
    const first = await world.client.responses.create({ model: 'tuned-oai', input: 'hi' });
    await world.client.responses.create({
      model: 'tuned-oai',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: CALL_ID, output: 'Potato City' }],
    });
    expect(world.openai.requests).toHaveLength(2);
    expect(world.openai.lastBody()).toMatchObject({ temperature: 0.2, max_output_tokens: 50 });
  });
});

describe('alias defaults on the translated Responses path (Anthropic upstream)', () => {
  const answer = () => sseAnswer(anthropicJsonAsSse(CLAUDE_TEXT));

  it('reach the upstream request, and the Response echoes what was used', async () => {
    world.anthropic.enqueue(answer());
    const response = await world.client.responses.create({ model: 'tuned-claude', input: 'hi' });
    expectValidAgainstSpec('Response', response);
    expect(world.anthropic.lastBody()).toMatchObject({
      model: 'claude-sonnet-4-5',
      temperature: 0.2,
      max_tokens: 50,
      stop_sequences: ['END'],
    });
    expect(response).toMatchObject({ temperature: 0.2, max_output_tokens: 50 });
  });

  it('a continued turn keeps them (stream); the client’s own value wins', async () => {
    world.anthropic.enqueue(answer(), answer());
    const first = await world.client.responses.create({ model: 'tuned-claude', input: 'hi' });
    const events = await collectStream(
      await world.client.responses.create({
        model: 'tuned-claude',
        previous_response_id: first.id,
        input: 'and again',
        temperature: 0.7,
        stream: true,
      }),
    );
    expect(finalResponse(events)).toMatchObject({ temperature: 0.7, max_output_tokens: 50 });
    const sent = world.anthropic.lastBody();
    expect(sent).toMatchObject({ temperature: 0.7, max_tokens: 50, stop_sequences: ['END'] });
    expect((sent.messages as unknown[]).length).toBe(3);
  });
});
