/**
 * Requests to a generation route refused before the shared path runs (body too large, malformed or empty
 * JSON, a non-JSON content type, a refused background Responses request), on the real process: each leaves
 * the one `request completed` line, with its request id, status and dialect, and is counted in
 * `junction_requests_total`, as a 401 or an unknown model is. Both the generation lane and Fastify's routes.
 */
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { rawRequest } from '../support/chat-client.js';
import { useGateway } from '../support/e2e-gateway.js';

const ADMIN_TOKEN = 'early-refusals-admin-token';
const MAX_BODY = 4_096;

const gateway = useGateway(() => ({
  config: `
[server]
listen = "127.0.0.1:0"
max_body_bytes = ${MAX_BODY}

[usage]
enabled = false

[admin]
token = "${ADMIN_TOKEN}"

[providers.echo]
type = "echo"

[[models]]
alias = "parrot"
targets = ["echo/echo"]
`,
}));

const HELLO = JSON.stringify({ model: 'parrot', messages: [{ role: 'user', content: 'hello' }] });
const TOO_BIG = JSON.stringify({ model: 'parrot', input: 'x'.repeat(MAX_BODY) });

interface Refusal {
  name: string;
  path: string;
  headers: Record<string, string>;
  /** Sent with a content-length, or in chunks without one (only the bytes read tell its size). */
  body: string | { chunked: string };
  status: number;
  dialect: string;
  failureClass: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };

const REFUSALS: Refusal[] = [
  // The generation lane (chat completions and messages with a JSON content type).
  {
    name: 'lane: declared body over max_body_bytes',
    path: '/v1/chat/completions',
    headers: JSON_TYPE,
    body: TOO_BIG,
    status: 413,
    dialect: 'openai-chat',
    failureClass: 'payload_too_large',
  },
  {
    name: 'lane: chunked body growing past max_body_bytes',
    path: '/v1/messages',
    headers: JSON_TYPE,
    body: { chunked: TOO_BIG },
    status: 413,
    dialect: 'anthropic-messages',
    failureClass: 'payload_too_large',
  },
  {
    name: 'lane: malformed JSON',
    path: '/v1/chat/completions',
    headers: JSON_TYPE,
    body: '{"model": "parrot", "messages": [',
    status: 400,
    dialect: 'openai-chat',
    failureClass: 'invalid_request',
  },
  {
    name: 'lane: empty body',
    path: '/v1/messages',
    headers: JSON_TYPE,
    body: '',
    status: 400,
    dialect: 'anthropic-messages',
    failureClass: 'invalid_request',
  },
  // Fastify's routes (other content types, and the Responses surface).
  {
    name: 'fastify: chat completions as text/plain',
    path: '/v1/chat/completions',
    headers: { 'content-type': 'text/plain' },
    body: HELLO,
    status: 415,
    dialect: 'openai-chat',
    failureClass: 'invalid_request',
  },
  {
    name: 'fastify: messages without a content type',
    path: '/v1/messages',
    headers: {},
    body: HELLO,
    status: 415,
    dialect: 'anthropic-messages',
    failureClass: 'invalid_request',
  },
  {
    name: 'fastify: responses as text/plain',
    path: '/v1/responses',
    headers: { 'content-type': 'text/plain' },
    body: HELLO,
    status: 415,
    dialect: 'openai-responses',
    failureClass: 'invalid_request',
  },
  {
    name: 'fastify: responses with malformed JSON',
    path: '/v1/responses',
    headers: JSON_TYPE,
    body: '{"model": ',
    status: 400,
    dialect: 'openai-responses',
    failureClass: 'invalid_request',
  },
  {
    name: 'fastify: responses over max_body_bytes',
    path: '/v1/responses',
    headers: JSON_TYPE,
    body: TOO_BIG,
    status: 413,
    dialect: 'openai-responses',
    failureClass: 'payload_too_large',
  },
  {
    name: 'fastify: a background response for an unknown model',
    path: '/v1/responses',
    headers: JSON_TYPE,
    body: JSON.stringify({ model: 'nope', input: 'hi', background: true }),
    status: 404,
    dialect: 'openai-responses',
    failureClass: 'not_found',
  },
];

describe('a generation request refused before the shared path runs', () => {
  for (const [i, refusal] of REFUSALS.entries()) {
    it(`${refusal.name}: ${refusal.status}, one log line and one count`, async () => {
      const requestId = `early-refusal-${i}`;
      const counted = await requestCount(refusal.dialect, refusal.status);
      const response = await post(refusal.path, refusal.body, {
        ...refusal.headers,
        'x-request-id': requestId,
      });
      expect(response.status).toBe(refusal.status);
      expect(response.requestId).toBe(requestId);
      const usage = await gateway.usageRecord(requestId);
      expect(usage).toMatchObject({
        requestId,
        status: refusal.status,
        dialect: refusal.dialect,
        failureClass: refusal.failureClass,
        keyName: 'anonymous',
        attempts: 0,
      });
      expect(await requestCount(refusal.dialect, refusal.status)).toBe(counted + 1);
      const lines = gateway.logs().filter((line) => usageIdOf(line) === requestId);
      expect(lines).toHaveLength(1);
    });
  }

  for (const [path, dialect] of [
    ['/v1/chat/completions', 'openai-chat'],
    ['/v1/messages', 'anthropic-messages'],
    ['/v1/responses', 'openai-responses'],
  ] as const) {
    it(`a client that leaves in the middle of sending its body to ${path}: one 499 line and one count`, async () => {
      const requestId = `early-leaver-${dialect}`;
      const counted = await requestCount(dialect, 499);
      await leaveMidBody(path, requestId);
      const usage = await gateway.usageRecord(requestId);
      expect(usage).toMatchObject({
        requestId,
        status: 499,
        dialect,
        keyName: 'anonymous',
        attempts: 0,
      });
      expect(gateway.logs().filter((line) => usageIdOf(line) === requestId)).toHaveLength(1);
      expect(await requestCount(dialect, 499)).toBe(counted + 1);
    });
  }

  it('other routes still leave no line (token counting, an unknown path)', async () => {
    for (const path of ['/v1/messages/count_tokens', '/v1/nope']) {
      const requestId = `early-refusal-other-${path.replaceAll('/', '-')}`;
      const response = await post(path, '{', { ...JSON_TYPE, 'x-request-id': requestId });
      expect(response.status).toBeGreaterThanOrEqual(400);
    }
    // A generation request after them: its line is written after theirs would have been.
    const last = await post('/v1/chat/completions', HELLO, { ...JSON_TYPE, 'x-request-id': 'early-last' });
    expect(last.status).toBe(200);
    await gateway.usageRecord('early-last');
    expect(gateway.logs().filter((line) => usageIdOf(line)?.startsWith('early-refusal-other'))).toEqual([]);
  });
});

function usageIdOf(line: Record<string, unknown>): string | undefined {
  const usage = line.usage as { requestId?: unknown } | undefined;
  return typeof usage?.requestId === 'string' ? usage.requestId : undefined;
}

/** `junction_requests_total` for a dialect and status, served by nothing (a refusal). */
async function requestCount(dialect: string, status: number): Promise<number> {
  const metrics = await rawRequest(`${gateway.baseURL}/admin/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const line = metrics.text
    .split('\n')
    .find((text) =>
      text.startsWith(`junction_requests_total{dialect="${dialect}",status="${status}",provider="none"}`),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

/**
 * Declares a body, sends the first part of it, waits until the gateway has surely read that part, and
 * closes the connection without sending the rest.
 */
async function leaveMidBody(path: string, requestId: string): Promise<void> {
  const body = HELLO.slice(0, 20);
  const req = httpRequest(`${gateway.baseURL}${path}`, {
    method: 'POST',
    headers: { ...JSON_TYPE, 'content-length': 1_000, 'x-request-id': requestId },
  });
  req.on('error', () => undefined);
  req.flushHeaders();
  req.write(body);
  await new Promise((resolve) => setTimeout(resolve, 200));
  req.destroy();
}

/** A POST with exactly the headers given (fetch would add a content type). */
function post(
  path: string,
  body: Refusal['body'],
  headers: Record<string, string>,
): Promise<{ status: number; requestId: string | undefined }> {
  return new Promise((resolve, reject) => {
    const chunked = typeof body === 'object';
    const req = httpRequest(`${gateway.baseURL}${path}`, {
      method: 'POST',
      headers: chunked ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        const id = res.headers['x-request-id'];
        resolve({ status: res.statusCode ?? 0, requestId: typeof id === 'string' ? id : undefined });
      });
    });
    // The server may close while the rest of an oversized body is still being written.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    if (chunked) {
      for (let at = 0; at < body.chunked.length; at += 1_000) req.write(body.chunked.slice(at, at + 1_000));
      req.end();
    } else {
      req.end(body);
    }
  });
}
