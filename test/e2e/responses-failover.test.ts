/**
 * previous_response_id across providers: Junction keeps the conversation and rebuilds the input for
 * whichever provider serves the next turn. An alias tries Anthropic first, Gemini second. Turn 1 is
 * served by Anthropic (extended thinking + a tool call, recorded); on turn 2 Anthropic answers 503 and
 * the router fails over to Gemini, which must receive the whole conversation: the question, the
 * assistant turn (Claude's reasoning as a thought, without Anthropic's signature, its text and the call),
 * then the tool result. Turn 3 is back on Anthropic, whose signed thinking block must still be intact.
 * Also: a Claude conversation continued on the OpenAI fast path (Junction's envelopes stripped).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useStarted } from '../support/e2e-gateway.js';
import { loadCassette } from '../support/fixtures.js';
import { anthropicJsonAsSse } from '../support/matrix-reshape.js';
import { expectValidAgainstSpec } from '../support/openapi.js';
import { cassetteAnswer, errorAnswer, geminiChunksAnswer, sseAnswer } from '../support/upstream-answers.js';
import { outputText, startResponsesWorld } from './responses-support.js';

const TOOL_LOOP = loadCassette('anthropic-messages/pydantic-ai-anthropic_tool_with_thinking.yaml');
const TURN1 = TOOL_LOOP[0]!.response.parsed_body as Record<string, unknown>;
const TURN1_CONTENT = TURN1.content as Array<Record<string, unknown>>;
const TURN2 = TOOL_LOOP[1]!.response.parsed_body as Record<string, unknown>;
const SIGNATURE = String(TURN1_CONTENT[0]!.signature);
const CALL_ID = 'toolu_01YGzqpRE16Vricda3Aqcejo';
const TOOLS = [
  {
    type: 'function' as const,
    name: 'get_user_country',
    description: '',
    parameters: { additionalProperties: false, properties: {}, type: 'object' },
    strict: false,
  },
];
const OVERLOADED = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };

type Part = Record<string, unknown> & {
  text?: string;
  thought?: boolean;
  functionCall?: { name: string; args: unknown };
  functionResponse?: { name: string; response: unknown };
};

const world = useStarted(
  'responses world',
  () =>
    startResponsesWorld(`
[[models]]
alias = "agent"
targets = ["claude/claude-sonnet-4-0", "gem/gemini-2.5-flash"]
retries = 0
`),
  (started) => started.stop(),
);
beforeEach(() => {
  world.anthropic.reset();
  world.gemini.reset();
  world.openai.reset();
});

async function claudeTurn() {
  world.anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN1)));
  const first = await world.client.responses.create({
    model: 'agent',
    input: 'What is the largest city in the user country?',
    tools: TOOLS,
    reasoning: { effort: 'medium' },
  });
  expect(first.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
  return first;
}

describe('responses: previous_response_id after a failover to another provider', () => {
  it('turn 1 on Anthropic, turn 2 fails over to Gemini with the rebuilt conversation, turn 3 back on Anthropic', async () => {
    const first = await claudeTurn();

    world.anthropic.enqueue(errorAnswer(503, OVERLOADED));
    world.gemini.enqueue(
      cassetteAnswer('gemini/pydantic-ai-google_streaming_tool_call_thought_signature.yaml', 1),
    );
    const { data: second, response: http } = await world.client.responses
      .create({
        model: 'agent',
        previous_response_id: first.id,
        input: [{ type: 'function_call_output', call_id: CALL_ID, output: 'Mexico' }],
        tools: TOOLS,
        reasoning: { effort: 'medium' },
      })
      .withResponse();
    expectValidAgainstSpec('Response', second);
    expect(http.headers.get('x-junction-provider')).toBe('gem');
    expect(http.headers.get('x-junction-attempts')).toBe('2');
    expect(world.anthropic.requests).toHaveLength(2);
    expect(outputText(second)).toBe('The capital of Mexico is Mexico City.');

    // What Gemini received: the conversation Junction kept, rebuilt for Gemini.
    const body = world.gemini.lastBody();
    const contents = body.contents as Array<{ role: string; parts: Part[] }>;
    expect(contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    expect(contents[0]!.parts).toEqual([{ text: 'What is the largest city in the user country?' }]);
    const model = contents[1]!.parts;
    expect(model[0]).toMatchObject({ thought: true, text: TURN1_CONTENT[0]!.thinking });
    expect(model[1]).toMatchObject({ text: TURN1_CONTENT[1]!.text });
    expect(model[2]!.functionCall).toMatchObject({ name: 'get_user_country', args: {} });
    expect(contents[2]!.parts[0]!.functionResponse).toMatchObject({ name: 'get_user_country' });
    expect(JSON.stringify(contents[2]!.parts[0]!.functionResponse)).toContain('Mexico');
    // Claude's signature means nothing to Gemini and must not leak into its request.
    expect(JSON.stringify(body)).not.toContain(SIGNATURE.slice(0, 40));
    expect(
      (body.tools as Array<{ functionDeclarations: Array<{ name: string }> }>)[0]!.functionDeclarations[0]!
        .name,
    ).toBe('get_user_country');

    // Turn 3 on Anthropic again: its own signed thinking comes back verbatim, Gemini's text after the result.
    world.anthropic.enqueue(sseAnswer(anthropicJsonAsSse(TURN2)));
    const third = await world.client.responses.create({
      model: 'agent',
      previous_response_id: second.id,
      input: 'And the second largest?',
      tools: TOOLS,
      reasoning: { effort: 'medium' },
    });
    expect(third.status).toBe('completed');
    const messages = world.anthropic.lastBody().messages as Array<{
      role: string;
      content: Array<Record<string, unknown>>;
    }>;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(messages[1]!.content).toEqual(TURN1_CONTENT);
    expect(messages[3]!.content).toEqual([{ type: 'text', text: 'The capital of Mexico is Mexico City.' }]);
    expect(JSON.stringify(messages[4]!.content)).toContain('And the second largest?');
  });

  it('a Claude conversation continued on the OpenAI fast path: history inlined, Junction envelopes stripped', async () => {
    const first = await claudeTurn();
    world.openai.enqueue(
      cassetteAnswer('openai-responses/pydantic-ai-openai_responses_model_simple_response.yaml', 0),
    );
    await world.client.responses.create({
      model: 'oai/gpt-4o',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: CALL_ID, output: 'Mexico' }],
      tools: TOOLS,
    });
    const sent = world.openai.lastBody();
    expect(sent).not.toHaveProperty('previous_response_id');
    const input = sent.input as Array<Record<string, unknown>>;
    // The reasoning item carried Claude's signature in a jx1 envelope OpenAI could not decrypt: dropped.
    expect(input.map((item) => item.type)).toEqual([
      'message',
      'message',
      'function_call',
      'function_call_output',
    ]);
    expect(input[2]).toMatchObject({ call_id: CALL_ID, name: 'get_user_country', arguments: '{}' });
    expect(JSON.stringify(sent)).not.toContain('jx1.');
  });

  it('a stream that fails over before its first byte is invisible to the client', async () => {
    const first = await claudeTurn();
    world.anthropic.enqueue(errorAnswer(529, OVERLOADED));
    world.gemini.enqueue(geminiChunksAnswer('gemini/vercel-google-text.chunks.txt'));
    const stream = await world.client.responses.create({
      model: 'agent',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: CALL_ID, output: 'Mexico' }],
      tools: TOOLS,
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types).not.toContain('error');
    expect((world.gemini.lastBody().contents as unknown[]).length).toBe(3);
  });
});
