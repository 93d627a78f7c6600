/**
 * The compatibility matrix: every client dialect × every provider × every scenario, against one real
 * gateway process (one mock upstream per provider), run one cell at a time. The run renders
 * docs/compatibility.md and fails when the committed file differs; UPDATE_COMPATIBILITY=1 rewrites it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayProcess } from '../support/gateway-process.js';
import { REPO_ROOT, startGateway } from '../support/gateway-process.js';
import type { MockUpstream } from '../support/mock-upstream.js';
import { startMockUpstream } from '../support/mock-upstream.js';
import { anthropicFor, openAIFor } from './clients.js';
import { runEchoCell } from './echo-cells.js';
import type { CellOutcome, ProviderId } from './matrix-types.js';
import { DIALECTS, PROVIDERS, SCENARIOS } from './matrix-types.js';
import { COLUMNS } from './provider-columns.js';
import { cellKey, renderCompatibility } from './render-compatibility.js';
import type { MatrixClients } from './run-cell.js';
import { runProviderCell } from './run-cell.js';

const CLIENT_KEY = 'jk-matrix-client-key';
const DOC_PATH = join(REPO_ROOT, 'docs/compatibility.md');

let gateway: GatewayProcess;
const mocks = {} as Record<Exclude<ProviderId, 'echo'>, MockUpstream>;
let clients: MatrixClients;
const outcomes = new Map<string, CellOutcome>();

beforeAll(async () => {
  mocks.openai = await startMockUpstream();
  mocks.anthropic = await startMockUpstream();
  mocks.gemini = await startMockUpstream();
  gateway = await startGateway({
    config: `
[server]
listen = "127.0.0.1:0"
require_auth = true

[[keys]]
name = "matrix"
key = "${CLIENT_KEY}"

[providers.${COLUMNS.openai.name}]
type = "openai"
base_url = "${mocks.openai.origin}/v1"
api_key = "sk-matrix-upstream"

[providers.${COLUMNS.anthropic.name}]
type = "anthropic"
base_url = "${mocks.anthropic.origin}"
api_key = "matrix-upstream"

[providers.${COLUMNS.gemini.name}]
type = "gemini"
base_url = "${mocks.gemini.origin}"
api_key = "matrix-upstream"

[providers.echo]
type = "echo"
`,
  });
  clients = {
    openai: openAIFor(gateway.baseURL, CLIENT_KEY),
    anthropic: anthropicFor(gateway.baseURL, CLIENT_KEY),
  };
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
});

for (const dialect of DIALECTS) {
  describe(dialect.id, () => {
    for (const provider of PROVIDERS) {
      for (const scenario of SCENARIOS) {
        const key = cellKey(dialect.id, provider, scenario.id);
        it(key, async () => {
          const outcome: CellOutcome = {
            dialect: dialect.id,
            provider,
            scenario: scenario.id,
            status: 'pass',
            held: false,
            fixtures: [],
          };
          outcomes.set(key, outcome);
          if (provider === 'echo') {
            Object.assign(outcome, await runEchoCell(clients, dialect.id, scenario.id));
          } else {
            const run = await runProviderCell(
              clients,
              COLUMNS[provider],
              mocks[provider],
              dialect.id,
              scenario.id,
            );
            Object.assign(outcome, run.declared, { fixtures: run.fixtures });
          }
          outcome.held = true;
        });
      }
    }
  });
}

describe('docs/compatibility.md', () => {
  it('is what this run renders (regenerate with UPDATE_COMPATIBILITY=1 npm test)', (context) => {
    const total = DIALECTS.length * PROVIDERS.length * SCENARIOS.length;
    // A filtered run (-t) leaves cells unknown: nothing to compare then.
    if (outcomes.size !== total) context.skip();
    const rendered = renderCompatibility(outcomes);
    const failed = [...outcomes.entries()].filter(([, o]) => !o.held).map(([key]) => key);
    if (process.env.UPDATE_COMPATIBILITY) writeFileSync(DOC_PATH, rendered);
    expect(failed, 'cells that failed').toEqual([]);
    let committed = '';
    try {
      committed = readFileSync(DOC_PATH, 'utf8');
    } catch {
      // A missing file is out of date too.
    }
    if (committed !== rendered)
      expect.fail('docs/compatibility.md is out of date; run `UPDATE_COMPATIBILITY=1 npm test`');
  });
});
