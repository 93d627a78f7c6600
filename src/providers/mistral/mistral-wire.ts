/**
 * The slice of Mistral's chat completions request body the gateway writes
 * (https://docs.mistral.ai/api/#tag/chat). Mostly Chat Completions; the differences are here.
 * Mistral rejects unknown fields with a 422, so the body holds nothing else.
 */
import type {
  OpenAIChatResponseFormat,
  OpenAIChatTool,
  OpenAIChatToolCall,
} from '../openai/openai-chat-wire.js';

export type MistralUserChunk =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: string }
  | { type: 'document_url'; document_url: string; document_name?: string };

export type MistralAssistantChunk =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: Array<{ type: 'text'; text: string }> };

export type MistralMessage =
  | { role: 'system'; content: string | Array<{ type: 'text'; text: string }> }
  | { role: 'user'; content: string | MistralUserChunk[] }
  | {
      role: 'assistant';
      content: MistralAssistantChunk[];
      tool_calls?: OpenAIChatToolCall[];
      /** On the last message only: continue it (prefill) instead of answering it. */
      prefix?: true;
    }
  | { role: 'tool'; tool_call_id: string; name?: string; content: string };

/** `any` is Mistral's name for OpenAI's `required`. */
export type MistralToolChoice = 'auto' | 'none' | 'any' | { type: 'function'; function: { name: string } };

export interface MistralChatRequestBody {
  model: string;
  messages: MistralMessage[];
  stream: true;
  tools?: OpenAIChatTool[];
  tool_choice?: MistralToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: OpenAIChatResponseFormat;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string[];
  random_seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  prompt_mode?: 'reasoning';
  reasoning_effort?: 'high' | 'none';
}
