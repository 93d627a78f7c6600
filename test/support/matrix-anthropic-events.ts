/**
 * Checks a Messages stream, as the @anthropic-ai/sdk yields its events, against Anthropic's documented
 * order: message_start; then each content block as content_block_start (index = the block's position),
 * deltas of the block's own kind, content_block_stop, one block at a time; then message_delta with
 * stop_reason and usage; then message_stop. Returns the blocks as a summary tests can assert on.
 */
import type Anthropic from '@anthropic-ai/sdk';

export interface BlockSummary {
  index: number;
  type: string;
  deltas: string[];
}

const DELTAS_BY_BLOCK: Record<string, readonly string[]> = {
  text: ['text_delta', 'citations_delta'],
  thinking: ['thinking_delta', 'signature_delta'],
  redacted_thinking: [],
  tool_use: ['input_json_delta'],
  server_tool_use: ['input_json_delta'],
};

export function anthropicStreamProblems(events: Anthropic.MessageStreamEvent[]): string[] {
  return checkOrder(events).problems;
}

export function anthropicBlocks(events: Anthropic.MessageStreamEvent[]): BlockSummary[] {
  return checkOrder(events).blocks;
}

function checkOrder(events: Anthropic.MessageStreamEvent[]): { problems: string[]; blocks: BlockSummary[] } {
  const problems: string[] = [];
  const blocks: BlockSummary[] = [];
  let open: BlockSummary | undefined;
  let signed = false;
  let sawDelta = false;
  const at = (i: number, what: string): void => {
    problems.push(`event ${i} (${events[i]?.type}): ${what}`);
  };
  if (events[0]?.type !== 'message_start') at(0, 'the stream must begin with message_start');
  events.forEach((event, i) => {
    switch (event.type) {
      case 'message_start':
        if (i !== 0) at(i, 'message_start after the first event');
        break;
      case 'content_block_start':
        if (open) at(i, `block ${open.index} is still open`);
        if (sawDelta) at(i, 'a block starts after message_delta');
        if (event.index !== blocks.length) at(i, `index ${event.index}, expected ${blocks.length}`);
        open = { index: event.index, type: event.content_block.type, deltas: [] };
        signed = false;
        blocks.push(open);
        break;
      case 'content_block_delta': {
        if (!open || open.index !== event.index) {
          at(i, `delta for block ${event.index}, but the open block is ${open?.index ?? 'none'}`);
          break;
        }
        const allowed = DELTAS_BY_BLOCK[open.type];
        if (allowed && !allowed.includes(event.delta.type))
          at(i, `${event.delta.type} inside a ${open.type} block`);
        if (signed && event.delta.type === 'thinking_delta') at(i, 'thinking_delta after signature_delta');
        if (event.delta.type === 'signature_delta') signed = true;
        open.deltas.push(event.delta.type);
        break;
      }
      case 'content_block_stop':
        if (!open || open.index !== event.index)
          at(i, `stop for block ${event.index}, but the open block is ${open?.index ?? 'none'}`);
        open = undefined;
        break;
      case 'message_delta':
        if (open) at(i, `message_delta while block ${open.index} is open`);
        if (sawDelta) at(i, 'a second message_delta');
        if (!event.delta.stop_reason) at(i, 'message_delta without stop_reason');
        if (typeof event.usage?.output_tokens !== 'number')
          at(i, 'message_delta without usage.output_tokens');
        sawDelta = true;
        break;
      case 'message_stop':
        if (i !== events.length - 1) at(i, 'message_stop is not the last event');
        if (!sawDelta) at(i, 'message_stop before message_delta');
        break;
    }
  });
  if (events.at(-1)?.type !== 'message_stop') at(events.length - 1, 'the stream must end with message_stop');
  return { problems, blocks };
}
