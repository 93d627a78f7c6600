#!/usr/bin/env node
/**
 * Entry point: `junction [--config FILE] [--listen HOST:PORT]` runs the gateway;
 * `junction check FILE` validates a configuration and prints every problem with its TOML path.
 */
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { checkConfigFile } from './config/check-config.js';
import { embeddedDefaultConfig } from './config/default-config.js';
import { applyListenOverride, ConfigError, loadConfigFile } from './config/load-config.js';
import type { GatewayConfig } from './config/types.js';
import { createGateway } from './gateway.js';
import { buildAdminServer, buildServer } from './http/server.js';
import { shutDown } from './http/shut-down.js';
import { createLogger } from './observability/logger.js';

const USAGE = `Usage:
  junction [--config FILE] [--listen HOST:PORT]   run the gateway (JUNCTION_CONFIG also names the file)
  junction check FILE                             validate a configuration file
  junction --help`;

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  listen: { type: 'string', short: 'l' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseCommandLine(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    // Node's own text goes on about positional arguments after '--'; its first sentence is what was wrong.
    const message = (error as Error).message.split('. ')[0] ?? '';
    process.stderr.write(`junction: ${message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals[0] === 'check') {
    const file = positionals[1] ?? values.config ?? process.env.JUNCTION_CONFIG;
    if (!file) {
      process.stderr.write(`junction check: name the configuration file\n${USAGE}\n`);
      return 2;
    }
    const result = checkConfigFile(file);
    (result.ok ? process.stdout : process.stderr).write(`${result.lines.join('\n')}\n`);
    return result.ok ? 0 : 1;
  }
  if (positionals.length > 0) {
    process.stderr.write(`junction: unknown command "${positionals[0]}"\n${USAGE}\n`);
    return 2;
  }
  const file = values.config ?? process.env.JUNCTION_CONFIG;
  let config: GatewayConfig = file ? loadConfigFile(file) : embeddedDefaultConfig();
  if (values.listen) config = applyListenOverride(config, values.listen);
  return serve(config);
}

async function serve(config: GatewayConfig): Promise<number> {
  const logger = createLogger();
  const gateway = createGateway(config, logger);
  const separateAdmin = config.admin?.port !== undefined;
  const app = buildServer(gateway, { admin: !separateAdmin });
  await app.listen({ host: config.server.host, port: config.server.port });
  let admin: FastifyInstance | undefined;
  if (separateAdmin && config.admin?.port !== undefined) {
    admin = buildAdminServer(gateway);
    await admin.listen({ host: config.admin.host ?? '127.0.0.1', port: config.admin.port });
    logger.info({ admin: admin.server.address() }, 'Junction admin API listening');
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  logger.info(
    {
      source: config.source,
      providers: [...gateway.providers.keys()],
      models: gateway.catalog.list().map((m) => m.id),
    },
    `Junction listening on http://${host}:${port}`,
  );
  // Whoever started the process waits for this line; do not leave it in the write buffer.
  logger.flush();
  let stopping = false;
  const shutdown = (signal: string): void => {
    // A second signal is the operator insisting: stop now.
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      logger.flush();
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, running: gateway.inFlight.size }, 'shutting down');
    shutDown(admin ? [app, admin] : [app], gateway, logger).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      // "<source>: N problems" and one indented line each, as `junction check` prints them.
      process.stderr.write(`junction: ${error.message}\n`);
    } else {
      process.stderr.write(`junction: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    process.exitCode = 1;
  },
);
