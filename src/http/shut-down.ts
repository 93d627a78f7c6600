/**
 * Graceful shutdown (SIGTERM, SIGINT), as a rolling deploy needs it: the listener closes at once, so new
 * connections go to other replicas; requests already running, streams included, may finish within
 * `[server] shutdown_grace`; keep-alive connections close as soon as they fall idle; a WebSocket-mode socket
 * takes no new turn and closes (1001) once its running one ends. When the grace is over,
 * running requests are ended with a retryable 503-class error (a stream with the dialect's error event),
 * which also cancels their upstream calls, and a second later any connection still open is cut.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { DEFAULT_SHUTDOWN_GRACE_MS } from '../config/config-schema.js';
import { GatewayError } from '../core/errors.js';
import type { Gateway } from '../gateway.js';

const IDLE_SWEEP_MS = 100;
const CUT_AFTER_ABORT_MS = 1_000;

export const SHUTTING_DOWN_MESSAGE = 'The gateway is shutting down; retry the request';

export async function shutDown(
  servers: readonly FastifyInstance[],
  gateway: Gateway,
  log: Logger,
): Promise<void> {
  const graceMs = gateway.config.server.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  // Without this, a client's keep-alive connection whose request has finished would hold the close open
  // until its keep-alive timeout.
  const sweep = setInterval(() => {
    for (const app of servers) app.server.closeIdleConnections();
  }, IDLE_SWEEP_MS);
  const grace = setTimeout(() => {
    log.warn({ running: gateway.inFlight.size, graceMs }, 'shutdown grace is over: ending running requests');
    gateway.inFlight.abortAll(
      new GatewayError('overloaded', SHUTTING_DOWN_MESSAGE, { status: 503, retryAfterMs: 1_000 }),
    );
    // What no abort ends (a client following a background response live) is cut.
    setTimeout(() => {
      for (const app of servers) app.server.closeAllConnections();
      gateway.inFlight.closeSockets();
    }, CUT_AFTER_ABORT_MS).unref();
  }, graceMs);
  try {
    await Promise.all(servers.map((app) => app.close()));
  } finally {
    clearInterval(sweep);
    clearTimeout(grace);
  }
}
