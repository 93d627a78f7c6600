/**
 * The slice of Cohere's v2 `/v2/chat` request body the gateway writes (https://docs.cohere.com/reference/chat).
 * Only what convert-to-cohere-request.ts emits.
 */
export interface CohereToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type CohereUserContent =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export type CohereAssistantContent = { type: 'text'; text: string } | { type: 'thinking'; thinking: string };

export type CohereToolContent =
  | { type: 'text'; text: string }
  | { type: 'document'; document: { data: string } };

export type CohereMessage =
  | { role: 'system'; content: string | Array<{ type: 'text'; text: string }> }
  | { role: 'user'; content: string | CohereUserContent[] }
  | {
      role: 'assistant';
      content?: string | CohereAssistantContent[];
      tool_plan?: string;
      tool_calls?: CohereToolCall[];
    }
  | { role: 'tool'; tool_call_id: string; content: string | CohereToolContent[] };

export interface CohereTool {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export type CohereResponseFormat =
  | { type: 'text' }
  | { type: 'json_object'; json_schema?: Record<string, unknown> };

export type CohereThinking = { type: 'enabled'; token_budget?: number } | { type: 'disabled' };

export interface CohereChatRequestBody {
  model: string;
  messages: CohereMessage[];
  stream: true;
  tools?: CohereTool[];
  tool_choice?: 'REQUIRED' | 'NONE';
  response_format?: CohereResponseFormat;
  max_tokens?: number;
  temperature?: number;
  p?: number;
  k?: number;
  stop_sequences?: string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  thinking?: CohereThinking;
}
