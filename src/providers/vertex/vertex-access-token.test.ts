import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CryptoKey, JWTPayload } from 'jose';
import { exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayFailure as failure } from '../../../test/support/gateway-failure.js';
import type { LoopbackServer } from '../../../test/support/loopback-server.js';
import { listenOnLoopback, readRequestBody } from '../../../test/support/loopback-server.js';
import { Cancellation } from '../../core/cancellation.js';
import type { ServiceAccountTokenOptions } from './vertex-access-token.js';
import { CLOUD_PLATFORM_SCOPE, createServiceAccountTokenSource } from './vertex-access-token.js';
import { loadServiceAccount, parseServiceAccount } from './vertex-credentials.js';

interface Exchange {
  path?: string;
  grantType: string | null;
  contentType?: string;
  assertion: string;
  header?: { alg?: string; kid?: string; typ?: string };
  payload?: JWTPayload;
}

const CLIENT_EMAIL = 'junction-test@test-project.iam.gserviceaccount.com';
const START = Date.parse('2025-06-01T12:00:00Z');

let server: LoopbackServer;
let origin: string;
let tokenUri: string;
let publicKey: CryptoKey;
let privateKeyPem: string;
let accountJson: string;
let exchanges: Exchange[];
let clock: number;
/** What the token endpoint does with the next request; the default verifies the JWT and grants a token. */
let answer: (req: IncomingMessage, body: string, res: ServerResponse) => Promise<void>;

/** Verifies the assertion against the test key pair at the injected time, then grants `token-<n>`. */
async function grant(req: IncomingMessage, body: string, res: ServerResponse, expiresIn = 3599) {
  const form = new URLSearchParams(body);
  const exchange: Exchange = {
    path: req.url,
    grantType: form.get('grant_type'),
    contentType: req.headers['content-type'],
    assertion: form.get('assertion') ?? '',
  };
  exchanges.push(exchange);
  try {
    const verified = await jwtVerify(exchange.assertion, publicKey, {
      issuer: CLIENT_EMAIL,
      audience: tokenUri,
      algorithms: ['RS256'],
      currentDate: new Date(clock),
    });
    exchange.header = verified.protectedHeader;
    exchange.payload = verified.payload;
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      access_token: `token-${exchanges.length}`,
      expires_in: expiresIn,
      token_type: 'Bearer',
    }),
  );
}

beforeAll(async () => {
  server = await listenOnLoopback(async (req, res) => answer(req, await readRequestBody(req), res));
  origin = server.origin;
  tokenUri = `${origin}/token`;
  const pair = await generateKeyPair('RS256', { extractable: true });
  publicKey = pair.publicKey;
  privateKeyPem = await exportPKCS8(pair.privateKey);
  accountJson = JSON.stringify({
    type: 'service_account',
    project_id: 'test-project',
    private_key_id: 'key-id-1',
    private_key: privateKeyPem,
    client_email: CLIENT_EMAIL,
    client_id: '1234567890',
    token_uri: tokenUri,
  });
});

afterAll(() => server.close());

beforeEach(() => {
  exchanges = [];
  clock = START;
  answer = (req, body, res) => grant(req, body, res);
});

function source(overrides: Partial<ServiceAccountTokenOptions> = {}) {
  return createServiceAccountTokenSource({
    provider: 'vertex',
    loadCredentials: async () => parseServiceAccount(accountJson, 'vertex'),
    agent: new Agent(),
    now: () => clock,
    ...overrides,
  });
}

const signal = () => new Cancellation();

describe('createServiceAccountTokenSource', () => {
  it('exchanges a JWT signed with the service-account key for an access token', async () => {
    expect(await source().token(signal())).toBe('token-1');
    expect(exchanges).toHaveLength(1);
    const [exchange] = exchanges;
    expect(exchange!.path).toBe('/token');
    expect(exchange!.contentType).toBe('application/x-www-form-urlencoded');
    expect(exchange!.grantType).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(exchange!.header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-id-1' });
    const iat = Math.floor(START / 1000);
    expect(exchange!.payload).toEqual({
      iss: CLIENT_EMAIL,
      aud: tokenUri,
      scope: CLOUD_PLATFORM_SCOPE,
      iat,
      exp: iat + 3600,
    });
  });

  it('serves several calls from one exchange, concurrent ones included', async () => {
    const tokens = source();
    const first = await Promise.all([1, 2, 3, 4, 5].map(() => tokens.token(signal())));
    expect(first).toEqual(['token-1', 'token-1', 'token-1', 'token-1', 'token-1']);
    clock += 30 * 60_000;
    expect(await tokens.token(signal())).toBe('token-1');
    expect(exchanges).toHaveLength(1);
  });

  it('refreshes five minutes before expiry, signing the new JWT at the current time', async () => {
    const tokens = source();
    expect(await tokens.token(signal())).toBe('token-1');
    clock = START + (3599 - 301) * 1000;
    expect(await tokens.token(signal())).toBe('token-1');
    clock = START + (3599 - 299) * 1000;
    expect(await tokens.token(signal())).toBe('token-2');
    expect(exchanges).toHaveLength(2);
    expect(exchanges[1]!.payload?.iat).toBe(Math.floor(clock / 1000));
    expect(await tokens.token(signal())).toBe('token-2');
    expect(exchanges).toHaveLength(2);
  });

  it('a token shorter-lived than the margin is used for half its life', async () => {
    answer = (req, body, res) => grant(req, body, res, 120);
    const tokens = source();
    expect(await tokens.token(signal())).toBe('token-1');
    clock += 59_000;
    expect(await tokens.token(signal())).toBe('token-1');
    clock += 2_000;
    expect(await tokens.token(signal())).toBe('token-2');
  });

  it('invalidate() forces the next call to exchange again', async () => {
    const tokens = source();
    await tokens.token(signal());
    tokens.invalidate();
    expect(await tokens.token(signal())).toBe('token-2');
  });

  it('tokenUrl overrides where the JWT is posted; the audience stays the account token_uri', async () => {
    const tokens = source({ tokenUrl: `${origin}/private/token` });
    expect(await tokens.token(signal())).toBe('token-1');
    expect(exchanges[0]!.path).toBe('/private/token');
    expect(exchanges[0]!.payload?.aud).toBe(tokenUri);
  });

  it('a refused exchange is auth (502 to the client) without secrets, and is not cached', async () => {
    // A JWT signed by another key: the endpoint answers invalid_grant.
    const other = await generateKeyPair('RS256', { extractable: true });
    const otherPem = await exportPKCS8(other.privateKey);
    const otherJson = JSON.stringify({ ...JSON.parse(accountJson), private_key: otherPem });
    const tokens = source({ loadCredentials: async () => parseServiceAccount(otherJson, 'vertex') });
    const error = await failure(tokens.token(signal()));
    expect(error.failureClass).toBe('auth');
    expect(error.status).toBe(502);
    expect(error.retryable).toBe(false);
    expect(error.upstreamStatus).toBe(400);
    expect(error.message).toBe(
      'vertex: access token request failed (HTTP 400 invalid_grant: Invalid JWT Signature.)',
    );
    const assertion = exchanges[0]!.assertion;
    for (const text of [error.message, error.upstreamBody ?? '']) {
      expect(text).not.toContain(assertion);
      expect(text).not.toContain('PRIVATE KEY');
    }
    await failure(tokens.token(signal()));
    expect(exchanges).toHaveLength(2);
  });

  it("the token endpoint's own outage is transient, still 502", async () => {
    answer = async (_req, _body, res) => {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('unavailable');
    };
    const error = await failure(source().token(signal()));
    expect(error).toMatchObject({ failureClass: 'transient', status: 502, retryable: true });
  });

  it('a 200 without access_token is auth', async () => {
    answer = async (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"token_type":"Bearer"}');
    };
    const error = await failure(source().token(signal()));
    expect(error).toMatchObject({ failureClass: 'auth', status: 502 });
  });

  it('a caller that aborts stops waiting; the shared exchange still serves the others', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    answer = async (req, body, res) => {
      await gate;
      await grant(req, body, res);
    };
    const tokens = source();
    const controller = new Cancellation();
    const quitter = tokens.token(controller);
    const stayer = tokens.token(signal());
    controller.abort();
    const error = await failure(quitter);
    expect(error).toMatchObject({ failureClass: 'timeout', status: 499 });
    release();
    expect(await stayer).toBe('token-1');
    expect(exchanges).toHaveLength(1);
  });

  it('an unusable private key is auth without the key in the message', async () => {
    const broken = JSON.stringify({ ...JSON.parse(accountJson), private_key: 'not a key' });
    const tokens = source({ loadCredentials: async () => parseServiceAccount(broken, 'vertex') });
    const error = await failure(tokens.token(signal()));
    expect(error).toMatchObject({ failureClass: 'auth', status: 502 });
    expect(error.message).toBe('vertex: the service-account private_key is not a PKCS#8 RSA key');
    expect(exchanges).toHaveLength(0);
  });
});

describe('loadServiceAccount', () => {
  it('reads credentials_json, or the file at credentials_file', async () => {
    const inline = await loadServiceAccount({ credentialsJson: accountJson }, 'vertex');
    expect(inline.client_email).toBe(CLIENT_EMAIL);
    expect(inline.token_uri).toBe(tokenUri);
    const dir = await mkdtemp(join(tmpdir(), 'junction-vertex-'));
    try {
      const file = join(dir, 'sa.json');
      await writeFile(file, accountJson);
      const fromFile = await loadServiceAccount({ credentialsFile: file }, 'vertex');
      expect(fromFile.private_key).toBe(privateKeyPem);
      expect(fromFile.project_id).toBe('test-project');
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it.each([
    [{ credentialsJson: '{"private_key": "-----BEGIN PRIVATE KEY----- abc' }, 'not valid JSON'],
    [{ credentialsJson: '{"client_email": "x@y"}' }, 'lack client_email or private_key'],
    [
      { credentialsJson: '{"type":"authorized_user","client_email":"a","private_key":"b"}' },
      'credentials of type "authorized_user" are not supported',
    ],
    [{ credentialsFile: '/nonexistent/junction/sa.json' }, 'cannot read the credentials file (ENOENT)'],
    [{}, 'no credentials configured'],
  ])('%j -> auth error naming the problem, not the content', async (settings, detail) => {
    const error = await failure(loadServiceAccount(settings, 'vertex'));
    expect(error).toMatchObject({ failureClass: 'auth', status: 502, provider: 'vertex' });
    expect(error.message).toContain(detail);
    expect(error.message).not.toContain('BEGIN PRIVATE KEY');
  });
});
