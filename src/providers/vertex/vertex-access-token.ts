/**
 * OAuth2 access tokens for a service account (RFC 7523 JWT bearer grant): a JWT signed with the account's
 * key is exchanged at the token endpoint. Tokens are cached and refreshed early; concurrent callers share
 * one in-flight exchange, so a burst of requests on a cold or expiring cache costs one exchange.
 */

import type { CryptoKey, KeyObject } from 'jose';
import { importPKCS8, SignJWT } from 'jose';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { Cancellation } from '../../core/cancellation.js';
import { GatewayError, parseRetryAfter, redactSecrets } from '../../core/errors.js';
import { sendUpstream } from '../shared/upstream-http.js';
import type { ServiceAccount } from './vertex-credentials.js';
import { credentialsError } from './vertex-credentials.js';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
export const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Google caps a self-signed assertion's lifetime at one hour. */
const ASSERTION_LIFETIME_S = 3600;
const REFRESH_EARLY_MS = 5 * 60_000;
const TOKEN_TIMEOUT_MS = 30_000;

export interface AccessTokenSource {
  /** A valid token, from the cache or a fresh exchange. `cancel` only stops this caller's wait. */
  token(cancel: Cancellation): Promise<string>;
  /** Drops the cached token (after the API rejected it), so the next call exchanges again. */
  invalidate(): void;
}

export interface ServiceAccountTokenOptions {
  provider: string;
  loadCredentials: () => Promise<ServiceAccount>;
  agent: Dispatcher;
  /** Token endpoint override; else the account's token_uri, else Google's. */
  tokenUrl?: string;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
  timeoutMs?: number;
}

interface CachedToken {
  value: string;
  /** When to stop using it: expiry minus the refresh margin. */
  refreshAt: number;
}

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional().catch(undefined),
});

const tokenErrorSchema = z.looseObject({
  error: z.string().optional(),
  error_description: z.string().optional(),
});

export function createServiceAccountTokenSource(options: ServiceAccountTokenOptions): AccessTokenSource {
  const now = options.now ?? Date.now;
  const provider = options.provider;
  let signer: Promise<{ account: ServiceAccount; key: CryptoKey | KeyObject }> | undefined;
  let cached: CachedToken | undefined;
  let inFlight: Promise<CachedToken> | undefined;

  /** Loads and imports the key once; a failure is not cached, so a fixed file is picked up. */
  function loadSigner() {
    signer ??= (async () => {
      const account = await options.loadCredentials();
      try {
        return { account, key: await importPKCS8(account.private_key, 'RS256') };
      } catch {
        throw credentialsError(provider, 'the service-account private_key is not a PKCS#8 RSA key');
      }
    })().catch((error: unknown) => {
      signer = undefined;
      throw error;
    });
    return signer;
  }

  async function exchange(): Promise<CachedToken> {
    const { account, key } = await loadSigner();
    const audience = account.token_uri ?? DEFAULT_TOKEN_URL;
    const issuedAt = Math.floor(now() / 1000);
    const header: { alg: 'RS256'; typ: 'JWT'; kid?: string } = { alg: 'RS256', typ: 'JWT' };
    if (account.private_key_id !== undefined) header.kid = account.private_key_id;
    const assertion = await new SignJWT({ scope: CLOUD_PLATFORM_SCOPE })
      .setProtectedHeader(header)
      .setIssuer(account.client_email)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ASSERTION_LIFETIME_S)
      .sign(key);

    const requestedAt = now();
    // Shared by every waiting caller, so no single caller's cancellation may cancel it; it has its own
    // timeout.
    const response = await sendUpstream(options.agent, options.tokenUrl ?? audience, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
      cancel: new Cancellation(),
      timeoutMs: options.timeoutMs ?? TOKEN_TIMEOUT_MS,
      provider,
    });
    const text = await response.body.text().catch(() => '');
    if (response.status < 200 || response.status >= 300) {
      throw tokenError(provider, response.status, response.headers, text);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = tokenResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new GatewayError('auth', `${provider}: the token endpoint answered without an access_token`, {
        status: 502,
        provider,
        upstreamStatus: response.status,
      });
    }
    const lifetimeMs = (parsed.data.expires_in ?? ASSERTION_LIFETIME_S) * 1000;
    // A token shorter-lived than the margin is still used for half its life rather than never cached.
    const margin = Math.min(REFRESH_EARLY_MS, lifetimeMs / 2);
    return { value: parsed.data.access_token, refreshAt: requestedAt + lifetimeMs - margin };
  }

  return {
    async token(cancel) {
      if (cached && now() < cached.refreshAt) return cached.value;
      if (!inFlight) {
        inFlight = exchange()
          .then((fresh) => {
            cached = fresh;
            return fresh;
          })
          .finally(() => {
            inFlight = undefined;
          });
      }
      return (await untilAborted(inFlight, cancel, provider)).value;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/**
 * A refused exchange: the endpoint's OAuth error code and description (no secrets in either) name the
 * cause; the token endpoint's own outages are transient, everything else is a credentials problem.
 */
function tokenError(
  provider: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  text: string,
): GatewayError {
  let detail = `HTTP ${status}`;
  try {
    const body = tokenErrorSchema.safeParse(JSON.parse(text));
    if (body.success && body.data.error !== undefined) {
      detail += ` ${body.data.error}`;
      if (body.data.error_description !== undefined) detail += `: ${body.data.error_description}`;
    }
  } catch {
    // Not JSON: the status alone.
  }
  const transient = status >= 500 || status === 429;
  return new GatewayError(
    transient ? 'transient' : 'auth',
    `${provider}: access token request failed (${redactSecrets(detail)})`,
    {
      status: 502,
      provider,
      upstreamStatus: status,
      upstreamBody: redactSecrets(text.slice(0, 4096)),
      retryAfterMs: parseRetryAfter(headers),
    },
  );
}

/** Waits for a shared promise, giving up (without cancelling it) when this caller's call is cancelled. */
function untilAborted<T>(promise: Promise<T>, cancel: Cancellation, provider: string): Promise<T> {
  const aborted = () =>
    new GatewayError('timeout', `Request to ${provider} was aborted`, { provider, status: 499 });
  if (cancel.aborted) {
    promise.catch(() => {});
    return Promise.reject(aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const stopWaiting = cancel.onAbort(() => reject(aborted()));
    promise.then(
      (value) => {
        stopWaiting();
        resolve(value);
      },
      (error: unknown) => {
        stopWaiting();
        reject(error);
      },
    );
  });
}
