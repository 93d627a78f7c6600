/**
 * openai SDK (Responses API) -> Gemini upstream (translated). A recorded Gemini 3 two-turn tool loop
 * (pydantic-ai-google_streaming_tool_call_thought_signature.yaml): Gemini signs its function call and
 * rejects the next turn unless the signature comes back on that call. The signature rides in a carrier
 * reasoning item Junction places before the call; turn 2 is continued with previous_response_id and the
 * second Gemini request must carry the signature on the functionCall, then the functionResponse.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useStarted } from '../support/e2e-gateway.js';
import { expectValidAgainstSpec } from '../support/openapi.js';
import { cassetteAnswer, geminiChunksAnswer } from '../support/upstream-answers.js';
import { collectStream, finalResponse, outputText, startResponsesWorld } from './responses-support.js';

const CONVERSATION = 'gemini/pydantic-ai-google_streaming_tool_call_thought_signature.yaml';
const MODEL = 'gem/gemini-3-pro-preview';
const TOOLS = [
  {
    type: 'function' as const,
    name: 'get_country',
    description: '',
    parameters: { additionalProperties: false, properties: {}, type: 'object' },
    strict: false,
  },
];

type Part = Record<string, unknown> & {
  functionCall?: { name: string; args: unknown; id?: string };
  functionResponse?: { name: string; response: unknown; id?: string };
  thoughtSignature?: string;
};

const world = useStarted(
  'responses world',
  () => startResponsesWorld(),
  (started) => started.stop(),
);
beforeEach(() => {
  world.gemini.reset();
});

describe('responses -> gemini', () => {
  it('stream + previous_response_id: the thought signature comes back on the function call', async () => {
    world.gemini.enqueue(cassetteAnswer(CONVERSATION, 0));
    const events = await collectStream(
      await world.client.responses.create({
        model: MODEL,
        input: 'What is the capital of the user country? Call the tool',
        tools: TOOLS,
        stream: true,
      }),
    );
    const first = finalResponse(events);
    expectValidAgainstSpec('Response', first);
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'get_country', arguments: '{}' });
    const callId = call?.type === 'function_call' ? call.call_id : '';

    world.gemini.enqueue(cassetteAnswer(CONVERSATION, 1));
    const second = await world.client.responses.create({
      model: MODEL,
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: callId, output: 'Mexico' }],
      tools: TOOLS,
    });
    expectValidAgainstSpec('Response', second);
    expect(outputText(second)).toBe('The capital of Mexico is Mexico City.');

    const contents = world.gemini.lastBody().contents as Array<{ role: string; parts: Part[] }>;
    expect(contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    const sentCall = contents[1]!.parts.find((part) => part.functionCall);
    expect(sentCall?.functionCall).toMatchObject({ name: 'get_country', args: {} });
    // The signature exactly as Gemini sent it in turn 1 (standard base64, from the recorded stream).
    expect(sentCall?.thoughtSignature).toMatch(
      /^EpwICpkIAXLI2nxlU6gsWZaZHRYkX1orzuM8vSUFwaAt1JRxEC2hJzPAcAu3PWaKz7X\+/,
    );
    const result = contents[2]!.parts[0]!;
    expect(result.functionResponse).toMatchObject({ name: 'get_country' });
    expect(JSON.stringify(result.functionResponse)).toContain('Mexico');
  });

  it('non-stream text answer: a valid Response with usage; retrievable', async () => {
    world.gemini.enqueue(geminiChunksAnswer('gemini/vercel-google-text.chunks.txt'));
    const response = await world.client.responses.create({
      model: MODEL,
      input: 'Write a vegetarian lasagna recipe',
    });
    expectValidAgainstSpec('Response', response);
    expect(response.status).toBe('completed');
    expect(outputText(response).length).toBeGreaterThan(20);
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    const { output_text: _a, ...stored } = await world.client.responses.retrieve(response.id);
    const { output_text: _b, ...created } = response;
    expect(stored).toEqual(created);
  });

  it('stream with reasoning: summary events and a reasoning item', async () => {
    world.gemini.enqueue(cassetteAnswer('gemini/pydantic-ai-google_model_thinking_part_iter.yaml', 0));
    const events = await collectStream(
      await world.client.responses.create({
        model: 'gem/gemini-2.5-pro',
        instructions: 'You are a helpful assistant.',
        input: 'How do I cross the street?',
        reasoning: { effort: 'high', summary: 'auto' },
        stream: true,
      }),
    );
    expect(events.some((event) => event.type === 'response.reasoning_summary_text.delta')).toBe(true);
    const final = finalResponse(events);
    expect(final.output[0]?.type).toBe('reasoning');
    const summary = final.output[0]?.type === 'reasoning' ? final.output[0].summary[0]?.text : '';
    expect(summary).toMatch(/^\*\*Clarifying User Goals\*\*/);
    expect(world.gemini.lastBody().systemInstruction).toMatchObject({
      parts: [{ text: 'You are a helpful assistant.' }],
    });
    expect(outputText(final).length).toBeGreaterThan(0);
  });
});
