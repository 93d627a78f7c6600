/**
 * Bearer JWTs on a real gateway process, verified against a JWKS URL served here (fetched once and
 * cached): the name claim names the caller (in limits and usage records), a template key lends its
 * limits, and claims override them (RPM, allowed models). Bad tokens (wrong audience, expired, signed
 * by another key) are 401s; plain keys keep working beside JWTs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorEnvelope, rawRequest } from '../support/chat-client.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startGateway } from '../support/gateway-process.js';

const ISSUER = 'https://idp.junction.test';
const AUDIENCE = 'junction-gateway';
const PLAIN_KEY = 'sk-gov-auth-plain';

let jwks: Server;
let jwksFetches = 0;
let gateway: GatewayProcess;
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwks = createServer((_request, response) => {
    jwksFetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  gateway = await startGateway({
    config: `
[server]
listen = "127.0.0.1:0"

[usage]
enabled = false

[auth.jwt]
jwks_url = "http://127.0.0.1:${port}/.well-known/jwks.json"
issuer = "${ISSUER}"
audience = "${AUDIENCE}"
template_key = "jwt-users"

[auth.jwt.claims]
key_name = "sub"
rpm = "junction_rpm"
models = "junction_models"

# Not a usable key (nobody knows its secret): the limits every token starts from.
[[keys]]
name = "jwt-users"
key = "sha256:0000000000000000000000000000000000000000000000000000000000000000"
rpm = 50
models = ["echo"]

[[keys]]
name = "plain"
key = "${PLAIN_KEY}"

[providers.echo]
type = "echo"

[[models]]
alias = "echo"
targets = ["echo/echo"]

[[models]]
alias = "premium"
targets = ["echo/premium"]
`,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => jwks?.close(resolve));
});

function token(
  claims: Record<string, unknown>,
  options: { audience?: string; expires?: string | number } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '5m')
    .sign(privateKey);
}

function chat(authorization: string, model = 'echo') {
  return rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
    body: { model, messages: [{ role: 'user', content: 'hello' }] },
    headers: { authorization },
  });
}

describe('JWT auth', () => {
  it('names the caller by its sub claim and applies the RPM from its claims', async () => {
    const bearer = `Bearer ${await token({ sub: 'alice', junction_rpm: 2 })}`;
    const first = await chat(bearer);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('2');
    expect((await chat(bearer)).status).toBe(200);
    const refused = await chat(bearer);
    expect(refused.status).toBe(429);
    expect(errorEnvelope(refused).message).toBe('Rate limit exceeded: this key allows 2 requests per 60s');
    expect(await gateway.usageRecord(first.headers.get('x-request-id') ?? '')).toMatchObject({
      keyName: 'alice',
    });
    // Another subject has its own allowance, from the template key.
    const bob = await chat(`Bearer ${await token({ sub: 'bob' })}`);
    expect(bob.status).toBe(200);
    expect(bob.headers.get('ratelimit-limit')).toBe('50');
  });

  it('restricts models from the template key, or from a claim', async () => {
    const plainToken = `Bearer ${await token({ sub: 'carol' })}`;
    expect((await chat(plainToken, 'premium')).status).toBe(403);
    const widened = `Bearer ${await token({ sub: 'dave', junction_models: ['echo', 'premium'] })}`;
    expect((await chat(widened, 'premium')).status).toBe(200);
  });

  it('lists in GET /v1/models only the models the caller may use', async () => {
    const ids = async (authorization: string) => {
      const response = await rawRequest(`${gateway.baseURL}/v1/models`, { headers: { authorization } });
      expect(response.status).toBe(200);
      return (response.json as { data: { id: string }[] }).data.map((model) => model.id);
    };
    expect(await ids(`Bearer ${await token({ sub: 'carol' })}`)).toEqual(['echo']);
    const widened = `Bearer ${await token({ sub: 'dave', junction_models: ['echo', 'premium'] })}`;
    expect(await ids(widened)).toEqual(['echo', 'premium']);
    expect(await ids(`Bearer ${PLAIN_KEY}`)).toEqual(['echo', 'premium', 'echo/echo', 'echo/premium']);
  });

  it('refuses tokens for another audience, expired ones and ones signed by another key', async () => {
    const audience = await chat(`Bearer ${await token({ sub: 'eve' }, { audience: 'someone-else' })}`);
    expect(audience.status).toBe(401);
    expect(errorEnvelope(audience)).toMatchObject({ code: 'invalid_token' });
    expect(errorEnvelope(audience).message).toContain('"aud"');
    const expired = await chat(
      `Bearer ${await token({ sub: 'eve' }, { expires: Math.floor(Date.now() / 1000) - 60 })}`,
    );
    expect(expired.status).toBe(401);
    expect(errorEnvelope(expired).message).toContain('"exp"');
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'mallory' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(other.privateKey);
    expect((await chat(`Bearer ${forged}`)).status).toBe(401);
  });

  it('fetched the key set once and keeps accepting plain keys, by bearer and by Basic', async () => {
    expect(jwksFetches).toBe(1);
    expect((await chat(`Bearer ${PLAIN_KEY}`)).status).toBe(200);
    expect((await chat(`Basic ${Buffer.from(`:${PLAIN_KEY}`).toString('base64')}`)).status).toBe(200);
    expect((await chat('Bearer not-a-key')).status).toBe(401);
  });
});
