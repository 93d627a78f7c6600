/**
 * The compatibility matrix: every client dialect × every provider × every scenario, against one real
 * gateway process (one mock upstream per provider), run one cell at a time. The run renders
 * docs/compatibility.md and fails when the committed file differs; UPDATE_COMPATIBILITY=1 rewrites it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayProcess } from '../support/gateway-process.js';
import { REPO_ROOT, startGateway } from '../support/gateway-process.js';
import type { MatrixUpstream, TokenEndpoint } from '../support/matrix-upstream-server.js';
import { startMatrixUpstream, startTokenEndpoint } from '../support/matrix-upstream-server.js';
import { anthropicFor, openAIFor } from './clients.js';
import type { ColumnEnv } from './column-types.js';
import { runEchoCell } from './echo-cells.js';
import type { CellOutcome, ColumnId } from './matrix-types.js';
import { DIALECTS, PROVIDERS, SCENARIOS } from './matrix-types.js';
import { COLUMNS } from './provider-columns.js';
import { cellKey, renderCompatibility } from './render-compatibility.js';
import type { MatrixClients } from './run-cell.js';
import { runProviderCell } from './run-cell.js';

const CLIENT_KEY = 'jk-matrix-client-key';
const DOC_PATH = join(REPO_ROOT, 'docs/compatibility.md');

let gateway: GatewayProcess;
let tokens: TokenEndpoint;
let env: ColumnEnv;
const mocks = {} as Record<ColumnId, MatrixUpstream>;
let clients: MatrixClients;
const outcomes = new Map<string, CellOutcome>();

/** A fresh service-account key for the Vertex columns, exchanged at the mock token endpoint. */
async function serviceAccountJson(tokenUrl: string): Promise<string> {
  const pair = await generateKeyPair('RS256', { extractable: true });
  return JSON.stringify({
    type: 'service_account',
    project_id: 'matrix-project',
    private_key_id: 'matrix-key-1',
    private_key: await exportPKCS8(pair.privateKey),
    client_email: 'matrix@matrix-project.iam.gserviceaccount.com',
    token_uri: tokenUrl,
  });
}

/** One `[providers.<name>]` table per column; JSON string escapes are valid TOML basic strings. */
function providerTables(): string {
  return Object.values(COLUMNS)
    .map((column) => {
      const keys = { type: column.type, ...column.config(mocks[column.id].origin, env) };
      const lines = Object.entries(keys).map(([key, value]) => `${key} = ${JSON.stringify(value)}`);
      return `[providers.${JSON.stringify(column.name)}]\n${lines.join('\n')}\n`;
    })
    .join('\n');
}

beforeAll(async () => {
  tokens = await startTokenEndpoint();
  env = {
    tokenUrl: tokens.url,
    accessToken: tokens.accessToken,
    tokenExchanges: tokens.exchanges,
    serviceAccountJson: await serviceAccountJson(tokens.url),
  };
  await Promise.all(
    Object.values(COLUMNS).map(async (column) => {
      mocks[column.id] = await startMatrixUpstream();
    }),
  );
  gateway = await startGateway({
    config: `
[server]
listen = "127.0.0.1:0"
require_auth = true

[[keys]]
name = "matrix"
key = "${CLIENT_KEY}"

${providerTables()}
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
  await tokens?.close();
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
              { mock: mocks[provider], env },
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
