/**
 * From the parsed TOML table to the GatewayConfig the gateway runs on. Problems are gathered from every
 * pass (schema, secrets, cross-references, exposure) before giving up, so one run reports all of them.
 */
import type { ProviderConfig } from '../providers/provider-adapter.js';
import { checkConfigReferences } from './check-config-references.js';
import { checkExposure } from './check-exposure.js';
import {
  type ConfigDocument,
  configSchema,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_TIMEOUT_MS,
} from './config-schema.js';
import { describeConfigIssue } from './describe-config-issue.js';
import { orderConfigProblems } from './order-config-problems.js';
import { parseListenAddress } from './parse-listen-address.js';
import { asArray, asString, asTable, type RawTable } from './raw-toml.js';
import { type ResolvedSecrets, resolveConfigSecrets } from './resolve-config-secrets.js';
import type { Env } from './resolve-secret.js';
import type { GatewayConfig } from './types.js';

export type BuildResult = { ok: true; config: GatewayConfig } | { ok: false; problems: string[] };

export function buildGatewayConfig(document: RawTable, source: string, env: Env): BuildResult {
  const problems: string[] = [];
  const parsed = configSchema.safeParse(document, { reportInput: true });
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap(describeConfigIssue));
  const secrets = resolveConfigSecrets(document, env, problems);
  checkConfigReferences(document, problems);
  checkDocumentExposure(document, problems);
  if (!parsed.success || problems.length > 0)
    return { ok: false, problems: orderConfigProblems(problems, document) };
  return { ok: true, config: assemble(parsed.data, secrets, source) };
}

function checkDocumentExposure(document: RawTable, problems: string[]): void {
  const server = asTable(document.server) ?? {};
  let host: string;
  try {
    host = parseListenAddress(asString(server.listen) ?? '127.0.0.1:0').host;
  } catch {
    return; // a malformed listen address is the schema's to report
  }
  const requireAuth = typeof server.require_auth === 'boolean' ? server.require_auth : undefined;
  const problem = checkExposure(host, requireAuth, asArray(document.keys).length);
  if (problem !== undefined) problems.push(problem);
}

/** Only called once every check passed, so every secret is resolved. */
function assemble(data: ConfigDocument, secrets: ResolvedSecrets, source: string): GatewayConfig {
  const { server } = data;
  return {
    server: {
      host: server.listen.host,
      port: server.listen.port,
      // With keys configured they are enforced unless the operator says otherwise; with none there is
      // nothing to check against (and the exposure rule has already confined that case to loopback).
      requireAuth: server.require_auth ?? data.keys.length > 0,
      requireAuthExplicit: server.require_auth !== undefined,
      maxBodyBytes: server.max_body_bytes,
    },
    keys: data.keys.map((key, index) => ({ name: key.name, sha256: secrets.keyHashes[index] ?? '' })),
    providers: Object.entries(data.providers).map(([name, provider]): ProviderConfig => {
      if (provider.type === 'echo') {
        // No upstream: the pool and timeout fields are unused but kept at their defaults for uniformity.
        return {
          name,
          type: 'echo',
          baseUrl: '',
          apiKeys: [],
          timeoutMs: DEFAULT_TIMEOUT_MS,
          headers: {},
          maxConnections: DEFAULT_MAX_CONNECTIONS,
        };
      }
      const resolved = secrets.providers.get(name);
      return {
        name,
        type: provider.type,
        baseUrl: provider.base_url,
        apiKeys: resolved?.apiKeys ?? [],
        timeoutMs: provider.timeout,
        headers: resolved?.headers ?? {},
        maxConnections: provider.max_connections,
      };
    }),
    models: data.models.map((model) => ({
      alias: model.alias,
      targets: model.targets,
      defaults: model.defaults,
    })),
    source,
  };
}
