/**
 * Bearer JWTs verified with jose against a JWKS URL (keys fetched once and cached, refetched on an
 * unknown `kid`, at most every 30 s) or a configured PEM public key. Claims then name the caller and
 * may carry its limits (see claimsToIdentity).
 */
import { createRemoteJWKSet, decodeProtectedHeader, importSPKI, type JWTPayload, jwtVerify } from 'jose';
import type { JwtAuthConfig } from '../../config/types.js';
import { GatewayError } from '../../core/errors.js';

export type JwtVerifier = (token: string) => Promise<JWTPayload>;

const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

export function createJwtVerifier(config: JwtAuthConfig): JwtVerifier {
  const algorithms = config.algorithms ?? ASYMMETRIC_ALGORITHMS;
  const options = {
    algorithms,
    ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
    ...(config.audience === undefined ? {} : { audience: config.audience }),
  };
  if (config.jwksUrl !== undefined) {
    const jwks = createRemoteJWKSet(new URL(config.jwksUrl), {
      cacheMaxAge: 10 * 60_000,
      cooldownDuration: 30_000,
      timeoutDuration: 5_000,
    });
    return async (token) => {
      try {
        return (await jwtVerify(token, jwks, options)).payload;
      } catch (error) {
        throw invalidToken(error);
      }
    };
  }
  const pem = config.publicKey ?? '';
  const keys = new Map<string, ReturnType<typeof importSPKI>>();
  return async (token) => {
    try {
      const { alg } = decodeProtectedHeader(token);
      if (alg === undefined || !algorithms.includes(alg)) throw new Error(`algorithm ${alg} not allowed`);
      let key = keys.get(alg);
      if (!key) {
        key = importSPKI(pem, alg);
        keys.set(alg, key);
      }
      return (await jwtVerify(token, await key, options)).payload;
    } catch (error) {
      throw invalidToken(error);
    }
  };
}

/** The reason (expired, bad signature, wrong issuer) helps the caller; nothing secret is in it. */
function invalidToken(error: unknown): GatewayError {
  const reason = error instanceof Error ? error.message : 'verification failed';
  return new GatewayError('auth', `Invalid bearer token: ${reason}`, { code: 'invalid_token' });
}

/** Three base64url segments, the first a JSON header: worth trying as a JWT. */
export function looksLikeJwt(token: string): boolean {
  return token.startsWith('eyJ') && /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token);
}
