import { MemoryRuntimeStore } from './memory-runtime-store.js';
import { runtimeStoreContract } from './runtime-store.contract.js';

// One process = one node: every "node" of the contract shares the same instance.
runtimeStoreContract('memory', {
  open: async (count) => {
    const store = new MemoryRuntimeStore();
    return Array.from({ length: count }, () => store);
  },
  cleanup: async () => {},
});
