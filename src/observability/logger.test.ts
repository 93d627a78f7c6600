import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger, LineBatch, logDestination } from './logger.js';

function recordingSink() {
  const writes: string[] = [];
  let syncFlushes = 0;
  return {
    writes,
    syncFlushes: () => syncFlushes,
    write: (text: string) => writes.push(text),
    flushSync: () => {
      syncFlushes++;
    },
  };
}

describe('LineBatch', () => {
  it('holds lines until the batch is full, then hands them over in one write, in order', () => {
    const sink = recordingSink();
    const batch = new LineBatch(sink, 30);
    batch.write('{"n":1}\n');
    batch.write('{"n":2}\n');
    batch.write('{"n":3}\n');
    expect(sink.writes).toEqual([]);
    batch.write('{"n":4}\n');
    expect(sink.writes).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n']);
    batch.write('{"n":5}\n');
    expect(sink.writes).toHaveLength(1);
  });

  it('releases a partial batch on the timer tick and at exit (flushSync), never an empty write', () => {
    const sink = recordingSink();
    const batch = new LineBatch(sink, 1_000);
    batch.release();
    expect(sink.writes).toEqual([]);
    batch.write('a\n');
    batch.release();
    expect(sink.writes).toEqual(['a\n']);
    batch.write('b\n');
    batch.flushSync();
    expect(sink.writes).toEqual(['a\n', 'b\n']);
    expect(sink.syncFlushes()).toBe(1);
  });

  it('carries pino lines to the production destination in a file, complete and in order', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'junction-log-')), 'out.log');
    const batch = new LineBatch(logDestination(openSync(path, 'w')), 16_384);
    const logger = pino({ base: { service: 'junction' } }, batch);
    for (let i = 0; i < 500; i++)
      logger.info({ usage: { requestId: `r${i}`, model: 'm' } }, 'request completed');
    batch.flushSync();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(500);
    expect(lines.map((line) => JSON.parse(line).usage.requestId)).toEqual(
      Array.from({ length: 500 }, (_, i) => `r${i}`),
    );
  });
});

describe('createLogger', () => {
  it('refuses an unknown level, naming the variable and the levels there are', () => {
    expect(() => createLogger('verbose')).toThrow(
      'JUNCTION_LOG_LEVEL: "verbose" is not a log level (use fatal, error, warn, info, debug, trace, silent)',
    );
  });
});
