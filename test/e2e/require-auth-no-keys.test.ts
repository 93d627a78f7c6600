/**
 * `[server] require_auth = true` with no `[[keys]]` (and no JWT) is a valid config: keys are created later
 * through the admin API. Until then no request gets through, on any route: no key is a 401, an unknown
 * key is a 401. Once an admin-created key exists, it works, and a request without it is still refused.
 */
import { describe, expect, it } from 'vitest';
import { errorEnvelope, rawRequest } from '../support/chat-client.js';
import { useGateway } from '../support/e2e-gateway.js';

const ADMIN = 'require-auth-admin-token';

const gateway = useGateway(() => ({
  config: `
[server]
listen = "127.0.0.1:0"
require_auth = true

[usage]
enabled = false

[admin]
token = "${ADMIN}"

[providers.echo]
type = "echo"
`,
}));

const CHAT = { model: 'echo/echo', messages: [{ role: 'user', content: 'hi' }] };

async function chat(headers: Record<string, string> = {}) {
  return rawRequest(`${gateway.baseURL}/v1/chat/completions`, { body: CHAT, headers });
}

describe('require_auth = true with no keys yet', () => {
  it('refuses a request without a key on every surface with 401', async () => {
    const missing = await chat();
    expect(missing.status).toBe(401);
    expect(errorEnvelope(missing).code).toBe('missing_api_key');
    const messages = await rawRequest(`${gateway.baseURL}/v1/messages`, {
      body: { ...CHAT, max_tokens: 10 },
      headers: { 'anthropic-version': '2023-06-01' },
    });
    expect(messages.status).toBe(401);
    const responses = await rawRequest(`${gateway.baseURL}/v1/responses`, {
      body: { model: 'echo/echo', input: 'hi' },
    });
    expect(responses.status).toBe(401);
    expect((await rawRequest(`${gateway.baseURL}/v1/models`)).status).toBe(401);
  });

  it('refuses an unknown key with 401', async () => {
    const unknown = await chat({ authorization: 'Bearer jk-nobody-has-this' });
    expect(unknown.status).toBe(401);
    expect(errorEnvelope(unknown).code).toBe('invalid_api_key');
  });

  it('lets an admin-created key in, and still refuses a request without one', async () => {
    const created = await rawRequest(`${gateway.baseURL}/admin/keys`, {
      body: { name: 'made-later' },
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(created.status).toBe(201);
    const { secret } = created.json as { secret: string };
    const answered = await chat({ authorization: `Bearer ${secret}` });
    expect(answered.status).toBe(200);
    expect((await chat()).status).toBe(401);
  });
});
