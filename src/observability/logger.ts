/**
 * The process logger: JSON lines (pino) to stdout, level from JUNCTION_LOG_LEVEL.
 *
 * Lines are gathered and written in batches (every 250 ms, when 16 KiB accumulate, and at exit), so the
 * per-request usage line costs an array push, not a write syscall. Nothing secret is ever put in a log
 * record (keys are hashed before anything sees them), so no redaction pass runs per line.
 */
import type { DestinationStream, Logger } from 'pino';
import { pino } from 'pino';

const FLUSH_INTERVAL_MS = 250;
/** About 35 usage lines per write: each write is a thread-pool round trip, which showed in profiles. */
const BATCH_CHARS = 16_384;

/** Where batched lines go: SonicBoom (pino.destination) in production. */
export interface LineSink {
  write(text: string): unknown;
  flushSync(): void;
}

/**
 * Gathers log lines and hands them to the sink in batches. SonicBoom can batch by itself (`minLength`), but
 * it measures the byte length of its whole pending string on every write, which flattens that string each
 * time: heap sampling showed about 10 KB of garbage per log line, more than the rest of a relayed request
 * allocates in Junction's own code. Here a write is an array push.
 */
export class LineBatch {
  private lines: string[] = [];
  private chars = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly batchChars = BATCH_CHARS,
  ) {}

  write(line: string): boolean {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.batchChars) this.release();
    return true;
  }

  /** Hands whatever is gathered to the sink. */
  release(): void {
    if (this.lines.length === 0) return;
    const text = this.lines.length === 1 ? this.lines[0]! : this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.sink.write(text);
  }

  /** pino's `logger.flush(cb)`: the gathered lines go to the sink. */
  flush(cb?: (error?: Error) => void): void {
    this.release();
    cb?.();
  }

  /** Everything gathered and pending is on its way to the file descriptor when this returns. */
  flushSync(): void {
    this.release();
    this.sink.flushSync();
  }
}

/**
 * The file descriptor (stdout by default) each batch is written to, synchronously. With asynchronous
 * writes, an exit while one batch was still in the thread pool let SonicBoom's `flushSync` write the later
 * lines first: lines logged just before `process.exit` came out of order in 18 of 40 exits. Written
 * synchronously, lines keep their order and the exit flush is complete; a reader of stdout that stops
 * reading holds the gateway up (as pino's default does) instead of growing its memory without bound.
 * One write per ~40 lines costs a few microseconds; an A/B run of the fast path measured no difference in
 * CPU per request.
 */
export function logDestination(fd: number = 1): DestinationStream & LineSink {
  // minLength 0: each batch is written at once; batching is LineBatch's job.
  return pino.destination({ dest: fd, sync: true, minLength: 0, maxWrite: 65_536 });
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function createLogger(level = process.env.JUNCTION_LOG_LEVEL ?? 'info', fd = 1): Logger {
  // pino's own message for an unknown level ("default level:x must be included in custom levels") does
  // not say where the level came from.
  if (!LEVELS.includes(level))
    throw new Error(`JUNCTION_LOG_LEVEL: "${level}" is not a log level (use ${LEVELS.join(', ')})`);
  const batch = new LineBatch(logDestination(fd));
  const logger = pino({ level, base: { service: 'junction' } }, batch);
  setInterval(() => batch.release(), FLUSH_INTERVAL_MS).unref();
  process.once('exit', () => batch.flushSync());
  return logger;
}
