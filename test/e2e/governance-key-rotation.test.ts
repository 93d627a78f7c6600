/**
 * Rotating and restoring keys through the admin API, on one real gateway process (memory backend):
 * `POST /admin/keys/{name}/rotate` gives the same key record (name, limits, budget and its spend, usage
 * history) a new secret, shown once, and the old secret stops at once or after the grace period asked
 * for; `POST /admin/keys/{name}/restore` takes back a revocation. Every admin change leaves an
 * `admin change` line (never with a secret). Across replicas sharing Redis: governance-redis.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { errorEnvelope, rawRequest } from '../support/chat-client.js';
import { serverWithAdmin, useGateway } from '../support/e2e-gateway.js';

const ADMIN = 'key-rotation-admin';
const CONFIG_KEY = 'sk-rotation-config-key';
const EIGHT_WORDS = 'one two three four five six seven eight';

const gateway = useGateway(() => ({
  config: `${serverWithAdmin(ADMIN)}
[[keys]]
name = "from-config"
key = "${CONFIG_KEY}"

[providers.echo]
type = "echo"

[[models]]
alias = "echo"
targets = ["echo/echo"]

# max_tokens = 2 costs exactly $0.01.
[[pricing]]
model = "echo"
input = 0
output = 5000
`,
}));

const admin = (path: string, method = 'GET', body?: unknown) =>
  rawRequest(`${gateway.baseURL}${path}`, {
    method,
    ...(body === undefined ? {} : { body }),
    headers: { authorization: `Bearer ${ADMIN}` },
  });

const chat = (secret: string, requestId?: string) =>
  rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
    body: { model: 'echo', max_tokens: 2, messages: [{ role: 'user', content: EIGHT_WORDS }] },
    headers: {
      authorization: `Bearer ${secret}`,
      ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
    },
  });

async function create(name: string, limits: Record<string, unknown> = {}): Promise<string> {
  const created = await admin('/admin/keys', 'POST', { name, ...limits });
  expect(created.status).toBe(201);
  return (created.json as { secret: string }).secret;
}

async function rotate(
  name: string,
  body?: unknown,
): Promise<{ secret: string; key: Record<string, unknown> }> {
  const rotated = await admin(`/admin/keys/${name}/rotate`, 'POST', body ?? {});
  expect(rotated.status, rotated.text).toBe(200);
  return rotated.json as { secret: string; key: Record<string, unknown> };
}

describe('POST /admin/keys/{name}/rotate', () => {
  it('gives the same key a new secret: limits, budget and spend carry over, the old secret stops at once', async () => {
    const old = await create('rotate-now', { rpm: 50, budget: { usd: 0.05, period: 'total' } });
    expect((await chat(old)).status).toBe(200);
    expect((await chat(old)).status).toBe(200);

    const { secret, key } = await rotate('rotate-now');
    expect(secret).toMatch(/^jk-/);
    expect(secret).not.toBe(old);
    expect(key).toMatchObject({
      name: 'rotate-now',
      source: 'admin',
      revoked: false,
      rpm: 50,
      budget: { usd: 0.05, period: 'total' },
      previous_secret_expires_at: null,
    });
    expect(Date.parse(String(key.rotated_at))).toBeGreaterThan(Date.now() - 60_000);
    // Shown once: never in a later read.
    expect((await admin('/admin/keys/rotate-now')).text).not.toContain(secret);

    const refused = await chat(old);
    expect(refused.status).toBe(401);
    expect(errorEnvelope(refused).code).toBe('invalid_api_key');

    // The same budget, with what the old secret already spent: $0.02 of $0.05, three requests left.
    expect((await admin('/admin/keys/rotate-now')).json).toMatchObject({
      budget_status: { limit_usd: 0.05, spent_usd: 0.02 },
    });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await chat(secret)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // One key in the list, not two.
    const listed = (await admin('/admin/keys')).json as { keys: Array<{ name: string }> };
    expect(listed.keys.filter((k) => k.name === 'rotate-now')).toHaveLength(1);
  });

  it('with grace_period, the old secret keeps working until it is over, then stops', async () => {
    const old = await create('rotate-grace');
    const { secret, key } = await rotate('rotate-grace', { grace_period: '2s' });
    const graceEnds = Date.parse(String(key.previous_secret_expires_at));
    expect(graceEnds).toBeGreaterThan(Date.now());
    expect(graceEnds).toBeLessThanOrEqual(Date.now() + 2_000);
    expect((await chat(old, 'grace-old-secret')).status).toBe(200);
    expect((await chat(secret, 'grace-new-secret')).status).toBe(200);
    // The usage line tells the old secret's callers apart, so an operator can find them before it stops.
    expect(await gateway.usageRecord('grace-old-secret')).toMatchObject({
      keyName: 'rotate-grace',
      previousSecret: true,
    });
    expect(await gateway.usageRecord('grace-new-secret')).not.toHaveProperty('previousSecret');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, graceEnds - Date.now()) + 100));
    expect((await chat(old)).status).toBe(401);
    expect((await chat(secret)).status).toBe(200);
    expect((await admin('/admin/keys/rotate-grace')).json).toMatchObject({
      previous_secret_expires_at: null,
    });
  });

  it('a later rotation ends earlier grace periods no later than its own', async () => {
    const first = await create('rotate-twice');
    const { secret: second } = await rotate('rotate-twice', { grace_period: '1h' });
    const { secret: third } = await rotate('rotate-twice');
    expect((await chat(first)).status).toBe(401);
    expect((await chat(second)).status).toBe(401);
    expect((await chat(third)).status).toBe(200);
  });

  it('records usage under the one key name, whichever secret was used', async () => {
    const old = await create('rotate-usage');
    const before = await chat(old);
    const { secret } = await rotate('rotate-usage', { grace_period: '1m' });
    const during = await chat(old);
    const after = await chat(secret);
    for (const response of [before, during, after]) {
      const usage = await gateway.usageRecord(response.headers.get('x-request-id')!);
      expect(usage).toMatchObject({ keyName: 'rotate-usage', status: 200 });
    }
  });

  it('refuses what it cannot do: an unknown key, a config key, a bad grace_period', async () => {
    const unknown = await admin('/admin/keys/no-such-key/rotate', 'POST', {});
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: 'key_not_found' } });

    const config = await admin('/admin/keys/from-config/rotate', 'POST', {});
    expect(config.status).toBe(409);
    expect(config.json).toMatchObject({ error: { code: 'config_key' } });
    expect((await chat(CONFIG_KEY)).status).toBe(200);

    await create('rotate-bad-body');
    for (const body of [
      { grace_period: 'soon' },
      { grace_period: -5 },
      { grace_period: '721h' },
      { grace: '1h' },
    ]) {
      const refused = await admin('/admin/keys/rotate-bad-body/rotate', 'POST', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('POST /admin/keys/{name}/restore', () => {
  it('takes back a revocation: the same secret works again', async () => {
    const secret = await create('restore-me', { rpm: 7 });
    await admin('/admin/keys/restore-me', 'DELETE');
    expect((await chat(secret)).status).toBe(401);
    const restored = await admin('/admin/keys/restore-me/restore', 'POST');
    expect(restored.status).toBe(200);
    expect(restored.json).toMatchObject({ name: 'restore-me', revoked: false, rpm: 7 });
    expect((await chat(secret)).status).toBe(200);
    // Restoring a key that is not revoked changes nothing.
    expect((await admin('/admin/keys/restore-me/restore', 'POST')).json).toMatchObject({ revoked: false });
  });

  it('a revoked key rotated, then restored, answers only to its new secret', async () => {
    const leaked = await create('leaked');
    await admin('/admin/keys/leaked', 'DELETE');
    // No grace for a revoked key's old secret: that would bring it back with the restore.
    const graced = await admin('/admin/keys/leaked/rotate', 'POST', { grace_period: '1h' });
    expect(graced.status).toBe(409);
    expect(graced.json).toMatchObject({ error: { code: 'key_revoked' } });
    const { secret, key } = await rotate('leaked');
    expect(key).toMatchObject({ revoked: true });
    expect((await chat(secret)).status).toBe(401);
    await admin('/admin/keys/leaked/restore', 'POST');
    expect((await chat(secret)).status).toBe(200);
    expect((await chat(leaked)).status).toBe(401);
  });

  it('restores a revoked config key', async () => {
    await admin('/admin/keys/from-config', 'DELETE');
    expect((await chat(CONFIG_KEY)).status).toBe(401);
    expect((await admin('/admin/keys/from-config/restore', 'POST')).json).toMatchObject({
      source: 'config',
      revoked: false,
    });
    expect((await chat(CONFIG_KEY)).status).toBe(200);
  });

  it('answers 404 for an unknown key', async () => {
    expect((await admin('/admin/keys/no-such-key/restore', 'POST')).status).toBe(404);
  });
});

describe('admin changes are logged', () => {
  it('one `admin change` line per change, naming the route, the key and the outcome, never a secret', async () => {
    const secret = await create('audited');
    const { secret: rotated } = await rotate('audited', { grace_period: '5m' });
    await admin('/admin/keys/audited', 'PATCH', { rpm: 9 });
    await admin('/admin/keys/audited', 'DELETE');
    await admin('/admin/keys/audited/restore', 'POST');
    await admin('/admin/keys/audit-missing/rotate', 'POST', {});
    await admin('/admin/policy/system-prompt', 'PUT', { system_prompt: 'Audited prompt.' });
    await admin('/admin/policy/system-prompt', 'DELETE');
    const lines = await gateway.waitForLog(
      (line) => line.msg === 'admin change' && line.route === 'DELETE /admin/policy/system-prompt',
    );
    expect(lines).toBeDefined();
    const changes = gateway
      .logs()
      .filter(
        (line) =>
          line.msg === 'admin change' &&
          (line.key === 'audited' || line.key === 'audit-missing' || String(line.route).includes('/policy/')),
      )
      .map((line) => ({ route: line.route, key: line.key, status: line.status }));
    expect(changes).toEqual([
      { route: 'POST /admin/keys', key: 'audited', status: 201 },
      { route: 'POST /admin/keys/{name}/rotate', key: 'audited', status: 200 },
      { route: 'PATCH /admin/keys/{name}', key: 'audited', status: 200 },
      { route: 'DELETE /admin/keys/{name}', key: 'audited', status: 200 },
      { route: 'POST /admin/keys/{name}/restore', key: 'audited', status: 200 },
      { route: 'POST /admin/keys/{name}/rotate', key: 'audit-missing', status: 404 },
      { route: 'PUT /admin/policy/system-prompt', key: undefined, status: 200 },
      { route: 'DELETE /admin/policy/system-prompt', key: undefined, status: 200 },
    ]);
    const rotation = gateway
      .logs()
      .find(
        (line) =>
          line.msg === 'admin change' &&
          line.route === 'POST /admin/keys/{name}/rotate' &&
          line.key === 'audited',
      );
    expect(rotation).toMatchObject({ level: 30, body: { grace_period: '5m' } });
    const everything = gateway.stdoutLines.join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(rotated);
    // Reads leave no line.
    expect(
      gateway.logs().some((line) => line.msg === 'admin change' && String(line.route).startsWith('GET')),
    ).toBe(false);
  });
});
