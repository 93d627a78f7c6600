/**
 * Graceful shutdown (SIGTERM, SIGINT), as a rolling deploy needs it. The listeners close at once, so new
 * connections go to other replicas; a new request on a kept-alive connection gets a 503 and
 * `connection: close`. Requests already running (streams included), WebSocket-mode turns and
 * background Responses may finish within `[server] shutdown_grace`; keep-alive connections close as soon
 * as they fall idle, and a socket takes no new turn and closes (1001) after its running one. Only then do
 * the servers' own close hooks run (the response store and the usage log are flushed and closed).
 *
 * When the grace is over, running requests are ended with a retryable 503-class error (a stream with the
 * dialect's error event), which also cancels their upstream calls; background Responses are stored as
 * failed; a second later any connection still open is cut.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { DEFAULT_SHUTDOWN_GRACE_MS } from '../config/config-schema.js';
import { GatewayError } from '../core/errors.js';
import type { Gateway } from '../gateway.js';

const IDLE_SWEEP_MS = 100;
const CUT_AFTER_ABORT_MS = 1_000;

export const SHUTTING_DOWN_MESSAGE = 'The gateway is shutting down; retry the request';

export function shuttingDownError(): GatewayError {
  return new GatewayError('overloaded', SHUTTING_DOWN_MESSAGE, { status: 503, retryAfterMs: 1_000 });
}

export async function shutDown(
  servers: readonly FastifyInstance[],
  gateway: Gateway,
  log: Logger,
): Promise<void> {
  const graceMs = gateway.config.server.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  gateway.inFlight.draining = true;
  // Without this, a client's keep-alive connection whose request has finished would hold the close open
  // until its keep-alive timeout.
  const sweep = setInterval(() => {
    for (const app of servers) app.server.closeIdleConnections();
  }, IDLE_SWEEP_MS);
  const grace = setTimeout(() => {
    log.warn({ running: gateway.inFlight.size, graceMs }, 'shutdown grace is over: ending running work');
    gateway.inFlight.abortAll(shuttingDownError());
    gateway.inFlight.stopAll();
    // What no abort ends (a client following a background response live) is cut.
    setTimeout(() => {
      for (const app of servers) app.server.closeAllConnections();
    }, CUT_AFTER_ABORT_MS).unref();
  }, graceMs);
  try {
    const connectionsClosed = servers.map(
      (app) => new Promise<void>((resolve) => app.server.close(() => resolve())),
    );
    await Promise.all([...connectionsClosed, gateway.inFlight.drainAll()]);
  } finally {
    clearInterval(sweep);
    clearTimeout(grace);
  }
  await Promise.all(servers.map((app) => app.close()));
}
