/**
 * Secrets in config are either literals or `env:VAR` references, so a config file can be committed
 * without the keys in it. Client keys are held only as sha256 hashes.
 */
import { createHash } from 'node:crypto';

export type Env = Readonly<Record<string, string | undefined>>;

export type Resolved<T> = { ok: true; value: T } | { ok: false; problem: string };

const ENV_PREFIX = 'env:';
const SHA256_PREFIX = 'sha256:';

/** `env:VAR` -> the variable's value (missing or empty is a problem); anything else is a literal. */
export function resolveSecret(value: string, env: Env): Resolved<string> {
  if (!value.startsWith(ENV_PREFIX)) return { ok: true, value };
  const name = value.slice(ENV_PREFIX.length);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return {
      ok: false,
      problem: `"env:" must be followed by an environment variable name, e.g. "env:MY_KEY"`,
    };
  }
  const resolved = env[name];
  if (resolved === undefined || resolved === '') {
    return { ok: false, problem: `environment variable ${name} is not set` };
  }
  return { ok: true, value: resolved };
}

/**
 * A client key as its sha256 hex: `sha256:<64 hex>` is already the hash (so plaintext keys never need
 * to be written down); any other value, after env: resolution, is hashed here.
 */
export function resolveKeyHash(value: string, env: Env): Resolved<string> {
  const resolved = resolveSecret(value, env);
  if (!resolved.ok) return resolved;
  const key = resolved.value;
  if (key.startsWith(SHA256_PREFIX)) {
    const hex = key.slice(SHA256_PREFIX.length);
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
      return { ok: false, problem: '"sha256:" must be followed by exactly 64 hex digits' };
    }
    return { ok: true, value: hex.toLowerCase() };
  }
  return { ok: true, value: sha256Hex(key) };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
