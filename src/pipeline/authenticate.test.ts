import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../config/types.js';
import { GatewayError } from '../core/errors.js';
import { createAuthenticator, hashKey } from './authenticate.js';
import { GovernanceState } from './state/governance-state.js';
import { MemoryRuntimeStore } from './state/memory-runtime-store.js';

function stateWith(keys: GatewayConfig['keys']): GovernanceState {
  const config = { keys } as unknown as GatewayConfig;
  return new GovernanceState(config, new MemoryRuntimeStore());
}

/** What `call` gives as a promise: a refusal may be thrown (a key known in memory) or rejected. */
const refused = async (call: () => unknown): Promise<unknown> => call();

/** The status of what `call` gives: 200, or a refusal's, thrown or rejected. */
async function status(call: () => unknown): Promise<number> {
  try {
    await call();
  } catch (error) {
    if (error instanceof GatewayError) return error.status;
    throw error;
  }
  return 200;
}

describe('authenticate', () => {
  const state = stateWith([{ name: 'team-a', sha256: hashKey('secret-a'), rpm: 5, models: ['gpt-*'] }]);
  const auth = createAuthenticator({ keys: state });

  it('accepts a bearer key, an x-api-key and HTTP Basic with the key as password, with its limits', async () => {
    const expected = { keyName: 'team-a', via: 'key', limits: { rpm: 5, models: ['gpt-*'] } };
    expect(await auth({ authorization: 'Bearer secret-a' })).toEqual(expected);
    expect(await auth({ authorization: 'bearer  secret-a ' })).toEqual(expected);
    expect(await auth({ 'x-api-key': 'secret-a' })).toEqual(expected);
    const basic = Buffer.from('anyone:secret-a').toString('base64');
    expect(await auth({ authorization: `Basic ${basic}` })).toEqual(expected);
    const userOnly = Buffer.from('secret-a:').toString('base64');
    expect(await auth({ authorization: `Basic ${userOnly}` })).toEqual(expected);
  });

  it.each([{}, { authorization: 'Bearer nope' }, { authorization: 'Basic secret-a' }])(
    'refuses %j with 401',
    async (headers) => {
      expect(await status(() => auth(headers))).toBe(401);
    },
  );

  it('is open when no keys are configured, and with an explicit require_auth = false', async () => {
    expect(await createAuthenticator({ keys: stateWith([]) })({})).toEqual({
      keyName: 'anonymous',
      via: 'anonymous',
    });
    const open = createAuthenticator({ keys: state, requireAuth: false });
    expect((await open({})).keyName).toBe('anonymous');
    expect((await open({ authorization: 'Bearer secret-a' })).keyName).toBe('team-a');
  });

  it('with require_auth = true and no key yet, refuses every request until an admin-created key exists', async () => {
    const empty = stateWith([]);
    const strict = createAuthenticator({ keys: empty, requireAuth: true });
    expect(await status(() => strict({}))).toBe(401);
    // Anthropic clients send x-api-key: the message names both ways.
    await expect(refused(() => strict({}))).rejects.toThrow(
      'Missing API key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>"',
    );
    await expect(refused(() => strict({ authorization: 'Bearer unknown' }))).rejects.toThrow(
      'Invalid API key',
    );
    const { secret } = await empty.createKey('later', {});
    expect((await strict({ authorization: `Bearer ${secret}` })).keyName).toBe('later');
    expect(await status(() => strict({}))).toBe(401);
  });

  it('sees admin-created keys, and refuses revoked ones', async () => {
    const runtime = stateWith([]);
    const authenticate = createAuthenticator({ keys: runtime });
    const { secret } = await runtime.createKey('made-at-runtime', { tpm: 100 });
    expect(await authenticate({ authorization: `Bearer ${secret}` })).toEqual({
      keyName: 'made-at-runtime',
      via: 'key',
      limits: { tpm: 100 },
    });
    // Once a key exists, anonymous access ends.
    expect(await status(() => authenticate({}))).toBe(401);
    await runtime.revokeKey('made-at-runtime');
    await expect(refused(() => authenticate({ authorization: `Bearer ${secret}` }))).rejects.toThrow(
      'revoked',
    );
  });

  it('verifies JWTs against a public key and maps claims to the caller and its limits', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const pem = await exportSPKI(publicKey);
    const jwtState = stateWith([{ name: 'template', sha256: hashKey('unused'), rpm: 10, tpm: 999 }]);
    const authenticate = createAuthenticator({
      keys: jwtState,
      jwt: {
        publicKey: pem,
        issuer: 'https://idp.example',
        audience: 'junction',
        templateKey: 'template',
        claims: { keyName: 'sub', rpm: 'rpm', models: 'models' },
      },
    });
    const sign = (claims: Record<string, unknown>, issuer = 'https://idp.example') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer(issuer)
        .setAudience('junction')
        .setExpirationTime('5m')
        .sign(privateKey);
    const token = await sign({ sub: 'alice', rpm: 3, models: 'gpt-4o, claude-*' });
    expect(await authenticate({ authorization: `Bearer ${token}` })).toEqual({
      keyName: 'alice',
      via: 'jwt',
      limits: { rpm: 3, tpm: 999, models: ['gpt-4o', 'claude-*'] },
    });
    await expect(
      authenticate({ authorization: `Bearer ${await sign({ sub: 'bob' }, 'https://evil.example')}` }),
    ).rejects.toThrow(/Invalid bearer token: unexpected "iss" claim value/);
    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT({ sub: 'mallory' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('https://idp.example')
      .setAudience('junction')
      .sign(other.privateKey);
    expect(await status(() => authenticate({ authorization: `Bearer ${forged}` }))).toBe(401);
  });
});
