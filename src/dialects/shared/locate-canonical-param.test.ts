import { describe, expect, it } from 'vitest';
import type { CanonicalMessage } from '../../core/canonical-request.js';
import { injectSystemPrompt } from '../../pipeline/system-prompt/inject-system-prompt.js';
import { anthropicMessagesDialect } from '../anthropic-messages/anthropic-messages-dialect.js';
import type { DecodedRequest, Dialect } from '../dialect.js';
import { openAIChatDialect } from '../openai-chat/openai-chat-dialect.js';
import { openAIResponsesDialect, withHistory } from '../openai-responses/openai-responses-dialect.js';

type Part = CanonicalMessage['content'][number];

/** The canonical param a provider would give the first part matching `find` (`messages[i].content[j]`). */
function canonicalParam(decoded: DecodedRequest, find: (part: Part) => boolean): string {
  for (const [i, message] of decoded.canonical.messages.entries()) {
    const j = message.content.findIndex((part: Part) => find(part));
    if (j >= 0) return `messages[${i}].content[${j}]`;
  }
  throw new Error('no such part');
}

const isCall = (id: string) => (part: Part) => part.type === 'tool-call' && part.id === id;
const isResult = (id: string) => (part: Part) => part.type === 'tool-result' && part.toolCallId === id;
const isFile = (part: Part) => part.type === 'file';
const hasText = (text: string) => (part: Part) => part.type === 'text' && part.text === text;

function locate(
  dialect: Dialect,
  decoded: DecodedRequest,
  find: (part: Part) => boolean,
): string | undefined {
  return dialect.locateParam(decoded, canonicalParam(decoded, find));
}

describe('Chat Completions', () => {
  const decoded = (): DecodedRequest =>
    openAIChatDialect.decodeRequest({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'weather?' },
            { type: 'text', text: 'and wind?' },
          ],
        },
        {
          role: 'assistant',
          content: 'Looking.',
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } },
            { id: 'b', type: 'function', function: { name: 'f', arguments: '{' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: 'sunny' },
      ],
    });

  it('names tool calls, content parts and tool messages where the client put them', () => {
    const request = decoded();
    expect(locate(openAIChatDialect, request, isCall('b'))).toBe('messages[1].tool_calls[1]');
    expect(locate(openAIChatDialect, request, hasText('Looking.'))).toBe('messages[1].content');
    expect(locate(openAIChatDialect, request, hasText('and wind?'))).toBe('messages[0].content[1]');
    expect(locate(openAIChatDialect, request, isResult('a'))).toBe('messages[2]');
    expect(openAIChatDialect.locateParam(request, 'messages[1].content')).toBe('messages[1]');
  });

  it('counts past a system prompt a stage put in front (in the canonical request and the body)', () => {
    const request = decoded();
    injectSystemPrompt(request, 'openai-chat', 'Be kind.');
    expect(request.canonical.messages[0]!.role).toBe('system');
    expect(locate(openAIChatDialect, request, isCall('b'))).toBe('messages[1].tool_calls[1]');
    // The stage's prompt is nowhere in what the client sent: the conversation as a whole.
    expect(openAIChatDialect.locateParam(request, 'messages[0].content[0]')).toBe('messages');
  });

  it('keeps top-level names, which are its own', () => {
    expect(openAIChatDialect.locateParam(decoded(), 'top_k')).toBe('top_k');
    expect(openAIChatDialect.locateParam(decoded(), 'messages[9].content[0]')).toBe('messages');
  });
});

describe('Anthropic Messages', () => {
  const decoded = (): DecodedRequest =>
    anthropicMessagesDialect.decodeRequest({
      model: 'm',
      max_tokens: 10,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 'f', input: {} }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'before' },
            { type: 'tool_result', tool_use_id: 'a', content: 'sunny' },
            { type: 'text', text: 'read this' },
            { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
          ],
        },
      ],
    });

  it('names blocks by their index in the client message, past `system` and a split user message', () => {
    const request = decoded();
    // The system prompt and the split of messages[2] into user / tool / user shift every canonical index.
    expect(canonicalParam(request, isFile)).toBe('messages[5].content[1]');
    expect(locate(anthropicMessagesDialect, request, isFile)).toBe('messages[2].content[3]');
    expect(locate(anthropicMessagesDialect, request, isResult('a'))).toBe('messages[2].content[1]');
    expect(locate(anthropicMessagesDialect, request, isCall('a'))).toBe('messages[1].content[0]');
    expect(locate(anthropicMessagesDialect, request, hasText('weather?'))).toBe('messages[0].content');
    expect(locate(anthropicMessagesDialect, request, hasText('Be brief.'))).toBe('system[0]');
    expect(anthropicMessagesDialect.locateParam(request, 'messages[5].content')).toBe('messages[2]');
  });

  it('renames the fields it spells otherwise', () => {
    expect(anthropicMessagesDialect.locateParam(decoded(), 'stop')).toBe('stop_sequences');
    expect(anthropicMessagesDialect.locateParam(decoded(), 'response_format')).toBe('output_config.format');
    expect(anthropicMessagesDialect.locateParam(decoded(), 'top_k')).toBe('top_k');
  });

  it('names the reasoning by the field the client set it with; an alias default keeps its own name', () => {
    const withField = (field: Record<string, unknown>): DecodedRequest =>
      anthropicMessagesDialect.decodeRequest({
        model: 'm',
        max_tokens: 4096,
        messages: [{ role: 'user', content: 'hi' }],
        ...field,
      });
    const thinking = withField({ thinking: { type: 'enabled', budget_tokens: 1024 } });
    expect(anthropicMessagesDialect.locateParam(thinking, 'reasoning_effort')).toBe('thinking');
    const effort = withField({ output_config: { effort: 'low' } });
    expect(anthropicMessagesDialect.locateParam(effort, 'reasoning_effort')).toBe('output_config.effort');
    expect(anthropicMessagesDialect.locateParam(withField({}), 'reasoning_effort')).toBe('reasoning_effort');
  });
});

describe('OpenAI Responses', () => {
  const body = {
    model: 'm',
    instructions: 'Be brief.',
    input: [
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'read' },
          { type: 'input_file', file_url: 'https://x/a.pdf' },
        ],
      },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.' }] },
      { type: 'function_call', call_id: 'a', name: 'f', arguments: '{' },
      { type: 'function_call_output', call_id: 'a', output: 'sunny' },
    ],
  };

  it('names the item each part came from, though items merge into one canonical message', () => {
    const request = openAIResponsesDialect.decodeRequest(body);
    expect(canonicalParam(request, isCall('a'))).toBe('messages[2].content[1]');
    expect(locate(openAIResponsesDialect, request, isCall('a'))).toBe('input[2]');
    expect(locate(openAIResponsesDialect, request, hasText('Looking.'))).toBe('input[1].content');
    expect(locate(openAIResponsesDialect, request, isFile)).toBe('input[0].content[1]');
    expect(locate(openAIResponsesDialect, request, isResult('a'))).toBe('input[3]');
    expect(locate(openAIResponsesDialect, request, hasText('Be brief.'))).toBe('instructions');
  });

  it("after stored history: the request's own items still, the history's only as the conversation", () => {
    const continued = withHistory(openAIResponsesDialect.decodeRequest(body), [
      { type: 'message', role: 'user', content: [{ type: 'input_file', file_url: 'https://x/old.pdf' }] },
    ]);
    const fileAt = (url: string) => (part: Part) =>
      part.type === 'file' && part.source.kind === 'url' && part.source.url === url;
    expect(locate(openAIResponsesDialect, continued, isCall('a'))).toBe('input[2]');
    expect(locate(openAIResponsesDialect, continued, fileAt('https://x/a.pdf'))).toBe('input[0].content[1]');
    expect(locate(openAIResponsesDialect, continued, fileAt('https://x/old.pdf'))).toBe('input');
  });

  it('renames the fields it spells otherwise', () => {
    const request = openAIResponsesDialect.decodeRequest(body);
    expect(openAIResponsesDialect.locateParam(request, 'messages')).toBe('input');
    expect(openAIResponsesDialect.locateParam(request, 'response_format')).toBe('text.format');
    expect(openAIResponsesDialect.locateParam(request, 'reasoning_effort')).toBe('reasoning.effort');
  });
});
