/**
 * A param naming a place in the canonical request (`messages[2].content[1]`, as a provider's translation
 * names it) in the client's own terms. The canonical messages are not the client's: Anthropic's `system`
 * and the Responses API's `instructions` become a message of their own, an Anthropic user message may
 * become several, Responses items merge into one message, a stage adds a system prompt, stored history
 * goes in front. So the client's request is decoded again with a SourceTrace, and the live message or part
 * is matched with its traced twin.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CanonicalRequest } from '../../core/canonical-request.js';
import type { SourceTrace } from './source-trace.js';

const IN_MESSAGES = /^messages\[(\d+)\](?:\.content\[(\d+)\])?/;

/**
 * Where in the client's request `param` lies, or undefined when it does not name a message or part or
 * its origin cannot be told for sure. Messages and parts are counted from the end (what stages and history
 * add goes in front) and trusted only where the traced one equals the live one. What follows a part
 * (`.arguments`) is a canonical field the client may spell otherwise, so the path stops at the part.
 */
export function locateInMessages(
  live: CanonicalRequest,
  traced: CanonicalRequest,
  trace: SourceTrace,
  param: string,
): string | undefined {
  const match = IN_MESSAGES.exec(param);
  const message = match ? live.messages[Number(match[1])] : undefined;
  if (!match || !message) return undefined;
  if (match[2] === undefined) return twinOf(message, live.messages, traced.messages, trace);
  const part = message.content[Number(match[2])];
  if (!part) return undefined;
  const parts = (request: CanonicalRequest): object[] =>
    request.messages.flatMap((m): readonly object[] => m.content);
  return twinOf(part, parts(live), parts(traced), trace);
}

function twinOf(
  item: object,
  live: readonly object[],
  traced: readonly object[],
  trace: SourceTrace,
): string | undefined {
  const fromEnd = live.length - live.indexOf(item);
  const twin = traced[traced.length - fromEnd];
  return twin !== undefined && isDeepStrictEqual(twin, item) ? trace.get(twin) : undefined;
}

/**
 * `param` in a surface's terms: a place in the messages traced back (or, when it cannot be, the
 * surface's whole conversation field), a top-level field renamed.
 */
export function locateParam(
  param: string,
  live: CanonicalRequest,
  retrace: (trace: SourceTrace) => CanonicalRequest | undefined,
  renames: Readonly<Record<string, string>> = {},
): string {
  if (!IN_MESSAGES.test(param)) return renames[param] ?? param;
  const trace: SourceTrace = new Map();
  const traced = retrace(trace);
  return (traced && locateInMessages(live, traced, trace, param)) ?? renames.messages ?? 'messages';
}
