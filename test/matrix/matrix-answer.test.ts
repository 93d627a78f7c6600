/**
 * The matrix's reading of a recording (matrix-answer.ts) must agree with the e2e suite's
 * (fixture-expectations.ts) wherever both read the same thing, so the two suites cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import type { Expected } from '../support/fixture-expectations.js';
import {
  expectedFromAnthropicStream,
  expectedFromGeminiStream,
  expectedFromOpenAIStream,
} from '../support/fixture-expectations.js';
import {
  answerFromAnthropicJson,
  answerFromAnthropicStream,
  answerFromOpenAIJson,
  answerFromOpenAIStream,
  openAIView,
} from '../support/matrix-answer.js';
import { anthropicJsonAsSse, openAIJsonAsSse } from '../support/matrix-reshape.js';
import { COLUMNS } from './provider-columns.js';
import type { Replay } from './replays.js';

const READERS: Record<string, (sse: string) => Expected> = {
  openai: expectedFromOpenAIStream,
  anthropic: expectedFromAnthropicStream,
  gemini: expectedFromGeminiStream,
};

/** The stream replays of the wires both suites read, once each (vendor-extended readings left out). */
function streamReplays(): Array<[string, string, Replay]> {
  const out: Array<[string, string, Replay]> = [];
  for (const column of Object.values(COLUMNS)) {
    if (!READERS[column.wire]) continue;
    for (const replays of Object.values(column.replays)) {
      const replay = replays.stream;
      // fixture-expectations does not assemble Gemini partialArgs; those are covered by gemini.test.ts.
      if (replay.body.includes('partialArgs')) continue;
      // xAI's reasoning count is read by vendor-replays.ts (native-answers.test.ts).
      if (replay.relayed) continue;
      if (!out.some(([, label]) => label === replay.label)) out.push([column.wire, replay.label, replay]);
    }
  }
  return out;
}

describe('matrix-answer agrees with fixture-expectations', () => {
  it.each(streamReplays())('%s %s', (provider, _label, replay) => {
    const theirs = READERS[provider]!(replay.body);
    const ours = openAIView(replay.expected);
    expect(ours.text).toBe(theirs.text);
    expect(ours.finishReason).toBe(theirs.finishReason);
    expect(ours.toolCalls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args }))).toEqual(
      theirs.toolCalls.map(({ id, name, arguments: args }) => ({
        id: id || undefined,
        name,
        arguments: args,
      })),
    );
    expect(ours.usage.prompt_tokens).toBe(theirs.usage.prompt_tokens);
    expect(ours.usage.completion_tokens).toBe(theirs.usage.completion_tokens);
    expect(ours.usage.cached_tokens).toBe(theirs.usage.cached_tokens);
    if (provider !== 'openai') {
      expect(ours.reasoning).toBe(theirs.reasoning);
      expect(ours.signatures).toEqual(theirs.signatures);
    }
  });

  it('a reshaped stream says what the recorded body says', () => {
    const parallel = COLUMNS.anthropic.replays['parallel-tool-calls'];
    const body = JSON.parse(parallel.json!.body) as Record<string, unknown>;
    expect(answerFromAnthropicStream(anthropicJsonAsSse(body))).toEqual(answerFromAnthropicJson(body));
    expect(answerFromAnthropicJson(body).blocks.filter((b) => b.type === 'tool_use')).toHaveLength(4);

    const schema = COLUMNS.openai.replays['json-schema'];
    const completion = JSON.parse(schema.json!.body) as Record<string, unknown>;
    expect(answerFromOpenAIStream(openAIJsonAsSse(completion))).toEqual(answerFromOpenAIJson(completion));
  });
});
