/**
 * Runs the real gateway (`node dist/cli.js`) as a child process for end-to-end tests: writes the TOML
 * config to a temp dir (also the process's working directory), waits for the "Junction listening on http://HOST:PORT" log line, and keeps the
 * JSON log lines so tests can assert on usage records. Build first (`npm run build`, which `npm test`
 * does).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../..');
export const CLI_PATH = join(REPO_ROOT, 'dist/cli.js');

const LISTENING = /^Junction listening on (http:\/\/\S+)/;
const START_TIMEOUT_MS = 15_000;

/** Environment variables that would silently switch providers on in the embedded default. */
const PROVIDER_ENV = /^(OPENAI|ANTHROPIC|GEMINI)_|^JUNCTION_/;

export type LogLine = Record<string, unknown> & { msg?: string };

export interface GatewayOptions {
  /** TOML config text; written to a temp file and passed as --config. Omit to run the embedded default. */
  config?: string;
  /** Extra CLI arguments (e.g. ["--listen", "127.0.0.1:1234"]). */
  args?: string[];
  /** Added to a copy of this process's environment stripped of provider keys and JUNCTION_* variables. */
  env?: Record<string, string | undefined>;
}

export interface GatewayProcess {
  /** http://HOST:PORT, as the gateway logged it. */
  readonly baseURL: string;
  readonly configPath: string | undefined;
  /** The process's own working directory (where a relative data_dir lands). */
  readonly workDir: string;
  /** Every stdout line so far, raw. */
  readonly stdoutLines: string[];
  /** The stdout lines that parse as JSON (pino). */
  logs(): LogLine[];
  stderr(): string;
  /** Waits until a log line matches (the usage record is written after the response ends). */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** The usage record the gateway logged for a request id. */
  usageRecord(requestId: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
  /** SIGKILL: the process dies at once, as in a crash, with no shutdown work. */
  kill(): Promise<void>;
  /** Sends a signal (SIGTERM for a graceful shutdown) without waiting. */
  signal(name: NodeJS.Signals): void;
  /** Resolves with the exit code (null when killed by a signal) once the process has exited. */
  exited(): Promise<number | null>;
}

export function assertBuilt(): void {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first`);
}

/** A clean environment for the child: this one minus provider keys, plus `extra`. */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!PROVIDER_ENV.test(name)) env[name] = value;
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Writes a config file in a fresh temp dir and returns its path. */
export function writeTempConfig(toml: string, name = 'junction.toml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'junction-e2e-'));
  const path = join(dir, name);
  writeFileSync(path, toml);
  return path;
}

export async function startGateway(options: GatewayOptions = {}): Promise<GatewayProcess> {
  assertBuilt();
  const configPath = options.config === undefined ? undefined : writeTempConfig(options.config);
  // Its own working directory, removed when it stops: the default data_dir (./.junction-data) is then
  // this process's alone, as on a fresh clone, and no test reads what another test or an earlier run
  // left there, nor leaves files in the repository.
  const workDir = configPath ? dirname(configPath) : mkdtempSync(join(tmpdir(), 'junction-e2e-'));
  const args = [CLI_PATH, ...(configPath ? ['--config', configPath] : []), ...(options.args ?? [])];
  const child = spawn(process.execPath, args, {
    cwd: workDir,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const stdoutLines: string[] = [];
  const parsed: LogLine[] = [];
  let stderr = '';
  let pending = '';
  const waiters = new Set<() => void>();
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      stdoutLines.push(line);
      const json = parseLogLine(line);
      if (json) parsed.push(json);
    }
    for (const wake of waiters) wake();
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr += text;
  });

  const cleanup = (): void => {
    rmSync(workDir, { recursive: true, force: true });
  };
  const exit = new Promise<number | null>((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) resolvePromise(child.exitCode);
    else child.once('exit', (code) => resolvePromise(code));
  });

  let baseURL: string;
  try {
    baseURL = await waitForListening(
      child,
      parsed,
      waiters,
      () => stderr,
      () => stdoutLines,
    );
  } catch (error) {
    child.kill('SIGKILL');
    cleanup();
    throw error;
  }

  const waitForLog = (match: (line: LogLine) => boolean, timeoutMs = 5_000): Promise<LogLine> =>
    new Promise((resolvePromise, reject) => {
      const check = (): boolean => {
        const found = parsed.find(match);
        if (!found) return false;
        waiters.delete(wake);
        clearTimeout(timer);
        resolvePromise(found);
        return true;
      };
      const wake = (): void => {
        check();
      };
      const timer = setTimeout(() => {
        waiters.delete(wake);
        reject(
          new Error(
            `no matching gateway log line within ${timeoutMs} ms; last lines:\n${stdoutLines.slice(-5).join('\n')}`,
          ),
        );
      }, timeoutMs);
      waiters.add(wake);
      check();
    });

  return {
    baseURL,
    configPath,
    workDir,
    stdoutLines,
    logs: () => [...parsed],
    stderr: () => stderr,
    waitForLog,
    async usageRecord(requestId) {
      const line = await waitForLog((l) => isUsageFor(l, requestId));
      return line.usage as Record<string, unknown>;
    },
    stop: async () => {
      await stopChild(child);
      cleanup();
    },
    signal: (name) => {
      child.kill(name);
    },
    exited: () => exit,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
        child.kill('SIGKILL');
        await exited;
      }
      cleanup();
    },
  };
}

function isUsageFor(line: LogLine, requestId: string): boolean {
  const usage = line.usage;
  return (
    typeof usage === 'object' && usage !== null && (usage as { requestId?: unknown }).requestId === requestId
  );
}

function waitForListening(
  child: ChildProcess,
  parsed: LogLine[],
  waiters: Set<() => void>,
  stderr: () => string,
  stdout: () => string[],
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const finish = (error: Error | undefined, url?: string): void => {
      clearTimeout(timer);
      waiters.delete(check);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolvePromise(url!);
    };
    const describe = (): string =>
      `\n--- stderr ---\n${stderr().trim() || '(empty)'}\n--- stdout (last lines) ---\n${stdout().slice(-10).join('\n') || '(empty)'}`;
    const check = (): void => {
      for (const line of parsed) {
        const match = typeof line.msg === 'string' ? LISTENING.exec(line.msg) : null;
        if (match) {
          finish(undefined, match[1]!.replace(/\/+$/, ''));
          return;
        }
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      finish(new Error(`gateway exited before listening (code ${code}, signal ${signal})${describe()}`));
    };
    const timer = setTimeout(() => {
      finish(
        new Error(
          `gateway did not log "Junction listening on ..." within ${START_TIMEOUT_MS} ms${describe()}`,
        ),
      );
    }, START_TIMEOUT_MS);
    waiters.add(check);
    child.once('exit', onExit);
    check();
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolvePromise) =>
    setTimeout(() => resolvePromise('timeout'), 3_000),
  );
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

function parseLogLine(line: string): LogLine | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as LogLine)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A port that was free a moment ago (for flags that need a concrete port). */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolvePromise(port));
    });
  });
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli.js <args>` to completion (for `check`). */
export function runCli(args: string[], env: Record<string, string | undefined> = {}): CliResult {
  assertBuilt();
  const result = spawnSync(process.execPath, [CLI_PATH, ...args], {
    cwd: REPO_ROOT,
    env: childEnv(env),
    encoding: 'utf8',
    timeout: 15_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
