/**
 * Where a client put what checkCapabilities refuses, in the client's own dialect: a Responses client sent
 * `input` and `text.format`, not Chat's `messages` and `response_format`, so a 400 naming those would point
 * at fields it never sent.
 */
import type { WireDialect } from '../providers/provider-adapter.js';

export interface CapabilityParams {
  tools: string;
  jsonSchema: string;
  /** The conversation (images and documents sit in its messages / items). */
  messages: string;
}

const PARAMS: Record<WireDialect, CapabilityParams> = {
  'openai-chat': { tools: 'tools', jsonSchema: 'response_format', messages: 'messages' },
  'anthropic-messages': { tools: 'tools', jsonSchema: 'output_config.format', messages: 'messages' },
  'openai-responses': { tools: 'tools', jsonSchema: 'text.format', messages: 'input' },
};

export function capabilityParams(dialect: WireDialect): CapabilityParams {
  return PARAMS[dialect];
}
