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
      const allowedTargets = new Set<string>();
      for (const alias of aliases) {
        if (!matchesAny(globs, alias.alias)) continue;
        for (const target of alias.targets) allowedTargets.add(`${target.provider}/${target.model}`);
      }
      const primary = context.route.alias;
      if (primary)
        for (const target of primary.targets) allowedTargets.add(`${target.provider}/${target.model}`);
      for (const target of context.route.targets) {
        if (
          allowedTargets.has(target.label) ||
          matchesAny(globs, target.label) ||
          matchesAny(globs, target.model)
        ) {
          continue;
        }
        throw notAllowed(context.identity.keyName, target.label);
      }
      return undefined;
    },
  };
}

function notAllowed(keyName: string, model: string): GatewayError {
  return new GatewayError('permission', `Key "${keyName}" may not use model "${model}"`, {
    code: 'model_not_allowed',
    param: 'model',
  });
}

/**
 * The `GET /v1/models` listing as a key with allowed models sees it: what it may name, by the stage's
 * first rule (the model the client names must match one of the key's globs).
 */
export function visibleModels<T extends { id: string }>(
  listing: readonly T[],
  globs: readonly string[] | undefined,
): T[] {
  return globs ? listing.filter((entry) => matchesAny(globs, entry.id)) : [...listing];
}
