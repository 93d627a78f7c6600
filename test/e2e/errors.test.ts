/**
 * The failure surface, on the real process: auth, routing, validation and body limits, upstream errors
 * classified and rendered in the OpenAI envelope (with Retry-After kept), request ids, the info routes,
 * and a process that keeps serving after all of it.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { caught } from '../support/caught.js';
import { errorEnvelope, openaiClient, rawRequest } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import { loadJson } from '../support/fixtures.js';
import { errorAnswer } from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-errors-client-key';
const MAX_BODY = 65_536;

/** OpenAI's documented 429 envelope (no recording exists; see fixtures README "Gaps"). */
const OPENAI_RATE_LIMIT = {
  error: {
    message:
      'Rate limit reached for gpt-4.1 on tokens per min (TPM): Limit 30000, Used 30000, Requested 120.',
    type: 'tokens',
    param: null,
    code: 'rate_limit_exceeded',
  },
};
/** Anthropic's error shape as users have pasted it from real responses (fixtures README "Gaps"). */
const ANTHROPIC_OVERLOADED = {
  type: 'error',
  error: { type: 'overloaded_error', message: 'Overloaded' },
  request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy',
};
const ANTHROPIC_RATE_LIMIT = {
  type: 'error',
  error: {
    type: 'rate_limit_error',
    message: 'This request would exceed the rate limit for your organization.',
  },
  request_id: 'req_011CSHoEeqs5C35K2UUqR7Fz',
};

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': 'env:TEAM_A_KEY' }, `max_body_bytes = ${MAX_BODY}`)}
[providers.oai]
type = "openai"
base_url = "${upstream.origin}/v1"
api_key = "sk-test"

[providers.claude]
type = "anthropic"
base_url = "${upstream.origin}"
api_key = "test"

[providers.gem]
type = "gemini"
base_url = "${upstream.origin}"
api_key = "test"

[providers.echo]
type = "echo"

[[models]]
alias = "default"
targets = ["oai/gpt-4.1"]
defaults = { temperature = 0.2 }

[[models]]
alias = "parrot"
targets = ["echo/echo"]
`,
  env: { TEAM_A_KEY: CLIENT_KEY },
}));
let client: OpenAI;
let url: string;
const auth = { authorization: `Bearer ${CLIENT_KEY}` };

beforeAll(() => {
  client = openaiClient(gateway.baseURL, CLIENT_KEY);
  url = `${gateway.baseURL}/v1/chat/completions`;
});

const HELLO = [{ role: 'user' as const, content: 'hello' }];

describe('authentication', () => {
  it('no key: 401 in the OpenAI envelope, with a request id', async () => {
    const response = await rawRequest(url, { body: { model: 'parrot', messages: HELLO } });
    expect(response.status).toBe(401);
    const error = errorEnvelope(response);
    expect(error.type).toBe('authentication_error');
    expect(error.message).toMatch(/key/i);
    expect(response.headers.get('x-request-id')).toMatch(/\S/);
  });

  it('wrong key: the SDK raises AuthenticationError', async () => {
    const wrong = openaiClient(gateway.baseURL, 'jk-not-a-key');
    const error = await caught(wrong.chat.completions.create({ model: 'parrot', messages: HELLO }));
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).type).toBe('authentication_error');
    expect(mock.requests).toHaveLength(0);
  });

  it('GET /v1/models needs the key too', async () => {
    const response = await rawRequest(`${gateway.baseURL}/v1/models`);
    expect(response.status).toBe(401);
    errorEnvelope(response);
  });
});

describe('routing errors', () => {
  it('unknown model: 404 NotFoundError whose message lists what exists', async () => {
    const error = await caught(client.chat.completions.create({ model: 'gpt-nonexistent', messages: HELLO }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    const apiError = error as InstanceType<typeof OpenAI.NotFoundError>;
    expect(apiError.status).toBe(404);
    expect(apiError.message).toContain('gpt-nonexistent');
    for (const name of ['default', 'parrot', 'oai/', 'claude/', 'gem/', 'echo/'])
      expect(apiError.message).toContain(name);
    expect(apiError.param).toBe('model');
    expect(apiError.code).toBe('model_not_found');
    expect(mock.requests).toHaveLength(0);
  });

  it('a model unknown upstream (a bare 404 there) and GET /v1/models/{unknown} keep model_not_found', async () => {
    mock.enqueue(errorAnswer(404, { error: { message: 'The model does not exist' } }));
    const upstream = await caught(
      client.chat.completions.create({ model: 'oai/gpt-nonexistent', messages: HELLO }),
    );
    expect(upstream).toBeInstanceOf(OpenAI.NotFoundError);
    expect((upstream as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    const retrieved = await caught(client.models.retrieve('gpt-nonexistent'));
    expect(retrieved).toBeInstanceOf(OpenAI.NotFoundError);
    expect((retrieved as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });

  it('a provider that is not configured ("nope/x"): 404, nothing sent anywhere', async () => {
    const error = await caught(client.chat.completions.create({ model: 'nope/x', messages: HELLO }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).message).toContain('nope/x');
    expect(mock.requests).toHaveLength(0);
  });
});

describe('request validation', () => {
  it('malformed JSON: 400 that says so', async () => {
    const response = await rawRequest(url, { body: '{"model": "parrot", "messages": [', headers: auth });
    expect(response.status).toBe(400);
    const error = errorEnvelope(response);
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toMatch(/json/i);
  });

  it('messages: "x" -> 400 naming the messages field', async () => {
    const error = await caught(
      client.chat.completions.create({ model: 'parrot', messages: 'x' as unknown as typeof HELLO }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.status).toBe(400);
    expect(apiError.param).toBe('messages');
    expect(apiError.message).toContain('messages');
  });

  it('temperature: 5 -> 400 naming the temperature field', async () => {
    const error = await caught(
      client.chat.completions.create({ model: 'parrot', messages: HELLO, temperature: 5 }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('temperature');
  });

  it('a wrong message part names its path', async () => {
    const response = await rawRequest(url, {
      body: { model: 'parrot', messages: [{ role: 'user', content: [{ type: 'text', txt: 'typo' }] }] },
      headers: auth,
    });
    expect(response.status).toBe(400);
    expect(errorEnvelope(response).param).toMatch(/^messages\[0\]\.content/);
  });

  it('an empty body: 400 that asks for a JSON object', async () => {
    const response = await rawRequest(url, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(errorEnvelope(response).message).toMatch(/empty/i);
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('a body that would poison a prototype: 400, never parsed into an object', async () => {
    const response = await rawRequest(url, {
      body: '{"model": "parrot", "messages": [], "__proto__": {"polluted": true}}',
      headers: auth,
    });
    expect(response.status).toBe(400);
    expect(errorEnvelope(response).message).toMatch(/prototype/i);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    // The same key spelled with JSON escapes, which JSON.parse turns into "__proto__".
    const escaped = await rawRequest(url, {
      body: '{"model": "parrot", "messages": [], "\\u005f_proto__": {"polluted": true}}',
      headers: auth,
    });
    expect(escaped.status).toBe(400);
    expect(errorEnvelope(escaped).message).toMatch(/prototype/i);
  });

  it('a valid JSON body sent as text/plain (or any non-JSON type, or none) is the same clear 415', async () => {
    const body = JSON.stringify({ model: 'parrot', messages: HELLO });
    const openAI415 = {
      error: {
        message: 'Content-Type must be application/json',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    };
    for (const path of ['/v1/chat/completions', '/v1/responses', '/v1/responses/input_tokens']) {
      for (const type of [
        'text/plain',
        'text/plain; charset=utf-8',
        'application/x-www-form-urlencoded',
        undefined,
      ]) {
        const response = await plainPost(`${gateway.baseURL}${path}`, body, {
          ...auth,
          ...(type ? { 'content-type': type } : {}),
        });
        expect(response.status, `${path} ${type}`).toBe(415);
        expect(JSON.parse(response.body), `${path} ${type}`).toEqual(openAI415);
      }
    }
    for (const path of ['/v1/messages', '/v1/messages/count_tokens']) {
      for (const type of ['text/plain', undefined]) {
        const response = await plainPost(`${gateway.baseURL}${path}`, body, {
          ...auth,
          ...(type ? { 'content-type': type } : {}),
        });
        expect(response.status, `${path} ${type}`).toBe(415);
        expect(JSON.parse(response.body), `${path} ${type}`).toMatchObject({
          type: 'error',
          error: { type: 'invalid_request_error', message: 'Content-Type must be application/json' },
        });
      }
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('a content type with parameters is still JSON, and a sane x-request-id is kept', async () => {
    const response = await rawRequest(url, {
      body: { model: 'parrot', messages: HELLO },
      headers: {
        ...auth,
        'content-type': 'Application/JSON; charset=utf-8',
        'x-request-id': 'client-req-42',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('client-req-42');
  });

  it(`a chunked body that grows past max_body_bytes -> 413, and the connection is closed`, async () => {
    const response = await chunkedPost(
      url.replace('/chat/completions', '/messages'),
      MAX_BODY + 10_000,
      auth,
    );
    expect(response.status).toBe(413);
    expect(response.connection).toBe('close');
    expect(JSON.parse(response.body)).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
  });

  it(`a body over max_body_bytes (${MAX_BODY}) -> 413 in the OpenAI envelope`, async () => {
    const response = await rawRequest(url, {
      body: { model: 'parrot', messages: [{ role: 'user', content: 'x'.repeat(MAX_BODY + 1_000) }] },
      headers: auth,
    });
    expect(response.status).toBe(413);
    expect(errorEnvelope(response).message).toMatch(/max_body_bytes|too large/i);
  });
});

describe('upstream errors', () => {
  it('OpenAI upstream 429 with retry-after: the client gets 429 and the retry-after header', async () => {
    mock.enqueue(errorAnswer(429, OPENAI_RATE_LIMIT, { 'retry-after': '7' }));
    const error = await caught(client.chat.completions.create({ model: 'default', messages: HELLO }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(apiError.status).toBe(429);
    expect(apiError.headers?.get('retry-after')).toBe('7');
    expect(mock.requests).toHaveLength(1);
  });

  it('Anthropic upstream 429 with retry-after: 429 and retry-after on the OpenAI surface', async () => {
    mock.enqueue(errorAnswer(429, ANTHROPIC_RATE_LIMIT, { 'retry-after': '12' }));
    const error = await caught(
      client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: HELLO }),
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('12');
  });

  it('Gemini upstream 429 RESOURCE_EXHAUSTED with RetryInfo 34.4s: 429 with retry-after 35', async () => {
    mock.enqueue(errorAnswer(429, loadJson('gemini/vercel-google-429-retry-info.json')));
    const error = await caught(
      client.chat.completions.create({ model: 'gem/gemini-2.5-flash', messages: HELLO }),
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('35');
  });

  it('Anthropic 529 overloaded: a 503 server error on the OpenAI surface', async () => {
    mock.enqueue(errorAnswer(529, ANTHROPIC_OVERLOADED, { 'x-should-retry': 'true' }));
    const error = await caught(
      client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', messages: HELLO }),
    );
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    const apiError = error as InstanceType<typeof OpenAI.InternalServerError>;
    expect(apiError.status).toBe(503);
    expect(apiError.message).toMatch(/overload/i);
  });

  it('stream request, upstream refuses before streaming: a plain HTTP error, not a broken stream', async () => {
    mock.enqueue(errorAnswer(429, ANTHROPIC_RATE_LIMIT, { 'retry-after': '3' }));
    const response = await rawRequest(url, {
      body: { model: 'claude/claude-sonnet-4-5', messages: HELLO, stream: true },
      headers: auth,
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(errorEnvelope(response).type).toBe('rate_limit_error');
  });
});

describe('request ids, model list, health', () => {
  it('x-request-id: echoed when sent (also on errors), generated when not', async () => {
    const sent = `e2e-${randomUUID()}`;
    const ok = await rawRequest(url, {
      body: { model: 'parrot', messages: HELLO },
      headers: { ...auth, 'x-request-id': sent },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-request-id')).toBe(sent);

    const failed = await rawRequest(url, {
      body: { model: 'nope/x', messages: HELLO },
      headers: { ...auth, 'x-request-id': sent },
    });
    expect(failed.status).toBe(404);
    expect(failed.headers.get('x-request-id')).toBe(sent);

    const generated = await rawRequest(url, { body: { model: 'parrot', messages: HELLO }, headers: auth });
    const id = generated.headers.get('x-request-id');
    expect(id).toMatch(/^\S{8,}$/);
    expect(id).not.toBe(sent);

    const { response } = await client.chat.completions
      .create({ model: 'parrot', messages: HELLO }, { headers: { 'x-request-id': `${sent}-sdk` } })
      .withResponse();
    expect(response.headers.get('x-request-id')).toBe(`${sent}-sdk`);
  });

  it('GET /v1/models lists the aliases and alias targets in the OpenAI list shape', async () => {
    const models = await client.models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['default', 'parrot', 'oai/gpt-4.1', 'echo/echo']));
    for (const model of models.data) expect(model.object).toBe('model');
  });

  it('/healthz and /readyz answer 200 without a key', async () => {
    expect((await rawRequest(`${gateway.baseURL}/healthz`)).status).toBe(200);
    expect((await rawRequest(`${gateway.baseURL}/readyz`)).status).toBe(200);
  });

  it('an unknown route is the 404 OpenAI gives: invalid_request_error "Invalid URL", no code', async () => {
    for (const [path, shown] of [
      ['/nope', 'GET /nope'],
      ['/v1/nothing-here?secret=1', 'GET /v1/nothing-here'],
    ]) {
      const response = await rawRequest(`${gateway.baseURL}${path}`, {
        headers: { ...auth, 'x-request-id': 'unknown-route-1' },
      });
      expect(response.status).toBe(404);
      expect(response.json).toEqual({
        error: { message: `Invalid URL (${shown})`, type: 'invalid_request_error', param: null, code: null },
      });
      expect(response.headers.get('x-request-id')).toBe('unknown-route-1');
    }
    const wrongMethod = await rawRequest(url, { headers: auth });
    expect(wrongMethod.status).toBe(404);
    expect(errorEnvelope(wrongMethod)).toMatchObject({
      message: 'Invalid URL (GET /v1/chat/completions)',
      code: null,
    });
  });

  it('an unknown route under /v1/messages is a 404 not_found_error in the Anthropic envelope', async () => {
    const response = await rawRequest(`${gateway.baseURL}/v1/messages/nope`, { headers: auth });
    expect(response.status).toBe(404);
    expect(response.json).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: 'Invalid URL (GET /v1/messages/nope)' },
    });
  });

  it('after all of the above the process is still serving', async () => {
    const completion = await client.chat.completions.create({
      model: 'parrot',
      messages: [{ role: 'user', content: 'still here' }],
    });
    expect(completion.choices[0]!.message.content).toBe('still here');
  });
});

/** A POST with exactly the headers given: no content type unless one is named (fetch would add text/plain). */
function plainPost(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A POST whose body is sent in chunks without a content-length, so only the bytes read can tell its size. */
function chunkedPost(
  url: string,
  bytes: number,
  headers: Record<string, string>,
): Promise<{ status: number; connection: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
    });
    // The server may close while the rest of the body is still being written.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    const piece = `{"model": "claude/x", "messages": [{"role": "user", "content": "${'x'.repeat(4_000)}`;
    for (let sent = 0; sent < bytes; sent += piece.length) req.write(piece);
    req.end();
  });
}
