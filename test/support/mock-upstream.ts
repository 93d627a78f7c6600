/**
 * A scripted provider on loopback: records every request it receives and answers from a queue, so an
 * end-to-end test can assert both what the gateway sent upstream and what the client got back.
 * Answers can be streamed in chunks with a delay between them, to prove the gateway flushes as it goes.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback, parseJsonBody, readRequestBody } from './loopback-server.js';

export interface MockAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** The whole body, sent at once unless `chunks` is given. */
  body?: string;
  /**
   * The body as separate writes (bytes for binary bodies such as Bedrock's event-stream frames);
   * `delayMs` is waited before each write after the first.
   */
  chunks?: Array<string | Uint8Array>;
  delayMs?: number;
  /** After the body was written, reset the connection instead of ending the answer (a body cut mid-way). */
  reset?: boolean;
}

/** An answer, or a function that picks one from the request it answers (e.g. by what its body asks). */
export type QueuedAnswer = MockAnswer | ((request: RecordedRequest) => MockAnswer);

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  /** Path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
  /** When each chunk of the answer was written (performance.now()), for flush-timing assertions. */
  chunkWrittenAt: number[];
}

export interface MockUpstream {
  /** http://127.0.0.1:PORT, no trailing slash. */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Queues answers, served in order, one per request. */
  enqueue(...answers: QueuedAnswer[]): void;
  /** The most recent request; throws when none arrived. */
  last(): RecordedRequest;
  /** The most recent request's JSON body as an object. */
  lastBody(): Record<string, unknown>;
  /** Forgets recorded requests and queued answers. */
  reset(): void;
  close(): Promise<void>;
}

export async function startMockUpstream(): Promise<MockUpstream> {
  const requests: RecordedRequest[] = [];
  let queue: QueuedAnswer[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readRequestBody(req);
    const url = req.url ?? '/';
    const parsedUrl = new URL(url, 'http://mock.invalid');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      url,
      path: parsedUrl.pathname,
      query: parsedUrl.searchParams,
      headers: req.headers,
      rawBody,
      body: parseJsonBody(rawBody),
      chunkWrittenAt: [],
    };
    requests.push(record);
    const queued = queue.shift();
    const answer = (typeof queued === 'function' ? queued(record) : queued) ?? {
      status: 599,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        error: { message: `mock upstream: no answer queued for ${record.method} ${url}` },
      }),
    };
    await respond(res, answer, record);
  }

  const server = await listenOnLoopback(handle);

  const last = (): RecordedRequest => {
    const request = requests.at(-1);
    if (!request) throw new Error('mock upstream received no request');
    return request;
  };

  return {
    origin: server.origin,
    requests,
    enqueue: (...answers) => {
      queue.push(...answers);
    },
    last,
    lastBody: () => {
      const { body, rawBody } = last();
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new Error(`mock upstream: last request body is not a JSON object: ${rawBody.slice(0, 200)}`);
      }
      return body as Record<string, unknown>;
    },
    reset: () => {
      requests.length = 0;
      queue = [];
    },
    close: () => server.close(),
  };
}

async function respond(res: ServerResponse, answer: MockAnswer, record: RecordedRequest): Promise<void> {
  const chunks = answer.chunks ?? [answer.body ?? ''];
  res.writeHead(answer.status ?? 200, answer.headers ?? {});
  // Without this the first small write can sit in Node's buffer until the next one.
  res.flushHeaders();
  for (let i = 0; i < chunks.length; i++) {
    if (i > 0 && answer.delayMs) await sleep(answer.delayMs);
    if (res.destroyed) return;
    res.write(chunks[i]);
    record.chunkWrittenAt.push(performance.now());
  }
  if (answer.reset) {
    // The bytes already written reach the peer first; then the connection dies without ending the answer.
    await new Promise<void>((resolve) => res.write('', () => resolve()));
    await sleep(20);
    res.socket?.destroy();
    return;
  }
  res.end();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
