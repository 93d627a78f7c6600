/**
 * sendUpstream over HTTP/2 (`http2 = true` on a provider): undici negotiates it through TLS ALPN, so this
 * runs a TLS HTTP/2 server on loopback with a test certificate the agent trusts.
 */
import type { Http2SecureServer, Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught } from '../../../test/support/caught.js';
import { readRequestBody } from '../../../test/support/loopback-server.js';
import { LOOPBACK_TLS } from '../../../test/support/loopback-tls.js';
import { Cancellation } from '../../core/cancellation.js';
import { bodyReadError } from './relay-response.js';
import { sendUpstream } from './upstream-http.js';

let server: Http2SecureServer;
let origin: string;
let handler: (req: Http2ServerRequest, res: Http2ServerResponse) => void;
/** Per request: its HTTP version and whether its stream closed before the answer ended. */
const seen: Array<{ version: string; cut: () => boolean }> = [];
const agent = new Agent({ allowH2: true, connect: { ca: LOOPBACK_TLS.cert } });

beforeAll(async () => {
  server = createSecureServer({ ...LOOPBACK_TLS, allowHTTP1: false }, (req, res) => {
    let cut = false;
    req.stream.once('close', () => {
      if (!res.writableEnded) cut = true;
    });
    seen.push({ version: req.httpVersion, cut: () => cut });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function send(cancel = new Cancellation()) {
  return sendUpstream(agent, `${origin}/v1/chat/completions`, {
    headers: { 'content-type': 'application/json' },
    body: '{"stream":true}',
    cancel,
    timeoutMs: 5_000,
    provider: 'h2',
  });
}

describe('sendUpstream over HTTP/2', () => {
  it('streams the answer in order and reads it to the end', async () => {
    handler = (req, res) => {
      void readRequestBody(req).then((body) => {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'x-echo': body });
        res.write('data: 1\n\n');
        setTimeout(() => res.end('data: 2\n\n'), 20);
      });
    };
    const response = await send();
    expect(response.status).toBe(200);
    expect(response.headers['x-echo']).toBe('{"stream":true}');
    expect(await response.body.text()).toBe('data: 1\n\ndata: 2\n\n');
    expect(seen.at(-1)?.version).toBe('2.0');
  });

  it('a caller that cancels mid-answer gets the abort, and the stream is reset upstream', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
    };
    const cancel = new Cancellation();
    const response = await send(cancel);
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    const reading = caught(iterator.next());
    cancel.abort();
    expect(bodyReadError(await reading, 'h2').status).toBe(499);
    const request = seen.at(-1)!;
    await expect.poll(() => request.cut()).toBe(true);
  });

  it('a body left half-read resets only its stream; the session serves the next request', async () => {
    handler = (_req, res) => {
      res.writeHead(200);
      res.write('part');
    };
    const half = await send();
    half.body.destroy();
    const request = seen.at(-1)!;
    await expect.poll(() => request.cut()).toBe(true);
    handler = (_req, res) => res.end('whole');
    expect(await (await send()).body.text()).toBe('whole');
  });
});
