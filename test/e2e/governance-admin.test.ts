/**
 * The admin API on its own listener (`[admin] listen`): every operation in /admin/openapi.json exists
 * (none answers "route not found"), every $ref in the document resolves, the token is required, and
 * /admin/* is not served on the client listener.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/chat-client.js';
import { serverWithAdmin } from '../support/e2e-gateway.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { freePort, startGateway } from '../support/gateway-process.js';

const ADMIN = 'governance-admin-token';
let gateway: GatewayProcess;
let adminBase: string;

beforeAll(async () => {
  const port = await freePort();
  adminBase = `http://127.0.0.1:${port}`;
  gateway = await startGateway({
    config: `${serverWithAdmin(ADMIN, `listen = "127.0.0.1:${port}"`)}

[cache]
enabled = true

[providers.echo]
type = "echo"
`,
  });
});

afterAll(async () => {
  await gateway?.stop();
});

interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

describe('admin API', () => {
  it('serves an OpenAPI 3.1 document whose every operation exists and every $ref resolves', async () => {
    const response = await rawRequest(`${adminBase}/admin/openapi.json`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(response.status).toBe(200);
    const doc = JSON.parse(response.text) as OpenApi;
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => METHODS.includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /admin/health',
        'GET /admin/routes',
        'GET /admin/metrics',
        'GET /admin/openapi.json',
        'GET /admin/keys',
        'POST /admin/keys',
        'GET /admin/keys/{name}',
        'PATCH /admin/keys/{name}',
        'DELETE /admin/keys/{name}',
        'POST /admin/keys/{name}/rotate',
        'POST /admin/keys/{name}/restore',
        'GET /admin/policy/rate-limit',
        'PUT /admin/policy/rate-limit',
        'DELETE /admin/policy/rate-limit',
        'GET /admin/policy/system-prompt',
        'PUT /admin/policy/system-prompt',
        'DELETE /admin/policy/system-prompt',
        'GET /admin/policy/guardrails',
        'PUT /admin/policy/guardrails',
        'DELETE /admin/policy/guardrails',
        'GET /admin/cache',
        'DELETE /admin/cache',
        'GET /admin/usage',
        'GET /admin/usage/stats',
      ].sort(),
    );
    for (const operation of operations) {
      const [method, path] = operation.split(' ') as [string, string];
      const url = `${adminBase}${path.replace('{name}', 'no-such-key')}`;
      const answer = await rawRequest(url, {
        method,
        ...(method === 'PUT' || method === 'POST' || method === 'PATCH' ? { body: {} } : {}),
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      expect(answer.text, operation).not.toMatch(/Route .* not found/);
      expect(answer.status, operation).toBeLessThan(500);
    }
    const refs = [...response.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (match) => match[1]!,
    );
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref);
  });

  it('requires the admin token', async () => {
    const response = await rawRequest(`${adminBase}/admin/keys`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(
      (await rawRequest(`${adminBase}/admin/keys`, { headers: { authorization: 'Bearer wrong' } })).status,
    ).toBe(401);
  });

  it('is not served on the client listener when it has its own', async () => {
    const response = await rawRequest(`${gateway.baseURL}/admin/keys`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(response.status).toBe(404);
  });

  it('carries x-request-id on every answer, a client-sent one kept, as the main listener does', async () => {
    const admin = { authorization: `Bearer ${ADMIN}` };
    for (const [path, headers, status] of [
      ['/admin/health', admin, 200],
      ['/admin/keys', {}, 401],
      ['/nope', admin, 404],
    ] as const) {
      const generated = await rawRequest(`${adminBase}${path}`, { headers });
      expect(generated.status, path).toBe(status);
      expect(generated.headers.get('x-request-id'), path).toMatch(/^[0-9a-f-]{36}$/);
      const sent = await rawRequest(`${adminBase}${path}`, {
        headers: { ...headers, 'x-request-id': 'admin-req-7' },
      });
      expect(sent.headers.get('x-request-id'), path).toBe('admin-req-7');
    }
  });

  it('answers unknown paths and unparsable bodies in the gateway’s envelope, as the main listener does', async () => {
    for (const path of ['/nope', '/admin/nope']) {
      const onAdmin = await rawRequest(`${adminBase}${path}`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      });
      const onMain = await rawRequest(`${gateway.baseURL}${path}`);
      expect(onAdmin.status, path).toBe(404);
      expect(onAdmin.json, path).toEqual({
        error: {
          message: `Invalid URL (GET ${path})`,
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
      expect(onAdmin.json, path).toEqual(onMain.json);
    }
    const malformed = await rawRequest(`${adminBase}/admin/keys`, {
      body: '{"name": ',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringMatching(/^Malformed JSON/) },
    });
    expect(malformed.headers.get('x-request-id')).toMatch(/\S/);
    const plain = await rawRequest(`${adminBase}/admin/keys`, {
      body: '{"name": "plain"}',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    expect(plain.json).toMatchObject({ error: { message: 'Content-Type must be application/json' } });
  });

  it('validates bodies and names the field at fault', async () => {
    const response = await rawRequest(`${adminBase}/admin/keys`, {
      method: 'POST',
      body: { name: 'x', rpm: 0, colour: 'blue' },
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(response.status).toBe(400);
    const message = (response.json as { error: { message: string } }).error.message;
    expect(message).toContain('rpm');
    expect(message).toContain('colour');
    const guardrails = await rawRequest(`${adminBase}/admin/policy/guardrails`, {
      method: 'PUT',
      body: { deny_patterns: ['(unclosed'] },
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(guardrails.status).toBe(400);
    expect((guardrails.json as { error: { message: string } }).error.message).toContain('Invalid pattern');
  });
});
