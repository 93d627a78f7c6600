#!/usr/bin/env node
/**
 * Summarises V8 .cpuprofile files (from `node --cpu-prof`, e.g. `node bench/run.mjs --cpu-prof`):
 * where the time goes by area (Junction's own code per folder, each npm package, Node internals, GC,
 * idle), the top functions by self time, and the top Junction functions by inclusive time.
 *
 * Usage: node bench/summarize-cpuprofile.mjs FILE.cpuprofile [...] [--top 25] [--requests N] [--frame NAME ...]
 *   --requests N   requests the profiled process served (bench/run.mjs --cpu-prof prints it): adds µs/request
 *   --frame NAME   also report the inclusive time of every function named NAME (any file), e.g. --frame record
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    requests: { type: 'string' },
    frame: { type: 'string', multiple: true, default: [] },
  },
});
if (positionals.length === 0) {
  process.stderr.write(
    'usage: node bench/summarize-cpuprofile.mjs FILE.cpuprofile [...] [--top N] [--requests N] [--frame NAME ...]\n',
  );
  process.exit(2);
}
const TOP = Number(values.top);
const REQUESTS = values.requests ? Number(values.requests) : undefined;
const FRAMES = new Set(values.frame);

/** Which part of the system a frame belongs to. */
function areaOf(frame) {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(program)') return '(program: V8/native, unattributed)';
    return '(native / builtins)';
  }
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return `npm:${pkg[1]}`;
  if (url.startsWith('node:')) return url.startsWith('node:internal/') ? `node:${url.split('/')[1]}` : url;
  const dist = url.match(/\/dist\/(.+)$/);
  if (dist) return `junction:${dist[1].includes('/') ? dist[1].split('/').slice(0, -1).join('/') : dist[1]}`;
  return url.replace(/^file:\/\//, '');
}

const keyOf = (frame) =>
  `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
function shortUrl(url) {
  if (!url) return '';
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/dist\//, 'dist/');
}

const self = new Map();
const inclusive = new Map();
const named = new Map();
const areas = new Map();
let total = 0;

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  });
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    total += us;
    const k = keyOf(node.callFrame);
    self.set(k, (self.get(k) ?? 0) + us);
    const area = areaOf(node.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + us);
    // Inclusive time: credit each distinct Junction function on the stack once (recursion-safe).
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur).callFrame;
      const fk = keyOf(frame);
      if (seen.has(fk)) continue;
      seen.add(fk);
      if (FRAMES.has(frame.functionName)) named.set(fk, (named.get(fk) ?? 0) + us);
      if (frame.url.includes('/dist/')) inclusive.set(fk, (inclusive.get(fk) ?? 0) + us);
    }
  }
}

const busy = total - (areas.get('(idle)') ?? 0);
const pct = (us, of) => `${((us / of) * 100).toFixed(1).padStart(5)} %`;
const ms = (us) =>
  `${(us / 1000).toFixed(0).padStart(7)} ms${REQUESTS ? ` ${(us / REQUESTS).toFixed(1).padStart(6)} µs/req` : ''}`;
const print = (line) => process.stdout.write(`${line}\n`);

print(
  `profiles: ${positionals.length}, sampled ${(total / 1e6).toFixed(1)} s, busy (non-idle) ${(busy / 1e6).toFixed(1)} s`,
);
print('\nBy area (share of busy time):');
for (const [area, us] of [...areas]
  .filter(([a]) => a !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, TOP))
  print(`  ${pct(us, busy)} ${ms(us)}  ${area}`);
print(`\nTop ${TOP} functions by self time (share of busy time):`);
for (const [k, us] of [...self]
  .filter(([k]) => !k.startsWith('(idle)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, TOP))
  print(`  ${pct(us, busy)} ${ms(us)}  ${k}`);
print(`\nTop ${TOP} Junction functions by inclusive time (share of busy time):`);
for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, TOP))
  print(`  ${pct(us, busy)} ${ms(us)}  ${k}`);
if (named.size > 0) {
  print('\nInclusive time of the requested frames:');
  for (const [k, us] of [...named].sort((a, b) => b[1] - a[1])) print(`  ${pct(us, busy)} ${ms(us)}  ${k}`);
}
