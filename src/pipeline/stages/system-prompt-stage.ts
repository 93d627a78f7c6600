/**
 * System prompt injection: the global prompt, then the calling key's own, appended to the client's
 * system prompt in whichever dialect it speaks (see inject-system-prompt.ts).
 */

import type { Stage } from '../stage.js';
import { injectSystemPrompt } from '../system-prompt/inject-system-prompt.js';

export function effectiveSystemPrompt(
  global: string | undefined,
  perKey: string | undefined,
): string | undefined {
  const parts = [global, perKey].filter((part): part is string => part !== undefined && part !== '');
  return parts.length === 0 ? undefined : parts.join('\n\n');
}

export function systemPromptStage(globalPrompt: () => string | undefined): Stage {
  return {
    name: 'system-prompt',
    begin(context) {
      const prompt = effectiveSystemPrompt(globalPrompt(), context.identity.limits?.systemPrompt);
      if (prompt !== undefined) injectSystemPrompt(context.decoded, context.dialect.name, prompt);
      return undefined;
    },
  };
}
