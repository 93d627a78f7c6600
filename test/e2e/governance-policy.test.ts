/**
 * Policy on real gateway processes with fault-upstream providers that record what they receive:
 * the system prompt (global + per key, changed at run time through the admin API) arrives upstream in
 * both dialects, on the fast path and translated; input guardrails refuse or redact before anything
 * goes upstream; output guardrails catch a banned phrase split across stream chunks and end the
 * stream with the dialect's error event, redact output and append the disclaimer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorEnvelope, rawRequest } from '../support/chat-client.js';
import { serverWithAdmin } from '../support/e2e-gateway.js';
import type { FaultUpstream } from '../support/fault-upstream.js';
import { startFaultUpstream } from '../support/fault-upstream.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startGateway } from '../support/gateway-process.js';

const ADMIN = 'governance-policy-admin';
const KEY = 'sk-gov-policy-key';
const ANTHROPIC_HEADERS = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };

let oa: FaultUpstream;
let an: FaultUpstream;
let prompts: GatewayProcess;
let guarded: GatewayProcess;

const providers = () => `
[providers.oa]
type = "openai"
base_url = "${oa.origin}/v1"
api_key = "sk-upstream-openai"

[providers.an]
type = "anthropic"
base_url = "${an.origin}"
api_key = "sk-upstream-anthropic"

[[models]]
alias = "gpt"
targets = ["oa/gpt-4o-mini"]

[[models]]
alias = "claude"
targets = ["an/claude-sonnet-4-5"]
`;

beforeAll(async () => {
  [oa, an] = await Promise.all([startFaultUpstream(), startFaultUpstream()]);
  [prompts, guarded] = await Promise.all([
    startGateway({
      config: `${serverWithAdmin(ADMIN)}
[[keys]]
name = "policy"
key = "${KEY}"
system_prompt = "KEY RULES"

[policy]
system_prompt = "GLOBAL RULES"
${providers()}`,
    }),
    startGateway({
      config: `${serverWithAdmin(ADMIN)}
[[keys]]
name = "policy"
key = "${KEY}"

[policy.guardrails]
banned_phrases = ["secret sauce"]
deny_patterns = ["drop\\\\s+table"]
builtin_deny = ["api_key"]
builtin_redact = ["email"]
min_input_chars = 2
max_input_chars = 500
output_disclaimer = "(AI-generated)"
stream_window = 32
${providers()}`,
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([prompts?.stop(), guarded?.stop()]);
  await Promise.all([oa?.close(), an?.close()]);
});

function chat(gateway: GatewayProcess, body: Record<string, unknown>) {
  return rawRequest(`${gateway.baseURL}/v1/chat/completions`, {
    body,
    headers: { authorization: `Bearer ${KEY}` },
  });
}

function messages(gateway: GatewayProcess, body: Record<string, unknown>) {
  return rawRequest(`${gateway.baseURL}/v1/messages`, {
    body: { max_tokens: 50, ...body },
    headers: ANTHROPIC_HEADERS,
  });
}

async function usageOf(
  gateway: GatewayProcess,
  response: { headers: Headers },
): Promise<Record<string, unknown>> {
  return gateway.usageRecord(response.headers.get('x-request-id') ?? '');
}

describe('system prompt injection', () => {
  const expected = 'Client rules\n\nGLOBAL RULES\n\nKEY RULES';

  it('OpenAI chat -> OpenAI upstream (fast path): appended to the client system message', async () => {
    const response = await chat(prompts, {
      model: 'gpt',
      messages: [
        { role: 'system', content: 'Client rules' },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(response.status).toBe(200);
    expect(oa.requests.at(-1)?.body.messages).toEqual([
      { role: 'system', content: expected },
      { role: 'user', content: 'hi' },
    ]);
    expect(await usageOf(prompts, response)).toMatchObject({ fastPath: true });
  });

  it('OpenAI chat streamed, no client system prompt: one is added first', async () => {
    const response = await chat(prompts, {
      model: 'gpt',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(response.text).toContain('data: [DONE]');
    expect(oa.requests.at(-1)?.body.messages).toEqual([
      { role: 'system', content: 'GLOBAL RULES\n\nKEY RULES' },
      { role: 'user', content: 'hi' },
    ]);
    expect(await usageOf(prompts, response)).toMatchObject({ fastPath: true });
  });

  it('OpenAI chat -> Anthropic upstream (translated): in `system`', async () => {
    const response = await chat(prompts, {
      model: 'claude',
      messages: [
        { role: 'system', content: 'Client rules' },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(response.status).toBe(200);
    expect(systemText(an.requests.at(-1)?.body.system)).toBe(expected);
    expect(await usageOf(prompts, response)).toMatchObject({ fastPath: false });
  });

  it('Anthropic messages -> Anthropic upstream (fast path): appended to `system`', async () => {
    const response = await messages(prompts, {
      model: 'claude',
      system: 'Client rules',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(response.status).toBe(200);
    expect(an.requests.at(-1)?.body.system).toBe(expected);
    expect(await usageOf(prompts, response)).toMatchObject({ fastPath: true });
  });

  it('Anthropic messages -> OpenAI upstream (translated): the leading system message', async () => {
    const response = await messages(prompts, {
      model: 'gpt',
      stream: true,
      system: 'Client rules',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(response.text).toContain('event: message_stop');
    const sent = oa.requests.at(-1)?.body.messages as Array<{ role: string; content: unknown }>;
    expect(sent[0]?.role).toBe('system');
    expect(systemText(sent[0]?.content)).toBe(expected);
    expect(await usageOf(prompts, response)).toMatchObject({ fastPath: false });
  });

  it('changes at run time through the admin API, then reverts', async () => {
    const put = await rawRequest(`${prompts.baseURL}/admin/policy/system-prompt`, {
      method: 'PUT',
      body: { system_prompt: 'NEW GLOBAL' },
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(put.json).toEqual({ system_prompt: 'NEW GLOBAL', source: 'admin' });
    await messages(prompts, { model: 'claude', messages: [{ role: 'user', content: 'hi' }] });
    expect(an.requests.at(-1)?.body.system).toBe('NEW GLOBAL\n\nKEY RULES');
    await rawRequest(`${prompts.baseURL}/admin/policy/system-prompt`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    await messages(prompts, { model: 'claude', messages: [{ role: 'user', content: 'hi' }] });
    expect(an.requests.at(-1)?.body.system).toBe('GLOBAL RULES\n\nKEY RULES');
  });
});

describe('input guardrails', () => {
  it.each([
    ['a banned phrase, any case', 'What is in the Secret Sauce?', 'banned_phrases[0]'],
    ['a deny pattern', 'please DROP   TABLE users', 'deny_patterns[0]'],
    ['a built-in API key pattern', 'my key is sk-proj-abcdefghijklmnop1234', 'builtin:api_key'],
    ['too short input', 'x', 'min_input_chars'],
    ['too long input', 'y'.repeat(501), 'max_input_chars'],
  ])('refuses %s with a 400 naming the rule, before any upstream call', async (_what, content, rule) => {
    const before = oa.requests.length;
    const response = await chat(guarded, { model: 'gpt', messages: [{ role: 'user', content }] });
    expect(response.status).toBe(400);
    expect(errorEnvelope(response)).toMatchObject({
      code: 'guardrail_violation',
      message: `Request blocked by guardrail rule "${rule}"`,
    });
    expect(oa.requests.length).toBe(before);
  });

  it('refuses in the Anthropic envelope on the Anthropic surface', async () => {
    const response = await messages(guarded, {
      model: 'claude',
      messages: [{ role: 'user', content: 'secret sauce' }],
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'Request blocked by guardrail rule "banned_phrases[0]"',
      },
    });
  });

  it('redacts e-mail addresses before the request goes upstream', async () => {
    const response = await chat(guarded, {
      model: 'gpt',
      messages: [{ role: 'user', content: 'Mail bob.jones@example.com about it' }],
    });
    expect(response.status).toBe(200);
    const sent = JSON.stringify(oa.requests.at(-1)?.body.messages);
    expect(sent).toContain('Mail [REDACTED:email] about it');
    expect(sent).not.toContain('bob.jones');
  });
});

describe('output guardrails', () => {
  const ask = { model: 'gpt', messages: [{ role: 'user', content: 'tell me' }] };

  it('ends an OpenAI stream with an error event when a banned phrase arrives split across chunks', async () => {
    oa.enqueue({ pieces: ['Well, the ', 'sec', 'ret sa', 'uce is ', 'mostly ketchup and more text'] });
    const response = await chat(guarded, { ...ask, stream: true });
    expect(response.status).toBe(200);
    const events = dataEvents(response.text);
    const last = events.at(-1) as { error?: { message: string; code: string } };
    expect(last.error).toMatchObject({
      code: 'guardrail_violation',
      message: 'Response blocked by guardrail rule "banned_phrases[0]"',
    });
    const sent = events.map((event) => deltaText(event)).join('');
    expect(sent.toLowerCase()).not.toContain('sec');
    expect(response.text).not.toContain('[DONE]');
  });

  it('ends an Anthropic stream with its error event', async () => {
    an.enqueue({ pieces: ['The se', 'cret s', 'auce!'] });
    const response = await messages(guarded, { ...ask, model: 'claude', stream: true });
    expect(response.text).toMatch(
      /event: error\ndata: .*Response blocked by guardrail rule \\"banned_phrases\[0\]\\"/,
    );
    expect(response.text).not.toContain('event: message_stop');
  });

  it('refuses a non-streamed answer with a 400 naming the rule', async () => {
    oa.enqueue({ pieces: ['our secret ', 'sauce'] });
    const response = await chat(guarded, ask);
    expect(response.status).toBe(400);
    expect(errorEnvelope(response).message).toBe('Response blocked by guardrail rule "banned_phrases[0]"');
  });

  it('redacts output split across chunks and appends the disclaimer, streamed and not', async () => {
    oa.enqueue({ pieces: ['Contact ', 'alice@exa', 'mple.org', ' today.'] });
    const plain = await chat(guarded, ask);
    expect(plain.status).toBe(200);
    const content = (plain.json as { choices: Array<{ message: { content: string } }> }).choices[0]?.message
      .content;
    expect(content).toBe('Contact [REDACTED:email] today.\n\n(AI-generated)');

    oa.enqueue({ pieces: ['Contact ', 'alice@exa', 'mple.org', ' today.'] });
    const streamed = await chat(guarded, { ...ask, stream: true });
    const text = dataEvents(streamed.text)
      .map((event) => deltaText(event))
      .join('');
    expect(text).toBe('Contact [REDACTED:email] today.\n\n(AI-generated)');
    expect(streamed.text).toContain('data: [DONE]');
  });

  it('counts violations in /admin/metrics', async () => {
    const metrics = await rawRequest(`${guarded.baseURL}/admin/metrics`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(metrics.text).toMatch(
      /junction_guardrail_violations_total\{where="output",rule="banned_phrases\[0\]"\} [3-9]/,
    );
    expect(metrics.text).toMatch(
      /junction_guardrail_violations_total\{where="input",rule="builtin:api_key"\} 1/,
    );
  });
});

function systemText(system: unknown): string {
  if (typeof system === 'string') return system;
  if (Array.isArray(system)) {
    return system.map((block) => (block as { text?: string }).text ?? '').join('\n\n');
  }
  return '';
}

function dataEvents(sse: string): Array<Record<string, unknown>> {
  return sse
    .split('\n')
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}

function deltaText(event: Record<string, unknown>): string {
  const choices = event.choices as Array<{ delta?: { content?: string } }> | undefined;
  return choices?.[0]?.delta?.content ?? '';
}
