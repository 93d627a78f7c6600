/**
 * Upstream HTTP through undici: one Agent (a keep-alive pool per origin) per provider, streamed bodies.
 */

import type { Dispatcher } from 'undici';
import { Agent, errors as undiciErrors } from 'undici';
import type { Cancellation } from '../../core/cancellation.js';
import { GatewayError } from '../../core/errors.js';
import type { UpstreamBody } from './upstream-body.js';
import { DispatchedBody } from './upstream-body.js';

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: UpstreamBody;
}

export interface UpstreamRequestOptions {
  method?: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
  /** The call's cancellation, owned by the caller for this call (an attempt); the timeout aborts it. */
  cancel: Cancellation;
  timeoutMs: number;
  provider: string;
}

/** One pool per origin, bounded; HTTP/1.1 keep-alive unless `http2` asks for ALPN negotiation. */
export function createUpstreamAgent(maxConnections: number, http2 = false): Agent {
  return new Agent({
    connections: maxConnections,
    allowH2: http2,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    // Streams can be silent for long stretches (reasoning); the attempt timeout governs instead.
    bodyTimeout: 0,
    headersTimeout: 0,
  });
}

/**
 * Sends one upstream request; resolves with the status and headers once they arrive, the body still
 * streaming in. Network failures and timeouts become classified GatewayErrors.
 *
 * Through undici's `dispatch` rather than `request()`: the answer's bytes go straight into a
 * `DispatchedBody` instead of through a Node stream per answer (upstream-body.ts says what that saves).
 */
export function sendUpstream(
  agent: Dispatcher,
  url: string,
  options: UpstreamRequestOptions,
): Promise<UpstreamResponse> {
  const { cancel, provider } = options;
  return new Promise((resolve, reject) => {
    if (cancel.aborted) {
      reject(classifyTransportError(abortError(cancel.reason), provider, false));
      return;
    }
    let controller: Dispatcher.DispatchController | undefined;
    // An abort that came before undici handed out the controller, applied when it does.
    let pendingAbort: Error | undefined;
    // The returned promise has settled: answered, or refused (transport failure or cancel).
    let settled = false;
    let timedOut = false;
    const abort = (reason: Error): void => {
      if (controller) controller.abort(reason);
      else pendingAbort ??= reason;
    };
    const body = new DispatchedBody(() => controller, abort);
    const refuse = (error: unknown): void => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(classifyTransportError(error, provider, timedOut));
    };
    const onCancel = (reason: unknown): void => {
      const error = abortError(reason);
      abort(error);
      // Waiting for a pooled connection can take long: the caller hears of the abort at once.
      refuse(error);
    };
    cancel.once('abort', onCancel);
    // One timer, and the caller's Cancellation listened to directly: AbortSignal and AbortController on
    // the request path cost measurable CPU (bench/profile-findings.md). The timeout covers the whole
    // attempt, body included, so it is cleared only when the body is done.
    const timer = setTimeout(() => {
      timedOut = true;
      cancel.abort(new DOMException('Upstream attempt timed out', 'TimeoutError'));
    }, options.timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      cancel.removeListener('abort', onCancel);
    };
    const target = dispatchTarget(url);
    agent.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method: options.method ?? 'POST',
        headers: options.headers,
        body: options.body,
      },
      {
        onRequestStart: (started) => {
          controller = started;
          if (pendingAbort) started.abort(pendingAbort);
        },
        onResponseStart: (started, status, headers) => {
          // 1xx informational answers come before the real one.
          if (status < 200) return;
          // Already refused (cancelled while the request was on its way): nobody will read this answer.
          if (settled) {
            started.abort(new undiciErrors.RequestAbortedError());
            return;
          }
          settled = true;
          body.onClose(cleanup);
          resolve({ status, headers, body });
        },
        onResponseData: (_controller, chunk) => body.push(chunk),
        onResponseEnd: () => body.end(),
        onResponseError: (_controller, error) => {
          if (settled) body.fail(error);
          else refuse(error);
        },
      },
    );
  });
}

const targets = new Map<string, { origin: string; path: string }>();

/**
 * A URL as undici's dispatch takes it. A provider posts to the same few URLs, and parsing one (about
 * 0.6 µs) costs more than looking it up; the cache is emptied should it ever hold many.
 */
function dispatchTarget(url: string): { origin: string; path: string } {
  let target = targets.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: parsed.pathname + parsed.search };
    if (targets.size >= 1024) targets.clear();
    targets.set(url, target);
  }
  return target;
}

/** A cancellation's reason as the Error undici aborts with. */
function abortError(reason: unknown): Error {
  return reason instanceof Error ? reason : new undiciErrors.RequestAbortedError();
}

export function classifyTransportError(error: unknown, provider: string, timedOut: boolean): GatewayError {
  if (error instanceof GatewayError) return error;
  if (timedOut)
    return new GatewayError('timeout', `Upstream ${provider} timed out`, { provider, cause: error });
  if (
    error instanceof undiciErrors.RequestAbortedError ||
    (error instanceof Error && error.name === 'AbortError')
  ) {
    return new GatewayError('timeout', `Request to ${provider} was aborted`, {
      provider,
      cause: error,
      status: 499,
    });
  }
  const code = (error as { code?: string } | undefined)?.code ?? '';
  return new GatewayError('network', `Could not reach upstream ${provider}${code ? ` (${code})` : ''}`, {
    provider,
    cause: error,
  });
}

/** Reads a whole (small) body as text; used for error bodies and non-stream JSON answers. */
export async function readText(body: UpstreamResponse['body']): Promise<string> {
  return body.text();
}
