/**
 * Writes Responses events that already exist (stored ones, a background run's) as an SSE stream: the
 * replays of `GET /v1/responses/{id}?stream=true` and the stream of a background create. Live generation
 * is delivered by handleGeneration, not here.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { WireEvent } from './responses-relay-reader.js';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

export async function sendEventStream(
  reply: FastifyReply,
  events: AsyncIterable<WireEvent> | Iterable<WireEvent>,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  raw.writeHead(200, { ...headers, ...SSE_HEADERS });
  let closed = false;
  raw.once('close', () => {
    closed = true;
  });
  for await (const event of events) {
    if (closed) break;
    if (!raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`)) await drained(raw);
  }
  raw.end();
}

function drained(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.once('drain', done);
    raw.once('close', done);
  });
}
