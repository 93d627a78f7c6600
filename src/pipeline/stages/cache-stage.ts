/**
 * The response cache on the request path. `Cache-Control: no-cache` skips the lookup, `no-store` the
 * write; a request with fields Junction cannot model is never cached (they may change the answer, and
 * the key could not see them). A hit answers from the stored events, streamed or collected in the
 * client's dialect; a miss that will be stored watches the answer as events (so it takes the translated
 * path) and stores it once it finished cleanly. Reports `x-junction-cache: hit | miss | bypass`.
 */
import type { CanonicalEvent } from '../../core/canonical-events.js';
import { cacheKey } from '../cache/cache-key.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { Stage } from '../stage.js';

export interface CacheStageOptions {
  cache: ResponseCache;
  ttlMs: number;
  perKey: boolean;
  maxEntryBytes: number;
  onError(error: unknown, operation: 'get' | 'set'): void;
  onResult?(result: 'hit' | 'miss' | 'bypass'): void;
}

export function cacheStage(options: CacheStageOptions): Stage {
  return {
    name: 'cache',
    async begin(context) {
      const control = (context.clientHeaders['cache-control'] ?? '').toLowerCase();
      const noCache = /\bno-cache\b/.test(control);
      const noStore = /\bno-store\b/.test(control);
      const report = (result: 'hit' | 'miss' | 'bypass'): void => {
        context.responseHeaders['x-junction-cache'] = result;
        options.onResult?.(result);
      };
      if (context.decoded.unmodeled.length > 0 || (noCache && noStore)) {
        report('bypass');
        return undefined;
      }
      const { canonical } = context.decoded;
      const key = cacheKey(canonical, options.perKey ? context.identity.keyName : undefined);
      if (!noCache) {
        const entry = await options.cache.get(key).catch((error: unknown) => {
          options.onError(error, 'get');
          return undefined;
        });
        if (entry) {
          report('hit');
          context.record.cacheHit = true;
          return { answer: replay(entry.events) };
        }
      }
      report(noCache ? 'bypass' : 'miss');
      if (noStore) return undefined;
      context.relayAllowed = false;
      const store = (events: CanonicalEvent[]): void => {
        const now = Date.now();
        const entry = {
          events,
          model: canonical.model,
          ...(options.perKey ? { keyName: context.identity.keyName } : {}),
          createdAt: now,
          expiresAt: now + options.ttlMs,
        };
        if (JSON.stringify(entry).length > options.maxEntryBytes) return;
        options.cache.set(key, entry).catch((error: unknown) => options.onError(error, 'set'));
      };
      return { wrapEvents: (events) => recordEvents(events, store) };
    },
  };
}

async function* replay(events: readonly CanonicalEvent[]): AsyncGenerator<CanonicalEvent> {
  for (const event of events) yield event;
}

/** Passes events through and hands the whole list to `store` once the answer finished cleanly. */
async function* recordEvents(
  events: AsyncIterable<CanonicalEvent>,
  store: (events: CanonicalEvent[]) => void,
): AsyncGenerator<CanonicalEvent> {
  const seen: CanonicalEvent[] = [];
  let finished = false;
  for await (const event of events) {
    seen.push(event);
    if (event.type === 'finish') finished = true;
    yield event;
  }
  if (finished) store(seen);
}
