/**
 * Responses WebSocket mode, refused, on the real process: a handshake with a bad key, and messages on an
 * open socket that never become a turn (not JSON, binary, the wrong type, an unknown model or
 * previous_response_id, a broken or oversized frame). Each leaves the one `request completed` line and
 * its count in `junction_requests_total`, as every refused HTTP request does (early-refusals.test.ts):
 * the handshake under its request id, each message under `<handshake id>.<n>`, n counting the socket's
 * messages from 1.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rawRequest } from '../support/chat-client.js';
import { useGateway } from '../support/e2e-gateway.js';

const ADMIN = 'ws-refusals-admin';
const KEY = 'jk-ws-refusals';
const MAX_BODY = 4_096;

const gateway = useGateway(() => ({
  config: `
[server]
listen = "127.0.0.1:0"
require_auth = true
max_body_bytes = ${MAX_BODY}

[usage]
enabled = false

[admin]
token = "${ADMIN}"

[[keys]]
name = "ws-team"
key = "${KEY}"

[providers.echo]
type = "echo"

[[models]]
alias = "parrot"
targets = ["echo/echo"]
`,
}));

const DIALECT = 'openai-responses';

describe('a refused Responses WebSocket handshake', () => {
  it('a bad key: 401 before the upgrade, one log line and one count', async () => {
    const counted = await requestCount(401);
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(socketUrl(), {
        headers: { authorization: 'Bearer not-a-key', 'x-request-id': 'ws-handshake-refused' },
      });
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => reject(new Error('upgraded with a wrong key')));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(401);
    expect(await gateway.usageRecord('ws-handshake-refused')).toMatchObject({
      status: 401,
      dialect: DIALECT,
      failureClass: 'auth',
      keyName: 'anonymous',
      attempts: 0,
    });
    expect(linesFor('ws-handshake-refused')).toHaveLength(1);
    expect(await requestCount(401)).toBe(counted + 1);
  });
});

describe('refused messages on an open Responses WebSocket', () => {
  it('each refused message leaves one line and one count, and the socket goes on', async () => {
    const socket = await open('ws-refusals');
    const before = { 400: await requestCount(400), 404: await requestCount(404) };

    const cases: Array<{ send: () => void; status: number; failureClass: string; model?: string }> = [
      { send: () => socket.send('{not json'), status: 400, failureClass: 'invalid_request' },
      {
        send: () => socket.send(Buffer.from('{}'), { binary: true }),
        status: 400,
        failureClass: 'invalid_request',
      },
      {
        send: () => socket.send(JSON.stringify({ type: 'session.update' })),
        status: 400,
        failureClass: 'invalid_request',
      },
      {
        send: () => socket.send(JSON.stringify({ type: 'response.create', model: 'nope', input: 'hi' })),
        status: 404,
        failureClass: 'not_found',
        model: 'nope',
      },
      {
        send: () =>
          socket.send(
            JSON.stringify({
              type: 'response.create',
              model: 'parrot',
              input: 'hi',
              previous_response_id: 'resp_nope',
            }),
          ),
        status: 404,
        failureClass: 'not_found',
      },
    ];
    for (const [i, refusal] of cases.entries()) {
      const requestId = `ws-refusals.${i + 1}`;
      const event = socket.next();
      refusal.send();
      expect(await event).toMatchObject({ type: 'error', status: refusal.status });
      expect(await gateway.usageRecord(requestId)).toMatchObject({
        requestId,
        status: refusal.status,
        dialect: DIALECT,
        failureClass: refusal.failureClass,
        keyName: 'ws-team',
        attempts: 0,
        ...(refusal.model ? { model: refusal.model } : {}),
      });
      expect(linesFor(requestId), requestId).toHaveLength(1);
    }
    expect(await requestCount(400)).toBe(before[400] + 3);
    expect(await requestCount(404)).toBe(before[404] + 2);

    // The next message is a turn like any other, numbered after the refused ones.
    const events = socket.untilTerminal();
    socket.send(JSON.stringify({ type: 'response.create', model: 'parrot', input: 'still here' }));
    expect((await events).at(-1)).toMatchObject({ type: 'response.completed' });
    expect(await gateway.usageRecord(`ws-refusals.${cases.length + 1}`)).toMatchObject({
      status: 200,
      keyName: 'ws-team',
      provider: 'echo',
    });
    socket.close();
  });

  it('a frame over max_body_bytes closes the socket and is counted as a 413', async () => {
    const socket = await open('ws-too-big');
    const counted = await requestCount(413);
    const closed = socket.closed();
    socket.send(JSON.stringify({ type: 'response.create', model: 'parrot', input: 'x'.repeat(MAX_BODY) }));
    expect(await closed).toBe(1009);
    expect(await gateway.usageRecord('ws-too-big.1')).toMatchObject({
      status: 413,
      dialect: DIALECT,
      failureClass: 'payload_too_large',
      keyName: 'ws-team',
    });
    expect(await requestCount(413)).toBe(counted + 1);
  });

  it('a broken frame (a text frame that is not UTF-8) closes the socket and is counted as a 400', async () => {
    const socket = await open('ws-broken');
    const counted = await requestCount(400);
    const closed = socket.closed();
    socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    expect(await gateway.usageRecord('ws-broken.1')).toMatchObject({
      status: 400,
      dialect: DIALECT,
      failureClass: 'invalid_request',
      keyName: 'ws-team',
    });
    expect(await requestCount(400)).toBe(counted + 1);
    // The client's broken frame is its refusal, not a gateway error with a stack trace.
    expect(gateway.logs().filter((line) => Number(line.level) >= 50)).toEqual([]);
  });
});

function socketUrl(): string {
  return `${gateway.baseURL.replace(/^http/, 'ws')}/v1/responses`;
}

interface OpenSocket {
  send(data: string | Buffer, options?: { binary: boolean }): void;
  /** The next event the gateway sends. */
  next(): Promise<Record<string, unknown>>;
  /** Events up to and including the next terminal one. */
  untilTerminal(): Promise<Array<Record<string, unknown>>>;
  /** The close code, once the socket closes. */
  closed(): Promise<number>;
  close(): void;
}

async function open(requestId: string): Promise<OpenSocket> {
  const socket = new WebSocket(socketUrl(), {
    headers: { authorization: `Bearer ${KEY}`, 'x-request-id': requestId },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  const received: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    received.push(JSON.parse(String(data)) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (done: () => boolean): Promise<void> => {
    const deadline = Date.now() + 5_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for an event');
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  const closeCode = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  return {
    send: (data, options) => socket.send(data, options ?? {}),
    next: async () => {
      const at = received.length;
      await until(() => received.length > at);
      return received[at]!;
    },
    untilTerminal: async () => {
      const at = received.length;
      const terminal = (event: Record<string, unknown>) =>
        ['response.completed', 'response.failed', 'response.incomplete', 'error'].includes(
          String(event.type),
        );
      await until(() => received.slice(at).some(terminal));
      return received.slice(at);
    },
    closed: () => closeCode,
    close: () => socket.close(),
  };
}

function linesFor(requestId: string): unknown[] {
  return gateway.logs().filter((line) => {
    const usage = line.usage as { requestId?: unknown } | undefined;
    return usage?.requestId === requestId;
  });
}

/** `junction_requests_total` for the Responses dialect and a status, served by nothing (a refusal). */
async function requestCount(status: number): Promise<number> {
  const metrics = await rawRequest(`${gateway.baseURL}/admin/metrics`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  });
  const line = metrics.text
    .split('\n')
    .find((text) =>
      text.startsWith(`junction_requests_total{dialect="${DIALECT}",status="${status}",provider="none"}`),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}
