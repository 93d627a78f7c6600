/**
 * Recorded upstream answers the matrix replays, each with what the recording says (an `Answer`, computed
 * from the wire) and a label naming the file it came from.
 */

import { loadJson } from '../support/fixtures.js';
import type { Answer } from '../support/matrix-answer.js';
import {
  answerFromAnthropicJson,
  answerFromAnthropicStream,
  answerFromGeminiStream,
  answerFromOpenAIJson,
  answerFromOpenAIStream,
} from '../support/matrix-answer.js';
import { anthropicJsonAsSse, openAIJsonAsSse } from '../support/matrix-reshape.js';
import type { MatrixAnswer } from '../support/matrix-upstream-server.js';
import {
  anthropicChunksSse,
  cassetteAnswer,
  cassetteJson,
  cassetteText,
  errorAnswer,
  geminiChunksSse,
  geminiJsonAsSse,
  jsonAnswer,
  openaiChunksSse,
  sseAnswer,
} from '../support/upstream-answers.js';

export interface Replay {
  /** The fixture, relative to ../shared/fixtures, with `#i` for a cassette interaction. */
  label: string;
  answer(): MatrixAnswer;
  /** The exact body served: what a client of the provider itself would have received. */
  body: string;
  contentType: string;
  expected: Answer;
  /** A recorded non-stream body served as the stream the provider sends for it (see matrix-reshape.ts). */
  reshaped: boolean;
  /**
   * What a client of the provider reads from these bytes, when that differs from what the gateway's
   * translation must make of them (a vendor's usage extension the OpenAI SDK does not read). The
   * same-dialect fast path relays the bytes, so its client sees this.
   */
  relayed?: Answer;
  /** What a cell serving this recording should say about it (a vendor extension and how it is read). */
  note?: string;
}

export interface ErrorReplay {
  label: string;
  answer(): MatrixAnswer;
  /** The HTTP status the provider sends with this body. */
  status: number;
  /** Set when the recording does not keep the status and it comes from the provider's documentation. */
  documentedStatus?: true;
  /** Set when the provider has no error recording and another one stands in: which, and why it fits. */
  standIn?: string;
}

type Json = Record<string, unknown>;
const SSE = 'text/event-stream';
const JSON_TYPE = 'application/json';

export function sseReplay(label: string, body: string, expected: Answer, reshaped = false): Replay {
  return { label, body, contentType: SSE, expected, reshaped, answer: () => sseAnswer(body) };
}

function jsonReplay(label: string, parsed: Json, expected: Answer): Replay {
  const body = JSON.stringify(parsed);
  return { label, body, contentType: JSON_TYPE, expected, reshaped: false, answer: () => jsonAnswer(parsed) };
}

function cassetteLabel(file: string, index: number): string {
  return `${file}#${index}`;
}

// OpenAI Chat Completions (also OpenAI-compatible servers: DeepSeek, OpenRouter)
export const openai = {
  chunks: (file: string): Replay => {
    const sse = openaiChunksSse(file);
    return sseReplay(file, sse, answerFromOpenAIStream(sse));
  },
  sse: (file: string, index = 0): Replay => {
    const sse = cassetteText(file, index);
    return {
      ...sseReplay(cassetteLabel(file, index), sse, answerFromOpenAIStream(sse)),
      answer: () => cassetteAnswer(file, index),
    };
  },
  json: (file: string): Replay => {
    const body = loadJson(file) as Json;
    return jsonReplay(file, body, answerFromOpenAIJson(body));
  },
  cassetteJson: (file: string, index = 0): Replay => {
    const body = cassetteJson(file, index);
    return jsonReplay(cassetteLabel(file, index), body, answerFromOpenAIJson(body));
  },
  jsonAsStream: (file: string, index = 0): Replay => {
    const body = cassetteJson(file, index);
    return sseReplay(cassetteLabel(file, index), openAIJsonAsSse(body), answerFromOpenAIJson(body), true);
  },
};

export const anthropic = {
  chunks: (file: string): Replay => {
    const sse = anthropicChunksSse(file);
    return sseReplay(file, sse, answerFromAnthropicStream(sse));
  },
  sse: (file: string, index = 0): Replay => {
    const sse = cassetteText(file, index);
    return {
      ...sseReplay(cassetteLabel(file, index), sse, answerFromAnthropicStream(sse)),
      answer: () => cassetteAnswer(file, index),
    };
  },
  json: (file: string): Replay => {
    const body = loadJson(file) as Json;
    return jsonReplay(file, body, answerFromAnthropicJson(body));
  },
  cassetteJson: (file: string, index = 0): Replay => {
    const body = cassetteJson(file, index);
    return jsonReplay(cassetteLabel(file, index), body, answerFromAnthropicJson(body));
  },
  jsonAsStream: (file: string, index = 0): Replay => {
    const body = cassetteJson(file, index);
    return sseReplay(
      cassetteLabel(file, index),
      anthropicJsonAsSse(body),
      answerFromAnthropicJson(body),
      true,
    );
  },
};

export const gemini = {
  chunks: (file: string): Replay => {
    const sse = geminiChunksSse(file);
    return sseReplay(file, sse, answerFromGeminiStream(sse));
  },
  sse: (file: string, index = 0): Replay => {
    const sse = cassetteText(file, index);
    return {
      ...sseReplay(cassetteLabel(file, index), sse, answerFromGeminiStream(sse)),
      answer: () => cassetteAnswer(file, index),
    };
  },
  /** A generateContent body as the one-event stream streamGenerateContent sends (same shape per chunk). */
  jsonAsStream: (file: string, index = 0): Replay => {
    const sse = geminiJsonAsSse(cassetteJson(file, index));
    return sseReplay(cassetteLabel(file, index), sse, answerFromGeminiStream(sse), true);
  },
};

export function cassetteError(file: string, index = 0): ErrorReplay {
  const answer = cassetteAnswer(file, index);
  return {
    label: cassetteLabel(file, index),
    answer: () => cassetteAnswer(file, index),
    status: answer.status ?? 200,
  };
}

/** A recorded error body whose status the recording does not keep; `status` is the provider's documented one. */
export function documentedError(file: string, status: number): ErrorReplay {
  return { label: file, answer: () => errorAnswer(status, loadJson(file)), status, documentedStatus: true };
}
