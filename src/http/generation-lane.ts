/**
 * The generation lane: `POST /v1/chat/completions` and `POST /v1/messages` with a JSON body are read on the
 * raw node:http server and handed to the shared generation path directly, without Fastify's per-request
 * request/reply objects, hooks and content-type machinery (a measurable share of a relayed request; see
 * docs/benchmarks.md). It does what Fastify did for these routes: request ids, the body limit (413), JSON
 * parsing with prototype-poisoning protection (400), the dialect's error envelope, and the log line and
 * request count of a request it refuses itself (a client that leaves before its body is whole too: 499).
 * Everything else
 * (other routes, other content types, a server that is closing) is left to Fastify.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import secureJson from 'secure-json-parse';
import { GatewayError } from '../core/errors.js';
import { anthropicMessagesDialect } from '../dialects/anthropic-messages/anthropic-messages-dialect.js';
import type { Dialect } from '../dialects/dialect.js';
import { openAIChatDialect } from '../dialects/openai-chat/openai-chat-dialect.js';
import type { Gateway } from '../gateway.js';
import { handleGeneration } from './handle-generation.js';
import { bodyAbandoned, recordRefusal } from './record-refusal.js';
import { writeError } from './send-error.js';

const ROUTES: ReadonlyMap<string, Dialect> = new Map([
  ['/v1/chat/completions', openAIChatDialect],
  ['/v1/messages', anthropicMessagesDialect],
]);

const REQUEST_ID = /^[\w.:@-]{1,128}$/;
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** A client-sent `x-request-id` when it is a sane one, else a fresh id. */
export function requestIdOf(headers: IncomingMessage['headers']): string {
  const sent = headers['x-request-id'];
  return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** Returns a handler that takes a request (true) or leaves it to Fastify (false). */
export function createGenerationLane(
  gateway: Gateway,
  isClosing: () => boolean,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const limit = gateway.config.server.maxBodyBytes;
  const log = gateway.logger;
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const dialect = ROUTES.get(req.url ?? '');
    const type = req.headers['content-type'];
    if (!dialect || type === undefined || !JSON_TYPE.test(type) || isClosing()) return false;
    const id = requestIdOf(req.headers);
    // Taken here and handed on, so the shared path times the request from the same moment at no extra cost.
    const started = performance.now();
    // Refused before the shared path runs, yet logged and counted as any refusal is.
    let settled = false;
    const record = (error: GatewayError): void => {
      settled = true;
      recordRefusal(gateway, { requestId: id, dialect: dialect.name }, error, performance.now() - started);
    };
    const refuse = (error: GatewayError): void => {
      writeError(res, dialect, error, id, { 'x-request-id': id });
      record(error);
    };
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      tooLarge(req, res, refuse);
      return true;
    }
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (part: Buffer) => {
      size += part.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.removeAllListeners('end');
        tooLarge(req, res, refuse);
        return;
      }
      parts.push(part);
    });
    // The body broke before it was whole (the client left mid-body): nobody to answer, but recorded.
    req.on('error', () => {
      res.destroy();
      if (!settled) record(bodyAbandoned());
    });
    req.on('end', () => {
      settled = true;
      let body: unknown;
      try {
        body = parseBody(parts.length === 1 ? parts[0]! : Buffer.concat(parts, size));
      } catch (error) {
        refuse(error as GatewayError);
        return;
      }
      handleGeneration(gateway, dialect, { id, headers: req.headers, body, raw: res, log, started }).catch(
        (error: unknown) => {
          log.error({ err: error, requestId: id }, 'generation request failed outside its handler');
          // The shared path records this request itself (finishRequest): no second record here.
          if (!res.headersSent)
            writeError(res, dialect, new GatewayError('internal', 'Internal gateway error'), id, {
              'x-request-id': id,
            });
          else res.destroy();
        },
      );
    });
    return true;
  };
}

/** The same 413 Fastify gave; the rest of the body is not read, so the connection closes after it. */
function tooLarge(req: IncomingMessage, res: ServerResponse, refuse: (error: GatewayError) => void): void {
  res.shouldKeepAlive = false;
  refuse(
    new GatewayError(
      'payload_too_large',
      'Request body is larger than the configured server.max_body_bytes',
      {
        status: 413,
      },
    ),
  );
  res.once('finish', () => req.destroy());
}

/**
 * JSON as Fastify parses it: an empty body and bad JSON are 400s, and so is a body that would poison a
 * prototype (`__proto__` or `constructor.prototype`, escaped spellings included: secure-json-parse checks
 * them on the text, and walks the object only when one may be there).
 */
function parseBody(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  if (text.trim() === '')
    throw new GatewayError('invalid_request', 'Request body is empty; expected a JSON object');
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    throw new GatewayError('invalid_request', `Malformed JSON in request body: ${(error as Error).message}`);
  }
}
