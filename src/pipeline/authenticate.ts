/**
 * First governance stage: who is calling. Keys are held only as sha256 hashes; a presented key is
 * hashed once and looked up, so the comparison leaks nothing about stored keys.
 */
import { createHash } from 'node:crypto';
import type { ApiKeyConfig } from '../config/types.js';
import { GatewayError } from '../core/errors.js';

export interface CallerIdentity {
  /** The key's configured name, or "anonymous" when the gateway runs without keys. */
  keyName: string;
}

const ANONYMOUS: CallerIdentity = { keyName: 'anonymous' };

export type Authenticator = (headers: Record<string, string | string[] | undefined>) => CallerIdentity;

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function createAuthenticator(keys: readonly ApiKeyConfig[]): Authenticator {
  const byHash = new Map(keys.map((key) => [key.sha256, { keyName: key.name }] as const));
  // Without keys, access is open: the config loader refuses that on a non-loopback address unless
  // `require_auth = false` says it is intended.
  if (byHash.size === 0) return () => ANONYMOUS;
  return (headers) => {
    const presented = presentedKey(headers);
    if (presented === undefined) {
      throw new GatewayError('auth', 'Missing API key: send it as "Authorization: Bearer <key>"', {
        code: 'missing_api_key',
      });
    }
    const identity = byHash.get(hashKey(presented));
    if (!identity) throw new GatewayError('auth', 'Invalid API key', { code: 'invalid_api_key' });
    return identity;
  };
}

function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match) return match[1]!.trim();
  }
  // Anthropic clients send x-api-key; accepting it here keeps one key per caller across dialects.
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey : undefined;
}
