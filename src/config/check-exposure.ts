/**
 * The one rule that keeps a fresh install from becoming an open proxy to paid APIs: a gateway reachable
 * from other machines must check its callers (client keys, JWTs, or an explicit require_auth = true, whose
 * keys then come from the admin API), unless the operator explicitly says otherwise.
 */
import { isLoopbackHost } from './is-loopback-host.js';

/** Returns the problem line, or undefined when the combination is safe. */
export function checkExposure(
  host: string,
  requireAuth: boolean | undefined,
  keyCount: number,
  jwt = false,
): string | undefined {
  // An explicit true is enforced even with no keys (every request is a 401 until a key is created).
  if (requireAuth !== undefined || keyCount > 0 || jwt || isLoopbackHost(host)) return undefined;
  return (
    `server.require_auth: listening on ${host} with no [[keys]] would expose the gateway; ` +
    'add keys, or set require_auth = true (keys then come from the admin API) or false explicitly'
  );
}
