import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config.js';
import type { Gateway } from '../gateway.js';
import { createGateway } from '../gateway.js';
import { buildServer } from './server.js';

// Its own data_dir: the gateway keeps its state file there, not in the repository.
const dataDir = mkdtempSync(join(tmpdir(), 'junction-server-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const CONFIG = `
[server]
listen = "127.0.0.1:0"
data_dir = "${dataDir}"

[usage]
enabled = false

[providers.echo]
type = "echo"
`;

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A gateway whose log lines are kept in memory. */
async function start(): Promise<{ gateway: Gateway; lines: Array<Record<string, unknown>> }> {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const gateway = createGateway(parseConfig(CONFIG, 'test'), pino(sink));
  app = buildServer(gateway);
  await app.ready();
  return { gateway, lines };
}

describe('a new request while shutting down', () => {
  it('is a 503 that a generation route logs and counts like any refusal; other routes leave no line', async () => {
    const { gateway, lines } = await start();
    gateway.inFlight.draining = true;
    const refused = await app!.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', 'x-request-id': 'draining-1' },
      payload: { model: 'echo/echo', messages: [{ role: 'user', content: 'hi' }] },
    });
    const health = await app!.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'h-1' } });
    expect(refused.statusCode).toBe(503);
    expect(health.statusCode).toBe(503);
    await new Promise((resolve) => setImmediate(resolve));
    const usage = lines.flatMap((line) => (line.msg === 'request completed' ? [line.usage] : []));
    expect(usage).toEqual([
      expect.objectContaining({
        requestId: 'draining-1',
        dialect: 'openai-chat',
        status: 503,
        failureClass: 'overloaded',
      }),
    ]);
    const metrics = await gateway.metrics.registry.getSingleMetricAsString('junction_requests_total');
    expect(metrics).toContain(
      'junction_requests_total{dialect="openai-chat",status="503",provider="none"} 1',
    );
  });
});
