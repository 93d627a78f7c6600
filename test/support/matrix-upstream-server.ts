/**
 * The matrix's mock upstream: mock-upstream.ts's queue-and-record server, whose answers may also be binary
 * (Bedrock's application/vnd.amazon.eventstream frames), plus a mock OAuth token endpoint for the
 * providers that exchange a service-account JWT for an access token (Vertex).
 */

import { listenOnLoopback, readRequestBody } from './loopback-server.js';
import type { MockAnswer, MockUpstream } from './mock-upstream.js';
import { startMockUpstream } from './mock-upstream.js';

/** A MockAnswer, whose writes may be bytes. */
export type MatrixAnswer = MockAnswer;

export type MatrixUpstream = MockUpstream;

export function startMatrixUpstream(): Promise<MatrixUpstream> {
  return startMockUpstream();
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
  const server = await listenOnLoopback(async (req, res) => {
    exchanges.push(new URLSearchParams(await readRequestBody(req)));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ access_token: accessToken, expires_in: 3599, token_type: 'Bearer' }));
  });
  return { url: `${server.origin}/token`, accessToken, exchanges, close: () => server.close() };
}
