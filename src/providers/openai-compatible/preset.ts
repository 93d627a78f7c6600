/**
 * What one OpenAI-wire host needs beyond the `openai` adapter: every field is optional and every quirk
 * cites where it is documented (see presets.ts).
 */
import type { ProviderRequest } from '../../core/canonical-request.js';
import type { ProviderCapabilities } from '../provider-adapter.js';
import type { ParamPath } from './strip-params.js';

export interface Preset {
  /** The host's page the quirks below come from, where there is one. */
  docs?: string;
  /** Parameters the host refuses for `model` (400 / 422); stripped with a warning on both paths. */
  unsupported?: (model: string, body: Record<string, unknown>) => readonly ParamPath[];
  /** Fields the host knows under another name (`max_completion_tokens` -> `max_tokens`); both paths. */
  rename?: Readonly<Record<string, string>>;
  /** The highest `temperature` the host accepts; higher values are clamped with a warning. */
  maxTemperature?: number;
  /** Translated path only: rewrites of the body the gateway wrote (reasoning fields). */
  adapt?: (body: Record<string, unknown>, request: ProviderRequest) => void;
  /**
   * The host serves OpenAI's `POST /embeddings` (documented at `embeddingsDocs`); without it an embeddings
   * request is a 400 naming the provider. `embeddingRename` maps request fields the host names otherwise.
   */
  embeddings?: { docs: string; rename?: Readonly<Record<string, string>>; tokens?: false };
  /** What the host cannot do, so the router refuses it with a clear 400 instead of the host failing. */
  capabilities?: Partial<ProviderCapabilities>;
}
