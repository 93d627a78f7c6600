/**
 * Claude refuses a stop sequence with no non-whitespace character (400 "each stop sequence must contain
 * non-whitespace"), while OpenAI takes `stop: ["\n"]`. Dropping it would change where the answer stops,
 * so the request is refused before the call, naming `stop`.
 */
import { GatewayError } from '../../core/errors.js';

export function refuseBlankStopSequences(stop: readonly string[] | undefined, providerName: string): void {
  const blank = stop?.find((sequence) => sequence.trim() === '');
  if (blank === undefined) return;
  throw new GatewayError(
    'unsupported',
    `stop: provider ${providerName} (Anthropic) needs every stop sequence to contain a non-whitespace character, and ${JSON.stringify(blank)} has none`,
    { param: 'stop', code: 'unsupported_value', provider: providerName },
  );
}
