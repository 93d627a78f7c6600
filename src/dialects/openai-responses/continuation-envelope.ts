/**
 * Provider continuation data inside Responses reasoning items.
 *
 * Responses clients already send reasoning items back untouched on the next turn (OpenAI requires it for
 * reasoning models), so that is where Junction keeps what a non-OpenAI provider needs back: Anthropic and
 * Bedrock thinking signatures, Anthropic redacted_thinking data, Gemini thought signatures. The item's
 * `encrypted_content` then holds an envelope only Junction reads:
 *
 *   "jx1." + base64url(JSON {"v":1, ...ContinuationData})
 *
 * - On a reasoning item that holds reasoning (summary = the thinking text): `signature`, `redactedData`,
 *   `providerData` of that ReasoningPart (and `encryptedContent` if an OpenAI blob rode along).
 * - On a *carrier* reasoning item (empty summary) that only transports data for another output item:
 *   `target` names it: `{type:"function_call", call_id}` for a Gemini thought signature on a function call
 *   (placed right before that function_call item), `{type:"message", id}` for one on text (placed right
 *   after that message item). Carriers never become reasoning parts; their data lands on the target.
 *
 * Genuine OpenAI `encrypted_content` (Fernet tokens, "gAAAA...") never starts with "jx1." and passes
 * through untouched as ReasoningPart.encryptedContent. Before relaying a request verbatim to OpenAI, drop
 * Junction's items (see prepare-openai-passthrough.ts): OpenAI cannot decrypt them.
 */
import type { ProviderData } from '../../core/canonical-request.js';

export const ENVELOPE_PREFIX = 'jx1.';

export type ContinuationTarget = { type: 'function_call'; call_id: string } | { type: 'message'; id: string };

export interface ContinuationData {
  signature?: string;
  redactedData?: string;
  encryptedContent?: string;
  providerData?: ProviderData;
  target?: ContinuationTarget;
}

export function encodeContinuation(data: ContinuationData): string {
  const json = JSON.stringify({ v: 1, ...data });
  return ENVELOPE_PREFIX + Buffer.from(json, 'utf8').toString('base64url');
}

export function isContinuationEnvelope(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENVELOPE_PREFIX);
}

/** The envelope's data; undefined when `value` is not a Junction envelope (e.g. OpenAI's own blob). */
export function decodeContinuation(value: string): ContinuationData | undefined {
  if (!isContinuationEnvelope(value)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value.slice(ENVELOPE_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { v?: unknown }).v !== 1) return undefined;
  const raw = parsed as Record<string, unknown>;
  const data: ContinuationData = {};
  if (typeof raw.signature === 'string') data.signature = raw.signature;
  if (typeof raw.redactedData === 'string') data.redactedData = raw.redactedData;
  if (typeof raw.encryptedContent === 'string') data.encryptedContent = raw.encryptedContent;
  if (isRecord(raw.providerData)) data.providerData = raw.providerData as ProviderData;
  const target = raw.target;
  if (isRecord(target)) {
    if (target.type === 'function_call' && typeof target.call_id === 'string')
      data.target = { type: 'function_call', call_id: target.call_id };
    else if (target.type === 'message' && typeof target.id === 'string')
      data.target = { type: 'message', id: target.id };
  }
  return data;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Provider data without the OpenAI family (which travels as plain encrypted_content). */
export function nonOpenAIProviderData(providerData: ProviderData | undefined): ProviderData | undefined {
  if (!providerData) return undefined;
  const { openai: _openai, ...rest } = providerData;
  return Object.keys(rest).length > 0 ? (rest as ProviderData) : undefined;
}
