/** A TCP port free on loopback right now, for the bench's servers (asked of the OS, then released). */
import { createServer } from 'node:net';

export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}
