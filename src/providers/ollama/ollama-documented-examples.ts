/**
 * Test data: Ollama's native /api/chat request and stream shapes as its documentation gives them. No
 * recording of the native API exists (see ../shared/fixtures/README.md, "Gaps"), so the tests are built
 * from these. Sources:
 * - ollama/ollama docs/api.md, "Generate a chat completion": "Chat request (Streaming)",
 *   "Chat request (Streaming with tools)", "Chat request (With history, with tools)",
 *   "Chat request (with images)", "Chat request (Structured outputs)", "Chat request (Reproducible outputs)".
 * - ollama/ollama docs/capabilities/thinking.mdx: `think`, `message.thinking` streamed before
 *   `message.content`.
 * Streamed objects the docs abbreviate ("A stream of JSON objects is returned") are continued here in the
 * same shape; field values the docs show are kept as they are.
 */

/** docs/api.md "Chat request (Streaming)": the first object as documented, more of the same, the final one. */
export const STREAMING_TEXT = [
  {
    model: 'llama3.2',
    created_at: '2023-08-04T08:52:19.385406455-07:00',
    message: { role: 'assistant', content: 'The', images: null },
    done: false,
  },
  {
    model: 'llama3.2',
    created_at: '2023-08-04T08:52:19.485406455-07:00',
    message: { role: 'assistant', content: ' sky is blue because of Rayleigh scattering.', images: null },
    done: false,
  },
  {
    model: 'llama3.2',
    created_at: '2023-08-04T19:22:45.499127Z',
    message: { role: 'assistant', content: '' },
    done: true,
    total_duration: 4883583458,
    load_duration: 1334875,
    prompt_eval_count: 26,
    prompt_eval_duration: 342546000,
    eval_count: 282,
    eval_duration: 4535599000,
  },
];

/** docs/api.md "Chat request (Streaming with tools)": the tool call object, then the final one. */
export const STREAMING_TOOLS = [
  {
    model: 'llama3.2',
    created_at: '2025-07-07T20:22:19.184789Z',
    message: {
      role: 'assistant',
      content: '',
      tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Tokyo' } } }],
    },
    done: false,
  },
  {
    model: 'llama3.2',
    created_at: '2025-07-07T20:22:19.19314Z',
    message: { role: 'assistant', content: '' },
    done_reason: 'stop',
    done: true,
    total_duration: 182242375,
    load_duration: 41295167,
    prompt_eval_count: 169,
    prompt_eval_duration: 24573166,
    eval_count: 15,
    eval_duration: 115959084,
  },
];

/** docs/capabilities/thinking.mdx: a qwen3 stream with `think: true`, thinking first, then the answer. */
export const STREAMING_THINKING = [
  {
    model: 'qwen3',
    created_at: '2025-05-29T09:35:56.836222Z',
    message: { role: 'assistant', content: '', thinking: 'Okay, ' },
    done: false,
  },
  {
    model: 'qwen3',
    created_at: '2025-05-29T09:35:56.856222Z',
    message: { role: 'assistant', content: '', thinking: '17 × 23 = 17 × 20 + 17 × 3 = 340 + 51 = 391.' },
    done: false,
  },
  {
    model: 'qwen3',
    created_at: '2025-05-29T09:35:57.036222Z',
    message: { role: 'assistant', content: '17 × 23 = **391**' },
    done: false,
  },
  {
    model: 'qwen3',
    created_at: '2025-05-29T09:35:57.056222Z',
    message: { role: 'assistant', content: '' },
    done_reason: 'length',
    done: true,
    prompt_eval_count: 18,
    eval_count: 120,
  },
];

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the weather in a given city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'The city to get the weather for' } },
      required: ['city'],
    },
  },
};

/** docs/api.md "Chat request (With history, with tools)" request body (the doc's `//` comments removed). */
export const HISTORY_WITH_TOOLS_REQUEST = {
  model: 'llama3.2',
  messages: [
    { role: 'user', content: 'what is the weather in Toronto?' },
    {
      role: 'assistant',
      content: '',
      tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Toronto' } } }],
    },
    { role: 'tool', content: '11 degrees celsius', tool_name: 'get_weather' },
  ],
  stream: false,
  tools: [WEATHER_TOOL],
};

/** docs/api.md "Chat request (with images)" (the documented base64 PNG, cut to its first 65 characters). */
export const IMAGES_REQUEST = {
  model: 'llava',
  messages: [
    {
      role: 'user',
      content: 'what is in this image?',
      images: ['iVBORw0KGgoAAAANSUhEUgAAAG0AAABmCAYAAADBPx+VAAAACXBIWXMAAAsTAAALE'],
    },
  ],
};

/** docs/api.md "Chat request (Structured outputs)" request body. */
export const STRUCTURED_OUTPUTS_REQUEST = {
  model: 'llama3.1',
  messages: [
    {
      role: 'user',
      content:
        'Ollama is 22 years old and busy saving the world. Return a JSON object with the age and availability.',
    },
  ],
  stream: false,
  format: {
    type: 'object',
    properties: { age: { type: 'integer' }, available: { type: 'boolean' } },
    required: ['age', 'available'],
  },
  options: { temperature: 0 },
};

/** docs/api.md "Chat request (Reproducible outputs)" request body. */
export const REPRODUCIBLE_REQUEST = {
  model: 'llama3.2',
  messages: [{ role: 'user', content: 'Hello!' }],
  options: { seed: 101, temperature: 0 },
};

export function toNdjson(objects: unknown[]): string {
  return objects.map((object) => `${JSON.stringify(object)}\n`).join('');
}
