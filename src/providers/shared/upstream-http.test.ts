/**
 * sendUpstream and its DispatchedBody against a real HTTP server on loopback: what the adapters rely on
 * when an upstream answers, streams, stalls, breaks, or the caller goes away.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caught } from '../../../test/support/caught.js';
import {
  type LoopbackServer,
  listenOnLoopback,
  readRequestBody,
} from '../../../test/support/loopback-server.js';
import { Cancellation } from '../../core/cancellation.js';
import { GatewayError } from '../../core/errors.js';
import { bodyReadError } from './relay-response.js';
import { DispatchedBody } from './upstream-body.js';
import { createUpstreamAgent, sendUpstream } from './upstream-http.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: LoopbackServer;
let handler: Handler;
/** The client port of the connection each request arrived on, in order. */
let sockets: number[];
/** Connections the server saw close, by client port. */
let closed: Set<number>;
const agent = createUpstreamAgent(4);

beforeEach(async () => {
  sockets = [];
  closed = new Set();
  handler = (_req, res) => res.end('{}');
  server = await listenOnLoopback((req, res) => {
    const socket = req.socket as Socket;
    const port = socket.remotePort ?? 0;
    sockets.push(port);
    // This test's set: a connection of an earlier test may close late.
    const seen = closed;
    socket.once('close', () => seen.add(port));
    handler(req, res);
  });
});

afterEach(async () => {
  await server.close();
});

afterAll(async () => {
  await agent.close();
});

function send(cancel = new Cancellation(), timeoutMs = 5_000, via = agent) {
  return sendUpstream(via, `${server.origin}/v1/chat?x=1`, {
    headers: { 'content-type': 'application/json' },
    body: '{"hello":1}',
    cancel,
    timeoutMs,
    provider: 'mock',
  });
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sendUpstream', () => {
  it('sends method, path, query, headers and body, and reads the answer in order', async () => {
    let seen: { method?: string; url?: string; type?: string; body: string } = { body: '' };
    handler = (req, res) => {
      void readRequestBody(req).then((body) => {
        seen = { method: req.method, url: req.url, type: req.headers['content-type'], body };
        res.writeHead(201, { 'x-upstream': 'yes' });
        res.write('one,');
        setTimeout(() => res.end('two'), 20);
      });
    };
    const response = await send();
    expect(response.status).toBe(201);
    expect(response.headers['x-upstream']).toBe('yes');
    expect(await response.body.text()).toBe('one,two');
    expect(response.body.ended).toBe(true);
    expect(seen).toEqual({
      method: 'POST',
      url: '/v1/chat?x=1',
      type: 'application/json',
      body: '{"hello":1}',
    });
  });

  it('parses a JSON body', async () => {
    handler = (_req, res) => res.end('{"a":[1,2]}');
    expect(await (await send()).body.json()).toEqual({ a: [1, 2] });
  });

  it('returns a fully read connection to the pool, and cuts one whose body was left half-read', async () => {
    handler = (_req, res) => {
      res.write('part');
      setTimeout(() => res.end('rest'), 20);
    };
    for (let i = 0; i < 4; i += 1) await (await send()).body.text();
    // undici's pool may spread sequential requests over two connections; it keeps them all open.
    expect(new Set(sockets).size).toBeLessThanOrEqual(2);
    await tick(20);
    expect(closed.size).toBe(0);

    const half = await send();
    const iterator = half.body[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    await iterator.return?.();
    expect(half.body.ended).toBe(true);
    // The socket closes asynchronously; on a busy shared core that can take longer than poll's default 1 s.
    await expect.poll(() => closed.has(sockets[4]!), { timeout: 5000 }).toBe(true);
    await (await send()).body.text();
    expect(sockets[5]).not.toBe(sockets[4]);
  });

  it('passes a large body through intact while the reader is slower than the network', async () => {
    // 4 MiB in 16 KiB writes: the body pauses the connection past 64 KiB queued and resumes as it is read.
    const size = 4 * 1024 * 1024;
    const source = Buffer.alloc(size);
    for (let i = 0; i < size; i += 1) source[i] = (i * 31 + (i >> 9)) & 0xff;
    handler = (_req, res) => {
      let offset = 0;
      const pump = (): void => {
        while (offset < size) {
          const ok = res.write(source.subarray(offset, offset + 16_384));
          offset += 16_384;
          if (!ok) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    };
    const response = await send();
    const parts: Buffer[] = [];
    let reads = 0;
    for await (const chunk of response.body) {
      parts.push(Buffer.from(chunk));
      reads += 1;
      if (reads % 8 === 0) await tick(1);
    }
    expect(Buffer.concat(parts).equals(source)).toBe(true);
  });

  it('ignores 1xx informational answers', async () => {
    handler = (_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.end('final');
    };
    const response = await send();
    expect(response.status).toBe(200);
    expect(await response.body.text()).toBe('final');
  });

  it('rejects at once, without sending, when the call was already cancelled', async () => {
    const cancel = new Cancellation();
    cancel.abort();
    const error = await caught(send(cancel));
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(499);
    await tick(20);
    expect(sockets).toHaveLength(0);
  });

  it('rejects as soon as the caller cancels while the upstream has not answered, and cuts the request', async () => {
    handler = () => {};
    const cancel = new Cancellation();
    const pending = send(cancel);
    await expect.poll(() => sockets.length).toBe(1);
    const started = Date.now();
    cancel.abort();
    const error = (await caught(pending)) as GatewayError;
    expect(Date.now() - started).toBeLessThan(100);
    expect(error.failureClass).toBe('timeout');
    expect(error.status).toBe(499);
    await expect.poll(() => closed.has(sockets[0]!)).toBe(true);
  });

  it('rejects at once when the caller cancels while the request still waits for a pooled connection', async () => {
    handler = () => {};
    const single = createUpstreamAgent(1);
    const holding = new Cancellation();
    const first = caught(send(holding, 5_000, single));
    await expect.poll(() => sockets.length).toBe(1);
    const queued = new Cancellation();
    const second = caught(send(queued, 5_000, single));
    const started = Date.now();
    queued.abort();
    expect(((await second) as GatewayError).status).toBe(499);
    expect(Date.now() - started).toBeLessThan(100);
    // The queued request never reached the upstream.
    holding.abort();
    await first;
    await tick(20);
    expect(sockets).toHaveLength(1);
    await single.close();
  });

  it('times out an upstream that never answers, as a retryable timeout', async () => {
    handler = () => {};
    const error = (await caught(send(new Cancellation(), 100))) as GatewayError;
    expect(error.failureClass).toBe('timeout');
    expect(error.status).toBe(504);
    expect(error.retryable).toBe(true);
  });

  it('times out a body that stalls after the headers: the timeout covers the whole attempt', async () => {
    handler = (_req, res) => res.write('started');
    const response = await send(new Cancellation(), 150);
    const iterator = response.body[Symbol.asyncIterator]();
    expect(Buffer.from((await iterator.next()).value as Uint8Array).toString()).toBe('started');
    const error = bodyReadError(await caught(iterator.next()), 'mock');
    expect(error.failureClass).toBe('timeout');
    expect(error.status).toBe(504);
    expect(response.body.ended).toBe(true);
  });

  it('stops a body mid-way when the caller cancels', async () => {
    handler = (_req, res) => res.write('started');
    const cancel = new Cancellation();
    const response = await send(cancel);
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    const reading = caught(iterator.next());
    cancel.abort();
    const error = bodyReadError(await reading, 'mock');
    expect(error.status).toBe(499);
    await expect.poll(() => closed.has(sockets[0]!)).toBe(true);
  });

  it('reports an upstream that breaks off mid-body as a network failure', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const response = await send();
    const error = bodyReadError(await caught(response.body.text()), 'mock');
    expect(error.failureClass).toBe('network');
    expect(error.retryable).toBe(true);
  });

  it('reports an unreachable upstream as a network failure', async () => {
    const origin = server.origin;
    await server.close();
    const error = (await caught(
      sendUpstream(agent, `${origin}/v1`, {
        headers: {},
        body: '',
        cancel: new Cancellation(),
        timeoutMs: 1_000,
        provider: 'mock',
      }),
    )) as GatewayError;
    expect(error.failureClass).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
    server = await listenOnLoopback((_req, res) => {
      res.end();
    });
  });

  it('leaves no cancellation listener behind once the body is done', async () => {
    handler = (_req, res) => {
      res.write('part');
      setTimeout(() => res.end('rest'), 20);
    };
    const cancel = new Cancellation();
    const response = await send(cancel);
    expect(cancel.listenerCount('abort')).toBe(1);
    await response.body.text();
    expect(cancel.listenerCount('abort')).toBe(0);
  });
});

describe('DispatchedBody', () => {
  function body() {
    const calls: string[] = [];
    const controller = {
      pause: () => calls.push('pause'),
      resume: () => calls.push('resume'),
    };
    const dispatched = new DispatchedBody(
      () => controller as never,
      () => calls.push('abort'),
    );
    return { dispatched, calls };
  }

  it('pauses the connection past 64 KiB queued and resumes once the reader has caught up', () => {
    const { dispatched, calls } = body();
    for (let i = 0; i < 4; i += 1) dispatched.push(Buffer.alloc(16_384));
    expect(calls).toEqual([]);
    dispatched.push(Buffer.alloc(16_384));
    expect(calls).toEqual(['pause']);
    dispatched.nextSync();
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('delivers what was queued before a break, then throws the break once', () => {
    const { dispatched } = body();
    dispatched.push(Buffer.from('a'));
    const broken = new Error('socket hang up');
    dispatched.fail(broken);
    expect(dispatched.ended).toBe(true);
    expect(String(dispatched.nextSync()?.value)).toBe('a');
    expect(() => dispatched.nextSync()).toThrow(broken);
    expect(dispatched.nextSync()).toEqual({ done: true, value: undefined });
  });

  it('answers a waiting reader when a chunk arrives, and ends it when the body ends', async () => {
    const { dispatched } = body();
    expect(dispatched.nextSync()).toBeUndefined();
    const first = dispatched.next();
    dispatched.push(Buffer.from('x'));
    expect(String((await first).value)).toBe('x');
    const second = dispatched.next();
    dispatched.end();
    expect((await second).done).toBe(true);
  });

  it('aborts the connection when destroyed unfinished, and not after it ended', () => {
    const unfinished = body();
    unfinished.dispatched.push(Buffer.from('x'));
    unfinished.dispatched.destroy();
    expect(unfinished.calls).toEqual(['abort']);
    expect(unfinished.dispatched.nextSync()).toEqual({ done: true, value: undefined });

    const finished = body();
    finished.dispatched.end();
    finished.dispatched.destroy();
    expect(finished.calls).toEqual([]);
  });

  it('calls its close listener once, whether it ends, breaks or is destroyed', () => {
    for (const finish of ['end', 'fail', 'destroy'] as const) {
      const { dispatched } = body();
      let closes = 0;
      dispatched.onClose(() => {
        closes += 1;
      });
      if (finish === 'fail') dispatched.fail(new Error('x'));
      else dispatched[finish]();
      dispatched.end();
      expect(closes).toBe(1);
    }
  });
});
