/**
 * The fake upstream a provider adapter's unit test talks to: a loopback server that records each request
 * (method, url, headers, body) and answers with whatever `reply` the test set last. The reply builders
 * write bodies in uneven pieces so decoders see events straddle reads, as they do from a real socket.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { listenOnLoopback, readRequestBody } from './loopback-server.js';

export interface SeenRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one request; `request` is the one being answered (for answers that depend on the body). */
export type Reply = (res: ServerResponse, request: SeenRequest) => void | Promise<void>;

export interface LocalUpstream {
  /** http://127.0.0.1:PORT, no trailing slash. */
  readonly origin: string;
  /** The requests answered by `reply`, oldest first. */
  readonly seen: SeenRequest[];
  /** How requests are answered from now on. */
  reply: Reply;
  /** The most recent request; throws when none arrived. */
  last(): SeenRequest;
  /** Forgets the recorded requests (the reply stays). */
  reset(): void;
  close(): Promise<void>;
}

export interface LocalUpstreamOptions {
  /**
   * Answers some requests itself, before `reply` (e.g. an OAuth token endpoint on the same origin). A
   * request it answers (returns true for) is not recorded in `seen`.
   */
  intercept?: (request: SeenRequest, res: ServerResponse) => boolean | Promise<boolean>;
}

export async function startLocalUpstream(options: LocalUpstreamOptions = {}): Promise<LocalUpstream> {
  const seen: SeenRequest[] = [];
  const loopback = await listenOnLoopback(async (req, res) => {
    const request: SeenRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: await readRequestBody(req),
    };
    if (options.intercept && (await options.intercept(request, res))) return;
    seen.push(request);
    await upstream.reply(res, request);
  });
  const upstream: LocalUpstream = {
    origin: loopback.origin,
    seen,
    reply: replyJson(599, { error: { message: 'local upstream: no reply set' } }),
    last: () => {
      const request = seen.at(-1);
      if (!request) throw new Error('local upstream received no request');
      return request;
    },
    reset: () => {
      seen.length = 0;
    },
    close: () => loopback.close(),
  };
  return upstream;
}

/**
 * A local upstream for the whole test file: started before its tests, `seen` emptied before each test,
 * closed after. Its properties may be read only inside tests and hooks.
 */
export function useLocalUpstream(options: LocalUpstreamOptions = {}): LocalUpstream {
  let started: LocalUpstream | undefined;
  const current = (): LocalUpstream => {
    if (!started) throw new Error('local upstream not started yet: use it inside a test or a hook');
    return started;
  };
  beforeAll(async () => {
    started = await startLocalUpstream(options);
  });
  afterAll(() => started?.close());
  beforeEach(() => started?.reset());
  return {
    get origin() {
      return current().origin;
    },
    get seen() {
      return current().seen;
    },
    get reply() {
      return current().reply;
    },
    set reply(reply: Reply) {
      current().reply = reply;
    },
    last: () => current().last(),
    reset: () => current().reset(),
    close: () => current().close(),
  };
}

/** Local upstreams for the whole file, one per name, each as `useLocalUpstream` gives it. */
export function useLocalUpstreams<const Names extends readonly string[]>(
  ...names: Names
): Record<Names[number], LocalUpstream> {
  return Object.fromEntries(names.map((name) => [name, useLocalUpstream()])) as Record<
    Names[number],
    LocalUpstream
  >;
}

export interface ReplySpec {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /**
   * Writes the body in pieces of this many characters (bytes for binary), cycling through a list of
   * sizes; in one piece when absent.
   */
  pieces?: number | readonly number[];
  /** Waits this long after each piece, so the pieces reach the client in separate reads. */
  pauseMs?: number;
  /** Waits this long before ending the body (a stalled stream). */
  stallMs?: number;
}

export function replyWith(spec: ReplySpec): Reply {
  const body = spec.body ?? '';
  const status = spec.status ?? 200;
  if (spec.pieces === undefined && !spec.pauseMs && !spec.stallMs) {
    return (res) => {
      res.writeHead(status, spec.headers);
      res.end(body);
    };
  }
  const pieces = spec.pieces === undefined ? [body] : cut(body, spec.pieces);
  return async (res) => {
    res.writeHead(status, spec.headers);
    for (const piece of pieces) {
      res.write(piece);
      if (spec.pauseMs) await sleep(spec.pauseMs);
    }
    if (spec.stallMs) await sleep(spec.stallMs);
    res.end();
  };
}

/** A 200 SSE answer (`content-type: text/event-stream` unless `headers` says otherwise). */
export function replySse(
  text: string,
  options: { headers?: Record<string, string>; pieces?: number | readonly number[] } = {},
): Reply {
  return replyWith({
    headers: { 'content-type': 'text/event-stream', ...options.headers },
    body: text,
    ...(options.pieces === undefined ? {} : { pieces: options.pieces }),
  });
}

/** A JSON answer with this status; `headers` may add to or override `content-type: application/json`. */
export function replyJson(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return replyWith({
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The bytes an adapter relayed back from the upstream, as text (characters split across chunks kept whole). */
export async function relayedText(body: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

function cut(body: string | Uint8Array, pieces: number | readonly number[]): Array<string | Uint8Array> {
  const sizes = typeof pieces === 'number' ? [pieces] : pieces;
  const out: Array<string | Uint8Array> = [];
  for (let i = 0, offset = 0; offset < body.length; i++) {
    // A zero size would never advance.
    const size = Math.max(1, sizes[i % sizes.length]!);
    out.push(
      typeof body === 'string' ? body.slice(offset, offset + size) : body.subarray(offset, offset + size),
    );
    offset += size;
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
