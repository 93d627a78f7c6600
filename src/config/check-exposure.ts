/**
 * The one rule that keeps a fresh install from becoming an open proxy to paid APIs: a gateway reachable
 * from other machines must have client keys, unless the operator explicitly says otherwise.
 */
import { isLoopbackHost } from './is-loopback-host.js';

/** Returns the problem line, or undefined when the combination is safe. */
export function checkExposure(
  host: string,
  requireAuth: boolean | undefined,
  keyCount: number,
): string | undefined {
  if (requireAuth === false || keyCount > 0 || isLoopbackHost(host)) return undefined;
  return (
    `server.require_auth: listening on ${host} with no [[keys]] would expose the gateway; ` +
    'add keys or set require_auth = false explicitly'
  );
}
