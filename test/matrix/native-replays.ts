/**
 * Recorded answers of the providers with a wire of their own (Bedrock's binary event stream, Cohere v2,
 * Mistral, Ollama's NDJSON), as replays: the exact bytes to serve and what the recording says.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { chunksToSse, loadCassette, loadChunks } from '../support/fixtures.js';
import type { BedrockEvent } from '../support/matrix-native-answers.js';
import {
  answerFromBedrockEvents,
  answerFromCohereStream,
  answerFromMistralJson,
  answerFromMistralStream,
  answerFromOllamaLines,
  bedrockJsonAsEvents,
} from '../support/matrix-native-answers.js';
import { openAIJsonAsSse } from '../support/matrix-reshape.js';
import { cassetteJson, cassetteText } from '../support/upstream-answers.js';
import type { Replay } from './replays.js';
import { sseReplay } from './replays.js';

type Json = Record<string, unknown>;
const EVENT_STREAM = 'application/vnd.amazon.eventstream';
const NDJSON = 'application/x-ndjson';

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);

/** One ConverseStream event as the frame Bedrock sends it (CRC-checked by the gateway's decoder). */
function frame(event: BedrockEvent): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: event.type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new TextEncoder().encode(JSON.stringify(event.payload)),
  });
}

/** The frames of a recorded body, split on their own length prefixes. */
function splitFrames(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += view.getUint32(offset))
    frames.push(bytes.subarray(offset, offset + view.getUint32(offset)));
  return frames;
}

function decodeFrame(bytes: Uint8Array): BedrockEvent {
  const message = codec.decode(bytes);
  const type = message.headers[':event-type']?.value;
  return {
    type: typeof type === 'string' ? type : '',
    payload: JSON.parse(new TextDecoder().decode(message.body)) as Json,
  };
}

/** `body` lists the decoded events, one JSON line each, so scenario checks can read them. */
function bedrockReplay(
  label: string,
  frames: Uint8Array[],
  events: BedrockEvent[],
  reshaped = false,
): Replay {
  return {
    label,
    body: events.map((e) => JSON.stringify({ [e.type]: e.payload })).join('\n'),
    contentType: EVENT_STREAM,
    expected: answerFromBedrockEvents(events),
    reshaped,
    answer: () => ({
      status: 200,
      headers: { 'content-type': EVENT_STREAM, 'x-amzn-requestid': 'matrix-bedrock-request' },
      chunks: frames,
    }),
  };
}

export const bedrock = {
  /** A vercel chunks file: one decoded event per line (`{"contentBlockDelta": {...}}`), re-encoded as frames. */
  chunks: (file: string): Replay => {
    const events = loadChunks(file).map((line) => {
      const [type, payload] = Object.entries(line as Json)[0]!;
      return { type, payload: payload as Json };
    });
    return bedrockReplay(file, events.map(frame), events);
  },
  /** A pydantic-ai ConverseStream cassette: the recorded binary body, frame by frame, byte-exact. */
  frames: (file: string, index = 0): Replay => {
    const body = loadCassette(file)[index]?.response.body?.string as unknown;
    if (!(body instanceof Uint8Array)) throw new Error(`${file}#${index} has no binary body`);
    const frames = splitFrames(body);
    return bedrockReplay(`${file}#${index}`, frames, frames.map(decodeFrame));
  },
  /** A recorded Converse (non-stream) answer as the ConverseStream frames Bedrock sends for it. */
  jsonAsFrames: (file: string, index = 0): Replay => {
    const events = bedrockJsonAsEvents(cassetteJson(file, index));
    return bedrockReplay(`${file}#${index}`, events.map(frame), events, true);
  },
};

export const cohere = {
  /** Cohere's wire names each event (`event: <type>`); the vercel chunks keep only the data. */
  chunks: (file: string): Replay => {
    const sse = chunksToSse(loadChunks(file), { withEventNames: true });
    return sseReplay(file, sse, answerFromCohereStream(sse));
  },
};

export const mistral = {
  chunks: (file: string): Replay => {
    const sse = chunksToSse(loadChunks(file), { done: true });
    return sseReplay(file, sse, answerFromMistralStream(sse));
  },
  sse: (file: string, index = 0): Replay => {
    const sse = cassetteText(file, index);
    return sseReplay(`${file}#${index}`, sse, answerFromMistralStream(sse));
  },
  jsonAsStream: (file: string, index = 0): Replay => {
    const body = cassetteJson(file, index);
    return sseReplay(`${file}#${index}`, openAIJsonAsSse(body), answerFromMistralJson(body), true);
  },
};

export const ollama = {
  /** NDJSON lines in the shape Ollama's API documentation gives (no recording of the native API exists). */
  lines: (label: string, lines: Json[]): Replay => {
    const text = lines.map((line) => `${JSON.stringify(line)}\n`);
    return {
      label,
      body: text.join(''),
      contentType: NDJSON,
      expected: answerFromOllamaLines(lines),
      reshaped: false,
      answer: () => ({ status: 200, headers: { 'content-type': NDJSON }, chunks: text }),
    };
  },
};
