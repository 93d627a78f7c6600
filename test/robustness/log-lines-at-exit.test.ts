/**
 * The process logger as a service manager sees it: stdout redirected to a file, and the process ending
 * with `process.exit` (as a graceful shutdown does) right after logging. Every line logged before the
 * exit must be in the file, in the order it was logged: the usage lines of the last requests before a
 * deploy are the ones an operator reconciles.
 *
 * With asynchronous batch writes this failed in about half of the exits: a batch still in the thread pool
 * at exit landed after the lines the exit flush wrote synchronously.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/gateway-process.js';

const LOGGER_URL = pathToFileURL(join(REPO_ROOT, 'dist/observability/logger.js')).href;
// More than one 16 KiB batch, so a batch is being written when the next lines come; then a last few lines
// and an immediate exit.
const SCRIPT = `
const { createLogger } = await import(${JSON.stringify(LOGGER_URL)});
const log = createLogger('info');
for (let i = 0; i < 300; i++) log.info({ i, pad: 'x'.repeat(100) }, 'request completed');
setImmediate(() => {
  for (let i = 300; i < 330; i++) log.info({ i }, 'request completed');
  process.exit(0);
});
`;

const dir = mkdtempSync(join(tmpdir(), 'junction-exit-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('log lines at exit', () => {
  it('reach a redirected stdout complete and in order, exit after exit', () => {
    for (let run = 0; run < 10; run++) {
      const path = join(dir, `run-${run}.log`);
      const stdout = openSync(path, 'w');
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], {
        stdio: ['ignore', stdout, 'pipe'],
        encoding: 'utf8',
      });
      closeSync(stdout);
      expect(result.status, result.stderr).toBe(0);
      const order = readFileSync(path, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => (JSON.parse(line) as { i: number }).i);
      expect(order, `run ${run}`).toEqual(Array.from({ length: 330 }, (_, i) => i));
    }
  });
});
