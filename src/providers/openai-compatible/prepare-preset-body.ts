/**
 * Applies a preset's quirks to an outgoing Chat Completions body. On the translated path (a canonical
 * request) the preset may also rewrite what the gateway wrote (reasoning shape); on the relay path the
 * client's body is only renamed, clamped and stripped, each stripped parameter reported through
 * `context.warn`.
 */
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { CallContext } from '../provider-adapter.js';
import type { Preset } from './preset.js';
import { stripParams, strippedWarning } from './strip-params.js';

export function preparePresetBody(
  preset: Preset,
  provider: string,
  body: Record<string, unknown>,
  context: CallContext,
  request?: ProviderRequest,
): Record<string, unknown> {
  // Top-level writes only: nested objects may be the client's, reused when the router fails over.
  let out: Record<string, unknown> = { ...body };
  if (request) preset.adapt?.(out, request);
  for (const [from, to] of Object.entries(preset.rename ?? {})) {
    if (out[from] === undefined || out[to] !== undefined) continue;
    out[to] = out[from];
    delete out[from];
  }
  const max = preset.maxTemperature;
  if (max !== undefined && typeof out.temperature === 'number' && out.temperature > max) {
    context.warn?.(`clamped temperature ${out.temperature} to ${max}, the maximum for ${provider}`);
    out.temperature = max;
  }
  const model = typeof out.model === 'string' ? out.model : '';
  const { body: stripped, stripped: names } = stripParams(out, preset.unsupported?.(model, out) ?? []);
  out = stripped;
  if (names.length > 0) context.warn?.(strippedWarning(provider, names));
  return out;
}
