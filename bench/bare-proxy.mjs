#!/usr/bin/env node
/**
 * The floor for any Node gateway: a node:http server that forwards each request (same method, path
 * and body) to one upstream through a pooled undici Agent, like Junction does, and pipes the upstream
 * response back. No auth, no JSON parsing, no logging.
 *
 * Usage: node bench/bare-proxy.mjs --upstream http://127.0.0.1:PORT [--port N] [--host H] [--connections 128]
 * Prints one line `bare-proxy listening on http://HOST:PORT` when ready.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';

const { values } = parseArgs({
  options: {
    upstream: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    // Same pool settings as Junction's default provider (max_connections = 128).
    connections: { type: 'string', default: '128' },
  },
});
if (!values.upstream) {
  process.stderr.write('bare-proxy: --upstream URL is required\n');
  process.exit(2);
}
const upstream = values.upstream.replace(/\/+$/, '');
const agent = new Agent({
  connections: Number(values.connections),
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 600_000,
  bodyTimeout: 0,
  headersTimeout: 0,
});

// Hop-by-hop headers are the connection's, not the message's: never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
  'host',
]);

function forwardHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

const server = createServer((req, res) => {
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', async () => {
    try {
      const upstreamResponse = await request(upstream + req.url, {
        method: req.method,
        headers: forwardHeaders(req.headers),
        body: parts.length > 0 ? Buffer.concat(parts) : undefined,
        dispatcher: agent,
      });
      res.writeHead(upstreamResponse.statusCode, forwardHeaders(upstreamResponse.headers));
      // Relay each upstream chunk as it arrives (streams are never buffered), honouring back-pressure.
      for await (const chunk of upstreamResponse.body) {
        if (!res.write(chunk))
          await new Promise((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });
      }
      res.end();
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `bare-proxy: ${error.message}`, type: 'bad_gateway' } }));
      } else {
        res.destroy(error);
      }
    }
  });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

server.listen(Number(values.port), values.host, () => {
  const { address, port } = server.address();
  process.stdout.write(`bare-proxy listening on http://${address}:${port}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => server.close(() => process.exit(0)).closeAllConnections());
