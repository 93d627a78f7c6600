/**
 * A fault-injecting provider on loopback that speaks OpenAI Chat Completions (`POST .../chat/completions`)
 * and Anthropic Messages (`POST .../v1/messages`). Each request is answered by a script step: an error
 * status with its body and Retry-After headers, a delay before the status line, stalls between chunks, a
 * connection reset before the headers or after N text pieces, a stream that ends without its finish, or a
 * malformed JSON chunk. Every request is recorded (arrival time, headers incl. authorization, body) so a
 * test can count attempts, measure the gaps between them and see which key and messages were sent.
 *
 * Success answers are written in the dialect the path asks for, streamed when the body says
 * `stream: true`, with the answer text split into the pieces the step gives (one SSE event per piece).
 */
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readRequestBody } from './loopback-server.js';

export interface FaultStep {
  /** HTTP status; >= 400 renders an error envelope in the path's dialect unless `body` is given. */
  status?: number;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }` or `{ 'retry-after-ms': '300' }`. */
  headers?: Record<string, string>;
  /** A body sent as-is (objects JSON-encoded) instead of the rendered answer or error envelope. */
  body?: string | Record<string, unknown>;
  /** The error message in the rendered error envelope. */
  errorMessage?: string;
  /** The answer text, one SSE event per piece when streamed. Default: ['ok'] */
  pieces?: string[];
  /** Wait this long before the status line: the gateway sees no first byte meanwhile. */
  headerDelayMs?: number;
  /** Wait this long between text pieces. */
  pieceDelayMs?: number;
  /** After this many text pieces, go silent for `stallMs` (a stalled stream). */
  stallAfterPieces?: number;
  stallMs?: number;
  /** Destroy the socket without answering (a reset before any header). */
  resetBeforeHeaders?: boolean;
  /** Destroy the socket after this many text pieces have been written (a mid-stream reset). */
  resetAfterPieces?: number;
  /** End the stream cleanly after this many pieces, without finish / [DONE] / message_stop. */
  truncateAfterPieces?: number;
  /** Write a data line that is not JSON after this many pieces, then carry on. */
  malformedAfterPieces?: number;
  /** After the pieces, start a tool call (name, first argument fragment), then reset the connection. */
  toolCall?: { name: string; argumentsStart: string };
}

export interface FaultRequest {
  /** 0-based arrival order. */
  index: number;
  /** performance.now() at arrival (after the body was read). */
  at: number;
  /** performance.now() when the answer ended (or the socket was destroyed); undefined while running. */
  endedAt?: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The bearer token (OpenAI) or x-api-key (Anthropic) the gateway used. */
  apiKey: string | undefined;
  rawBody: string;
  body: Record<string, unknown>;
}

export type FaultScript = (request: FaultRequest) => FaultStep;

export interface FaultUpstream {
  /** http://127.0.0.1:PORT, no trailing slash. */
  readonly origin: string;
  readonly requests: FaultRequest[];
  /** Steps served in order, one per request, before the fallback script is asked. */
  enqueue(...steps: FaultStep[]): void;
  /** The step for requests when the queue is empty (default: a plain success, "ok"). */
  setScript(script: FaultScript): void;
  /** Requests currently being answered. */
  inFlight(): number;
  /** Forgets requests, queued steps and the script. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFaultUpstream(): Promise<FaultUpstream> {
  const requests: FaultRequest[] = [];
  let queue: FaultStep[] = [];
  let script: FaultScript = () => ({});
  let active = 0;
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readRequestBody(req);
    const path = new URL(req.url ?? '/', 'http://fault.invalid').pathname;
    const record: FaultRequest = {
      index: requests.length,
      at: performance.now(),
      method: req.method ?? 'POST',
      path,
      headers: req.headers,
      apiKey: apiKeyOf(req.headers),
      rawBody,
      body: parseObject(rawBody),
    };
    requests.push(record);
    const step = queue.shift() ?? script(record);
    active += 1;
    try {
      await answer(req, res, record, step);
    } finally {
      active -= 1;
      record.endedAt = performance.now();
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...steps) => {
      queue.push(...steps);
    },
    setScript: (next) => {
      script = next;
    },
    inFlight: () => active,
    reset: () => {
      requests.length = 0;
      queue = [];
      script = () => ({});
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  record: FaultRequest,
  step: FaultStep,
): Promise<void> {
  if (step.headerDelayMs) await sleep(step.headerDelayMs, res);
  if (res.destroyed) return;
  if (step.resetBeforeHeaders) {
    req.socket.destroy();
    return;
  }
  const anthropic = record.path.endsWith('/messages');
  const status = step.status ?? 200;
  if (status >= 400 || step.body !== undefined) {
    const body =
      step.body === undefined
        ? errorEnvelope(anthropic, status, step.errorMessage ?? `fault upstream: HTTP ${status}`)
        : step.body;
    res.writeHead(status, { 'content-type': 'application/json', ...step.headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
    return;
  }
  const pieces = step.pieces ?? ['ok'];
  const model = typeof record.body.model === 'string' ? record.body.model : 'unknown';
  const wire = anthropic ? anthropicWire(model) : openaiWire(model, record.body);
  if (record.body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json', ...step.headers });
    res.end(JSON.stringify(wire.whole(pieces.join(''))));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...step.headers });
  // Without this the first small write can sit in Node's buffer until the next one.
  res.flushHeaders();
  res.write(wire.start());
  // Faults are checked after the opening events (written = 0) and after each piece.
  for (let written = 0; ; written++) {
    if (step.malformedAfterPieces === written) res.write('data: {"choices": [ this is not json\n\n');
    if (step.truncateAfterPieces === written) {
      res.end();
      return;
    }
    if (step.resetAfterPieces === written && !step.toolCall) return destroyAfterFlush(res);
    if (step.stallAfterPieces === written && step.stallMs) await sleep(step.stallMs, res);
    if (written === pieces.length || res.destroyed) break;
    if (written > 0 && step.pieceDelayMs) await sleep(step.pieceDelayMs, res);
    if (res.destroyed) return;
    res.write(wire.piece(pieces[written]!));
  }
  if (res.destroyed) return;
  if (step.toolCall) {
    // A half-made tool call: the connection dies before its arguments are complete.
    res.write(wire.toolCallStart(step.toolCall.name, step.toolCall.argumentsStart));
    return destroyAfterFlush(res);
  }
  res.end(wire.finish());
}

/** A reset that still lets the bytes already written reach the peer first. */
function destroyAfterFlush(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    res.write('', () => {
      setTimeout(() => {
        res.socket?.destroy();
        resolve();
      }, 20);
    });
  });
}

interface Wire {
  whole(text: string): Record<string, unknown>;
  start(): string;
  piece(text: string): string;
  toolCallStart(name: string, argumentsStart: string): string;
  finish(): string;
}

function openaiWire(model: string, body: Record<string, unknown>): Wire {
  const id = `chatcmpl-fault-${Math.random().toString(36).slice(2, 10)}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    })}\n\n`;
  const usage = { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 };
  const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage;
  return {
    whole: (text) => ({
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage,
    }),
    start: () => chunk({ role: 'assistant', content: '' }),
    piece: (text) => chunk({ content: text }),
    toolCallStart: (name, args) =>
      chunk({
        tool_calls: [{ index: 0, id: 'call_fault_1', type: 'function', function: { name, arguments: args } }],
      }),
    finish: () =>
      chunk({}, 'stop') +
      (includeUsage === true
        ? `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`
        : '') +
      'data: [DONE]\n\n',
  };
}

function anthropicWire(model: string): Wire {
  const id = `msg_fault_${Math.random().toString(36).slice(2, 10)}`;
  const event = (name: string, data: Record<string, unknown>): string =>
    `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
  const usage = { input_tokens: 7, output_tokens: 3 };
  return {
    whole: (text) => ({
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage,
    }),
    start: () =>
      event('message_start', {
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 7, output_tokens: 1 },
        },
      }) + event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    piece: (text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
    toolCallStart: (name, args) =>
      event('content_block_stop', { index: 0 }) +
      event('content_block_start', {
        index: 1,
        content_block: { type: 'tool_use', id: 'toolu_fault_1', name, input: {} },
      }) +
      event('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: args } }),
    finish: () =>
      event('content_block_stop', { index: 0 }) +
      event('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage }) +
      event('message_stop', {}),
  };
}

/** The error types (and OpenAI codes) the real APIs send for these statuses. */
const ANTHROPIC_ERROR_TYPE: Record<number, string> = {
  401: 'authentication_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};
const OPENAI_ERROR: Record<number, { type: string; code: string | null }> = {
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

function errorEnvelope(anthropic: boolean, status: number, message: string): Record<string, unknown> {
  if (anthropic) {
    const type = ANTHROPIC_ERROR_TYPE[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    return { type: 'error', error: { type, message } };
  }
  const { type, code } = OPENAI_ERROR[status] ?? {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
  };
  return { error: { message, type, param: null, code } };
}

function apiKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '');
  const key = headers['x-api-key'];
  return typeof key === 'string' ? key : undefined;
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** Sleeps, but wakes early when the peer has gone (the gateway gave up on this attempt). */
function sleep(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
    res.once('close', done);
  });
}
