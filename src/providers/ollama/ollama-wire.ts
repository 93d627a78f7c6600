/**
 * The slice of Ollama's native `POST /api/chat` request body the gateway writes
 * (https://github.com/ollama/ollama/blob/main/docs/api.md#generate-a-chat-completion).
 */
export interface OllamaToolCall {
  function: { name: string; arguments: Record<string, unknown> };
}

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Base64 image data, without a data: prefix. */
  images?: string[];
  thinking?: string;
  tool_calls?: OllamaToolCall[];
  /** On tool messages: the tool whose result this is (Ollama pairs results by name, not by id). */
  tool_name?: string;
}

export interface OllamaTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type OllamaThink = boolean | 'low' | 'medium' | 'high';

export interface OllamaOptions {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  num_predict?: number;
  stop?: string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
}

export interface OllamaChatRequestBody {
  model: string;
  messages: OllamaMessage[];
  stream: true;
  tools?: OllamaTool[];
  think?: OllamaThink;
  /** `json`, or a JSON schema the answer must match. */
  format?: 'json' | Record<string, unknown>;
  options?: OllamaOptions;
}
