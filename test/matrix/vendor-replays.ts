/**
 * Chat Completions recordings of vendors with a usage or reasoning extension the plain OpenAI reading
 * (matrix-answer.ts) does not know: xAI's reasoning tokens outside `completion_tokens`, Groq's `reasoning`
 * field in a non-stream answer.
 */
import { loadJson } from '../support/fixtures.js';
import type { Answer } from '../support/matrix-answer.js';
import { answerFromOpenAIJson, answerFromOpenAIStream } from '../support/matrix-answer.js';
import { openAIJsonAsSse } from '../support/matrix-reshape.js';
import { cassetteJson, openaiChunksSse } from '../support/upstream-answers.js';
import type { Replay } from './replays.js';
import { openai, sseReplay } from './replays.js';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Rewrites each SSE data chunk; `[DONE]` and framing are kept. */
function mapChunks(sse: string, map: (chunk: Json) => Json): string {
  return sse
    .split('\n\n')
    .map((event) => {
      if (!event.startsWith('data: {')) return event;
      return `data: ${JSON.stringify(map(JSON.parse(event.slice(6)) as Json))}`;
    })
    .join('\n\n');
}

/**
 * xAI counts reasoning beside `completion_tokens` (total = prompt + completion + reasoning), where OpenAI
 * counts it inside: output tokens are completion + reasoning. The relayed bytes keep xAI's numbers.
 */
function xaiUsage(answer: Answer, usage: Json): Answer {
  const reasoning = answer.usage.reasoning;
  const prompt = Number(usage.prompt_tokens ?? 0);
  const completion = Number(usage.completion_tokens ?? 0);
  const outside = reasoning > 0 && usage.total_tokens === prompt + completion + reasoning;
  return outside
    ? { ...answer, usage: { ...answer.usage, output: answer.usage.output + reasoning } }
    : answer;
}

function lastUsage(sse: string): Json {
  let usage: Json = {};
  for (const event of sse.split('\n\n'))
    if (event.startsWith('data: {')) usage = obj((JSON.parse(event.slice(6)) as Json).usage ?? usage);
  return usage;
}

const XAI_NOTE =
  "xAI counts reasoning tokens beside `completion_tokens`: translated, output tokens include them; relayed, the client gets xAI's own counts";

export function xaiChunks(file: string): Replay {
  const sse = openaiChunksSse(file);
  const plain = answerFromOpenAIStream(sse);
  return { ...sseReplay(file, sse, xaiUsage(plain, lastUsage(sse))), relayed: plain, note: XAI_NOTE };
}

export function xaiJson(file: string): Replay {
  const body = loadJson(file) as Json;
  const plain = answerFromOpenAIJson(body);
  return { ...openai.json(file), expected: xaiUsage(plain, obj(body.usage)), relayed: plain, note: XAI_NOTE };
}

/**
 * A recorded non-stream answer whose reasoning is in `reasoning` (Groq's GPT-OSS) as the stream the host
 * sends for it: openAIJsonAsSse's framing, with the reasoning in the first delta where the host puts it.
 */
export function jsonWithReasoningAsStream(file: string, index = 0): Replay {
  const body = cassetteJson(file, index);
  const message = obj(obj(arr(body.choices)[0]).message);
  let first = true;
  const sse = mapChunks(openAIJsonAsSse(body), (chunk) => {
    if (!first || typeof message.reasoning !== 'string') return chunk;
    first = false;
    const [choice] = arr(chunk.choices).map(obj);
    return {
      ...chunk,
      choices: [{ ...choice, delta: { ...obj(choice?.delta), reasoning: message.reasoning } }],
    };
  });
  return sseReplay(`${file}#${index}`, sse, answerFromOpenAIJson(body), true);
}
