/**
 * Loopback means only this machine can connect: 127.0.0.0/8, ::1 (also as an IPv4-mapped 127.x) and the
 * name "localhost". Anything else, including 0.0.0.0 and ::, is reachable from elsewhere.
 */
import { isIPv4, isIPv6, SocketAddress } from 'node:net';

export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (!isIPv6(name)) return false;
  // SocketAddress normalises the many spellings of an IPv6 address ("0:0:0:0:0:0:0:1", "::FFFF:127.0.0.1").
  const canonical = new SocketAddress({ address: name, family: 'ipv6' }).address;
  if (canonical === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(canonical);
  return mapped !== null && (mapped[1] ?? '').startsWith('127.');
}
