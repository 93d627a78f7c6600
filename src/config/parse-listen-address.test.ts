import { describe, expect, it } from 'vitest';
import { formatListenAddress, parseListenAddress } from './parse-listen-address.js';

describe('parseListenAddress', () => {
  it.each([
    ['127.0.0.1:8787', '127.0.0.1', 8787],
    ['0.0.0.0:80', '0.0.0.0', 80],
    ['localhost:0', 'localhost', 0],
    ['gateway.internal:65535', 'gateway.internal', 65535],
    ['[::1]:8787', '::1', 8787],
    ['[::]:9000', '::', 9000],
    ['[fe80::1]:443', 'fe80::1', 443],
  ])('%s -> %s port %d', (text, host, port) => {
    expect(parseListenAddress(text)).toEqual({ host, port });
  });

  it.each([
    ['8787', 'must be HOST:PORT'],
    [':8787', 'must be HOST:PORT'],
    ['127.0.0.1', 'must be HOST:PORT'],
    ['127.0.0.1:', 'port must be a number from 0 to 65535'],
    ['127.0.0.1:http', 'port must be a number from 0 to 65535'],
    ['127.0.0.1:65536', 'port must be a number from 0 to 65535'],
    ['127.0.0.1:-1', 'port must be a number from 0 to 65535'],
    ['::1:8787', 'write IPv6 addresses in brackets'],
    ['[nope]:8787', '"nope" is not an IPv6 address'],
  ])('rejects %s', (text, message) => {
    expect(() => parseListenAddress(text)).toThrow(message);
  });

  it('formats back with brackets for IPv6', () => {
    expect(formatListenAddress({ host: '::1', port: 8787 })).toBe('[::1]:8787');
    expect(formatListenAddress({ host: '127.0.0.1', port: 8787 })).toBe('127.0.0.1:8787');
  });
});
