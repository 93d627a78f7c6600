/** What the Responses routes share: the gateway, its response store, the background runs, a logger. */
import type { Logger } from 'pino';
import type { Gateway } from '../gateway.js';
import type { CallerIdentity } from '../pipeline/authenticate.js';
import type { ResponseStore } from '../storage/response-store/response-store.js';
import type { BackgroundResponses } from './responses-background.js';

export interface ResponsesSurface {
  gateway: Gateway;
  store: ResponseStore;
  background: BackgroundResponses;
  log: Logger;
}

/** The caller, whose key owns what it creates. */
export async function callerOf(
  surface: ResponsesSurface,
  headers: Record<string, string | string[] | undefined>,
): Promise<CallerIdentity> {
  return surface.gateway.authenticate(headers);
}
