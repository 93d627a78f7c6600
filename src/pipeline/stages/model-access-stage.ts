/**
 * A key's allowed models. The model the client named must match one of the key's globs, and so must
 * every target the request may reach: a `models: [...]` fallback list cannot smuggle in a model the
 * key may not call. A target is allowed when its "provider/model" matches, or when it belongs to an
 * allowed alias (or to the allowed model the client named).
 */
import type { ModelAliasConfig } from '../../config/types.js';
import { GatewayError } from '../../core/errors.js';
import { matchesAny } from '../match-glob.js';
import type { RequestContext, Stage } from '../stage.js';

export function modelAccessStage(aliases: readonly ModelAliasConfig[]): Stage {
  return {
    name: 'model-access',
    begin(context: RequestContext) {
      const globs = context.identity.limits?.models;
      if (!globs) return undefined;
      const requested = context.decoded.canonical.model;
      if (!matchesAny(globs, requested)) throw notAllowed(context.identity.keyName, requested);
      const allowedTargets = targetsOfAllowedAliases(globs, aliases);
      const primary = context.route.alias;
      if (primary)
        for (const target of primary.targets) allowedTargets.add(`${target.provider}/${target.model}`);
      for (const target of context.route.targets) {
        if (!targetAllowed(globs, allowedTargets, target.label, target.model))
          throw notAllowed(context.identity.keyName, target.label);
      }
      return undefined;
    },
  };
}

/**
 * The `GET /v1/models` listing as a key with allowed models sees it: the aliases it may name and the
 * targets it may reach, by the same rules the stage applies to requests.
 */
export function visibleModels<T extends { id: string; alias: boolean }>(
  listing: readonly T[],
  globs: readonly string[] | undefined,
  aliases: readonly ModelAliasConfig[],
): T[] {
  if (!globs) return [...listing];
  const allowedTargets = targetsOfAllowedAliases(globs, aliases);
  return listing.filter((entry) => {
    if (entry.alias) return matchesAny(globs, entry.id);
    const slash = entry.id.indexOf('/');
    return targetAllowed(globs, allowedTargets, entry.id, entry.id.slice(slash + 1));
  });
}

/** "provider/model" of every target of an alias the globs allow. */
function targetsOfAllowedAliases(
  globs: readonly string[],
  aliases: readonly ModelAliasConfig[],
): Set<string> {
  const targets = new Set<string>();
  for (const alias of aliases) {
    if (!matchesAny(globs, alias.alias)) continue;
    for (const target of alias.targets) targets.add(`${target.provider}/${target.model}`);
  }
  return targets;
}

function targetAllowed(
  globs: readonly string[],
  allowedTargets: ReadonlySet<string>,
  label: string,
  model: string,
): boolean {
  return allowedTargets.has(label) || matchesAny(globs, label) || matchesAny(globs, model);
}

function notAllowed(keyName: string, model: string): GatewayError {
  return new GatewayError('permission', `Key "${keyName}" may not use model "${model}"`, {
    code: 'model_not_allowed',
    param: 'model',
  });
}
