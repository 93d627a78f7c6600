/**
 * Runs a request against its route: picks the same-dialect fast path or the translated path for each
 * target, and moves to the next target while nothing has reached the client and the failure is one
 * that another target may not share. Holding the first event back is what makes that possible.
 */
import type { CanonicalEvent } from '../core/canonical-events.js';
import type { ProviderRequest } from '../core/canonical-request.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { DecodedRequest } from '../dialects/dialect.js';
import type { CallContext, RelayedResponse, WireDialect } from '../providers/provider-adapter.js';
import { canRelay } from '../providers/provider-adapter.js';
import { checkCapabilities } from './check-capabilities.js';
import type { Route, Target } from './model-catalog.js';

export interface AttemptRecord {
  target: string;
  status: number;
  failureClass?: string;
  durationMs: number;
}

export type RouteOutcome =
  | { kind: 'relay'; target: Target; relayed: RelayedResponse; attempts: AttemptRecord[] }
  | {
      kind: 'events';
      target: Target;
      /** The first event, already pulled: the upstream has accepted the request. */
      first: CanonicalEvent | undefined;
      rest: AsyncIterator<CanonicalEvent>;
      attempts: AttemptRecord[];
    };

export interface RouteFailure {
  error: GatewayError;
  attempts: AttemptRecord[];
}

export async function executeRoute(
  dialect: WireDialect,
  decoded: DecodedRequest,
  route: Route,
  context: CallContext,
): Promise<RouteOutcome> {
  const attempts: AttemptRecord[] = [];
  let lastError: GatewayError | undefined;
  for (const target of route.targets) {
    const started = performance.now();
    try {
      const outcome = await attempt(dialect, decoded, target, context);
      attempts.push({ target: target.label, status: 200, durationMs: performance.now() - started });
      return { ...outcome, target, attempts };
    } catch (thrown) {
      const error = toGatewayError(thrown);
      attempts.push({
        target: target.label,
        status: error.status,
        failureClass: error.failureClass,
        durationMs: performance.now() - started,
      });
      lastError = error;
      if (!error.retryable || context.signal.aborted) break;
    }
  }
  throw Object.assign(lastError ?? new GatewayError('internal', 'Route has no targets'), { attempts });
}

async function attempt(
  dialect: WireDialect,
  decoded: DecodedRequest,
  target: Target,
  context: CallContext,
): Promise<{ kind: 'relay'; relayed: RelayedResponse } | { kind: 'events'; first: CanonicalEvent | undefined; rest: AsyncIterator<CanonicalEvent> }> {
  const { provider } = target;
  if (canRelay(provider, dialect)) {
    return { kind: 'relay', relayed: await provider.relay(dialect, decoded.body, target.model, context) };
  }
  if (decoded.unmodeled.length > 0) {
    const field = decoded.unmodeled[0]!;
    throw new GatewayError('unsupported', `${field} is not supported by provider ${provider.name} (${provider.type})`, {
      param: field,
      code: 'unsupported_parameter',
    });
  }
  const request: ProviderRequest = { ...decoded.canonical, upstreamModel: target.model };
  checkCapabilities(provider, request);
  const rest = provider.stream(request, context)[Symbol.asyncIterator]();
  const first = await rest.next();
  return { kind: 'events', first: first.done ? undefined : first.value, rest };
}

/** The attempts recorded on an error thrown by executeRoute. */
export function attemptsOf(error: unknown): AttemptRecord[] {
  const attempts = (error as { attempts?: AttemptRecord[] } | undefined)?.attempts;
  return Array.isArray(attempts) ? attempts : [];
}
