/**
 * Mock upstream answers built from the recorded fixtures in ../shared/fixtures, one builder per wire
 * format, plus hand-shaped error answers (status + JSON body + headers) for the failure paths.
 */

import { chunksToSse, loadCassette, loadChunks, loadJson, responseText } from './fixtures.js';
import type { MockAnswer } from './mock-upstream.js';

const SSE = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const JSON_TYPE = { 'content-type': 'application/json' };

export interface StreamOptions {
  /** Wait this long between SSE events (the body is written one event per chunk). */
  delayMs?: number;
}

/** Any SSE text as an answer, one event per write so the gateway sees real chunk boundaries. */
export function sseAnswer(text: string, options: StreamOptions = {}): MockAnswer {
  return { status: 200, headers: SSE, chunks: splitSseEvents(text), delayMs: options.delayMs };
}

/** OpenAI Chat Completions stream from a vercel `*.chunks.txt` (data lines + `data: [DONE]`). */
export function openaiChunksAnswer(relative: string, options: StreamOptions = {}): MockAnswer {
  return sseAnswer(openaiChunksSse(relative), options);
}

export function openaiChunksSse(relative: string): string {
  return chunksToSse(loadChunks(relative), { done: true });
}

/** Anthropic Messages stream from a vercel `*.chunks.txt`, with `event:` lines as Anthropic sends them. */
export function anthropicChunksAnswer(relative: string, options: StreamOptions = {}): MockAnswer {
  return sseAnswer(anthropicChunksSse(relative), options);
}

export function anthropicChunksSse(relative: string): string {
  return chunksToSse(loadChunks(relative), { withEventNames: true });
}

/** Gemini streamGenerateContent?alt=sse from a vercel `*.chunks.txt`. */
export function geminiChunksAnswer(relative: string, options: StreamOptions = {}): MockAnswer {
  return sseAnswer(geminiChunksSse(relative), options);
}

export function geminiChunksSse(relative: string): string {
  return chunksToSse(loadChunks(relative));
}

/** The byte-exact SSE body of a pydantic-ai cassette interaction (its status and content-type too). */
export function cassetteAnswer(relative: string, index = 0, options: StreamOptions = {}): MockAnswer {
  const interaction = cassetteInteraction(relative, index);
  const text = responseText(interaction);
  const contentType = headerValue(interaction.response.headers['content-type']) ?? 'text/event-stream';
  const answer: MockAnswer = contentType.includes('event-stream')
    ? sseAnswer(text, options)
    : { body: text, headers: { 'content-type': contentType } };
  return { ...answer, status: interaction.response.status.code };
}

/** The response text of a cassette interaction (raw SSE for streams). */
export function cassetteText(relative: string, index = 0): string {
  return responseText(cassetteInteraction(relative, index));
}

/** The parsed JSON response body of a cassette interaction. */
export function cassetteJson(relative: string, index = 0): Record<string, unknown> {
  const interaction = cassetteInteraction(relative, index);
  const parsed = interaction.response.parsed_body ?? JSON.parse(responseText(interaction));
  return parsed as Record<string, unknown>;
}

/**
 * A recorded non-stream Gemini GenerateContentResponse replayed as a one-event stream: a streamed
 * chunk has the same shape as the whole response, so this is what streamGenerateContent would send.
 */
export function geminiJsonAsSse(body: unknown): string {
  return `data: ${JSON.stringify(body)}\r\n\r\n`;
}

/** A JSON answer (OpenAI non-stream responses), optionally with fields added on top. */
export function jsonAnswer(body: unknown, status = 200, headers: Record<string, string> = {}): MockAnswer {
  return { status, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/** A vercel `*.json` fixture as a 200 JSON answer, with extra top-level fields merged in. */
export function jsonFixtureAnswer(relative: string, extra: Record<string, unknown> = {}): MockAnswer {
  return jsonAnswer({ ...(loadJson(relative) as Record<string, unknown>), ...extra });
}

/** An error answer: status, JSON body and headers such as retry-after. */
export function errorAnswer(status: number, body: unknown, headers: Record<string, string> = {}): MockAnswer {
  return jsonAnswer(body, status, headers);
}

/** Splits SSE text after each blank line, keeping the exact bytes (LF or CRLF framing). */
export function splitSseEvents(text: string): string[] {
  const out: string[] = [];
  const boundary = /\r?\n\r?\n/g;
  let start = 0;
  for (let match = boundary.exec(text); match !== null; match = boundary.exec(text)) {
    const end = match.index + match[0].length;
    out.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

function cassetteInteraction(relative: string, index: number) {
  const interaction = loadCassette(relative)[index];
  if (!interaction) throw new Error(`${relative} has no interaction ${index}`);
  return interaction;
}

function headerValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}
