/**
 * /admin/policy/{rate-limit,system-prompt,guardrails}: read the effective policy, replace it (PUT), or
 * go back to the configured one (DELETE). A change is stored in the runtime state (Redis with the
 * redis backend), so it takes effect on every node without a restart.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { guardrailsSchema } from '../config/governance-schema.js';
import { parseDuration } from '../config/parse-duration.js';
import type { GuardrailsConfig } from '../config/types.js';
import { GatewayError } from '../core/errors.js';
import type { Gateway } from '../gateway.js';
import { compileGuardrails } from '../pipeline/guardrails/compile-guardrails.js';
import type { PolicyField } from '../pipeline/state/key-record.js';
import { parseBody, sendAdminError } from './admin-error.js';
import type { AdminHooks } from './admin-hooks.js';

const rateLimitSchema = z.strictObject({
  requests_per_window: z.int().positive().nullable().optional(),
  window: z.union([z.string(), z.number()]).optional(),
  algorithm: z.enum(['sliding_window', 'token_bucket']).optional(),
});

const systemPromptSchema = z.strictObject({ system_prompt: z.string().nullable() });

export function registerPolicyRoutes(app: FastifyInstance, gateway: Gateway, hooks: AdminHooks): void {
  const { state } = gateway.governance;
  const sourceOf = (field: PolicyField): 'admin' | 'config' => (state.overridden(field) ? 'admin' : 'config');

  const rateLimitView = () => {
    const policy = state.policy().rateLimit;
    return {
      requests_per_window: policy.requestsPerWindow ?? null,
      window_ms: policy.windowMs,
      algorithm: policy.algorithm,
      source: sourceOf('rateLimit'),
    };
  };
  app.get('/admin/policy/rate-limit', hooks, async () => rateLimitView());
  app.put('/admin/policy/rate-limit', hooks, async (request, reply) => {
    try {
      const body = parseBody(rateLimitSchema, request.body);
      const current = state.policy().rateLimit;
      let windowMs = current.windowMs;
      if (body.window !== undefined) {
        try {
          windowMs = parseDuration(body.window);
        } catch (error) {
          throw new GatewayError('invalid_request', `window: ${(error as Error).message}`, {
            param: 'window',
          });
        }
      }
      const requests =
        body.requests_per_window === undefined
          ? current.requestsPerWindow
          : (body.requests_per_window ?? undefined);
      await state.setPolicy('rateLimit', {
        windowMs,
        algorithm: body.algorithm ?? current.algorithm,
        ...(requests === undefined ? {} : { requestsPerWindow: requests }),
      });
      return rateLimitView();
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });

  const promptView = () => ({
    system_prompt: state.policy().systemPrompt ?? null,
    source: sourceOf('systemPrompt'),
  });
  app.get('/admin/policy/system-prompt', hooks, async () => promptView());
  app.put('/admin/policy/system-prompt', hooks, async (request, reply) => {
    try {
      const body = parseBody(systemPromptSchema, request.body);
      await state.setPolicy('systemPrompt', body.system_prompt === null ? {} : { value: body.system_prompt });
      return promptView();
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });

  const guardrailsView = () => ({
    ...guardrailsToToml(state.policy().guardrails),
    source: sourceOf('guardrails'),
  });
  app.get('/admin/policy/guardrails', hooks, async () => guardrailsView());
  app.put('/admin/policy/guardrails', hooks, async (request, reply) => {
    try {
      const body = parseBody(guardrailsSchema, request.body);
      const guardrails = guardrailsFromToml(body);
      try {
        compileGuardrails(guardrails);
      } catch (error) {
        throw new GatewayError('invalid_request', `Invalid pattern: ${(error as Error).message}`);
      }
      await state.setPolicy('guardrails', guardrails);
      return guardrailsView();
    } catch (error) {
      return sendAdminError(reply, error);
    }
  });

  for (const [path, field] of [
    ['/admin/policy/rate-limit', 'rateLimit'],
    ['/admin/policy/system-prompt', 'systemPrompt'],
    ['/admin/policy/guardrails', 'guardrails'],
  ] as const) {
    app.delete(path, hooks, async (_request, reply) => {
      try {
        await state.setPolicy(field, undefined);
        return { reverted: true, source: 'config' };
      } catch (error) {
        return sendAdminError(reply, error);
      }
    });
  }
}

type GuardrailsBody = z.output<typeof guardrailsSchema>;

export function guardrailsFromToml(body: GuardrailsBody): GuardrailsConfig {
  return {
    bannedPhrases: body.banned_phrases,
    denyPatterns: body.deny_patterns,
    redactPatterns: body.redact_patterns,
    builtinDeny: body.builtin_deny,
    builtinRedact: body.builtin_redact,
    ...(body.min_input_chars === undefined ? {} : { minInputChars: body.min_input_chars }),
    ...(body.max_input_chars === undefined ? {} : { maxInputChars: body.max_input_chars }),
    ...(body.output_disclaimer === undefined ? {} : { outputDisclaimer: body.output_disclaimer }),
    applyTo: body.apply_to,
    streamWindow: body.stream_window,
  };
}

export function guardrailsToToml(config: GuardrailsConfig): Record<string, unknown> {
  return {
    banned_phrases: config.bannedPhrases,
    deny_patterns: config.denyPatterns,
    redact_patterns: config.redactPatterns,
    builtin_deny: config.builtinDeny,
    builtin_redact: config.builtinRedact,
    min_input_chars: config.minInputChars ?? null,
    max_input_chars: config.maxInputChars ?? null,
    output_disclaimer: config.outputDisclaimer ?? null,
    apply_to: config.applyTo,
    stream_window: config.streamWindow,
  };
}
