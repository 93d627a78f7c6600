/**
 * The matrix's Responses reading (matrix-responses-answer.ts, matrix-responses-events.ts) against values
 * read off the recordings by eye, and against the gateway's own envelope format, so a reading error cannot
 * make the gateway and the matrix agree on a wrong answer.
 */
import { describe, expect, it } from 'vitest';
import { encodeContinuation } from '../../src/dialects/openai-responses/continuation-envelope.js';
import { sseData } from '../support/fixture-expectations.js';
import { loadChunks } from '../support/fixtures.js';
import type { Answer } from '../support/matrix-answer.js';
import {
  carriedBy,
  geminiTextSignatures,
  recordedResponse,
  responsesView,
} from '../support/matrix-responses-answer.js';
import { responsesStreamProblems } from '../support/matrix-responses-events.js';
import { geminiChunksSse } from '../support/upstream-answers.js';
import { responses } from './responses-replays.js';

const OR = 'openai-responses';
const REASONING = `${OR}/vercel-openai-reasoning-encrypted-content.1.chunks.txt`;

describe('a recorded Responses answer', () => {
  it('reads the first response of a multi-step run: signed reasoning with a summary, then a call', () => {
    const { expected, label, body } = responses.chunks(REASONING, 0);
    expect(label).toBe(`${REASONING}#0`);
    expect(sseData(body).map((event) => event.type)).toContain('response.reasoning_summary_text.delta');
    expect(expected.blocks.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    const [thinking, call] = expected.blocks as [
      Extract<Answer['blocks'][number], { type: 'thinking' }>,
      Extract<Answer['blocks'][number], { type: 'tool_use' }>,
    ];
    expect(thinking.thinking.startsWith('**Calculating step-by-step using calculator**')).toBe(true);
    expect(thinking.signature?.startsWith('gAAAAABpPDIV')).toBe(true);
    expect(call).toEqual({
      type: 'tool_use',
      id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn',
      name: 'calculator',
      arguments: '{"a":12,"b":7,"op":"add"}',
    });
    expect(expected.finish).toBe('tool_calls');
    expect(expected.usage).toEqual({ input: 134, cacheRead: 0, cacheWrite: 0, output: 28, reasoning: 0 });
  });

  it('reads cached tokens and keeps hosted-tool items as `other`', () => {
    const file = `${OR}/pydantic-ai-openai_responses_model_web_search_tool_stream.yaml`;
    const { expected } = responses.sse(file, 0);
    expect(expected.blocks.map((b) => (b.type === 'other' ? b.blockType : b.type))).toEqual([
      'thinking',
      'web_search_call',
      'thinking',
      'text',
    ]);
    expect(expected.usage).toEqual({
      input: 9463,
      cacheRead: 8320,
      cacheWrite: 0,
      output: 582,
      reasoning: 512,
    });
    const json = responses.cassetteJson(`${OR}/pydantic-ai-openai_responses_prompt_cache_e2e.yaml`, 1);
    expect(json.expected.usage).toMatchObject({ input: 4020, cacheRead: 4012, output: 5 });
    expect(json.expected.blocks).toEqual([{ type: 'text', text: 'OK' }]);
  });

  it('takes a stream’s Response from its terminal event', () => {
    const { body, contentType } = responses.sse(`${OR}/pydantic-ai-openai_responses_stream.yaml`, 1);
    const response = recordedResponse(body, contentType);
    expect(response.status).toBe('completed');
    expect(response.id).toBe('resp_67e554a21aa88191b65876ac5e5bbe0406c52f0e511c76ed');
  });
});

describe('the Responses stream sequence check', () => {
  it.each([1, 2, 3])('passes each response OpenAI sent in a multi-step run (#%i)', (index) => {
    const rows = sseData(responses.chunks(REASONING, index).body);
    expect(responsesStreamProblems(rows)).toEqual([]);
  });

  it('holds the terminal Response to the items as they were done (OpenAI re-encrypts reasoning there)', () => {
    const rows = sseData(responses.chunks(REASONING, 0).body);
    expect(responsesStreamProblems(rows)).toEqual([
      "event 55 (response.completed): the Response's output is not the items as output_item.done gave them",
    ]);
    const done = rows.filter((row) => row.type === 'response.output_item.done').map((row) => row.item);
    const output = (rows.at(-1)!.response as { output: Array<Record<string, unknown>> }).output;
    const withoutBlob = (item: unknown) => ({ ...(item as object), encrypted_content: undefined });
    expect(output.map(withoutBlob)).toEqual(done.map(withoutBlob));
  });

  it('flags a recording that skips an output index (the phase recording was trimmed)', () => {
    const rows = loadChunks(`${OR}/vercel-openai-phase.1.chunks.txt`) as object[];
    expect(responsesStreamProblems(rows)).toContainEqual(
      expect.stringContaining('output_index 2, expected 1'),
    );
  });

  it('flags a missing delta, a lost item and a wrong order', () => {
    const rows = sseData(responses.chunks(REASONING, 0).body);
    const delta = rows.findIndex((row) => row.type === 'response.function_call_arguments.delta');
    const renumber = (list: Record<string, unknown>[]) =>
      list.map((row, i) => ({ ...row, sequence_number: i }));
    expect(responsesStreamProblems(renumber(rows.filter((_, i) => i !== delta)))).toContainEqual(
      expect.stringContaining('function_call_arguments.done differs from its deltas'),
    );
    const done = rows.findLastIndex((row) => row.type === 'response.output_item.done');
    expect(responsesStreamProblems(renumber(rows.filter((_, i) => i !== done)))).toContainEqual(
      expect.stringContaining('was never done'),
    );
    expect(responsesStreamProblems([rows[1]!, rows[0]!, ...rows.slice(2)])).toContainEqual(
      expect.stringContaining('must begin with response.created'),
    );
  });
});

describe('encrypted_content and the projection', () => {
  it('reads the gateway’s envelopes and passes OpenAI’s blob through', () => {
    expect(carriedBy(encodeContinuation({ signature: 'sig', encryptedContent: 'gAAAA' }))).toEqual({
      signature: 'sig',
      openai: 'gAAAA',
    });
    expect(
      carriedBy(
        encodeContinuation({
          providerData: { gemini: { thoughtSignature: 'g1' } },
          target: { type: 'function_call', call_id: 'call_1' },
        }),
      ),
    ).toEqual({ gemini: 'g1', target: 'function_call' });
    expect(carriedBy(encodeContinuation({ redactedData: 'r' }))).toEqual({ redactedData: 'r' });
    expect(carriedBy('gAAAAABpPDIV')).toEqual({ openai: 'gAAAAABpPDIV' });
    expect(carriedBy(undefined)).toEqual({});
  });

  it('puts Gemini signatures in carriers: before the call, after the message', () => {
    const signatures = geminiTextSignatures(geminiChunksSse('gemini/vercel-google-text.chunks.txt'));
    expect(signatures).toHaveLength(1);
    expect(signatures[0]!.startsWith('EqsFCqgFAb4+9vvtAF5n')).toBe(true);
    const answer: Answer = {
      blocks: [
        { type: 'thinking', thinking: 'think', geminiSignature: 't1' },
        { type: 'text', text: 'hi' },
        { type: 'tool_use', name: 'f', arguments: '{}', geminiSignature: 'c1' },
      ],
      finish: 'tool_calls',
      usage: { input: 10, cacheRead: 4, cacheWrite: 0, output: 3, reasoning: 1 },
    };
    expect(responsesView(answer, ['x1'])).toEqual({
      status: 'completed',
      items: [
        { type: 'reasoning', summary: 'think', carried: { gemini: 't1' } },
        { type: 'message', text: 'hi' },
        { type: 'reasoning', summary: '', carried: { gemini: 'x1', target: 'message' } },
        { type: 'reasoning', summary: '', carried: { gemini: 'c1', target: 'function_call' } },
        { type: 'function_call', name: 'f', arguments: '{}' },
      ],
      usage: {
        input_tokens: 10,
        cached_tokens: 4,
        cache_write_tokens: 0,
        output_tokens: 3,
        reasoning_tokens: 1,
        total_tokens: 13,
      },
    });
  });
});
