#!/usr/bin/env node
/**
 * Memory under sustained mixed traffic: does Junction's live memory stay flat?
 *
 * Starts the benchmark's mock upstream (and a failing one) and Junction with the gc probe preloaded, then
 * sends rounds of mixed requests: fast path and translated, stream and not, the three client surfaces,
 * stored Responses (a memory store bounded by --store-max-bytes), failover, clients that hang up after the
 * first chunk, and refusals (401, 400, 404). After each round it has Junction run a full GC and records its
 * heap and RSS. A leak shows as live heap growing round after round; a bounded cache as growth that stops.
 * Writes docs/memory.md.
 *
 *   npm run bench:soak                     # build, then 8 rounds of 10,000 requests
 *   node bench/soak.mjs --rounds 3 --per-round 2000 --out /tmp/memory.md
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { freePort } from './free-port.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '8' },
    'per-round': { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    // Small, so the store is full early and the later rounds show whether anything else grows.
    'store-max-bytes': { type: 'string', default: String(2 * 1024 * 1024) },
    out: { type: 'string', default: join(ROOT, 'docs', 'memory.md') },
  },
});
const ROUNDS = Number(args.rounds);
const PER_ROUND = Number(args['per-round']);
const CONCURRENCY = Number(args.concurrency);
const STORE_MAX_BYTES = Number(args['store-max-bytes']);
const KEY = 'soak-key';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const children = [];
function start(name, argv, { env = {}, stdout = 'ignore' } = {}) {
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout, 'pipe'],
  });
  const proc = { name, child, stderr: '', listeners: new Set() };
  child.stderr.on('data', (d) => {
    const text = d.toString();
    proc.stderr = (proc.stderr + text).slice(-20_000);
    for (const listener of proc.listeners) listener(text);
  });
  children.push(proc);
  return proc;
}
process.on('exit', () => {
  for (const { child } of children) child.kill('SIGKILL');
});

async function waitFor(url) {
  for (let i = 0; i < 200; i++) {
    try {
      const { statusCode, body } = await request(url);
      await body.dump();
      if (statusCode < 500) return;
    } catch {}
    await sleep(50);
  }
  throw new Error(`${url} did not answer`);
}

/** Asks the probe for memory after a full GC. */
function probe(proc) {
  return new Promise((resolvePromise, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('gc probe did not answer')), 10_000);
    const listener = (text) => {
      buffered += text;
      const match = /gc-probe (\{.*\})\n/.exec(buffered);
      if (!match) return;
      clearTimeout(timer);
      proc.listeners.delete(listener);
      resolvePromise(JSON.parse(match[1]));
    };
    proc.listeners.add(listener);
    proc.child.kill('SIGUSR2');
  });
}

const ports = { mock: await freePort(), fail: await freePort(), junction: await freePort() };
const dataDir = mkdtempSync(join(tmpdir(), 'junction-soak-'));
const configPath = join(dataDir, 'junction.toml');
writeFileSync(
  configPath,
  `# Written by bench/soak.mjs.
[server]
listen = "127.0.0.1:${ports.junction}"
data_dir = "${dataDir}"

[[keys]]
name = "soak"
key = "${KEY}"

[store]
backend = "memory"
max_bytes = ${STORE_MAX_BYTES}

[providers.oai]
type = "openai"
base_url = "http://127.0.0.1:${ports.mock}/v1"
api_key = "sk-soak"

[providers.claude]
type = "anthropic"
base_url = "http://127.0.0.1:${ports.mock}"
api_key = "soak"

[providers.oai-down]
type = "openai"
base_url = "http://127.0.0.1:${ports.fail}/v1"
api_key = "sk-soak"

[routing]
breaker = { consecutive_failures = 1000000000, failure_rate = 1 }

[[models]]
alias = "fast"
targets = ["oai/gpt-4.1-mini"]

[[models]]
alias = "translated"
targets = ["claude/claude-sonnet-4-5"]

[[models]]
alias = "failover"
targets = ["oai-down/gpt-4.1-mini", "oai/gpt-4.1-mini"]
`,
);

start('mock', ['bench/mock-upstream.mjs', '--port', String(ports.mock)]);
start('mock-503', ['bench/mock-upstream.mjs', '--port', String(ports.fail), '--fail-status', '503']);
const junction = start(
  'junction',
  ['--expose-gc', '--import', './bench/gc-probe.mjs', 'dist/cli.js', '--config', configPath],
  { env: { JUNCTION_LOG_LEVEL: 'info' } },
);
const base = `http://127.0.0.1:${ports.junction}`;
await waitFor(`http://127.0.0.1:${ports.mock}/`);
await waitFor(`${base}/healthz`);

const messages = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Tell me about Galaxy Day.' },
];
const chat = (model, stream) => ({
  path: '/v1/chat/completions',
  headers: { authorization: `Bearer ${KEY}` },
  body: {
    model,
    messages,
    max_tokens: 256,
    ...(stream ? { stream, stream_options: { include_usage: true } } : {}),
  },
});
/** What each request of a round is, in rotation, with the status it must get. */
const SCENARIOS = [
  { name: 'chat, fast path', expect: 200, ...chat('fast', false) },
  { name: 'chat, fast path, stream', expect: 200, ...chat('fast', true) },
  { name: 'chat → Anthropic', expect: 200, ...chat('translated', false) },
  { name: 'chat → Anthropic, stream', expect: 200, ...chat('translated', true) },
  { name: 'chat, failover', expect: 200, ...chat('failover', false) },
  {
    name: 'chat → Anthropic, stream, client hangs up after the first chunk',
    expect: 200,
    hangUp: true,
    ...chat('translated', true),
  },
  {
    name: 'messages, fast path, stream',
    expect: 200,
    path: '/v1/messages',
    headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    body: { model: 'translated', max_tokens: 256, stream: true, messages: messages.slice(1) },
  },
  {
    name: 'messages → OpenAI',
    expect: 200,
    path: '/v1/messages',
    headers: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    body: { model: 'fast', max_tokens: 256, system: 'You are terse.', messages: messages.slice(1) },
  },
  {
    name: 'responses → Anthropic, stored',
    expect: 200,
    path: '/v1/responses',
    headers: { authorization: `Bearer ${KEY}` },
    body: { model: 'translated', input: 'Tell me about Galaxy Day.', instructions: 'You are terse.' },
  },
  { name: 'wrong key (401)', expect: 401, ...chat('fast', false), headers: { authorization: 'Bearer nope' } },
  {
    name: 'invalid body (400)',
    expect: 400,
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${KEY}` },
    body: { model: 'fast', messages: 'hello' },
  },
  { name: 'unknown model (404)', expect: 404, ...chat('nope', false) },
];

const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 30_000 });
const tally = new Map(SCENARIOS.map((s) => [s.name, { sent: 0, unexpected: 0 }]));

async function one(scenario) {
  const controller = new AbortController();
  const { statusCode, body } = await request(base + scenario.path, {
    method: 'POST',
    dispatcher: agent,
    signal: controller.signal,
    headers: { 'content-type': 'application/json', ...scenario.headers },
    body: JSON.stringify(scenario.body),
  });
  const entry = tally.get(scenario.name);
  entry.sent++;
  if (statusCode !== scenario.expect) entry.unexpected++;
  if (scenario.hangUp) {
    for await (const _ of body) break; // leaving the loop destroys the body: the connection closes mid-stream
    controller.abort();
    return;
  }
  await body.dump({ limit: Number.POSITIVE_INFINITY });
}

async function round(count) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const scenario = SCENARIOS[next++ % SCENARIOS.length];
        await one(scenario).catch(() => {
          tally.get(scenario.name).unexpected++;
        });
      }
    }),
  );
}

const MiB = 1024 * 1024;
const samples = [];
const started = Date.now();
process.stdout.write(`soak: ${ROUNDS} rounds of ${PER_ROUND} requests, concurrency ${CONCURRENCY}\n`);
await round(Math.min(PER_ROUND, 2_000)); // warm-up: JIT, pools, first store entries
await sleep(1_500);
samples.push({ requests: 0, ...(await probe(junction)) });
for (let r = 1; r <= ROUNDS; r++) {
  const t0 = Date.now();
  await round(PER_ROUND);
  const seconds = (Date.now() - t0) / 1000;
  await sleep(1_500); // usage-log batches and log writes settle
  const memory = await probe(junction);
  samples.push({ requests: r * PER_ROUND, seconds, ...memory });
  process.stdout.write(
    `round ${r}: ${(PER_ROUND / seconds).toFixed(0)} req/s, heap ${(memory.heapUsed / MiB).toFixed(1)} MiB, rss ${(memory.rss / MiB).toFixed(1)} MiB\n`,
  );
}
await agent.close();

const unexpected = [...tally].filter(([, t]) => t.unexpected > 0);
const first = samples[1];
const last = samples.at(-1);
// Growth over the second half of the run, after the bounded store has had time to fill.
const mid = samples[Math.max(1, Math.floor((samples.length - 1) / 2))];
const perThousand = (a, b, field) =>
  ((b[field] - a[field]) / ((b.requests - a.requests) / 1000) / 1024).toFixed(2);
const f = (bytes) => (bytes / MiB).toFixed(1);
const lines = [
  '# Memory under sustained load',
  '',
  '> Generated by `bench/soak.mjs`; do not edit by hand. Junction served rounds of mixed requests; after each',
  '> round the soak had it run a full garbage collection (`--expose-gc`, `bench/gc-probe.mjs`) and read its',
  '> memory, so the heap figures are live memory, not uncollected garbage.',
  '',
  '## Run',
  '',
  `* Date: ${new Date().toISOString()}`,
  `* Command: \`node bench/soak.mjs --rounds ${ROUNDS} --per-round ${PER_ROUND} --concurrency ${CONCURRENCY}\``,
  `* Machine: ${cpus().length} CPUs, ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 1024 ** 3)} GiB RAM; Node ${process.version}`,
  `* Duration: ${Math.round((Date.now() - started) / 1000)} s; Responses store: memory, \`max_bytes = ${STORE_MAX_BYTES}\` (${f(STORE_MAX_BYTES)} MiB)`,
  `* Traffic, in rotation: ${SCENARIOS.map((s) => s.name).join('; ')}.`,
  `* Every request got the status its scenario expects: ${unexpected.length === 0 ? 'yes' : `**no**: ${unexpected.map(([name, t]) => `${name} (${t.unexpected} of ${t.sent})`).join(', ')}`}`,
  '',
  '## Live memory after each round',
  '',
  '| Requests served | req/s in the round | heap used MiB | heap total MiB | external MiB | RSS MiB |',
  '|---:|---:|---:|---:|---:|---:|',
  ...samples.map(
    (s) =>
      `| ${s.requests === 0 ? 'after warm-up' : s.requests.toLocaleString('en-US')} | ${s.seconds ? (PER_ROUND / s.seconds).toFixed(0) : ''} | ${f(s.heapUsed)} | ${f(s.heapTotal)} | ${f(s.external)} | ${f(s.rss)} |`,
  ),
  '',
  `Heap growth: ${perThousand(first, last, 'heapUsed')} KiB per 1,000 requests from round 1 to round ${ROUNDS}, ` +
    `${perThousand(mid, last, 'heapUsed')} KiB per 1,000 over the second half (after round ${mid.requests / PER_ROUND}). ` +
    'Stored Responses fill the memory store to its bound early; from then on the store evicts its least ' +
    'recently used records, so growth in the second half is what everything else keeps per request.',
  '',
];
writeFileSync(args.out, `${lines.join('\n')}\n`);
process.stdout.write(`wrote ${args.out}\n`);
if (unexpected.length > 0) {
  process.stderr.write(`unexpected statuses: ${JSON.stringify(Object.fromEntries(unexpected))}\n`);
  process.exitCode = 1;
}
process.exit();
