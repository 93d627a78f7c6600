/**
 * Canonical tool-call arguments (a JSON text) -> Anthropic's `tool_use.input` (a JSON object).
 * Empty arguments are `{}`. Arguments that are not a JSON object (a model can emit broken JSON through a
 * provider without constrained decoding) are kept whole as `{"_raw": "<text>"}` rather than dropped, so
 * the client sees exactly what the model produced.
 */
export const RAW_ARGUMENTS_KEY = '_raw';

export function toToolInput(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through to the raw wrapper
  }
  return { [RAW_ARGUMENTS_KEY]: text };
}
