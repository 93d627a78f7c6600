/**
 * The process logger: JSON lines (pino) to stdout, level from JUNCTION_LOG_LEVEL.
 *
 * Writes are buffered and asynchronous (flushed every 250 ms, when 16 KiB accumulate, and at exit) so the
 * per-request usage line never blocks the event loop on a write syscall. Nothing secret is ever put in a
 * log record (keys are hashed before anything sees them), so no redaction pass runs per line.
 */
import type { Logger } from 'pino';
import { pino } from 'pino';

const FLUSH_INTERVAL_MS = 250;

export function createLogger(level = process.env.JUNCTION_LOG_LEVEL ?? 'info'): Logger {
  // 16 KiB batches (about 35 usage lines): each write is a thread-pool round trip, which showed in profiles.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 16_384, maxWrite: 65_536 });
  const logger = pino({ level, base: { service: 'junction' } }, destination);
  setInterval(() => destination.flush(), FLUSH_INTERVAL_MS).unref();
  process.once('exit', () => destination.flushSync());
  return logger;
}
