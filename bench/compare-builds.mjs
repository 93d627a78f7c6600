#!/usr/bin/env node
/**
 * A/B several gateway builds on one path, interleaved: every variant runs as its own process, and short
 * load bursts alternate between them round after round, so a noisy neighbour hits all variants alike.
 * Reports, per variant, the median req/s and the median CPU time the gateway spent per request
 * (from /proc/<pid>/stat), which is the steadier number on shared cores.
 *
 *   node bench/compare-builds.mjs --variant base=dist/cli.js --variant quiet=dist/cli.js:JUNCTION_LOG_LEVEL=warn \
 *     [--model fast] [--stream] [--burst 3] [--rounds 6] [--connections 64]
 *
 * A variant is NAME=ENTRY[:ENV=VALUE[,ENV=VALUE]]. To try a change without touching src/, copy dist/
 * to bench/.exp/<name>/ (node_modules still resolves from the repository), edit the JS there, and pass
 * bench/.exp/<name>/cli.js. Load generator on CPU 0; gateways on CPU 1; mock on CPU 0 unless --mock-cpu.
 *
 * --reference adds the bare node:http proxy (and, for --model fast, the minimal gateway) to the same
 * interleaved rounds and reports each variant's req/s ÷ the bare proxy's, paired round by round: the
 * goal ratios of bench/run.mjs, measured so that a noisy stretch hits both sides of each ratio alike.
 * With --model translated the bare proxy carries the Anthropic stream exchange Junction makes upstream.
 * Use --mock-cpu 1 for the same placement as bench/run.mjs (the mock shares the servers' core).
 *
 * --restart starts every gateway variant afresh (and warms it up) before each of its bursts. Two processes
 * of one build can differ by more than a change of a few per cent (heap layout, code placement), so
 * without it a whole run can favour one variant; with it that bias is sampled anew every round.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort } from './free-port.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    variant: { type: 'string', multiple: true, default: [] },
    model: { type: 'string', default: 'fast' },
    stream: { type: 'boolean', default: false },
    burst: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '6' },
    connections: { type: 'string', default: '64' },
    'mock-cpu': { type: 'string', default: '0' },
    reference: { type: 'boolean', default: false },
    restart: { type: 'boolean', default: false },
  },
});
if (args.variant.length === 0) {
  process.stderr.write('compare-builds: pass at least one --variant NAME=ENTRY[:ENV=VALUE,...]\n');
  process.exit(2);
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const cpuMicros = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1e6) / CLK_TCK;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const children = [];
function start(nodeArgs, { cpu, env = {}, quiet = false }) {
  const child = spawn('taskset', ['-c', cpu, process.execPath, ...nodeArgs], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', quiet ? openSync('/dev/null', 'w') : 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  children.push(child);
  return { child, stderr: () => stderr };
}
const stopAll = () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
};

async function waitHealthy(url, proc) {
  for (let i = 0; i < 200; i += 1) {
    if (proc.child.exitCode !== null) throw new Error(`exited:\n${proc.stderr()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await sleep(100);
  }
  throw new Error(`not healthy: ${url}\n${proc.stderr()}`);
}

const OPENAI_HEADERS = { authorization: 'Bearer bench-key', 'content-type': 'application/json' };
const ANTHROPIC_HEADERS = {
  'content-type': 'application/json',
  'x-api-key': 'bench',
  'anthropic-version': '2023-06-01',
};

function load({ url, body, headers = OPENAI_HEADERS }, durationS, connections) {
  return new Promise((ok, fail) =>
    autocannon(
      {
        url,
        method: 'POST',
        headers,
        body,
        connections,
        duration: durationS,
      },
      (error, result) => (error ? fail(error) : ok(result)),
    ),
  );
}

async function main() {
  execFileSync('taskset', ['-a', '-cp', '0', String(process.pid)], { stdio: 'ignore' });
  const mockPort = await freePort();
  const mock = start(['bench/mock-upstream.mjs', '--port', String(mockPort)], { cpu: args['mock-cpu'] });
  await new Promise((ok) => mock.child.stdout.once('data', ok));
  const dir = mkdtempSync(join(tmpdir(), 'junction-ab-'));
  const variants = [];
  for (const spec of args.variant) {
    const [name, rest] = [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
    const [entry, envSpec] = rest.split(':');
    // Split each pair at its first '=': values may hold '=' themselves (NODE_OPTIONS=--flag=value).
    const env = Object.fromEntries(
      (envSpec ? envSpec.split(',') : []).map((kv) => [
        kv.slice(0, kv.indexOf('=')),
        kv.slice(kv.indexOf('=') + 1),
      ]),
    );
    const port = await freePort();
    const config = join(dir, `${name}.toml`);
    writeFileSync(
      config,
      `[server]\nlisten = "127.0.0.1:${port}"\n[[keys]]\nname = "bench"\nkey = "bench-key"\n` +
        `[providers.oai]\ntype = "openai"\nbase_url = "http://127.0.0.1:${mockPort}/v1"\napi_key = "sk-bench"\n` +
        `[providers.claude]\ntype = "anthropic"\nbase_url = "http://127.0.0.1:${mockPort}"\napi_key = "bench"\n` +
        `[[models]]\nalias = "fast"\ntargets = ["oai/gpt-4.1-mini"]\n[[models]]\nalias = "translated"\ntargets = ["claude/claude-sonnet-4-5"]\n`,
    );
    const url = `http://127.0.0.1:${port}`;
    const launch = async () => {
      const proc = start([entry, '--config', config], { cpu: '1', env, quiet: true });
      await waitHealthy(`${url}/healthz`, proc);
      return proc;
    };
    const proc = await launch();
    variants.push({
      name,
      url: `${url}/v1/chat/completions`,
      proc,
      pid: proc.child.pid,
      launch,
      rps: [],
      cpu: [],
    });
  }
  const chat = (model) =>
    JSON.stringify({
      model,
      messages: [
        { role: 'system', content: 'You are a helpful assistant. Answer in one sentence.' },
        { role: 'user', content: 'Invent a new holiday and describe its traditions.' },
      ],
      max_tokens: 256,
      stream: args.stream,
      ...(args.stream ? { stream_options: { include_usage: true } } : {}),
    });
  const body = chat(args.model);
  for (const v of variants) v.body = body;
  const mockUrl = `http://127.0.0.1:${mockPort}`;
  if (args.reference) {
    const translated = args.model === 'translated';
    const barePort = await freePort();
    const bare = start(['bench/bare-proxy.mjs', '--port', String(barePort), '--upstream', mockUrl], {
      cpu: '1',
    });
    await new Promise((ok) => bare.child.stdout.once('data', ok));
    variants.unshift({
      name: 'bare',
      reference: true,
      pid: bare.child.pid,
      rps: [],
      cpu: [],
      ...(translated
        ? {
            // The exchange Junction makes upstream for this request: an Anthropic stream.
            url: `http://127.0.0.1:${barePort}/v1/messages`,
            headers: ANTHROPIC_HEADERS,
            body: JSON.stringify({
              model: 'claude-sonnet-4-5',
              max_tokens: 256,
              system: 'You are a helpful assistant. Answer in one sentence.',
              messages: [
                {
                  role: 'user',
                  content: [{ type: 'text', text: 'Invent a new holiday and describe its traditions.' }],
                },
              ],
              stream: true,
            }),
          }
        : { url: `http://127.0.0.1:${barePort}/v1/chat/completions`, body: chat('gpt-4.1-mini') }),
    });
    if (!translated) {
      const minimalPort = await freePort();
      const minimal = start(
        [
          'bench/minimal-gateway.mjs',
          '--port',
          String(minimalPort),
          '--upstream',
          mockUrl,
          '--key',
          'bench-key',
        ],
        { cpu: '1' },
      );
      await new Promise((ok) => minimal.child.stdout.once('data', ok));
      variants.splice(1, 0, {
        name: 'minimal',
        reference: true,
        pid: minimal.child.pid,
        rps: [],
        cpu: [],
        url: `http://127.0.0.1:${minimalPort}/v1/chat/completions`,
        body: chat('gpt-4.1-mini'),
      });
    }
  }
  const connections = Number(args.connections);
  const burst = Number(args.burst);
  for (const v of variants) await load(v, 2, connections); // warm-up
  for (let round = 0; round < Number(args.rounds); round += 1) {
    // Rotate the order each round so no variant always follows the same one.
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const v of order) {
      if (args.restart && v.launch && round > 0) {
        v.proc.child.kill('SIGTERM');
        await new Promise((ok) => (v.proc.child.exitCode !== null ? ok() : v.proc.child.once('exit', ok)));
        v.proc = await v.launch();
        v.pid = v.proc.child.pid;
        await load(v, 2, connections); // warm-up of the fresh process
      }
      const before = cpuMicros(v.pid);
      const result = await load(v, burst, connections);
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${v.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      v.rps.push(result['2xx'] / result.duration);
      v.cpu.push((cpuMicros(v.pid) - before) / result['2xx']);
      await sleep(100);
    }
    process.stdout.write(
      `round ${round + 1}: ${variants.map((v) => `${v.name} ${Math.round(v.rps.at(-1))} req/s ${Math.round(v.cpu.at(-1))} µs`).join(' | ')}\n`,
    );
  }
  const base = variants.find((v) => !v.reference);
  process.stdout.write(
    `\n${args.model} ${args.stream ? 'stream' : 'non-stream'}, c${connections}, ${args.rounds} × ${burst} s bursts (medians)\n`,
  );
  for (const v of variants) {
    const cpu = median(v.cpu);
    process.stdout.write(
      `${v.name.padEnd(14)} ${String(Math.round(median(v.rps))).padStart(6)} req/s   ${String(Math.round(cpu)).padStart(5)} µs CPU/req   ${v === base || v.reference ? '' : `${(((cpu - median(base.cpu)) / median(base.cpu)) * 100).toFixed(1)} % CPU vs ${base.name}`}\n`,
    );
  }
  const bare = variants.find((v) => v.name === 'bare' && v.reference);
  if (!bare) return;
  process.stdout.write('\nreq/s ÷ bare proxy, paired round by round (median [min – max])\n');
  for (const v of variants) {
    if (v === bare) continue;
    const ratios = v.rps.map((rps, round) => rps / bare.rps[round]);
    process.stdout.write(
      `${v.name.padEnd(14)} ${median(ratios).toFixed(2)} [${Math.min(...ratios).toFixed(2)} – ${Math.max(...ratios).toFixed(2)}]\n`,
    );
  }
}

main()
  .catch((error) => {
    process.stderr.write(`compare-builds failed: ${error.stack ?? error}\n`);
    process.exitCode = 1;
  })
  .finally(stopAll);
