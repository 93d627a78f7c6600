/**
 * Who is calling, before any stage runs. A key may come as `Authorization: Bearer <key>`, as
 * `x-api-key` (Anthropic clients), or as the password of HTTP Basic; a bearer JWT is verified when
 * `[auth.jwt]` is configured. Keys are held only as sha256 hashes: a presented key is hashed once
 * and looked up, so the comparison leaks nothing about stored keys.
 *
 * Keys are required when `require_auth = true` is written (even before any key exists: admin-created
 * keys may come later), and otherwise once any exists (config or admin-created) or JWT auth is
 * configured, unless `require_auth = false` was written explicitly; an open gateway treats unknown keys
 * as anonymous.
 */
import type { JwtAuthConfig, KeyLimits } from '../config/types.js';
import { GatewayError } from '../core/errors.js';
import { claimedName, claimsToLimits } from './auth/claims-to-limits.js';
import { createJwtVerifier, looksLikeJwt } from './auth/jwt-verifier.js';
import { hashKey } from './hash-key.js';
import type { KeyRecord } from './state/key-record.js';

export { hashKey } from './hash-key.js';

export interface CallerIdentity {
  /** The key's name (or the JWT's name claim), or "anonymous" on an open gateway. */
  keyName: string;
  /** The caller's limits; absent for anonymous callers. */
  limits?: KeyLimits;
  via?: 'anonymous' | 'key' | 'jwt';
  /**
   * The key was presented by a secret it had before its last rotation, inside the grace period: the
   * usage line says so, so an operator can see who still uses the old secret before it stops.
   */
  previousSecret?: true;
}

/**
 * A key found in memory is answered synchronously (no promise on the hot path); a JWT or a key looked up
 * in shared state comes as a promise. A refusal is thrown, or rejected.
 */
export type Authenticator = (
  headers: Record<string, string | string[] | undefined>,
) => CallerIdentity | Promise<CallerIdentity>;

/** What the authenticator needs from the key directory (GovernanceState). */
export interface KeyDirectory {
  keyByHash(sha256: string): KeyRecord | undefined;
  lookupHash(sha256: string): Promise<KeyRecord | undefined>;
  keyByName(name: string): KeyRecord | undefined;
  hasKeys(): boolean;
}

export interface AuthenticatorOptions {
  keys: KeyDirectory;
  /** `[server] require_auth` as written; undefined when not written. */
  requireAuth?: boolean;
  jwt?: JwtAuthConfig;
}

const ANONYMOUS: CallerIdentity = { keyName: 'anonymous', via: 'anonymous' };

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { keys, jwt } = options;
  const verifyJwt = jwt ? createJwtVerifier(jwt) : undefined;
  // One identity per key record, made on its first request: records are replaced, never changed, when a
  // key's limits change, so this saves copying the limits out of the record on every request.
  const identities = new WeakMap<KeyRecord, CallerIdentity>();
  const enforced = (): boolean => options.requireAuth ?? (verifyJwt !== undefined || keys.hasKeys());

  const identityOf = (record: KeyRecord | undefined, sha256: string): CallerIdentity => {
    if (!record) {
      if (!enforced()) return ANONYMOUS;
      throw new GatewayError('auth', 'Invalid API key', { code: 'invalid_api_key' });
    }
    if (record.revoked) throw revoked();
    if (record.sha256 !== sha256) {
      return { keyName: record.name, limits: limitsOf(record), via: 'key', previousSecret: true };
    }
    let identity = identities.get(record);
    if (identity === undefined) {
      identity = { keyName: record.name, limits: limitsOf(record), via: 'key' };
      identities.set(record, identity);
    }
    return identity;
  };
  const verifyToken = async (token: string): Promise<CallerIdentity> => {
    const payload = await verifyJwt!(token);
    const keyName = claimedName(payload, jwt!.claims.keyName);
    const base = keys.keyByName(keyName) ?? keys.keyByName(jwt!.templateKey ?? '');
    if (base?.revoked) throw revoked();
    return { keyName, limits: claimsToLimits(payload, jwt!.claims, limitsOf(base)), via: 'jwt' };
  };

  return (headers) => {
    const presented = presentedCredential(headers);
    if (presented === undefined) {
      if (!enforced()) return ANONYMOUS;
      throw new GatewayError(
        'auth',
        'Missing API key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>"',
        {
          code: 'missing_api_key',
        },
      );
    }
    if (verifyJwt && presented.bearer && looksLikeJwt(presented.value)) return verifyToken(presented.value);
    const sha256 = hashKey(presented.value);
    const known = keys.keyByHash(sha256);
    return known
      ? identityOf(known, sha256)
      : keys.lookupHash(sha256).then((found) => identityOf(found, sha256));
  };
}

function revoked(): GatewayError {
  return new GatewayError('auth', 'This API key has been revoked', { code: 'revoked_api_key' });
}

function limitsOf(record: KeyRecord | undefined): KeyLimits {
  if (!record) return {};
  const {
    name: _name,
    sha256: _sha,
    id: _id,
    source: _source,
    createdAt: _created,
    revoked: _revoked,
    rotatedAt: _rotated,
    previous: _previous,
    ...limits
  } = record;
  return limits;
}

function presentedCredential(
  headers: Record<string, string | string[] | undefined>,
): { value: string; bearer: boolean } | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (bearer) return { value: bearer[1]!.trim(), bearer: true };
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
    if (basic) {
      // The key is the password; a client that puts it in the user name (empty password) works too.
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon === -1 ? decoded : decoded.slice(0, colon);
      const password = colon === -1 ? '' : decoded.slice(colon + 1);
      const key = password !== '' ? password : user;
      if (key !== '') return { value: key, bearer: false };
    }
  }
  // Anthropic clients send x-api-key; accepting it here keeps one key per caller across dialects.
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? { value: apiKey, bearer: false } : undefined;
}
