#!/usr/bin/env node
/**
 * Mock LLM upstream for the benchmark: answers at once (no artificial delay) so a measurement through a
 * proxy isolates the proxy's own overhead.
 *
 *   POST /v1/chat/completions   OpenAI: chat.completion JSON, or (stream: true) 20 content chunks +
 *                               finish chunk + usage chunk + [DONE], one write per SSE event
 *   POST /v1/messages           Anthropic: message JSON, or (stream: true) message_start,
 *                               content_block_start, 20 content_block_delta, content_block_stop,
 *                               message_delta (usage), message_stop, one write per SSE event
 *
 * Usage: node bench/mock-upstream.mjs [--port N] [--host H] [--fail-status 503] [--fail-rate 1]
 *   --fail-status  answer with this status and the provider's error envelope (for failover scenarios)
 *   --fail-rate    fraction of requests that fail (default 1 when --fail-status is given)
 * Prints one line `mock-upstream listening on http://HOST:PORT` when ready.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'fail-status': { type: 'string' },
    'fail-rate': { type: 'string' },
  },
});
const failStatus = values['fail-status'] ? Number(values['fail-status']) : 0;
const failRate = values['fail-rate'] !== undefined ? Number(values['fail-rate']) : failStatus ? 1 : 0;

const CHUNK_COUNT = 20;
// Twenty short token-like pieces, as a real model streams them.
const PIECES = [
  'Galaxy',
  ' Day',
  ' is',
  ' a',
  ' holiday',
  ' that',
  ' celebrates',
  ' the',
  ' vastness',
  ' of',
  ' the',
  ' universe',
  ',',
  ' with',
  ' stargazing',
  ',',
  ' costumes',
  ' and',
  ' light',
  '.',
];
const TEXT = PIECES.join('');
const CREATED = 1770933892;

// ---- OpenAI Chat Completions ------------------------------------------------------------------
const OPENAI_USAGE = {
  prompt_tokens: 26,
  completion_tokens: CHUNK_COUNT,
  total_tokens: 26 + CHUNK_COUNT,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
};

function openaiCompletion(model) {
  return JSON.stringify({
    id: 'chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU',
    object: 'chat.completion',
    created: CREATED,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: TEXT, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: OPENAI_USAGE,
    service_tier: 'default',
    system_fingerprint: 'fp_de604bd877',
  });
}

function openaiChunk(model, choices, usage) {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0',
    object: 'chat.completion.chunk',
    created: CREATED,
    model,
    service_tier: 'default',
    system_fingerprint: 'fp_de604bd877',
    choices,
    usage,
  })}\n\n`;
}

function openaiStreamEvents(model) {
  const events = PIECES.map((piece, i) =>
    openaiChunk(
      model,
      [
        {
          index: 0,
          delta: i === 0 ? { role: 'assistant', content: piece } : { content: piece },
          logprobs: null,
          finish_reason: null,
        },
      ],
      null,
    ),
  );
  events.push(openaiChunk(model, [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], null));
  events.push(openaiChunk(model, [], OPENAI_USAGE));
  events.push('data: [DONE]\n\n');
  return events;
}

// ---- Anthropic Messages ------------------------------------------------------------------------
const ANTHROPIC_ID = 'msg_018E1hg8GoVTGEKQY3ovMcSJ';

function anthropicMessage(model) {
  return JSON.stringify({
    model,
    id: ANTHROPIC_ID,
    type: 'message',
    role: 'assistant',
    content: [{ type: 'text', text: TEXT }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: {
      input_tokens: 26,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: CHUNK_COUNT,
      service_tier: 'standard',
    },
  });
}

const sse = (type, data) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

function anthropicStreamEvents(model) {
  const events = [
    sse('message_start', {
      type: 'message_start',
      message: {
        model,
        id: ANTHROPIC_ID,
        type: 'message',
        role: 'assistant',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: 26,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
          output_tokens: 1,
          service_tier: 'standard',
        },
      },
    }),
    sse('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    }),
  ];
  for (const piece of PIECES) {
    events.push(
      sse('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: piece },
      }),
    );
  }
  events.push(sse('content_block_stop', { type: 'content_block_stop', index: 0 }));
  events.push(
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: {
        input_tokens: 26,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: CHUNK_COUNT,
      },
    }),
  );
  events.push(sse('message_stop', { type: 'message_stop' }));
  return events;
}

// Bodies depend only on the model name: build them once per model, not per request.
const cache = new Map();
function bodiesFor(kind, model) {
  const key = `${kind}\0${model}`;
  let entry = cache.get(key);
  if (!entry) {
    entry =
      kind === 'openai'
        ? { json: openaiCompletion(model), events: openaiStreamEvents(model) }
        : { json: anthropicMessage(model), events: anthropicStreamEvents(model) };
    if (cache.size > 64) cache.clear();
    cache.set(key, entry);
  }
  return entry;
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

function sendJson(res, status, body, extra = {}) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

function sendFailure(res, kind) {
  const body =
    kind === 'openai'
      ? JSON.stringify({
          error: {
            message: 'The server is overloaded, please try again later.',
            type: 'server_error',
            param: null,
            code: null,
          },
        })
      : JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  sendJson(res, failStatus, body, failStatus === 429 || failStatus === 503 ? { 'retry-after': '1' } : {});
}

const server = createServer((req, res) => {
  const path = req.url.split('?')[0];
  const kind = path === '/v1/chat/completions' ? 'openai' : path === '/v1/messages' ? 'anthropic' : undefined;
  if (req.method !== 'POST' || !kind) {
    sendJson(
      res,
      404,
      JSON.stringify({ error: { message: `no mock route ${req.method} ${path}`, type: 'not_found' } }),
    );
    return;
  }
  const parts = [];
  req.on('data', (part) => parts.push(part));
  req.on('end', () => {
    if (failStatus && Math.random() < failRate) {
      sendFailure(res, kind);
      return;
    }
    let request;
    try {
      request = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch {
      sendJson(
        res,
        400,
        JSON.stringify({ error: { message: 'malformed JSON', type: 'invalid_request_error' } }),
      );
      return;
    }
    const bodies = bodiesFor(kind, typeof request.model === 'string' ? request.model : 'mock-model');
    if (request.stream !== true) {
      sendJson(res, 200, bodies.json);
      return;
    }
    res.writeHead(200, SSE_HEADERS);
    // One write per SSE event, as fast as possible: the client sees realistic framing, no pacing.
    for (const event of bodies.events) res.write(event);
    res.end();
  });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

server.listen(Number(values.port), values.host, () => {
  const { address, port } = server.address();
  process.stdout.write(`mock-upstream listening on http://${address}:${port}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => server.close(() => process.exit(0)).closeAllConnections());
