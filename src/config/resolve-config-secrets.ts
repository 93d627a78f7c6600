/**
 * Resolves every secret in the document (`env:` references, client key hashes), reading the raw TOML so
 * that an unset variable is reported even when its table has other problems.
 */
import { formatConfigPath } from './format-config-path.js';
import { asArray, asString, asTable, type RawTable } from './raw-toml.js';
import { type Env, resolveKeyHash, resolveSecret } from './resolve-secret.js';

export interface ResolvedSecrets {
  /** The admin token, when `[admin] token` is set and resolved. */
  adminToken?: string;
  /** sha256 hex per `keys[i]`, index-aligned; undefined where the key is missing or did not resolve. */
  keyHashes: Array<string | undefined>;
  /** Per provider name: its resolved api keys, header values and type-specific secrets. */
  providers: Map<string, ResolvedProviderSecrets>;
  /** Governance secrets by TOML path ("limits.url", "usage.url", "cache.url", "auth.jwt.public_key", ...). */
  governance: Map<string, string>;
}

/** Governance fields that may hold credentials (a Redis password, a database URL, a key). */
const GOVERNANCE_SECRETS: ReadonlyArray<readonly [string, string]> = [
  ['limits', 'url'],
  ['cache', 'url'],
  ['usage', 'url'],
  ['auth.jwt', 'public_key'],
  ['auth.jwt', 'jwks_url'],
];

export interface ResolvedProviderSecrets {
  apiKeys: string[];
  headers: Record<string, string>;
  /** Other secret fields (access_key_id, credentials_json, bearer_token, ...) by TOML name. */
  fields: Record<string, string>;
}

/** Type-specific provider fields that hold secrets and so accept env: indirection. */
const SECRET_FIELDS = [
  'access_key_id',
  'secret_access_key',
  'session_token',
  'credentials_json',
  'bearer_token',
];

export function resolveConfigSecrets(document: RawTable, env: Env, problems: string[]): ResolvedSecrets {
  const secrets: ResolvedSecrets = {
    keyHashes: resolveKeyHashes(asArray(document.keys), env, problems),
    providers: resolveProviderSecrets(asTable(document.providers) ?? {}, env, problems),
    governance: resolveGovernanceSecrets(document, env, problems),
  };
  const token = asString(asTable(document.admin)?.token);
  if (token !== undefined && token !== '') {
    const resolved = resolveSecret(token, env);
    if (resolved.ok) secrets.adminToken = resolved.value;
    else problems.push(`admin.token: ${resolved.problem}`);
  }
  return secrets;
}

function resolveKeyHashes(keys: unknown[], env: Env, problems: string[]): Array<string | undefined> {
  const nameSeenAt = new Map<string, number>();
  const hashSeenAt = new Map<string, number>();
  return keys.map((entry, index) => {
    const table = asTable(entry);
    const name = asString(table?.name);
    if (name !== undefined) {
      const first = nameSeenAt.get(name);
      if (first !== undefined)
        problems.push(`keys[${index}].name: duplicate key name "${name}" (also keys[${first}])`);
      else nameSeenAt.set(name, index);
    }
    const key = asString(table?.key);
    if (key === undefined || key === '') return undefined; // the schema reports it
    const hash = resolveKeyHash(key, env);
    if (!hash.ok) {
      problems.push(`keys[${index}].key: ${hash.problem}`);
      return undefined;
    }
    // Two names for one key would make usage attribution ambiguous.
    const first = hashSeenAt.get(hash.value);
    if (first !== undefined) problems.push(`keys[${index}].key: same key as keys[${first}]`);
    else hashSeenAt.set(hash.value, index);
    return hash.value;
  });
}

function resolveProviderSecrets(
  providers: RawTable,
  env: Env,
  problems: string[],
): Map<string, ResolvedProviderSecrets> {
  const resolved = new Map<string, ResolvedProviderSecrets>();
  for (const [name, entry] of Object.entries(providers)) {
    const table = asTable(entry) ?? {};
    const at = (...path: string[]) => formatConfigPath(['providers', name, ...path]);
    const apiKeys: string[] = [];
    const apiKey = asString(table.api_key);
    if (apiKey !== undefined && apiKey !== '') {
      const key = resolveSecret(apiKey, env);
      if (key.ok) apiKeys.push(key.value);
      else problems.push(`${at('api_key')}: ${key.problem}`);
    }
    asArray(table.api_keys).forEach((entry, index) => {
      const text = asString(entry);
      if (text === undefined || text === '') return; // the schema reports it
      const key = resolveSecret(text, env);
      if (key.ok) apiKeys.push(key.value);
      else problems.push(`${at('api_keys')}[${index}]: ${key.problem}`);
    });
    // Header values may carry credentials for a proxy in front of the provider, so env: applies too.
    const headers: Record<string, string> = {};
    for (const [header, value] of Object.entries(asTable(table.headers) ?? {})) {
      const text = asString(value);
      if (text === undefined) continue;
      const resolvedValue = resolveSecret(text, env);
      if (resolvedValue.ok) headers[header] = resolvedValue.value;
      else problems.push(`${at('headers', header)}: ${resolvedValue.problem}`);
    }
    const fields: Record<string, string> = {};
    for (const field of SECRET_FIELDS) {
      const text = asString(table[field]);
      if (text === undefined || text === '') continue;
      const value = resolveSecret(text, env);
      if (value.ok) fields[field] = value.value;
      else problems.push(`${at(field)}: ${value.problem}`);
    }
    resolved.set(name, { apiKeys, headers, fields });
  }
  return resolved;
}

function resolveGovernanceSecrets(document: RawTable, env: Env, problems: string[]): Map<string, string> {
  const resolved = new Map<string, string>();
  for (const [tablePath, field] of GOVERNANCE_SECRETS) {
    let table: RawTable | undefined = document;
    for (const part of tablePath.split('.')) table = asTable(table?.[part]);
    const text = asString(table?.[field]);
    if (text === undefined || text === '') continue;
    const value = resolveSecret(text, env);
    if (value.ok) resolved.set(`${tablePath}.${field}`, value.value);
    else problems.push(`${tablePath}.${field}: ${value.problem}`);
  }
  return resolved;
}
