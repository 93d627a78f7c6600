/**
 * The matrix's reading of the wires matrix-answer.ts does not know (matrix-native-answers.ts,
 * vendor-replays.ts), checked against values read off the recordings by eye, so a reading error cannot
 * make the gateway and the matrix agree on a wrong answer.
 */
import { describe, expect, it } from 'vitest';
import type { Answer } from '../support/matrix-answer.js';
import { answerFromBedrockEvents, bedrockJsonAsEvents } from '../support/matrix-native-answers.js';
import { cassetteJson } from '../support/upstream-answers.js';
import { bedrock, cohere, mistral, ollama } from './native-replays.js';
import { COLUMNS } from './provider-columns.js';
import type { Replay } from './replays.js';
import { xaiChunks } from './vendor-replays.js';

const tool = (id: string, name: string, args: string) => ({ type: 'tool_use', id, name, arguments: args });
const usage = (input: number, cacheRead: number, output: number, reasoning = 0, cacheWrite = 0) => ({
  input,
  cacheRead,
  cacheWrite,
  output,
  reasoning,
});

describe('Bedrock ConverseStream', () => {
  it('reads the recorded binary frames of a text answer', () => {
    const { expected } = bedrock.frames('bedrock-converse/pydantic-ai-bedrock_model_stream.yaml');
    expect(expected.blocks).toHaveLength(1);
    expect(expected.blocks[0]).toMatchObject({ type: 'text' });
    const text = (expected.blocks[0] as { text: string }).text;
    expect(text.startsWith('The capital of France is Paris. Paris is not only')).toBe(true);
    expect(text.endsWith('"The City of Light" or "The City of Love."')).toBe(true);
    expect(expected).toMatchObject({
      finish: 'stop',
      anthropicStopReason: 'end_turn',
      usage: usage(13, 0, 82),
    });
  });

  it('reads text then a tool call, with the call id Bedrock sent', () => {
    const { expected } = bedrock.frames('bedrock-converse/pydantic-ai-bedrock_model_iter_stream.yaml');
    expect(expected.blocks[1]).toEqual(
      tool('tooluse_lAG_zP8QRHmSYOwZzzaCqA', 'get_temperature', '{"city":"Paris"}'),
    );
    expect(expected).toMatchObject({
      finish: 'tool_calls',
      anthropicStopReason: 'tool_use',
      usage: usage(471, 0, 91),
    });
  });

  it('keeps the reasoning signature', () => {
    const { expected } = bedrock.frames(
      'bedrock-converse/pydantic-ai-bedrock_model_thinking_part_stream.yaml',
    );
    const [thinking, text] = expected.blocks as [
      Extract<Answer['blocks'][number], { type: 'thinking' }>,
      unknown,
    ];
    expect(thinking.thinking.startsWith('The user has greeted me with a simple "Hello".')).toBe(true);
    expect(thinking.signature?.startsWith('Eu0CCkgIBxABGAIqQJDccbDQkr81n7Qj')).toBe(true);
    expect(text).toEqual({ type: 'text', text: "Hello! It's nice to meet you. How can I help you today?" });
    expect(expected.usage).toEqual(usage(36, 0, 73));
  });

  it('counts cache reads beside inputTokens into input, and keeps a whole answer when reshaped', () => {
    const file = 'bedrock-converse/pydantic-ai-bedrock_cache_write_and_read.yaml';
    const read = bedrock.jsonAsFrames(file, 1).expected;
    expect(read).toEqual({
      blocks: [{ type: 'text', text: '21' }],
      finish: 'stop',
      anthropicStopReason: 'end_turn',
      usage: usage(2 + 1322, 1322, 5),
    });
    const write = answerFromBedrockEvents(bedrockJsonAsEvents(cassetteJson(file, 0)));
    expect(write.usage).toEqual(usage(2 + 1322, 0, 5, 0, 1322));
  });

  it('re-encodes vercel chunks as frames the decoder reads back to the same events', () => {
    const replay = bedrock.chunks('bedrock-converse/vercel-amazon-bedrock-json-other-tool.1.chunks.txt');
    expect(replay.expected.blocks).toEqual([
      tool('toolu_01PQjhxo3eirCdKNvCJrKc8f', 'get-weather', '{"location":"San Francisco"}'),
    ]);
    expect(replay.expected.usage).toEqual(usage(843, 0, 28));
    expect(replay.body.match(/"toolUse":\{"input"/g)).toHaveLength(2);
  });
});

describe('Cohere v2 chat stream', () => {
  it('reads the tool plan as text, then both calls with their ids and streamed arguments', () => {
    const { expected } = cohere.chunks('cohere/vercel-cohere-tool-call.chunks.txt');
    expect(expected.blocks).toEqual([
      {
        type: 'text',
        text: 'I will use the weather tool to find the weather in San Francisco and the cityAttractions tool to find attractions in San Francisco.',
      },
      tool('weather_e8p4pn45zt0t', 'weather', '{"location": "San Francisco"}'),
      tool('cityAttractions_pyxssbwnq9fq', 'cityAttractions', '{"city": "San Francisco"}'),
    ]);
    // usage.tokens, not billed_units (119 / 44); cached_tokens is part of the input.
    expect(expected).toMatchObject({ finish: 'tool_calls', usage: usage(1549, 1504, 95) });
  });

  it('reads thinking before the text', () => {
    const { expected } = cohere.chunks('cohere/vercel-cohere-reasoning.chunks.txt');
    expect(expected.blocks).toEqual([
      {
        type: 'thinking',
        thinking:
          "The user is asking for the sum of 2 and 2. Since this is a straightforward arithmetic problem, I don't need to use any tools. I can calculate the answer directly.",
      },
      { type: 'text', text: 'The answer to 2 + 2 is 4.' },
    ]);
    expect(expected.usage).toEqual(usage(1394, 1360, 54));
  });
});

describe('Mistral chat chunks', () => {
  it('reads content chunk lists: thinking as reasoning, text as text', () => {
    const { expected } = mistral.chunks('mistral/vercel-mistral-reasoning.chunks.txt');
    expect(expected.blocks).toEqual([
      { type: 'thinking', thinking: 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.' },
      { type: 'text', text: '2 + 2 = 4' },
    ]);
    expect(expected.usage).toEqual(usage(10, 0, 46));
  });

  it('reads cached tokens from prompt_tokens_details of a reshaped answer', () => {
    const file = 'mistral/pydantic-ai-mistral_history_uses_prompt_cache.yaml';
    const { expected } = mistral.jsonAsStream(file, 1);
    expect(expected).toEqual({
      blocks: [{ type: 'text', text: 'cache probe two.' }],
      finish: 'stop',
      usage: usage(268, 224, 5),
    });
  });

  it('keeps the 9-character call id Mistral sends', () => {
    const { expected } = mistral.chunks('mistral/vercel-mistral-tool-call.chunks.txt');
    expect(expected.blocks).toEqual([tool('gSIMJiOkT', 'weather', '{"location": "San Francisco"}')]);
  });
});

describe('Ollama NDJSON (documented shapes)', () => {
  it('numbers whole calls call_0, call_1 and finishes a "stop" after calls as tool calls', () => {
    const { expected } = COLUMNS.ollama.replays['parallel-tool-calls'].stream;
    expect(expected.blocks).toEqual([
      tool('call_0', 'get_weather', '{"city":"Tokyo"}'),
      tool('call_1', 'get_weather', '{"city":"Paris"}'),
    ]);
    expect(expected).toMatchObject({ finish: 'tool_calls', usage: usage(169, 0, 15) });
  });

  it('reads thinking, text and done_reason length', () => {
    const replay: Replay = COLUMNS.ollama.replays.reasoning.stream;
    expect(replay.expected).toEqual({
      blocks: [
        { type: 'thinking', thinking: 'Okay, 17 × 23 = 17 × 20 + 17 × 3 = 340 + 51 = 391.' },
        { type: 'text', text: '17 × 23 = **391**' },
      ],
      finish: 'length',
      usage: usage(18, 0, 120),
    });
    expect(ollama.lines('x', []).expected.blocks).toEqual([]);
  });
});

describe('vendor usage extensions on the Chat Completions wire', () => {
  it('xAI: reasoning tokens outside completion_tokens count as output once translated', () => {
    const replay = xaiChunks('openai-chat/vercel-xai-text.chunks.txt');
    expect(replay.expected.usage).toEqual(usage(12, 11, 1 + 290, 290));
    expect(replay.relayed?.usage).toEqual(usage(12, 11, 1, 290));
  });
});
