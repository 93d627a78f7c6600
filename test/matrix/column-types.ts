/**
 * What a provider column is: how the gateway is configured for it, what the upstream must receive, which
 * recording each scenario replays, and what the provider cannot do (with what the client gets instead).
 */
import type { RecordedRequest } from '../support/mock-upstream.js';
import type { ColumnId, DialectId, ScenarioId } from './matrix-types.js';
import type { ErrorReplay, Replay } from './replays.js';
import type { ResponsesRelay } from './responses-replays.js';
import type { Wire } from './upstream.js';

export interface ScenarioReplays {
  /** Served whenever the gateway streams from the upstream (a translated path always does). */
  stream: Replay;
  /** Served on the same-dialect fast path when the client does not stream (its own request goes upstream). */
  json?: Replay;
  /** The upstream model asked for, when the recording needs a particular one (Gemini 3, a reasoning model). */
  model?: string;
  /**
   * Set when the provider has no recording of this scenario and another recording stands in; says which and
   * why it is faithful. A stand-in that cannot show the scenario (`shows: false`) waives that check.
   */
  standIn?: { note: string; shows?: false };
}

export type ReplayedScenario = Exclude<ScenarioId, 'upstream-error'>;

/** What the client gets where the provider cannot do what the scenario asks. */
export type Unsupported =
  /** The gateway refuses before anything goes upstream: the exact status, error type and message. */
  | { kind: 'refused'; status: number; message: string; note: string }
  /**
   * The request is served, but the provider's answer lacks what the scenario is about (no signature, no
   * argument pieces, no cache counts). Every other check of the scenario still runs.
   */
  | { kind: 'degraded'; lacks: 'signature' | 'argument pieces' | 'cached tokens'; note: string }
  /** The relayed request loses the parameters the host refuses, with an x-junction-warning saying so. */
  | { kind: 'stripped'; warning: string; note: string; replays: ScenarioReplays };

/** Values shared by the whole run that some columns' config needs. */
export interface ColumnEnv {
  /** The mock OAuth token endpoint (Vertex). */
  tokenUrl: string;
  /** A generated service-account key, as JSON text (Vertex). */
  serviceAccountJson: string;
  /** The access token the token endpoint hands out. */
  accessToken: string;
  /** The exchanges the token endpoint has seen so far (form bodies). */
  tokenExchanges: URLSearchParams[];
}

export interface ProviderColumn {
  id: ColumnId;
  /** The provider's name in the gateway config (`<name>/<model>`). */
  name: string;
  type: string;
  wire: Wire;
  model: string;
  /** The client dialect this provider speaks natively: the gateway relays that dialect's bytes. */
  fastPath?: DialectId;
  /**
   * Set when the provider also serves the Responses API: Responses clients are relayed to `path` (the
   * same-dialect fast path) and these recordings answer there. Without it they take the translated path.
   */
  responsesRelay?: ResponsesRelay & { path: string };
  /** The TOML keys of the provider's table besides `type`, pointed at the mock's origin. */
  config(origin: string, env: ColumnEnv): Record<string, string>;
  /** The path (no query) the upstream receives for a model. */
  path(model: string): string;
  /** Whether the body names the model (Gemini, Vertex and Bedrock put it in the path). */
  modelInBody: boolean;
  replays: Record<ReplayedScenario, ScenarioReplays>;
  error: ErrorReplay;
  /** A plain text answer for the second turn of the tools and reasoning scenarios. */
  followUp: ScenarioReplays;
  /** The column whose recordings answer where this provider has none of its own (the same wire). */
  sharesRecordingsWith?: ColumnId;
  unsupported?: Partial<Record<ScenarioId, (dialect: DialectId) => Unsupported | undefined>>;
  /**
   * Set when a translated Chat Completions request carries signed reasoning back (OpenRouter takes it as
   * `reasoning_details` on the assistant message); other OpenAI-wire hosts have no request field for it.
   */
  sendsReasoningBack?: true;
  /** The reasoning knob the upstream gets for reasoning_effort "low" / thinking budget 2048. */
  reasoning(dialect: DialectId): unknown;
  /** Checks every upstream request's auth (key header, SigV4 signature, OAuth bearer token). */
  checkRequest?(request: RecordedRequest, env: ColumnEnv): void | Promise<void>;
}
