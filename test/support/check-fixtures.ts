/**
 * Vitest global setup: the recorded fixtures must be there before anything runs. Without them a third of
 * the suite would fail with ENOENT one file at a time; this says once what is missing and how to fix it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from './fixtures.js';

export default function checkFixtures(): void {
  if (existsSync(join(FIXTURES_DIR, 'specs', 'openai-openapi.yaml'))) return;
  throw new Error(
    `The recorded provider fixtures are not at ${FIXTURES_DIR}. Clone Junction beside the shared folder ` +
      '(../shared/fixtures) or set JUNCTION_FIXTURES_DIR to the fixtures folder.',
  );
}
