/**
 * A request's cancellation while the shared path answers it: the client going away cancels the upstream
 * call (nobody pays for tokens no one reads), and shutdown finds the request in flight. `done` ends both.
 */
import type { ServerResponse } from 'node:http';
import { Cancellation } from '../core/cancellation.js';
import type { Gateway } from '../gateway.js';

export function followClient(
  gateway: Pick<Gateway, 'inFlight'>,
  raw: ServerResponse,
): { cancel: Cancellation; done: () => void } {
  const cancel = new Cancellation();
  const onClose = (): void => {
    if (!raw.writableFinished) cancel.abort();
  };
  raw.once('close', onClose);
  gateway.inFlight.add(cancel);
  return {
    cancel,
    done: () => {
      raw.off('close', onClose);
      gateway.inFlight.delete(cancel);
    },
  };
}
