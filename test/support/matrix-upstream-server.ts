/**
 * The matrix's mock upstream: mock-upstream.ts's queue-and-record server, with answers that may also be
 * binary (Bedrock's application/vnd.amazon.eventstream frames), plus a mock OAuth token endpoint for the
 * providers that exchange a service-account JWT for an access token (Vertex).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockAnswer, MockUpstream, RecordedRequest } from './mock-upstream.js';

/** A MockAnswer whose writes may be bytes. */
export interface MatrixAnswer extends Omit<MockAnswer, 'chunks'> {
  chunks?: Array<string | Uint8Array>;
}

export interface MatrixUpstream extends Omit<MockUpstream, 'enqueue'> {
  enqueue(...answers: MatrixAnswer[]): void;
}

export async function startMatrixUpstream(): Promise<MatrixUpstream> {
  const requests: RecordedRequest[] = [];
  let queue: MatrixAnswer[] = [];
  const server = await listen(async (req, res) => {
    const rawBody = await readBody(req);
    const url = req.url ?? '/';
    const parsedUrl = new URL(url, 'http://mock.invalid');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      url,
      path: parsedUrl.pathname,
      query: parsedUrl.searchParams,
      headers: req.headers,
      rawBody,
      body: parseJson(rawBody),
      chunkWrittenAt: [],
    };
    requests.push(record);
    const answer = queue.shift() ?? {
      status: 599,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        error: { message: `mock upstream: no answer queued for ${record.method} ${url}` },
      }),
    };
    res.writeHead(answer.status ?? 200, answer.headers ?? {});
    res.flushHeaders();
    for (const chunk of answer.chunks ?? [answer.body ?? '']) {
      if (res.destroyed) return;
      res.write(chunk);
      record.chunkWrittenAt.push(performance.now());
    }
    res.end();
  });
  const last = (): RecordedRequest => {
    const request = requests.at(-1);
    if (!request) throw new Error('mock upstream received no request');
    return request;
  };
  return {
    origin: originOf(server),
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
    close: () => close(server),
  };
}

export interface TokenEndpoint {
  /** The token URL (`{origin}/token`). */
  readonly url: string;
  /** The access token every exchange hands out. */
  readonly accessToken: string;
  /** The form bodies of the exchanges so far (grant_type, assertion). */
  readonly exchanges: URLSearchParams[];
  close(): Promise<void>;
}

/** An OAuth2 token endpoint answering every JWT-bearer exchange with one fixed, hour-long token. */
export async function startTokenEndpoint(accessToken = 'ya29.matrix-access-token'): Promise<TokenEndpoint> {
  const exchanges: URLSearchParams[] = [];
  const server = await listen(async (req, res) => {
    exchanges.push(new URLSearchParams(await readBody(req)));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: accessToken, expires_in: 3599, token_type: 'Bearer' }));
  });
  return { url: `${originOf(server)}/token`, accessToken, exchanges, close: () => close(server) };
}

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<Server> {
  const server = createServer((req, res) => {
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function originOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
