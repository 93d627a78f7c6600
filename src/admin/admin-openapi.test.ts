import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config.js';
import { createGateway } from '../gateway.js';
import { adminOpenApi } from './admin-openapi.js';
import { registerAdminRoutes } from './admin-routes.js';

describe('admin OpenAPI document', () => {
  it('describes exactly the routes the admin API registers', async () => {
    // Its own data_dir: the gateway keeps its state file there, not in the repository.
    const dataDir = mkdtempSync(join(tmpdir(), 'junction-openapi-'));
    const config = parseConfig(
      `[server]\ndata_dir = "${dataDir}"\n[admin]\ntoken = "t"\n[usage]\nenabled = false\n[providers.echo]\ntype = "echo"\n`,
      'test.toml',
      {},
    );
    const gateway = createGateway(config, pino({ level: 'silent' }));
    const app = Fastify();
    const registered: string[] = [];
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods)
        if (method !== 'HEAD') registered.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
    });
    registerAdminRoutes(app, gateway);
    await app.ready();
    const paths = adminOpenApi().paths as Record<string, Record<string, unknown>>;
    const documented = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => ['get', 'put', 'post', 'patch', 'delete'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(registered.sort());
    await app.close();
    await gateway.governance.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
