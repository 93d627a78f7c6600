/** The axes of the compatibility matrix and what a cell's run produces. */

export const DIALECTS = [
  { id: 'openai-chat', title: 'OpenAI Chat Completions (`POST /v1/chat/completions`, client: `openai` SDK)' },
  {
    id: 'anthropic-messages',
    title: 'Anthropic Messages (`POST /v1/messages`, client: `@anthropic-ai/sdk`)',
  },
  {
    id: 'openai-responses',
    title:
      'OpenAI Responses (`POST /v1/responses`, client: `openai` SDK, `responses.create` / `responses.stream`)',
  },
] as const;
export type DialectId = (typeof DIALECTS)[number]['id'];

/** The columns, in table order: each provider type once (Vertex twice: its Gemini and Claude publishers). */
export const PROVIDER_GROUPS = [
  {
    title: 'Native providers',
    providers: ['openai', 'anthropic', 'gemini', 'cohere', 'mistral', 'ollama', 'echo'],
  },
  { title: 'Cloud providers', providers: ['bedrock', 'vertex', 'vertex-claude', 'azure'] },
  {
    title: 'OpenAI-wire presets',
    providers: [
      'openrouter',
      'groq',
      'deepseek',
      'xai',
      'together',
      'fireworks',
      'perplexity',
      'cerebras',
      'zai',
      'moonshot',
      'requesty',
      'mistral-openai',
      'gemini-openai',
      'lmstudio',
    ],
  },
] as const;
export type ProviderId = (typeof PROVIDER_GROUPS)[number]['providers'][number];
export const PROVIDERS: readonly ProviderId[] = PROVIDER_GROUPS.flatMap((group) => group.providers);
/** Every column with an upstream (all but the built-in echo). */
export type ColumnId = Exclude<ProviderId, 'echo'>;

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
