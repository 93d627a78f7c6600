/**
 * Some behaviours were only ever recorded as non-stream bodies (an image question, a parallel tool call
 * turn, a JSON-schema answer), but a translated path always streams from its upstream. These turn such a
 * recorded body into the stream the same provider would send for it, keeping every recorded value (ids,
 * text, arguments, usage, stop reason) and only adding the framing. Cells that use them say so.
 */
type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A `chat.completion` body as a Chat Completions stream: content and tool calls, finish, usage, [DONE]. */
export function openAIJsonAsSse(completion: Json): string {
  const choice = obj(arr(completion.choices)[0]);
  const message = obj(choice.message);
  const head = {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
  };
  const chunk = (body: Json): string => `data: ${JSON.stringify({ ...head, ...body })}\n\n`;
  const delta: Json = { role: 'assistant', content: message.content ?? null };
  if (typeof message.reasoning_content === 'string') delta.reasoning_content = message.reasoning_content;
  const calls = arr(message.tool_calls).map((raw, index) => ({ index, ...obj(raw) }));
  if (calls.length > 0) delta.tool_calls = calls;
  let out = chunk({ choices: [{ index: 0, delta, logprobs: null, finish_reason: null }] });
  out += chunk({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: choice.finish_reason }] });
  if (completion.usage) out += chunk({ choices: [], usage: completion.usage });
  return `${out}data: [DONE]\n\n`;
}

/** A Messages `message` body as Anthropic's SSE sequence, one block after another. */
export function anthropicJsonAsSse(message: Json): string {
  const event = (type: string, body: Json): string =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;
  const usage = obj(message.usage);
  let out = event('message_start', {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...usage, output_tokens: 1 },
    },
  });
  arr(message.content).forEach((raw, index) => {
    const block = obj(raw);
    const delta = (payload: Json): string => event('content_block_delta', { index, delta: payload });
    switch (block.type) {
      case 'text':
        out += event('content_block_start', { index, content_block: { type: 'text', text: '' } });
        out += delta({ type: 'text_delta', text: block.text });
        break;
      case 'thinking':
        out += event('content_block_start', {
          index,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        });
        out += delta({ type: 'thinking_delta', thinking: block.thinking });
        out += delta({ type: 'signature_delta', signature: block.signature });
        break;
      case 'tool_use':
        out += event('content_block_start', { index, content_block: { ...block, input: {} } });
        out += delta({ type: 'input_json_delta', partial_json: JSON.stringify(block.input ?? {}) });
        break;
      default:
        out += event('content_block_start', { index, content_block: block });
    }
    out += event('content_block_stop', { index });
  });
  out += event('message_delta', {
    delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence ?? null },
    usage: { output_tokens: usage.output_tokens },
  });
  return out + event('message_stop', {});
}
