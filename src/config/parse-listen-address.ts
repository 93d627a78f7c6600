/**
 * `server.listen` and `--listen` take "HOST:PORT"; IPv6 hosts are bracketed ("[::1]:8787") so the last
 * colon is unambiguous. The host is returned without brackets, as node's `listen()` wants it.
 */
import { isIPv6 } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

/** Throws an Error whose message is fit for a config problem line. */
export function parseListenAddress(text: string): ListenAddress {
  const value = text.trim();
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  if (bracketed !== null) {
    const host = bracketed[1] ?? '';
    if (!isIPv6(host)) throw new Error(`"${text}": "${host}" is not an IPv6 address`);
    return { host, port: parsePort(text, bracketed[2] ?? '') };
  }
  const colon = value.lastIndexOf(':');
  if (colon <= 0) throw new Error(`"${text}" must be HOST:PORT, e.g. "127.0.0.1:8787" or "[::1]:8787"`);
  const host = value.slice(0, colon);
  if (host.includes(':')) throw new Error(`"${text}": write IPv6 addresses in brackets, e.g. "[::1]:8787"`);
  return { host, port: parsePort(text, value.slice(colon + 1)) };
}

function parsePort(text: string, port: string): number {
  const n = /^\d{1,5}$/.test(port) ? Number(port) : Number.NaN;
  if (!(n >= 0 && n <= 65535)) throw new Error(`"${text}": port must be a number from 0 to 65535`);
  return n;
}

/** Formats an address back the way it is written in config (brackets around IPv6). */
export function formatListenAddress(address: ListenAddress): string {
  return isIPv6(address.host) ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
