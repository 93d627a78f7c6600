/**
 * Anthropic requires `max_tokens` on every request. When the client gives none we send the model's own
 * output ceiling, so the gateway never truncates an answer the model could have finished; models we do
 * not recognise get 4096, which every Claude model accepts.
 */

/** Matches `claude-<family>-<major>[-<minor>]` anywhere in the id (also Bedrock/Vertex-style ids). */
const NAMED_VERSION = /claude-(opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?!\d)/;

/** The family and version (4.5, 4.6, 5) of a `claude-<family>-<major>[-<minor>]` id, else undefined. */
export function claudeNamedVersion(model: string): { family: string; version: number } | undefined {
  const named = NAMED_VERSION.exec(model.toLowerCase());
  if (!named) return undefined;
  return { family: named[1]!, version: Number(named[2]) + Number(named[3] ?? 0) / 10 };
}
/** Claude 3.x naming puts the version first: `claude-3-5-sonnet-20241022`. */
const LEGACY_VERSION = /claude-3-(\d)(?!\d)/;

export function defaultMaxTokens(model: string): number {
  const id = model.toLowerCase();
  const named = claudeNamedVersion(id);
  if (named) {
    const { family, version } = named;
    if (family === 'opus') {
      if (version >= 4.5) return 64000;
      if (version >= 4) return 32000;
    }
    if (family === 'sonnet' && version >= 4) return 64000;
    if (family === 'haiku' && version >= 4.5) return 64000;
    return 4096;
  }
  const legacy = LEGACY_VERSION.exec(id);
  if (legacy && (legacy[1] === '5' || legacy[1] === '7')) return 8192;
  return 4096;
}
