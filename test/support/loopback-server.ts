/**
 * The plumbing every fake upstream in the tests shares: an HTTP server on 127.0.0.1 at a free port, the
 * request body read whole, and a close that does not wait for keep-alive connections to time out.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';

export interface LoopbackServer {
  readonly server: Server;
  /** http://127.0.0.1:PORT, no trailing slash. */
  readonly origin: string;
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 at a port the OS picks. */
export async function listenOnLoopback(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeServer(server),
  };
}

/** Closes a server, cutting its open (keep-alive) connections rather than waiting for them. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** A request's whole body as text (HTTP/1 or HTTP/2: any readable request). */
export function readRequestBody(req: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

/** The body parsed as JSON, or undefined when it is empty or not JSON. */
export function parseJsonBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
