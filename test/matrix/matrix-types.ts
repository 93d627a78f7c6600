/** The axes of the compatibility matrix and what a cell's run produces. */

export const DIALECTS = [
  { id: 'openai-chat', title: 'OpenAI Chat Completions (`POST /v1/chat/completions`, client: `openai` SDK)' },
  {
    id: 'anthropic-messages',
    title: 'Anthropic Messages (`POST /v1/messages`, client: `@anthropic-ai/sdk`)',
  },
] as const;
export type DialectId = (typeof DIALECTS)[number]['id'];

export const PROVIDERS = ['openai', 'anthropic', 'gemini', 'echo'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export const SCENARIOS = [
  { id: 'text', title: 'text' },
  { id: 'stream', title: 'stream' },
  { id: 'tools', title: 'tools (+ tool result turn)' },
  { id: 'streamed-tool-arguments', title: 'streamed tool arguments' },
  { id: 'parallel-tool-calls', title: 'parallel tool calls' },
  { id: 'images', title: 'images' },
  { id: 'json-schema', title: 'JSON schema output' },
  { id: 'reasoning', title: 'reasoning with signatures (+ next turn)' },
  { id: 'cached-usage', title: 'usage with cached tokens' },
  { id: 'upstream-error', title: 'upstream error' },
] as const;
export type ScenarioId = (typeof SCENARIOS)[number]['id'];

/** A declared outcome: `pass`, or `unsupported` with what the client gets instead (asserted by the test). */
export interface Declared {
  status: 'pass' | 'unsupported';
  /** For unsupported cells: exactly what the client gets. For passing cells: anything worth knowing. */
  note?: string;
}

export interface CellOutcome extends Declared {
  dialect: DialectId;
  provider: ProviderId;
  scenario: ScenarioId;
  /** Whether the run's assertions held. A cell that did not hold renders as a failure. */
  held: boolean;
  /** The recordings the cell replayed. */
  fixtures: FixtureUse[];
}

/** Which answer of a cell a recording served. */
export const FIXTURE_ROLES = ['stream', 'non-stream', 'second turn', 'error'] as const;
export type FixtureRole = (typeof FIXTURE_ROLES)[number];

export interface FixtureUse {
  role: FixtureRole;
  label: string;
}
