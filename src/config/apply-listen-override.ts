/**
 * `--listen HOST:PORT` replaces server.listen after loading. It goes through the same exposure rule as the
 * file, so the flag cannot open a keyless gateway to the network behind the config's back.
 */
import { checkExposure } from './check-exposure.js';
import { ConfigError } from './config-error.js';
import { EMBEDDED_DEFAULT_SOURCE } from './config-schema.js';
import { parseListenAddress } from './parse-listen-address.js';
import type { GatewayConfig } from './types.js';

export function applyListenOverride(config: GatewayConfig, listen: string): GatewayConfig {
  let address: { host: string; port: number };
  try {
    address = parseListenAddress(listen);
  } catch (error) {
    throw new ConfigError('--listen', [`--listen: ${(error as Error).message}`]);
  }
  // Only a require_auth = false written in the config counts as the operator's explicit choice.
  const explicit = config.server.requireAuthExplicit === true ? config.server.requireAuth : undefined;
  const exposure = checkExposure(address.host, explicit, config.keys.length, config.auth?.jwt !== undefined);
  if (exposure !== undefined) {
    // The embedded default cannot be given keys: say what to do instead.
    const remedy =
      config.source === EMBEDDED_DEFAULT_SOURCE
        ? '; the embedded default has none: write a config file with [[keys]] and pass it with --config'
        : '';
    throw new ConfigError(config.source, [`${exposure} (listen address from --listen ${listen})${remedy}`]);
  }
  return { ...config, server: { ...config.server, host: address.host, port: address.port } };
}
