#!/usr/bin/env node
/**
 * Junction load benchmark: mock upstream, bare node:http proxy and Junction side by side, one session.
 *
 *   npm run bench                       build, then the full run (10 s per cell)
 *   node bench/run.mjs --quick          3 s per cell (smoke test; numbers are rough)
 *
 * Options:
 *   --duration S      seconds per measured cell (default 10; --quick: 3)
 *   --warmup S        seconds of warm-up load per target before its cells (default 3; --quick: 1)
 *   --connections N   concurrency of the throughput cells (default 64)
 *   --rounds N        repeat the whole matrix N times and report the median of each cell (default 1)
 *   --log-level L     JUNCTION_LOG_LEVEL for the gateway (default info: one JSON line per request,
 *                     written to /dev/null so the log is produced but costs no terminal)
 *   --only a,b        run only these target ids (direct, bare, minimal, junction-fast, junction-translated,
 *                     junction-failover, junction-governed, junction-governed-redis, direct-anthropic,
 *                     bare-anthropic); for profiling and debugging
 *   --modes json,stream  which client modes to run (default both); for profiling and debugging
 *   --cpu-prof        run Junction and the bare proxy under `node --cpu-prof`; profiles land in
 *                     bench/results/prof/{junction,bare}/ (summarise with bench/summarize-cpuprofile.mjs)
 *   --no-docs         do not rewrite docs/benchmarks.md (raw JSON is still written)
 *   --report-only     rewrite docs/benchmarks.md from bench/results/latest.json without measuring
 *   --junction-cli P  run this gateway entry point instead of dist/cli.js (A/B experiments on a copy)
 *   --mock-cpu N      pin the mock to CPU N instead of the servers' CPU (profiling: leaves the proxy
 *                     alone on its core, so sampled time is its own CPU time); implies --no-docs
 *
 * junction-failover: an alias whose first target is a second mock that always answers 503 and whose second
 * is the normal mock, so every request pays one failed attempt before it is served (the circuit breaker is
 * configured never to open, or it would skip the dead target after five failures and measure nothing).
 *
 * junction-governed / junction-governed-redis: the fast path through a second (third) gateway with
 * governance on: a key with models, RPM, TPM, max concurrent and a budget (all far above the load, so
 * nothing is refused), a global request limit, pricing and the SQLite usage log; counters in memory or
 * in Redis (JUNCTION_BENCH_REDIS_URL, default redis://127.0.0.1:6379; skipped when unreachable; Redis's
 * own CPU is not counted).
 *
 * Load generator: this process, pinned to CPU 0. Servers (mocks, bare proxy, Junction): CPU 1.
 * Concurrency-1 latency uses a sequential undici client with microsecond timing (autocannon's
 * histogram has 1 ms resolution, too coarse for a 0.5 ms target); concurrency-64 throughput uses
 * autocannon. Writes bench/results/latest.json and docs/benchmarks.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Client } from 'undici';
import { freePort } from './free-port.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const DOC_PATH = join(ROOT, 'docs', 'benchmarks.md');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '1' },
    'log-level': { type: 'string', default: 'info' },
    only: { type: 'string' },
    modes: { type: 'string', default: 'json,stream' },
    'cpu-prof': { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    'junction-cli': { type: 'string', default: 'dist/cli.js' },
    'mock-cpu': { type: 'string' },
    'report-only': { type: 'boolean', default: false },
  },
});
const DURATION_S = Number(args.duration ?? (args.quick ? 3 : 10));
const WARMUP_S = Number(args.warmup ?? (args.quick ? 1 : 3));
const CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds);
const LOG_LEVEL = args['log-level'];
const ONLY = args.only ? new Set(args.only.split(',')) : undefined;
const MODES = args.modes.split(',').map((m) => m === 'stream');

const TARGETS = {
  fast: 0.8,
  translated: 0.6,
  addedP50Ms: 0.5,
};

// ---- processes ----------------------------------------------------------------------------------
const children = [];
const HAS_TASKSET = commandExists('taskset') && cpus().length >= 2;
const SERVER_CPU = '1';
const CLIENT_CPU = '0';

function commandExists(name) {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function pinSelf() {
  if (!HAS_TASKSET) return false;
  // -a: every thread of this process (libuv pool, V8 helpers), not just the main one.
  execFileSync('taskset', ['-a', '-cp', CLIENT_CPU, String(process.pid)], { stdio: 'ignore' });
  return true;
}

function startServer(name, nodeArgs, { env = {}, quietStdout = false, cpu = SERVER_CPU } = {}) {
  const command = HAS_TASKSET ? 'taskset' : process.execPath;
  const argv = HAS_TASKSET ? ['-c', cpu, process.execPath, ...nodeArgs] : nodeArgs;
  const stdout = quietStdout ? openSync('/dev/null', 'w') : 'pipe';
  // taskset execs the command, so the child pid is the server's own pid.
  const child = spawn(command, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout, 'pipe'],
  });
  const proc = { name, child, pid: child.pid, stderr: '' };
  child.stderr.on('data', (d) => {
    proc.stderr = (proc.stderr + d.toString()).slice(-8000);
  });
  children.push(proc);
  return proc;
}

function waitForLine(proc, pattern, timeoutMs = 15_000) {
  return new Promise((resolvePromise, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => reject(new Error(`${proc.name} did not start within ${timeoutMs} ms:\n${proc.stderr}`)),
      timeoutMs,
    );
    proc.child.stdout.on('data', (d) => {
      buffered += d.toString();
      const match = buffered.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolvePromise(match);
      }
    });
    proc.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${proc.name} exited with code ${code}:\n${proc.stderr}`));
    });
  });
}

async function waitForHealth(proc, url, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  proc.child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${proc.name} exited during start-up:\n${proc.stderr}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${proc.name} not healthy at ${url} within ${timeoutMs} ms:\n${proc.stderr}`);
}

async function stopAll() {
  await Promise.all(
    children.map(
      (proc) =>
        new Promise((resolvePromise) => {
          if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolvePromise();
          const timer = setTimeout(() => {
            proc.child.kill('SIGKILL');
            resolvePromise();
          }, 5000);
          proc.child.once('exit', () => {
            clearTimeout(timer);
            resolvePromise();
          });
          proc.child.kill('SIGTERM');
        }),
    ),
  );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- /proc readings -----------------------------------------------------------------------------
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** user + system CPU time of a process, in microseconds. */
function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? Number.NaN);
  return { peakRssMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 };
}

function machineInfo() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? 'unknown';
  const mhz = cpuinfo.match(/^cpu MHz\s*:\s*(.+)$/m)?.[1]?.trim();
  let nproc = String(cpus().length);
  try {
    nproc = execFileSync('nproc').toString().trim();
  } catch {
    // os.cpus() is close enough
  }
  const memKb = Number(readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+)/m)?.[1] ?? 0);
  return {
    cpuModel: model,
    cpuMhz: mhz ? Number(mhz) : undefined,
    nproc: Number(nproc),
    memoryGiB: Math.round(memKb / 1024 / 1024),
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    node: process.version,
    autocannon: readJson(join(ROOT, 'node_modules', 'autocannon', 'package.json')).version,
    undici: readJson(join(ROOT, 'node_modules', 'undici', 'package.json')).version,
    fastify: readJson(join(ROOT, 'node_modules', 'fastify', 'package.json')).version,
  };
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// ---- requests -----------------------------------------------------------------------------------
const SYSTEM_PROMPT = 'You are a helpful assistant. Answer in one sentence.';
const USER_PROMPT = 'Invent a new holiday and describe its traditions.';

function openaiBody(model, stream) {
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: USER_PROMPT },
    ],
    max_tokens: 256,
    temperature: 0.7,
    stream,
    ...(stream ? { stream_options: { include_usage: true } } : {}),
  });
}

/** What Junction's Anthropic adapter sends upstream (it always streams): the floor for the translated path. */
function anthropicBody(model) {
  return JSON.stringify({
    model,
    max_tokens: 256,
    system: SYSTEM_PROMPT,
    messages: [{ role: 'user', content: [{ type: 'text', text: USER_PROMPT }] }],
    temperature: 0.7,
    stream: true,
  });
}

/**
 * One measured path. `mode` is 'json' or 'stream' for the client's OpenAI request; Anthropic-wire
 * paths always stream (that is what Junction's translated path does upstream), so they run once.
 */
function defineTargets(urls, { all = false } = {}) {
  const auth = { authorization: 'Bearer bench-key', 'content-type': 'application/json' };
  const anthropicHeaders = {
    'content-type': 'application/json',
    'x-api-key': 'bench',
    'anthropic-version': '2023-06-01',
  };
  return [
    {
      id: 'direct',
      label: 'direct to mock',
      wire: 'openai',
      url: `${urls.mock}/v1/chat/completions`,
      headers: auth,
      body: (stream) => openaiBody('gpt-4.1-mini', stream),
    },
    {
      id: 'bare',
      label: 'bare node:http proxy',
      wire: 'openai',
      url: `${urls.bare}/v1/chat/completions`,
      headers: auth,
      body: (stream) => openaiBody('gpt-4.1-mini', stream),
    },
    {
      id: 'minimal',
      label: 'minimal Node gateway (auth, model rewrite, usage read, one log line, two metrics)',
      wire: 'openai',
      url: `${urls.minimal}/v1/chat/completions`,
      headers: auth,
      body: (stream) => openaiBody('fast', stream),
      expectProvider: 'oai',
    },
    {
      id: 'junction-fast',
      label: 'Junction fast path (OpenAI → OpenAI)',
      wire: 'openai',
      url: `${urls.junction}/v1/chat/completions`,
      headers: auth,
      body: (stream) => openaiBody('fast', stream),
      expectProvider: 'oai',
    },
    {
      id: 'junction-translated',
      label: 'Junction translated (OpenAI → Anthropic)',
      wire: 'openai',
      url: `${urls.junction}/v1/chat/completions`,
      headers: auth,
      body: (stream) => openaiBody('translated', stream),
      expectProvider: 'claude',
    },
    {
      id: 'junction-failover',
      label: 'Junction failover (503 from the first target, then the fast path)',
      wire: 'openai',
      url: `${urls.junction}/v1/chat/completions`,
      headers: auth,
      body: (stream) => openaiBody('failover', stream),
      expectProvider: 'oai',
      // One failed attempt on the dead target, then the answer: proves every request really fails over.
      expectAttempts: '2',
    },
    ...['junction-governed', 'junction-governed-redis']
      .filter((id) => urls[id] !== undefined || all)
      .map((id) => ({
        id,
        label: `Junction governed, ${id.endsWith('redis') ? 'Redis' : 'memory'} counters (fast path)`,
        wire: 'openai',
        url: `${urls[id]}/v1/chat/completions`,
        headers: auth,
        body: (stream) => openaiBody('fast', stream),
        expectProvider: 'oai',
      })),
    {
      id: 'direct-anthropic',
      label: 'direct to mock, Anthropic stream',
      wire: 'anthropic',
      url: `${urls.mock}/v1/messages`,
      headers: anthropicHeaders,
      body: () => anthropicBody('claude-sonnet-4-5'),
    },
    {
      id: 'bare-anthropic',
      label: 'bare proxy, Anthropic stream (translated floor)',
      wire: 'anthropic',
      url: `${urls.bare}/v1/messages`,
      headers: anthropicHeaders,
      body: () => anthropicBody('claude-sonnet-4-5'),
    },
  ].filter((t) => all || !ONLY || ONLY.has(t.id));
}

/** Text, usage and framing the client received, so a cell never measures an error page. */
function inspectResponse(wire, stream, status, headers, text) {
  if (status !== 200) return { ok: false, problem: `HTTP ${status}: ${text.slice(0, 300)}` };
  if (wire === 'anthropic') {
    const deltas = [...text.matchAll(/"type":"text_delta","text":"((?:[^"\\]|\\.)*)"/g)].map((m) =>
      JSON.parse(`"${m[1]}"`),
    );
    const ok = text.includes('event: message_stop') && deltas.length === 20;
    return {
      ok,
      text: deltas.join(''),
      chunks: deltas.length,
      problem: ok ? undefined : 'incomplete Anthropic stream',
    };
  }
  if (!stream) {
    const body = JSON.parse(text);
    return {
      ok: true,
      text: body.choices?.[0]?.message?.content,
      outputTokens: body.usage?.completion_tokens,
      provider: headers['x-junction-provider'],
      attempts: headers['x-junction-attempts'],
    };
  }
  const events = text
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6));
  if (events.at(-1) !== '[DONE]') return { ok: false, problem: 'stream did not end with [DONE]' };
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
  const pieces = chunks
    .map((c) => c.choices?.[0]?.delta?.content)
    .filter((c) => typeof c === 'string' && c !== '');
  const usage = chunks.find((c) => c.usage)?.usage;
  return {
    ok: true,
    text: pieces.join(''),
    chunks: pieces.length,
    outputTokens: usage?.completion_tokens,
    provider: headers['x-junction-provider'],
    attempts: headers['x-junction-attempts'],
  };
}

async function fetchOnce(target, stream) {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: target.headers,
    body: target.body(stream),
  });
  const text = await response.text();
  const headers = Object.fromEntries(response.headers);
  return { status: response.status, headers, text };
}

/** Checks a target answers correctly before it is measured; returns facts worth reporting. */
async function validate(target, stream, reference) {
  const { status, headers, text } = await fetchOnce(target, stream);
  const seen = inspectResponse(target.wire, stream, status, headers, text);
  const problems = [];
  if (!seen.ok) problems.push(seen.problem);
  if (seen.ok && reference && seen.text !== reference.text)
    problems.push(`text ${JSON.stringify(seen.text)} != ${JSON.stringify(reference.text)}`);
  if (seen.ok && target.wire === 'openai' && seen.outputTokens !== 20)
    problems.push(`usage.completion_tokens ${seen.outputTokens}, expected 20`);
  if (target.expectProvider && seen.provider !== target.expectProvider)
    problems.push(`x-junction-provider ${seen.provider}, expected ${target.expectProvider}`);
  if (target.expectAttempts && seen.attempts !== target.expectAttempts)
    problems.push(`x-junction-attempts ${seen.attempts}, expected ${target.expectAttempts}`);
  if (problems.length > 0)
    throw new Error(`${target.id} (${stream ? 'stream' : 'json'}) answered wrongly: ${problems.join('; ')}`);
  // The fast path relays upstream bytes: a non-stream answer must be byte-identical to the mock's own.
  const identicalToDirect = reference?.raw !== undefined ? text === reference.raw : undefined;
  return { ...seen, raw: text, identicalToDirect };
}

// ---- measurements -------------------------------------------------------------------------------
/** Concurrency 1: sequential requests over one keep-alive connection, microsecond timing. */
async function measureLatency(target, stream, durationS) {
  const url = new URL(target.url);
  const client = new Client(url.origin, { pipelining: 1, keepAliveTimeout: 60_000 });
  const body = target.body(stream);
  const totals = [];
  const firstBytes = [];
  let failures = 0;
  const deadline = performance.now() + durationS * 1000;
  try {
    while (performance.now() < deadline) {
      const start = process.hrtime.bigint();
      const response = await client.request({
        method: 'POST',
        path: url.pathname,
        headers: target.headers,
        body,
      });
      let first;
      for await (const _chunk of response.body) {
        if (first === undefined) first = process.hrtime.bigint();
      }
      const end = process.hrtime.bigint();
      if (response.statusCode !== 200) {
        failures += 1;
        continue;
      }
      totals.push(Number(end - start) / 1000);
      firstBytes.push(Number((first ?? end) - start) / 1000);
    }
  } finally {
    await client.close();
  }
  totals.sort((a, b) => a - b);
  firstBytes.sort((a, b) => a - b);
  const ms = (us) => us / 1000;
  return {
    requests: totals.length,
    failures,
    p50Ms: ms(percentile(totals, 50)),
    p90Ms: ms(percentile(totals, 90)),
    p99Ms: ms(percentile(totals, 99)),
    meanMs: ms(totals.reduce((a, b) => a + b, 0) / Math.max(1, totals.length)),
    firstByteP50Ms: ms(percentile(firstBytes, 50)),
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

function runAutocannon(target, stream, durationS, connections) {
  return new Promise((resolvePromise, reject) => {
    autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: target.headers,
        body: target.body(stream),
        connections,
        pipelining: 1,
        duration: durationS,
        timeout: 30,
      },
      (error, result) => (error ? reject(error) : resolvePromise(result)),
    );
  });
}

/** Concurrency N: autocannon, plus the CPU each server process and this client spent per request. */
async function measureThroughput(target, stream, durationS, connections, pids) {
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMicros(pid)]));
  const clientBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result = await runAutocannon(target, stream, durationS, connections);
  const wallS = (performance.now() - wallBefore) / 1000;
  const client = process.cpuUsage(clientBefore);
  const ok = result['2xx'];
  const cpuPerRequestUs = {};
  for (const [name, pid] of Object.entries(pids))
    cpuPerRequestUs[name] = ok > 0 ? (cpuMicros(pid) - cpuBefore[name]) / ok : Number.NaN;
  return {
    requests: ok,
    rps: ok / result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    cpuPerRequestUs,
    clientCpuPct: ((client.user + client.system) / 1000 / (wallS * 1000)) * 100,
  };
}

// ---- the session --------------------------------------------------------------------------------
function junctionConfig(ports) {
  return `# Written by bench/run.mjs for one benchmark session.
[server]
listen = "127.0.0.1:${ports.junction}"

[[keys]]
name = "bench"
key = "bench-key"

[providers.oai]
type = "openai"
base_url = "http://127.0.0.1:${ports.mock}/v1"
api_key = "sk-bench"

[providers.claude]
type = "anthropic"
base_url = "http://127.0.0.1:${ports.mock}"
api_key = "bench"

[[models]]
alias = "fast"
targets = ["oai/gpt-4.1-mini"]

[[models]]
alias = "translated"
targets = ["claude/claude-sonnet-4-5"]

# junction-failover: the first target always answers 503, so every request fails over to the second.
[providers.oai-down]
type = "openai"
base_url = "http://127.0.0.1:${ports.mockFail}/v1"
api_key = "sk-bench"

[[models]]
alias = "failover"
targets = ["oai-down/gpt-4.1-mini", "oai/gpt-4.1-mini"]

# Never open a circuit: an open one would skip the dead target and the scenario would measure nothing.
# (Only the failover scenario ever fails, so this changes nothing for the other paths.)
[routing]
breaker = { consecutive_failures = 1000000000, failure_rate = 1 }

# The plain path: no usage log (junction-governed measures it, with the other governance stages).
[usage]
enabled = false
`;
}

/** junction-governed: every per-request governance step on, no limit ever reached. */
function governedConfig(port, mockPort, dataDir, redisUrl) {
  return `# Written by bench/run.mjs for one benchmark session.
[server]
listen = "127.0.0.1:${port}"
data_dir = "${dataDir}"

[[keys]]
name = "bench"
key = "bench-key"
models = ["fast"]
rpm = 100000000
tpm = 1000000000000
max_concurrent = 100000
budget = { usd = 1000000000, period = "total" }

[limits]
backend = "${redisUrl ? 'redis' : 'memory'}"
${redisUrl ? `url = "${redisUrl}"\nkey_prefix = "junction-bench-${process.pid}-${Date.now()}:"` : ''}
requests_per_window = 1000000000
window = "1m"

[providers.oai]
type = "openai"
base_url = "http://127.0.0.1:${mockPort}/v1"
api_key = "sk-bench"

[[models]]
alias = "fast"
targets = ["oai/gpt-4.1-mini"]
`;
}

/** Whether something accepts TCP connections at a redis:// URL (within a second). */
function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolvePromise) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of every numeric field across rounds (nested one level for cpuPerRequestUs). */
function combineRounds(rounds) {
  const out = {};
  for (const key of Object.keys(rounds[0])) {
    const first = rounds[0][key];
    if (typeof first === 'number') out[key] = median(rounds.map((r) => r[key]));
    else if (first && typeof first === 'object') out[key] = combineRounds(rounds.map((r) => r[key]));
    else out[key] = first;
  }
  if (rounds.length > 1) out.rounds = rounds;
  return out;
}

async function main() {
  const machine = machineInfo(); // before pinning: nproc reports the CPUs this process may use
  const loadAtStart = loadavg()[0];
  const pinned = pinSelf();
  const ports = {
    mock: await freePort(),
    mockFail: await freePort(),
    bare: await freePort(),
    minimal: await freePort(),
    junction: await freePort(),
  };
  const urls = {
    mock: `http://127.0.0.1:${ports.mock}`,
    bare: `http://127.0.0.1:${ports.bare}`,
    minimal: `http://127.0.0.1:${ports.minimal}`,
    junction: `http://127.0.0.1:${ports.junction}`,
  };
  // The governed gateways run only when selected; the Redis one only when Redis answers.
  const redisUrl = process.env.JUNCTION_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const governed = [];
  for (const [id, redis] of [
    ['junction-governed', undefined],
    ['junction-governed-redis', redisUrl],
  ]) {
    if (ONLY && !ONLY.has(id)) continue;
    if (redis && !(await reachable(redis))) {
      log(`${id}: skipped, no Redis at ${redis} (set JUNCTION_BENCH_REDIS_URL)`);
      continue;
    }
    const port = await freePort();
    urls[id] = `http://127.0.0.1:${port}`;
    governed.push({ id, port, redis });
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const configDir = mkdtempSync(join(tmpdir(), 'junction-bench-'));
  const configPath = join(configDir, 'junction.toml');
  writeFileSync(configPath, junctionConfig(ports));

  log(
    `machine: ${machine.nproc} CPUs (${machine.cpuModel}), node ${machine.node}; pinning: ${pinned ? `client CPU ${CLIENT_CPU}, servers CPU ${SERVER_CPU}` : 'none (taskset or 2nd CPU missing)'}`,
  );
  const mock = startServer('mock-upstream', ['bench/mock-upstream.mjs', '--port', String(ports.mock)], {
    cpu: args['mock-cpu'] ?? SERVER_CPU,
  });
  await waitForLine(mock, /listening on (http:\/\/\S+)/);
  const targets = defineTargets(urls);
  const failover = targets.some((target) => target.id === 'junction-failover');
  // The dead upstream of junction-failover, on the same core as the live one: its cost is part of failing over.
  const mockFail = failover
    ? startServer(
        'mock-upstream-503',
        ['bench/mock-upstream.mjs', '--port', String(ports.mockFail), '--fail-status', '503'],
        { cpu: args['mock-cpu'] ?? SERVER_CPU },
      )
    : undefined;
  if (mockFail) await waitForLine(mockFail, /listening on (http:\/\/\S+)/);
  const profDir = join(RESULTS_DIR, 'prof');
  const profile = (name) => (args['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', join(profDir, name)] : []);
  const bare = startServer('bare-proxy', [
    ...profile('bare'),
    'bench/bare-proxy.mjs',
    '--port',
    String(ports.bare),
    '--upstream',
    urls.mock,
  ]);
  await waitForLine(bare, /listening on (http:\/\/\S+)/);
  const minimal = startServer('minimal-gateway', [
    ...profile('minimal'),
    'bench/minimal-gateway.mjs',
    '--port',
    String(ports.minimal),
    '--upstream',
    urls.mock,
    '--key',
    'bench-key',
  ]);
  await waitForLine(minimal, /listening on (http:\/\/\S+)/);
  const junction = startServer(
    'junction',
    [...profile('junction'), args['junction-cli'], '--config', configPath],
    {
      env: { JUNCTION_LOG_LEVEL: LOG_LEVEL },
      quietStdout: true,
    },
  );
  await waitForHealth(junction, `${urls.junction}/healthz`);
  const governedPids = {};
  for (const { id, port, redis } of governed) {
    const path = join(configDir, `${id}.toml`);
    writeFileSync(path, governedConfig(port, ports.mock, join(configDir, `${id}-data`), redis));
    const server = startServer(id, [...profile(id), args['junction-cli'], '--config', path], {
      env: { JUNCTION_LOG_LEVEL: LOG_LEVEL },
      quietStdout: true,
    });
    await waitForHealth(server, `${urls[id]}/healthz`);
    governedPids[id] = server.pid;
    log(`${id} ${urls[id]} (pid ${server.pid}${redis ? `, counters in ${redis}` : ', counters in memory'})`);
  }
  log(
    `mock ${urls.mock} (pid ${mock.pid}), bare proxy ${urls.bare} (pid ${bare.pid}), Junction ${urls.junction} (pid ${junction.pid}, log level ${LOG_LEVEL} → /dev/null)`,
  );

  if (mockFail) log(`failing mock (always 503) http://127.0.0.1:${ports.mockFail} (pid ${mockFail.pid})`);
  const pids = {
    mock: mock.pid,
    ...(mockFail ? { mockFail: mockFail.pid } : {}),
    bare: bare.pid,
    minimal: minimal.pid,
    junction: junction.pid,
    ...governedPids,
  };
  const modes = MODES;

  // Correctness first: every path must return the mock's exact text and usage.
  const checks = {};
  const references = {};
  for (const stream of [false, true]) {
    const direct = defineTargets(urls, { all: true })[0];
    references[stream] = await validate(direct, stream);
    if (stream) delete references[stream].raw; // SSE bytes legitimately differ (Junction may re-frame)
  }
  const anthropicRef = { text: references[false].text };
  for (const target of targets) {
    for (const stream of target.wire === 'anthropic' ? [true] : modes) {
      const reference = target.wire === 'anthropic' ? anthropicRef : references[stream];
      const seen = await validate(target, stream, reference);
      checks[`${target.id}/${stream ? 'stream' : 'json'}`] = {
        text: seen.text,
        chunks: seen.chunks,
        outputTokens: seen.outputTokens,
        provider: seen.provider,
        identicalToDirect: seen.identicalToDirect,
      };
    }
  }
  log('all paths answer correctly (same text and usage as the mock)');

  // Requests each path served, warm-ups included: divides a CPU profile's time into µs per request.
  const served = {};
  const rounds = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const cells = {};
    for (const target of targets) {
      for (const stream of target.wire === 'anthropic' ? [true] : modes) {
        const key = `${target.id}/${stream ? 'stream' : 'json'}`;
        log(
          `[round ${round + 1}/${ROUNDS}] ${key}: warm-up ${WARMUP_S}s, latency c1 ${DURATION_S}s, throughput c${CONNECTIONS} ${DURATION_S}s`,
        );
        const warm = await runAutocannon(target, stream, WARMUP_S, CONNECTIONS);
        served[target.id] = (served[target.id] ?? 0) + warm['2xx'] + warm.non2xx;
        await sleep(200);
        const latency = await measureLatency(target, stream, DURATION_S);
        await sleep(200);
        const throughput = await measureThroughput(target, stream, DURATION_S, CONNECTIONS, pids);
        if (throughput.non2xx > 0 || throughput.errors > 0 || latency.failures > 0) {
          throw new Error(
            `${key}: ${throughput.non2xx} non-2xx, ${throughput.errors} errors, ${latency.failures} failed latency requests under load`,
          );
        }
        log(
          `    c1 p50 ${latency.p50Ms.toFixed(3)} ms p99 ${latency.p99Ms.toFixed(3)} ms | c${CONNECTIONS} ${throughput.rps.toFixed(0)} req/s, client CPU ${throughput.clientCpuPct.toFixed(0)}%`,
        );
        served[target.id] =
          (served[target.id] ?? 0) +
          latency.requests +
          latency.failures +
          throughput.requests +
          throughput.non2xx;
        cells[key] = { latency, throughput };
      }
    }
    rounds.push(cells);
  }
  const cells = {};
  for (const key of Object.keys(rounds[0])) {
    cells[key] = {
      latency: combineRounds(rounds.map((r) => r[key].latency)),
      throughput: combineRounds(rounds.map((r) => r[key].throughput)),
    };
  }

  const memory = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, memoryOf(pid)]));
  await stopAll();

  const results = {
    date: new Date().toISOString(),
    command: commandLine(),
    machine,
    settings: {
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      connections: CONNECTIONS,
      rounds: ROUNDS,
      logLevel: LOG_LEVEL,
      auth: true,
      pinned,
      clientCpu: pinned ? CLIENT_CPU : undefined,
      serverCpu: pinned ? SERVER_CPU : undefined,
      cpuProfile: args['cpu-prof'],
      junctionCli: args['junction-cli'],
      mockCpu: args['mock-cpu'] ?? (pinned ? SERVER_CPU : undefined),
      // 1-minute load average: how busy the neighbours were (this run adds about 2 while measuring).
      loadAverage: { start: loadAtStart, end: loadavg()[0] },
    },
    checks,
    served,
    cells,
    memory,
  };
  results.summary = summarize(cells);
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  log(`raw results: ${join('bench', 'results', 'latest.json')}`);
  const standard =
    !ONLY &&
    MODES.length === 2 &&
    !args['mock-cpu'] &&
    args['junction-cli'] === 'dist/cli.js' &&
    !args['cpu-prof'];
  if (!args['no-docs'] && standard) {
    writeFileSync(DOC_PATH, renderMarkdown(results));
    log(`report: docs/benchmarks.md`);
  }
  printSummary(results.summary);
  printFailoverCost(cells);
  printGovernanceCost(cells);
  if (args['cpu-prof']) {
    const junctionServed = Object.entries(served)
      .filter(([id]) => id.startsWith('junction'))
      .reduce((a, [, n]) => a + n, 0);
    log(
      `profiles in bench/results/prof/; Junction served ${junctionServed} requests, bare proxy ${(served.bare ?? 0) + (served['bare-anthropic'] ?? 0)}`,
    );
    log(
      `  node bench/summarize-cpuprofile.mjs bench/results/prof/junction/*.cpuprofile --requests ${junctionServed}`,
    );
  }
}

function commandLine() {
  const extra = process.argv.slice(2).join(' ');
  const defaults = process.env.npm_lifecycle_event === 'bench';
  return defaults
    ? `npm run bench${extra ? ` -- ${extra}` : ''}`
    : `node bench/run.mjs${extra ? ` ${extra}` : ''}`;
}

// ---- verdicts -----------------------------------------------------------------------------------
/** Each cell as measured in round i (the combined cell keeps its rounds when there were several). */
function roundsOf(cells) {
  const count = Math.max(1, ...Object.values(cells).map((c) => c.throughput.rounds?.length ?? 1));
  return Array.from({ length: count }, (_, i) =>
    Object.fromEntries(
      Object.entries(cells).map(([key, c]) => [
        key,
        { latency: c.latency.rounds?.[i] ?? c.latency, throughput: c.throughput.rounds?.[i] ?? c.throughput },
      ]),
    ),
  );
}

/**
 * Verdicts. With several rounds, each ratio is computed within its round (the two paths were measured
 * a minute apart, under the same neighbours) and the median of those per-round ratios is reported.
 */
function summarize(cells) {
  const perRound = roundsOf(cells).map((round) => summarizeOnce(round));
  return perRound[0].map((row, i) => {
    const values = perRound.map((rows) => rows[i].value);
    const value = median(values);
    const pass = row.kind === 'ratio-min' ? value >= row.goal : value <= row.goal;
    return { ...row, value, pass, ...(values.length > 1 ? { perRound: values } : {}) };
  });
}

/**
 * Requests/s one core would serve for a path if it had the core to itself: 1 / (proxy + mock CPU per
 * request). The ratio of two of these ignores how much of the core the neighbours took during each cell.
 */
function capacity(cell, proxy) {
  const cpu = cell.throughput.cpuPerRequestUs;
  return 1e6 / (cpu[proxy] + cpu.mock);
}

function summarizeOnce(cells) {
  const get = (key) => cells[key];
  const out = [];
  for (const mode of ['json', 'stream']) {
    const bare = get(`bare/${mode}`);
    const fast = get(`junction-fast/${mode}`);
    const translated = get(`junction-translated/${mode}`);
    const bareAnthropic = get('bare-anthropic/stream');
    const minimal = get(`minimal/${mode}`);
    if (bare && minimal) {
      // Not Junction: the fast-path goal applied to the least a gateway with auth and usage accounting
      // does, to show what the goal asks of any Node gateway on this machine.
      out.push({
        id: `minimal-rps-${mode}`,
        what: `Reference, not Junction: minimal Node gateway req/s ÷ bare proxy req/s (${modeLabel(mode)})`,
        value: minimal.throughput.rps / bare.throughput.rps,
        goal: TARGETS.fast,
        kind: 'ratio-min',
      });
    }
    if (bare && fast) {
      out.push({
        id: `fast-rps-${mode}`,
        what: `Fast path req/s ÷ bare proxy req/s (${modeLabel(mode)})`,
        value: fast.throughput.rps / bare.throughput.rps,
        goal: TARGETS.fast,
        kind: 'ratio-min',
      });
      out.push({
        id: `fast-cpu-${mode}`,
        what: `Fast path, CPU-derived: (bare + mock CPU/req) ÷ (Junction + mock CPU/req) (${modeLabel(mode)})`,
        value: capacity(fast, 'junction') / capacity(bare, 'bare'),
        goal: TARGETS.fast,
        kind: 'ratio-min',
      });
      out.push({
        id: `fast-p50-${mode}`,
        what: `Fast path added p50 latency vs bare proxy, c1 (${modeLabel(mode)})`,
        value: fast.latency.p50Ms - bare.latency.p50Ms,
        goal: TARGETS.addedP50Ms,
        kind: 'ms-max',
      });
    }
    if (translated && bareAnthropic) {
      out.push({
        id: `translated-rps-${mode}`,
        what: `Translated req/s ÷ bare proxy req/s on the same upstream exchange (Anthropic stream) (${modeLabel(mode)})`,
        value: translated.throughput.rps / bareAnthropic.throughput.rps,
        goal: TARGETS.translated,
        kind: 'ratio-min',
      });
      out.push({
        id: `translated-cpu-${mode}`,
        what: `Translated, CPU-derived, same upstream exchange (${modeLabel(mode)})`,
        value: capacity(translated, 'junction') / capacity(bareAnthropic, 'bare'),
        goal: TARGETS.translated,
        kind: 'ratio-min',
      });
    }
    if (translated && bare) {
      out.push({
        id: `translated-rps-vs-openai-bare-${mode}`,
        what: `Translated req/s ÷ bare proxy req/s on the OpenAI mock (${modeLabel(mode)})`,
        value: translated.throughput.rps / bare.throughput.rps,
        goal: TARGETS.translated,
        kind: 'ratio-min',
      });
    }
  }
  return out;
}

/**
 * What failing over costs: junction-failover against junction-fast, per mode. Each failover request makes
 * two upstream attempts (a 503, then the answer), so this is the price of one failed attempt.
 */
function failoverCost(cells) {
  const out = [];
  for (const mode of ['json', 'stream']) {
    const fast = cells[`junction-fast/${mode}`];
    const failover = cells[`junction-failover/${mode}`];
    if (!fast || !failover) continue;
    out.push({
      mode,
      p50Ratio: failover.latency.p50Ms / fast.latency.p50Ms,
      p50AddedMs: failover.latency.p50Ms - fast.latency.p50Ms,
      p99Ratio: failover.latency.p99Ms / fast.latency.p99Ms,
      rpsRatio: failover.throughput.rps / fast.throughput.rps,
      junctionCpuRatio:
        failover.throughput.cpuPerRequestUs.junction / fast.throughput.cpuPerRequestUs.junction,
      failingMockCpuUs: failover.throughput.cpuPerRequestUs.mockFail,
    });
  }
  return out;
}

function printFailoverCost(cells) {
  for (const row of failoverCost(cells)) {
    log(
      `failover vs fast path (${modeLabel(row.mode)}): c1 p50 ×${row.p50Ratio.toFixed(2)} (${row.p50AddedMs >= 0 ? '+' : ''}${row.p50AddedMs.toFixed(3)} ms), p99 ×${row.p99Ratio.toFixed(2)}; c${CONNECTIONS} req/s ×${row.rpsRatio.toFixed(2)}; Junction CPU/req ×${row.junctionCpuRatio.toFixed(2)}`,
    );
  }
}

/** What governance costs on the fast path: each governed target against junction-fast, per mode. */
function printGovernanceCost(cells) {
  for (const id of ['junction-governed', 'junction-governed-redis']) {
    for (const mode of ['json', 'stream']) {
      const fast = cells[`junction-fast/${mode}`];
      const governed = cells[`${id}/${mode}`];
      if (!fast || !governed) continue;
      const added = governed.latency.p50Ms - fast.latency.p50Ms;
      log(
        `${id} vs fast path (${modeLabel(mode)}): c1 p50 ${added >= 0 ? '+' : ''}${added.toFixed(3)} ms; c${CONNECTIONS} req/s ×${(governed.throughput.rps / fast.throughput.rps).toFixed(2)}; gateway CPU/req ${Math.round(governed.throughput.cpuPerRequestUs[id])} µs vs ${Math.round(fast.throughput.cpuPerRequestUs.junction)} µs`,
      );
    }
  }
}

const modeLabel = (mode) => (mode === 'json' ? 'non-stream' : 'stream, 20 chunks');

function printSummary(summary) {
  for (const row of summary) {
    const value = row.kind === 'ratio-min' ? row.value.toFixed(2) : `${row.value.toFixed(3)} ms`;
    const goal = row.kind === 'ratio-min' ? `>= ${row.goal.toFixed(2)}` : `<= ${row.goal} ms`;
    const spread = row.perRound
      ? ` [rounds: ${row.perRound.map((v) => v.toFixed(row.kind === 'ratio-min' ? 2 : 3)).join(', ')}]`
      : '';
    log(`${row.pass ? 'PASS' : 'MISS'}  ${row.what}: ${value}${spread} (goal ${goal})`);
  }
}

// ---- report -------------------------------------------------------------------------------------
const f = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

const ROW_LABELS = {
  direct: 'direct to mock (reference)',
  bare: 'bare node:http proxy (floor)',
  minimal:
    'minimal Node gateway (`bench/minimal-gateway.mjs`: key check, model rewrite, usage read, one log line, two metrics; reference)',
  'junction-fast': '**Junction fast path** (OpenAI → OpenAI)',
  'junction-translated': '**Junction translated** (OpenAI client → Anthropic upstream)',
  'junction-failover': '**Junction failover** (503 from the first target, then the fast path)',
  'junction-governed':
    '**Junction governed**, memory counters (key limits, budget, pricing, SQLite usage log; fast path)',
  'junction-governed-redis': '**Junction governed**, Redis counters (as above, limits and budget in Redis)',
  'direct-anthropic': 'direct to mock, Anthropic stream (reference)',
  'bare-anthropic': 'bare proxy, Anthropic stream (floor for translated)',
};

function renderMarkdown(r) {
  const { machine: m, settings: s, cells } = r;
  const lines = [];
  const push = (...l) => lines.push(...l);
  push(
    '# Benchmarks',
    '',
    '<!-- Generated by bench/run.mjs; rerun `npm run bench` to refresh. Hand edits are overwritten. -->',
    '',
    'Junction versus the floor any Node gateway could reach: the same mock upstream reached directly, through a',
    'bare `node:http` proxy (undici pooled Agent, body forwarded and response piped back, no parsing) and through',
    `Junction with authentication and usage accounting on (log level \`${s.logLevel}\`, one JSON usage line per`,
    'request, written to `/dev/null`). The mock answers at once, so every number is proxy overhead, not model time.',
    '',
    '> **Read the ratios, not the absolute numbers.** This machine has 2 shared virtual cores: absolute req/s and',
    "> milliseconds move by tens of percent from one run to the next with the neighbours' load. All paths are",
    '> measured side by side in one session against the same mock, so their ratios are the signal.',
    '',
    '## Run',
    '',
    `* Date: ${r.date}`,
    `* Command: \`${r.command}\``,
    `* Machine: ${m.nproc} CPUs, ${m.cpuModel}${m.cpuMhz ? ` (${Math.round(m.cpuMhz)} MHz)` : ''}, ${m.memoryGiB} GiB RAM, Linux ${m.kernel}`,
    `* Software: Node ${m.node}, fastify ${m.fastify}, undici ${m.undici}, autocannon ${m.autocannon}`,
    ...(s.loadAverage
      ? [
          `* Neighbours: 1-minute load average ${f(s.loadAverage.start)} at the start and ${f(s.loadAverage.end)} at the end of the run (2 CPUs; the run itself adds about 2)`,
        ]
      : []),
    `* Pinning: ${s.pinned ? `load generator on CPU ${s.clientCpu}; mock, bare proxy and Junction on CPU ${s.serverCpu} (\`taskset\`)` : 'none (taskset missing or a single CPU): numbers are less trustworthy'}`,
    `* Per cell: ${s.warmupS} s warm-up at c${s.connections}, then ${s.durationS} s at concurrency 1 and ${s.durationS} s at concurrency ${s.connections}` +
      (s.rounds > 1
        ? `; the whole matrix ran ${s.rounds} times and each number is the median of the rounds`
        : ''),
    '* Concurrency 1: a sequential undici client on one keep-alive connection, timed in microseconds from',
    '  sending the request to the last body byte. Concurrency 64: autocannon 9 (its latency histogram has 1 ms',
    '  resolution, so its p50/p99 are coarse). Only 2xx answers count; any error fails the run.',
    '* Request: OpenAI chat, system + user message, `max_tokens` 256; stream adds `stream_options.include_usage`.',
    '  Answer: 20 text pieces (non-stream: one `chat.completion` with usage; stream: 20 content chunks, a finish',
    '  chunk, a usage chunk and `[DONE]`; Anthropic: `message_start` … 20 `content_block_delta` … `message_stop`).',
    "* Before measuring, every path was checked to return the mock's exact text and usage (20 output tokens)" +
      (r.checks['junction-fast/json']?.identicalToDirect
        ? "; the fast path's non-stream body is byte-identical to the mock's."
        : '.'),
    '',
    '## Targets',
    '',
    s.rounds > 1
      ? '| Target | Measured (median) | Per round | Goal | Verdict |'
      : '| Target | Measured | Goal | Verdict |',
    s.rounds > 1 ? '|---|---:|---:|---:|:---:|' : '|---|---:|---:|:---:|',
  );
  for (const row of r.summary) {
    const fmt = (v) => (row.kind === 'ratio-min' ? f(v) : `${v >= 0 ? '+' : ''}${f(v, 3)} ms`);
    const goal = row.kind === 'ratio-min' ? `≥ ${f(row.goal)}` : `≤ ${row.goal} ms`;
    const perRound = s.rounds > 1 ? ` ${(row.perRound ?? []).map(fmt).join(', ')} |` : '';
    push(`| ${row.what} | ${fmt(row.value)} |${perRound} ${goal} | ${row.pass ? 'PASS' : '**MISS**'} |`);
  }
  push(
    '',
    '*req/s ÷ bare proxy* is the measured ratio the goal is written for. *CPU-derived* is the same ratio computed',
    'from the CPU time each process spent per request (`/proc/<pid>/stat`): the requests/s one core would serve if',
    'the path had it alone, 1 / (proxy + mock CPU per request). It does not move with the neighbours, so when the two',
    'disagree, trust the CPU-derived one. With several rounds, every ratio is taken within its round and the median',
    'is reported.',
    '',
    'The translated verdict compares against the bare proxy relaying the same upstream exchange Junction performs',
    '(an Anthropic stream of 20 deltas, since Junction always streams from Anthropic); the line "on the OpenAI mock"',
    'compares against the bare proxy on the OpenAI mock, i.e. what the client would get from a native OpenAI upstream.',
    '',
  );

  for (const mode of ['json', 'stream']) {
    const bare = cells[`bare/${mode}`];
    push(`## Latency at concurrency 1, ${modeLabel(mode)}`, '');
    push(
      '| Path | p50 ms | p90 ms | p99 ms | mean ms | first byte p50 ms | p50 added vs bare proxy |',
      '|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const key of Object.keys(cells).filter((k) => k.endsWith(`/${mode}`) && !k.includes('anthropic'))) {
      const l = cells[key].latency;
      const id = key.split('/')[0];
      const added =
        bare && id !== 'direct' && id !== 'bare'
          ? `${l.p50Ms - bare.latency.p50Ms >= 0 ? '+' : ''}${f(l.p50Ms - bare.latency.p50Ms, 3)} ms`
          : '';
      push(
        `| ${ROW_LABELS[id]} | ${f(l.p50Ms, 3)} | ${f(l.p90Ms, 3)} | ${f(l.p99Ms, 3)} | ${f(l.meanMs, 3)} | ${f(l.firstByteP50Ms, 3)} | ${added} |`,
      );
    }
    push('');
    push(`## Throughput at concurrency ${s.connections}, ${modeLabel(mode)}`, '');
    push(
      `| Path | req/s${s.rounds > 1 ? ' (min–max of rounds)' : ''} | ÷ bare proxy${s.rounds > 1 ? ' (of medians)' : ''} | p50 ms | p99 ms | proxy CPU µs/req | mock CPU µs/req | load generator CPU |`,
      '|---|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const key of Object.keys(cells).filter((k) => k.endsWith(`/${mode}`) && !k.includes('anthropic'))) {
      const t = cells[key].throughput;
      const id = key.split('/')[0];
      const proxyCpu =
        id === 'bare' || id === 'minimal'
          ? t.cpuPerRequestUs[id]
          : id.startsWith('junction-governed')
            ? t.cpuPerRequestUs[id]
            : id.startsWith('junction')
              ? t.cpuPerRequestUs.junction
              : Number.NaN;
      const spread = t.rounds
        ? ` (${int(Math.min(...t.rounds.map((x) => x.rps)))}–${int(Math.max(...t.rounds.map((x) => x.rps)))})`
        : '';
      push(
        `| ${ROW_LABELS[id]} | ${int(t.rps)}${spread} | ${bare && id !== 'direct' ? f(t.rps / bare.throughput.rps) : ''} | ${f(t.latencyP50Ms, 0)} | ${f(t.latencyP99Ms, 0)} | ${int(proxyCpu)} | ${int(t.cpuPerRequestUs.mock)} | ${f(t.clientCpuPct, 0)} % |`,
      );
    }
    push('');
  }

  const anthropicKeys = Object.keys(cells).filter((k) => k.includes('anthropic'));
  if (anthropicKeys.length > 0) {
    push('## Anthropic-wire floor (what the translated path does upstream)', '');
    push(
      '| Path | c1 p50 ms | c1 p99 ms | req/s at c' +
        s.connections +
        ' | proxy CPU µs/req | mock CPU µs/req |',
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const key of anthropicKeys) {
      const { latency: l, throughput: t } = cells[key];
      const id = key.split('/')[0];
      push(
        `| ${ROW_LABELS[id]} | ${f(l.p50Ms, 3)} | ${f(l.p99Ms, 3)} | ${int(t.rps)} | ${id === 'bare-anthropic' ? int(t.cpuPerRequestUs.bare) : '–'} | ${int(t.cpuPerRequestUs.mock)} |`,
      );
    }
    push('');
  }

  push(...failoverSection(cells, s.connections));

  push(
    '## Memory',
    '',
    'Peak and final RSS of each process in this run. Whether live memory stays flat under sustained mixed',
    'traffic (streams, stored Responses, failover, clients hanging up) is measured by `bench/soak.mjs`:',
    'see [memory.md](memory.md).',
    '',
    '| Process | peak RSS (VmHWM) MiB | RSS at end MiB |',
    '|---|---:|---:|',
  );
  for (const [name, mem] of Object.entries(r.memory))
    push(
      `| ${name === 'junction' ? '**Junction**' : name} | ${f(mem.peakRssMiB, 1)} | ${f(mem.rssMiB, 1)} |`,
    );
  push(
    '',
    ...findingsSection(),
    '## Reading the columns',
    '',
    '* *proxy CPU µs/req*: user + system CPU time the proxy process spent per completed request during the',
    "  throughput cell (from `/proc/<pid>/stat`). It is the least noisy measure of the proxy's own cost, because it",
    '  does not depend on how much of the shared core the neighbours left us.',
    '* *load generator CPU*: near 100 % means the client, not the server, limited that row (typical for',
    '  "direct to mock"); the proxy rows should stay well below it.',
    '* The mock runs on the same core as the proxy under test, so its cost is inside every proxied req/s: the',
    '  ratios are therefore of *whole-system* throughput, as a deployment would see with a fast upstream.',
    '',
    '## How to run',
    '',
    '```sh',
    'npm run bench                       # build, then the full matrix (10 s per cell, ~5 minutes)',
    'node bench/run.mjs --quick          # 3 s per cell, after `npm run build`',
    'node bench/run.mjs --rounds 3       # median of three full matrices',
    'node bench/run.mjs --report-only    # re-render this page from bench/results/latest.json',
    '# profile one path with Junction alone on its core; the run prints the --requests value to use',
    'node bench/run.mjs --only junction-fast --modes json --cpu-prof --mock-cpu 0',
    'node bench/summarize-cpuprofile.mjs bench/results/prof/junction/*.cpuprofile --requests N',
    '# A/B a change: copy dist/ to bench/.exp/<name>/, edit the JS there, then',
    'node bench/compare-builds.mjs --variant base=dist/cli.js --variant try=bench/.exp/try/cli.js',
    '# the goal ratios with the bare proxy and the minimal gateway in the same interleaved rounds',
    'node bench/compare-builds.mjs --reference --mock-cpu 1 --variant junction=dist/cli.js [--model translated]',
    '```',
    '',
    'Raw numbers of the last run: `bench/results/latest.json` (not committed). The mock upstream can also fail on',
    'purpose for failover experiments: `node bench/mock-upstream.mjs --port 9999 --fail-status 503 [--fail-rate 0.5]`.',
    '',
  );
  return lines.join('\n');
}

function failoverSection(cells, connections) {
  const rows = failoverCost(cells);
  if (rows.length === 0) return [];
  const lines = [
    '## Failover cost',
    '',
    'The `failover` alias lists two targets: a second mock that answers every request with a 503 (OpenAI error',
    'envelope, `retry-after: 1`), then the normal mock. `503` is in the default `failover_on` and `retries` is 0,',
    'so each request makes one failed attempt and one successful fast-path attempt (`x-junction-attempts: 2`).',
    'The circuit breaker is set never to open (`consecutive_failures = 1000000000`, `failure_rate = 1`): with the',
    'defaults it opens after five failures and later requests skip the dead target, so only the half-open probe',
    'every `cooldown` would pay this price. The numbers are therefore the worst case, one failover per request.',
    'Ratios are failover ÷ fast path, measured in the same session.',
    '',
    `| Mode | c1 p50 ÷ fast | c1 p50 added | c1 p99 ÷ fast | req/s at c${connections} ÷ fast | Junction CPU/req ÷ fast | failing mock CPU µs/req |`,
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${modeLabel(row.mode)} | ${f(row.p50Ratio)} | ${row.p50AddedMs >= 0 ? '+' : ''}${f(row.p50AddedMs, 3)} ms | ${f(row.p99Ratio)} | ${f(row.rpsRatio)} | ${f(row.junctionCpuRatio)} | ${int(row.failingMockCpuUs)} |`,
    );
  }
  lines.push('');
  return lines;
}

/** The hand-written profile notes (bench/profile-findings.md), if present, go into the report verbatim. */
function findingsSection() {
  try {
    return [readFileSync(join(ROOT, 'bench', 'profile-findings.md'), 'utf8').trim(), ''];
  } catch {
    return [];
  }
}

function log(message) {
  process.stdout.write(`${message}\n`);
}

function reportOnly() {
  const results = readJson(join(RESULTS_DIR, 'latest.json'));
  results.summary = summarize(results.cells);
  writeFileSync(DOC_PATH, renderMarkdown(results));
  printSummary(results.summary);
  log('report: docs/benchmarks.md (re-rendered from bench/results/latest.json)');
}

if (args['report-only']) {
  reportOnly();
  process.exit(0);
}

process.once('SIGINT', () => {
  stopAll().then(() => process.exit(130));
});

main().catch(async (error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  await stopAll();
  process.exit(1);
});
