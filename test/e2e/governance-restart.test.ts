/**
 * A single node on the memory backend keeps its governance state across a restart: what the admin API
 * changed (keys created, revoked, rotated, config keys patched, policy) is written through to
 * `<data_dir>/state.db` before the admin call answers, and budget spend is snapshotted there every
 * `[limits] budget_snapshot_interval` and once more on a graceful shutdown. Each test runs one gateway
 * process, stops it (SIGTERM, or SIGKILL as a crash), and starts a new one on the same data_dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, describe, expect, it } from 'vitest';
import { errorEnvelope, type RawResponse, rawRequest } from '../support/chat-client.js';
import { type GatewayProcess, startGateway } from '../support/gateway-process.js';

const ADMIN = 'restart-admin-token';
const CONFIG_TEAM = 'sk-restart-config-team';
const TO_REVOKE = 'sk-restart-to-revoke';

const dirs: string[] = [];
const running: GatewayProcess[] = [];

afterAll(async () => {
  await Promise.all(running.map((gateway) => gateway.kill()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-restart-'));
  dirs.push(dir);
  return dir;
}

/** One request (max_tokens = 2 on "echo") costs exactly $0.01 with this pricing. */
const config = (dataDir: string, limitsLines = '') => `
[server]
listen = "127.0.0.1:0"
data_dir = "${dataDir}"

[usage]
enabled = false

[admin]
token = "${ADMIN}"

[limits]
${limitsLines}

[[keys]]
name = "config-team"
key = "${CONFIG_TEAM}"
budget = { usd = 0.05, period = "month" }

[[keys]]
name = "to-revoke"
key = "${TO_REVOKE}"

[providers.echo]
type = "echo"

[[models]]
alias = "echo"
targets = ["echo/echo"]

[[pricing]]
model = "echo"
input = 0
output = 5000
`;

async function start(dataDir: string, limitsLines = ''): Promise<GatewayProcess> {
  const gateway = await startGateway({ config: config(dataDir, limitsLines) });
  running.push(gateway);
  return gateway;
}

function client(gateway: GatewayProcess) {
  const admin = (path: string, method = 'GET', body?: unknown): Promise<RawResponse> =>
    rawRequest(`${gateway.baseURL}${path}`, {
      method,
      ...(body === undefined ? {} : { body }),
      headers: { authorization: `Bearer ${ADMIN}` },
    });
  const chat = (secret: string): Promise<RawResponse> =>
    rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
      body: { model: 'echo', max_tokens: 2, messages: [{ role: 'user', content: 'one two three' }] },
      headers: { authorization: `Bearer ${secret}` },
    });
  const statuses = async (secret: string, count: number): Promise<number[]> => {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await chat(secret)).status);
    return seen;
  };
  const spent = async (name: string): Promise<unknown> =>
    ((await admin(`/admin/keys/${name}`)).json as { budget_status?: { spent_usd: number } }).budget_status
      ?.spent_usd;
  return { admin, chat, statuses, spent };
}

/** SIGTERM, as a deploy does: the process drains, writes what it holds, and exits 0. */
async function stopGracefully(gateway: GatewayProcess): Promise<void> {
  gateway.signal('SIGTERM');
  expect(await gateway.exited()).toBe(0);
}

/** The spend the snapshot has written to state.db for a key's budget counters, in micro-USD. */
function snapshottedMicros(dataDir: string, keyName: string): number {
  const db = new Database(join(dataDir, 'state.db'), { readonly: true });
  try {
    const row = db
      .prepare('SELECT SUM(used) AS used FROM budget_spend WHERE key LIKE ?')
      .get(`budget:key:${keyName}:%`) as { used: number | null } | undefined;
    return row?.used ?? 0;
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('restart on the memory backend (SIGTERM)', () => {
  it('keeps admin-made keys, revocations, rotations, patched limits, policy and budget spend', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    const before = client(first);

    const created = await before.admin('/admin/keys', 'POST', {
      name: 'made-at-runtime',
      budget: { usd: 0.05, period: 'month' },
    });
    expect(created.status).toBe(201);
    const runtimeSecret = (created.json as { secret: string }).secret;
    const toRotate = await before.admin('/admin/keys', 'POST', { name: 'rotated' });
    const oldRotated = (toRotate.json as { secret: string }).secret;
    const rotation = await before.admin('/admin/keys/rotated/rotate', 'POST', {});
    const newRotated = (rotation.json as { secret: string }).secret;
    expect((await before.admin('/admin/keys/to-revoke', 'DELETE')).status).toBe(200);
    // The config key's $0.05 a month becomes $0.04 in total.
    const patched = await before.admin('/admin/keys/config-team', 'PATCH', {
      rpm: 100,
      budget: { usd: 0.04, period: 'total' },
    });
    expect(patched.status).toBe(200);
    const policy = await before.admin('/admin/policy/rate-limit', 'PUT', { requests_per_window: 1000 });
    expect(policy.status).toBe(200);

    expect(await before.statuses(CONFIG_TEAM, 3)).toEqual([200, 200, 200]);
    expect(await before.statuses(runtimeSecret, 2)).toEqual([200, 200]);
    expect(await before.spent('config-team')).toBe(0.03);

    await stopGracefully(first);
    const second = await start(dataDir);
    const after = client(second);

    // The created key still opens; the revoked one is still revoked; only the rotated-to secret works.
    expect((await after.chat(runtimeSecret)).status).toBe(200);
    const revoked = await after.chat(TO_REVOKE);
    expect(revoked.status).toBe(401);
    expect(errorEnvelope(revoked).code).toBe('revoked_api_key');
    expect((await after.chat(newRotated)).status).toBe(200);
    expect((await after.chat(oldRotated)).status).toBe(401);

    // The patched limits hold, and the $0.03 spent before the restart still counts against the $0.04.
    expect((await after.admin('/admin/keys/config-team')).json).toMatchObject({
      rpm: 100,
      budget: { usd: 0.04, period: 'total' },
      budget_status: { period: 'total', limit_usd: 0.04, spent_usd: 0.03 },
    });
    expect((await after.chat(CONFIG_TEAM)).status).toBe(200);
    const refused = await after.chat(CONFIG_TEAM);
    expect(refused.status).toBe(429);
    expect(errorEnvelope(refused)).toMatchObject({ code: 'budget_exceeded' });
    // $0.02 before the restart, $0.01 after it.
    expect(await after.spent('made-at-runtime')).toBe(0.03);
    expect((await after.admin('/admin/policy/rate-limit')).json).toMatchObject({
      requests_per_window: 1000,
      source: 'admin',
    });
    await stopGracefully(second);
  });

  it('a graceful shutdown writes the spend no snapshot has written yet', async () => {
    const dataDir = newDataDir();
    // No snapshot runs within this test: only the write on shutdown can save the spend.
    const first = await start(dataDir, 'budget_snapshot_interval = "1h"');
    expect(await client(first).statuses(CONFIG_TEAM, 2)).toEqual([200, 200]);
    expect(snapshottedMicros(dataDir, 'config-team')).toBe(0);
    await stopGracefully(first);
    expect(snapshottedMicros(dataDir, 'config-team')).toBe(20_000);

    const second = await start(dataDir, 'budget_snapshot_interval = "1h"');
    expect(await client(second).spent('config-team')).toBe(0.02);
    await stopGracefully(second);
  });
});

describe('crash on the memory backend (SIGKILL)', () => {
  it('keeps every admin change (written through) and the spend the last snapshot wrote', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    const before = client(first);
    expect(await before.statuses(CONFIG_TEAM, 2)).toEqual([200, 200]);
    // The default snapshot interval is 5 s: wait for the snapshot to hold the $0.02.
    await waitFor(() => snapshottedMicros(dataDir, 'config-team') === 20_000, 15_000);
    // An operator sees where the state lives and when the spend was last all saved.
    const health = (await before.admin('/admin/health')).json as {
      governance: { state_store: { backend: string; file: string; budget_spend: Record<string, unknown> } };
    };
    const store = health.governance.state_store;
    expect(store).toMatchObject({ backend: 'sqlite', budget_spend: { failing: false } });
    expect(store.file).toBe(join(dataDir, 'state.db'));
    expect(Date.now() - Date.parse(String(store.budget_spend.saved_at))).toBeLessThan(15_000);

    // Admin changes made just before the crash: each is in state.db before its answer.
    const created = await before.admin('/admin/keys', 'POST', { name: 'made-before-crash' });
    const secret = (created.json as { secret: string }).secret;
    expect((await before.admin('/admin/keys/to-revoke', 'DELETE')).status).toBe(200);
    expect((await before.admin('/admin/keys/config-team', 'PATCH', { rpm: 7 })).status).toBe(200);
    await first.kill();

    const second = await start(dataDir);
    const after = client(second);
    expect((await after.chat(secret)).status).toBe(200);
    expect(errorEnvelope(await after.chat(TO_REVOKE)).code).toBe('revoked_api_key');
    expect((await after.admin('/admin/keys/config-team')).json).toMatchObject({
      rpm: 7,
      budget_status: { spent_usd: 0.02 },
    });
    expect(await after.statuses(CONFIG_TEAM, 4)).toEqual([200, 200, 200, 429]);
    await stopGracefully(second);
  });

  it('loses the spend settled since the last snapshot (here no snapshot ran: all of it)', async () => {
    const dataDir = newDataDir();
    // No snapshot runs within this test, and a crash leaves no shutdown write.
    const first = await start(dataDir, 'budget_snapshot_interval = "1h"');
    expect(await client(first).statuses(CONFIG_TEAM, 2)).toEqual([200, 200]);
    await first.kill();

    const second = await start(dataDir, 'budget_snapshot_interval = "1h"');
    expect(await client(second).spent('config-team')).toBe(0);
    await stopGracefully(second);
  });
});
