#!/usr/bin/env node
/**
 * A reference point between the bare proxy and Junction: the least a Node gateway must do per request to
 * meet "auth and usage accounting on", and nothing more. A node:http server that checks a Bearer key by
 * its sha256, parses the JSON body, rewrites `model`, forwards it through a pooled undici Agent, reads
 * usage from the answer (the parsed JSON body, or the stream line that carries it), and records it the
 * way a production gateway minimally does: one pino JSON line (batched, as Junction writes it) and two
 * prom-client metrics. No routing, failover, limits, validation or translation.
 *
 * Usage: node bench/minimal-gateway.mjs --upstream http://127.0.0.1:PORT --key KEY [--port N] [--host H]
 * Prints one line `minimal-gateway listening on http://HOST:PORT` when ready.
 */
import { createHash, randomUUID } from 'node:crypto';
import { openSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { Agent, request } from 'undici';
import { LineBatch, logDestination } from '../dist/observability/logger.js';

const { values } = parseArgs({
  options: {
    upstream: { type: 'string' },
    key: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    model: { type: 'string', default: 'gpt-4.1-mini' },
  },
});
if (!values.upstream || !values.key) {
  process.stderr.write('minimal-gateway: --upstream URL and --key KEY are required\n');
  process.exit(2);
}
const upstream = values.upstream.replace(/\/+$/, '');
const keyHash = createHash('sha256').update(values.key).digest('hex');
// Same pool settings as Junction's default provider and the bare proxy.
const agent = new Agent({
  connections: 128,
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  bodyTimeout: 0,
  headersTimeout: 0,
});
// Junction's own logger settings (its destination, batched by its LineBatch), into /dev/null as Junction's
// stdout is in the benchmark: the line is produced and written, and stdout stays free for the ready line.
const batch = new LineBatch(logDestination(openSync('/dev/null', 'w')));
const log = pino({}, batch);
setInterval(() => batch.release(), 250).unref();
const registry = new Registry();
const requests = new Counter({
  name: 'requests_total',
  help: 'requests',
  labelNames: ['status'],
  registers: [registry],
});
const latency = new Histogram({ name: 'request_seconds', help: 'latency', registers: [registry] });

function fail(res, status, message) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));
}

/** The usage object of the stream line that carries one (OpenAI sends it in the last chunk). */
function usageInChunk(text) {
  const at = text.indexOf('"usage":{');
  if (at === -1) return undefined;
  const start = text.lastIndexOf('data:', at);
  const end = text.indexOf('\n', at);
  try {
    return JSON.parse(text.slice(start + 5, end === -1 ? undefined : end)).usage;
  } catch {
    return undefined;
  }
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') {
    res.end('ok');
    return;
  }
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', async () => {
    const started = performance.now();
    const id = randomUUID();
    const auth = req.headers.authorization ?? '';
    const presented = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (createHash('sha256').update(presented).digest('hex') !== keyHash)
      return fail(res, 401, 'Invalid API key');
    let body;
    try {
      body = JSON.parse(Buffer.concat(parts).toString());
    } catch {
      return fail(res, 400, 'Malformed JSON');
    }
    const stream = body.stream === true;
    let usage;
    try {
      const answer = await request(`${upstream}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer upstream-key' },
        body: JSON.stringify({ ...body, model: values.model }),
        dispatcher: agent,
      });
      const headers = {
        'content-type': answer.headers['content-type'],
        'x-request-id': id,
        'x-junction-provider': 'oai',
      };
      if (stream) {
        res.writeHead(answer.statusCode, headers);
        for await (const chunk of answer.body) {
          usage = usageInChunk(chunk.toString()) ?? usage;
          if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
        }
        res.end();
      } else {
        const chunks = [];
        for await (const chunk of answer.body) chunks.push(chunk);
        const whole = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        usage = JSON.parse(whole.toString()).usage;
        res.writeHead(answer.statusCode, { ...headers, 'content-length': String(whole.byteLength) });
        res.end(whole);
      }
      requests.inc({ status: String(answer.statusCode) });
    } catch (error) {
      if (!res.headersSent) fail(res, 502, `minimal-gateway: ${error.message}`);
      else res.destroy();
    }
    const ms = performance.now() - started;
    latency.observe(ms / 1000);
    log.info(
      { usage: { requestId: id, model: body.model, stream, latencyMs: ms, usage } },
      'request completed',
    );
  });
});
server.listen(Number(values.port), values.host, () => {
  const { address, port } = server.address();
  process.stdout.write(`minimal-gateway listening on http://${address}:${port}\n`);
});
// A clean exit on a signal, so `node --cpu-prof` writes its profile (bench/run.mjs --cpu-prof).
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => server.close(() => process.exit(0)).closeAllConnections());
