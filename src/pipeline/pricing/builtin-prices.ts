/**
 * List prices for common models, USD per million tokens, standard (non-batch) tier, prompts within
 * the base context tier (Gemini 2.5 Pro doubles above 200k prompt tokens; not modelled).
 * Checked 2026-11-23 against the providers' published pricing pages (OpenAI API pricing, Anthropic
 * "Pricing" docs, Google Gemini API pricing). Prices change: `[[pricing]]` entries in the config are
 * matched first and override these.
 *
 * Globs match the upstream model id (dated snapshots included, e.g. "gpt-4.1-2025-04-14").
 * Anthropic cache writes are the 5-minute rate. Reasoning tokens are billed as output unless an entry
 * gives `reasoning`.
 */
import type { PricingConfig } from '../../config/types.js';

export const BUILTIN_PRICES_CHECKED = '2026-11-23';

export const BUILTIN_PRICES: readonly PricingConfig[] = [
  // OpenAI
  { model: 'gpt-4.1-nano*', input: 0.1, cachedInput: 0.025, output: 0.4 },
  { model: 'gpt-4.1-mini*', input: 0.4, cachedInput: 0.1, output: 1.6 },
  { model: 'gpt-4.1*', input: 2, cachedInput: 0.5, output: 8 },
  { model: 'gpt-4o-mini*', input: 0.15, cachedInput: 0.075, output: 0.6 },
  { model: 'gpt-4o*', input: 2.5, cachedInput: 1.25, output: 10 },
  { model: 'o4-mini*', input: 1.1, cachedInput: 0.275, output: 4.4 },
  { model: 'o3-mini*', input: 1.1, cachedInput: 0.55, output: 4.4 },
  { model: 'o3', input: 2, cachedInput: 0.5, output: 8 },
  { model: 'o3-2*', input: 2, cachedInput: 0.5, output: 8 },
  // Anthropic (Claude 4.x)
  { model: 'claude-opus-4-0*', input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
  { model: 'claude-opus-4-1*', input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
  { model: 'claude-opus-4-2025*', input: 15, cachedInput: 1.5, cacheWrite: 18.75, output: 75 },
  { model: 'claude-opus-4*', input: 5, cachedInput: 0.5, cacheWrite: 6.25, output: 25 },
  { model: 'claude-sonnet-4*', input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15 },
  { model: 'claude-haiku-4*', input: 1, cachedInput: 0.1, cacheWrite: 1.25, output: 5 },
  // Google Gemini 2.5
  { model: 'gemini-2.5-pro*', input: 1.25, cachedInput: 0.125, output: 10 },
  { model: 'gemini-2.5-flash-lite*', input: 0.1, cachedInput: 0.01, output: 0.4 },
  { model: 'gemini-2.5-flash*', input: 0.3, cachedInput: 0.03, output: 2.5 },
  // Embeddings (input only; output is always 0 tokens). Checked 2026-12-07 against published list prices.
  // Bedrock ids may carry an inference-profile prefix (`us.cohere.embed-v4:0`), hence the leading globs.
  { model: 'text-embedding-3-small*', input: 0.02, output: 0 },
  { model: 'text-embedding-3-large*', input: 0.13, output: 0 },
  { model: 'text-embedding-ada-002*', input: 0.1, output: 0 },
  { model: 'gemini-embedding-001', input: 0.15, output: 0 },
  { model: 'embed-v4.0', input: 0.12, output: 0 },
  { model: '*cohere.embed-v4*', input: 0.12, output: 0 },
  { model: '*amazon.titan-embed-text-v2*', input: 0.02, output: 0 },
  { model: 'mistral-embed', input: 0.1, output: 0 },
];
