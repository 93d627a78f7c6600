/**
 * One upstream POST as the adapters make it: through the provider's pool, under its attempt timeout and
 * the call's cancellation, with a refused (non-2xx) answer thrown as the provider's classified GatewayError.
 */
import type { Dispatcher } from 'undici';
import type { GatewayError } from '../../core/errors.js';
import type { CallContext, ProviderConfig } from '../provider-adapter.js';
import type { UpstreamResponse } from './upstream-http.js';
import { sendUpstream } from './upstream-http.js';

export interface PostUpstreamOptions {
  config: Pick<ProviderConfig, 'name' | 'timeoutMs'>;
  context: Pick<CallContext, 'cancel'>;
  headers: Record<string, string>;
  body: string;
  /** Reads a refused answer into the provider's error (usually `upstreamError` with its body parser). */
  refusal: (response: UpstreamResponse) => Promise<GatewayError>;
}

/** The accepted (2xx) response, its body unread. */
export async function postUpstream(
  agent: Dispatcher,
  url: string,
  options: PostUpstreamOptions,
): Promise<UpstreamResponse> {
  const response = await sendUpstream(agent, url, {
    headers: options.headers,
    body: options.body,
    cancel: options.context.cancel,
    timeoutMs: options.config.timeoutMs,
    provider: options.config.name,
  });
  if (response.status < 200 || response.status >= 300) throw await options.refusal(response);
  return response;
}
