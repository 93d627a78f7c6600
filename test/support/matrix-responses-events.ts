/**
 * Checks a Responses stream, as the `openai` SDK yields its events, against the documented sequence
 * (docs/responses.md, the OpenAPI spec's ResponseStreamEvent): sequence numbers 0, 1, 2, ...;
 * response.created then response.in_progress; each output item added at the next output index, its
 * deltas only while it is open and under its own item id, its `.done` texts equal to its deltas joined,
 * closed once by output_item.done; a terminal response.completed / .incomplete last, with every item closed
 * and the Response's output equal to the items as they were closed.
 */
type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

interface OpenItem {
  id: string;
  type: string;
  closed: boolean;
  text: string;
  arguments: string;
  summary: string;
  parts: number;
}

const TERMINAL = new Set(['response.completed', 'response.incomplete']);

/** Which item kind each delta-carrying event belongs to. */
const ITEM_OF_EVENT: Record<string, string> = {
  'response.content_part.added': 'message',
  'response.content_part.done': 'message',
  'response.output_text.delta': 'message',
  'response.output_text.done': 'message',
  'response.output_text.annotation.added': 'message',
  'response.function_call_arguments.delta': 'function_call',
  'response.function_call_arguments.done': 'function_call',
  'response.reasoning_summary_part.added': 'reasoning',
  'response.reasoning_summary_part.done': 'reasoning',
  'response.reasoning_summary_text.delta': 'reasoning',
  'response.reasoning_summary_text.done': 'reasoning',
};

export function responsesStreamProblems(events: readonly object[]): string[] {
  const problems: string[] = [];
  const items: OpenItem[] = [];
  const closed: unknown[] = [];
  const list = events.map(obj);
  const at = (i: number, what: string): void => {
    problems.push(`event ${i} (${str(list[i]?.type)}): ${what}`);
  };
  if (list[0]?.type !== 'response.created') at(0, 'the stream must begin with response.created');
  if (list[1]?.type !== 'response.in_progress') at(1, 'response.in_progress must follow response.created');
  list.forEach((event, i) => {
    if (event.sequence_number !== i) at(i, `sequence_number ${String(event.sequence_number)}, expected ${i}`);
    const problem = checkEvent(event, i, list.length, items, closed);
    if (problem) at(i, problem);
  });
  const last = list.length - 1;
  const terminal = list[last];
  if (!terminal || !TERMINAL.has(str(terminal.type))) {
    at(last, 'the stream must end with response.completed or response.incomplete');
    return problems;
  }
  items.forEach((item, index) => {
    if (!item.closed) at(last, `item ${index} (${item.type}) was never done`);
  });
  if (JSON.stringify(obj(terminal.response).output) !== JSON.stringify(closed))
    at(last, "the Response's output is not the items as output_item.done gave them");
  return problems;
}

/** The first problem of one event (updating the items it opens, fills or closes), or undefined. */
function checkEvent(
  event: Json,
  i: number,
  count: number,
  items: OpenItem[],
  closed: unknown[],
): string | undefined {
  const type = str(event.type);
  if (TERMINAL.has(type) && i !== count - 1) return 'a terminal event must come last';
  if (type === 'response.output_item.added') {
    const item = obj(event.item);
    items.push({
      id: str(item.id),
      type: str(item.type),
      closed: false,
      text: '',
      arguments: '',
      summary: '',
      parts: 0,
    });
    if (event.output_index !== items.length - 1)
      return `output_index ${String(event.output_index)}, expected ${items.length - 1}`;
    return undefined;
  }
  const kind = ITEM_OF_EVENT[type];
  if (type !== 'response.output_item.done' && kind === undefined) return undefined;
  const index = typeof event.output_index === 'number' ? event.output_index : -1;
  const item = items[index];
  if (!item) return `no item was added at output_index ${index}`;
  if (item.closed) return `item ${index} is already done`;
  if (type === 'response.output_item.done') {
    const done = obj(event.item);
    item.closed = true;
    closed[index] = done;
    if (done.id !== item.id || done.type !== item.type) return `item ${index} changed its id or type`;
    if (item.type === 'function_call' && done.arguments !== item.arguments)
      return `function_call ${index} arguments differ from its deltas`;
    const parts = (item.type === 'message' ? done.content : done.summary) as unknown[] | undefined;
    const text = parts?.map((part) => str(obj(part).text)).join('') ?? '';
    if (item.type === 'message' && text !== item.text) return `message ${index} text differs from its deltas`;
    if (item.type === 'reasoning' && text !== item.summary)
      return `reasoning ${index} summary differs from its deltas`;
    return undefined;
  }
  if (kind !== item.type) return `a ${kind} event on a ${item.type} item`;
  if (event.item_id !== item.id) return `item_id ${str(event.item_id)}, expected ${item.id}`;
  switch (type) {
    case 'response.content_part.added':
    case 'response.reasoning_summary_part.added':
      item.parts += 1;
      return undefined;
    case 'response.output_text.delta':
      item.text += str(event.delta);
      return item.parts === 0 ? 'output_text.delta before content_part.added' : undefined;
    case 'response.output_text.done':
      return event.text !== item.text ? 'output_text.done text differs from its deltas' : undefined;
    case 'response.function_call_arguments.delta':
      item.arguments += str(event.delta);
      return undefined;
    case 'response.function_call_arguments.done':
      return event.arguments !== item.arguments
        ? 'function_call_arguments.done differs from its deltas'
        : undefined;
    case 'response.reasoning_summary_text.delta':
      item.summary += str(event.delta);
      return item.parts === 0
        ? 'reasoning_summary_text.delta before reasoning_summary_part.added'
        : undefined;
    case 'response.reasoning_summary_text.done':
      return event.text !== item.summary
        ? 'reasoning_summary_text.done text differs from its deltas'
        : undefined;
    default:
      return undefined;
  }
}
