/**
 * openai SDK (Responses API) -> OpenAI upstream with the Responses endpoint: the same-dialect fast path.
 * The body goes to {base}/responses with only `model` rewritten, the recorded bytes come back untouched
 * (unknown fields both ways), and the relayed Response is stored too: retrieve, input items and
 * previous_response_id work from Junction's store, the history inlined into the next relayed body (a
 * Junction-held id means nothing to OpenAI). Built-in tools pass through; input_tokens is exact.
 * OpenAI's own bytes are not validated against the spec here (the recordings predate it in places);
 * what Junction itself writes (item lists) is.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { useStarted } from '../support/e2e-gateway.js';
import { loadCassette, requestJson } from '../support/fixtures.js';
import { expectValidAgainstSpec } from '../support/openapi.js';
import { cassetteAnswer, cassetteText, jsonAnswer } from '../support/upstream-answers.js';
import {
  collectStream,
  finalResponse,
  KEY_A,
  outputText,
  rawJson,
  startResponsesWorld,
} from './responses-support.js';

const TOOL_LOOP = 'openai-responses/pydantic-ai-openai_responses_model_simple_response_with_tool_call.yaml';
const STREAM = 'openai-responses/pydantic-ai-openai_responses_streaming_usage.yaml';
const COUNT = 'openai-responses/pydantic-ai-openai_responses-count_tokens_with_tools.yaml';
const WEB_SEARCH = 'openai-responses/pydantic-ai-openai_responses_model_web_search_tool.yaml';
const turn1Request = requestJson(loadCassette(TOOL_LOOP)[0]!);
const turn2Request = requestJson(loadCassette(TOOL_LOOP)[1]!);

const world = useStarted(
  'responses world',
  () => startResponsesWorld(),
  (started) => started.stop(),
);
beforeEach(() => {
  world.openai.reset();
});

describe('responses -> openai (fast path)', () => {
  it('non-stream tool loop: bytes relayed, stored, and turn 2 inlines the stored history for OpenAI', async () => {
    world.openai.enqueue(cassetteAnswer(TOOL_LOOP, 0));
    const tools = turn1Request.tools as never;
    const first = await world.client.responses.create({
      model: 'oai/gpt-4o',
      input: 'What is the capital of PotatoLand?',
      tools,
      // A field no schema knows survives the relay.
      x_junction_probe: { keep: true },
    } as never);
    expect(world.openai.last().path).toBe('/v1/responses');
    const sent1 = world.openai.lastBody();
    expect(sent1).toMatchObject({
      model: 'gpt-4o',
      x_junction_probe: { keep: true },
      tools: turn1Request.tools,
    });
    // The client gets OpenAI's own answer: its id, and fields Junction does not model (billing).
    const recorded = loadCassette(TOOL_LOOP)[0]!.response.parsed_body as Record<string, unknown>;
    expect(first.id).toBe(recorded.id);
    expect((first as unknown as Record<string, unknown>).billing).toEqual({ payer: 'developer' });
    const call = first.output[0]!;
    expect(call).toMatchObject({
      type: 'function_call',
      name: 'get_capital',
      call_id: 'call_YfwRsW8sUxDKipwyhWTzOXCA',
    });

    // Retrieved from Junction's store: OpenAI is not asked.
    const { output_text: _t, ...retrieved } = await world.client.responses.retrieve(first.id);
    const { output_text: _f, ...firstBody } = first;
    expect(retrieved).toEqual(firstBody);
    expect(world.openai.requests).toHaveLength(1);

    world.openai.enqueue(cassetteAnswer(TOOL_LOOP, 1));
    const second = await world.client.responses.create({
      model: 'oai/gpt-4o',
      previous_response_id: first.id,
      input: [
        { type: 'function_call_output', call_id: 'call_YfwRsW8sUxDKipwyhWTzOXCA', output: 'Potato City' },
      ],
      tools,
    });
    expect(outputText(second)).toBe('The capital of PotatoLand is Potato City.');
    const sent2 = world.openai.lastBody();
    expect(sent2).not.toHaveProperty('previous_response_id');
    const input = sent2.input as Array<Record<string, unknown>>;
    const recordedInput = turn2Request.input as Array<Record<string, unknown>>;
    expect(input.map((item) => item.type ?? 'message')).toEqual([
      'message',
      'function_call',
      'function_call_output',
    ]);
    expect(input[0]).toMatchObject({ role: 'user' });
    expect(JSON.stringify(input[0])).toContain('What is the capital of PotatoLand?');
    for (const field of ['call_id', 'name', 'arguments'])
      expect(input[1]![field]).toBe(recordedInput[1]![field]);
    expect(input[2]).toMatchObject({ call_id: recordedInput[2]!.call_id, output: 'Potato City' });

    const items = await rawJson(world, 'GET', `/v1/responses/${second.id}/input_items?order=asc`);
    expectValidAgainstSpec('ResponseItemList', items.body);
    expect((items.body.data as Array<{ type: string }>).map((item) => item.type)).toEqual([
      'message',
      'function_call',
      'function_call_output',
    ]);
  });

  it('stream: the recorded SSE bytes reach the client unchanged; the stored events replay them', async () => {
    world.openai.enqueue(cassetteAnswer(STREAM, 0));
    const body = { ...requestJson(loadCassette(STREAM)[0]!), model: 'oai/gpt-5' };
    const response = await fetch(`${world.gateway.baseURL}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY_A}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(await response.text()).toBe(cassetteText(STREAM, 0));
    expect(world.openai.lastBody()).toEqual({ ...body, model: 'gpt-5' });

    const recordedId = 'resp_0050471a34b36ae60068c97b94a480819587a9d70cf2979b33';
    const stored = await world.client.responses.retrieve(recordedId);
    expect(stored.status).toBe('completed');
    expect(stored.usage).toMatchObject({ input_tokens: 53, output_tokens: 469 });
    const replayed = await collectStream(
      await world.client.responses.retrieve(recordedId, { stream: true }),
      false,
    );
    expect(finalResponse(replayed).output).toEqual(stored.output);
    expect(replayed.map((event) => event.sequence_number)).toEqual(replayed.map((_, i) => i));
  });

  it('SDK stream through the relay: events validate, the final Response is stored', async () => {
    world.openai.enqueue(cassetteAnswer(STREAM, 0));
    const events = await collectStream(
      await world.client.responses.create({
        model: 'oai/gpt-5',
        input: 'Calculate 100 * 200 / 3',
        stream: true,
      }),
      false,
    );
    const final = finalResponse(events);
    expect(final.output.at(-1)).toMatchObject({ type: 'function_call', name: 'final_result' });
    expect((await world.client.responses.retrieve(final.id)).output).toEqual(final.output);
  });

  it('request ids: x-request-id stays the gateway’s; OpenAI’s own comes as x-junction-upstream-request-id', async () => {
    const upstreamId = 'req_responses0123456789abcdef';
    for (const stream of [false, true]) {
      const answer = stream ? cassetteAnswer(STREAM, 0) : cassetteAnswer(TOOL_LOOP, 0);
      world.openai.enqueue({ ...answer, headers: { ...answer.headers, 'x-request-id': upstreamId } });
      const requestId = `e2e-responses-${stream ? 'stream' : 'json'}-${Date.now()}`;
      const response = await fetch(`${world.gateway.baseURL}/v1/responses`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${KEY_A}`,
          'content-type': 'application/json',
          'x-request-id': requestId,
        },
        body: JSON.stringify({ model: 'oai/gpt-5', input: 'hi', stream }),
      });
      expect(response.status).toBe(200);
      await response.text();
      expect(response.headers.get('x-request-id')).toBe(requestId);
      expect(response.headers.get('x-junction-upstream-request-id')).toBe(upstreamId);
      expect(await world.gateway.usageRecord(requestId)).toMatchObject({ fastPath: true, stream });
    }
  });

  it('built-in tools pass through to OpenAI', async () => {
    world.openai.enqueue(cassetteAnswer(WEB_SEARCH, 0));
    const response = await world.client.responses.create({
      model: 'oai/gpt-4o',
      input: 'What is the weather in Mexico City today?',
      tools: [{ type: 'web_search' }],
    } as never);
    expect(world.openai.lastBody().tools).toEqual([{ type: 'web_search' }]);
    expect(response.output.some((item) => item.type === 'web_search_call')).toBe(true);
  });

  it('input_tokens: exact, from OpenAI’s own endpoint', async () => {
    world.openai.enqueue(jsonAnswer(loadCassette(COUNT)[0]!.response.parsed_body));
    const request = requestJson(loadCassette(COUNT)[0]!);
    const counted = await rawJson(world, 'POST', '/v1/responses/input_tokens', {
      ...request,
      model: 'oai/gpt-4.1-mini',
    });
    expect(counted.status).toBe(200);
    expect(counted.headers.get('x-junction-token-count')).toBe('exact');
    expect(counted.body).toEqual({ object: 'response.input_tokens', input_tokens: 51 });
    expect(world.openai.last().path).toBe('/v1/responses/input_tokens');
    expect(world.openai.lastBody()).toEqual({ ...request, model: 'gpt-4.1-mini' });
  });
});
