/**
 * Preloaded into the gateway by bench/soak.mjs only (`node --expose-gc --import ./bench/gc-probe.mjs`):
 * on SIGUSR2 it runs a full garbage collection and prints the process's memory to stderr, so the soak
 * compares live memory after each round rather than whatever garbage happened to be uncollected.
 */
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  process.stderr.write(`gc-probe ${JSON.stringify({ rss, heapUsed, heapTotal, external, arrayBuffers })}\n`);
});
