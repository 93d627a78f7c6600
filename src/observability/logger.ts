/**
 * The process logger: JSON lines (pino), secrets redacted by path. Level from JUNCTION_LOG_LEVEL.
 */

import type { Logger } from 'pino';
import { pino } from 'pino';

export function createLogger(level = process.env.JUNCTION_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service: 'junction' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'headers.authorization',
        'headers["x-api-key"]',
        '*.apiKey',
        '*.apiKeys',
      ],
      censor: '[redacted]',
    },
  });
}
