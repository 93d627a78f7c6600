/**
 * A tool result the client flagged as an error (Anthropic `is_error`) has no counterpart on a Chat
 * Completions tool message, which carries text only. The flag is kept in the text, where the model reads
 * it, instead of being dropped: without it a failed tool call reads like a successful one.
 */
export function markToolError(text: string, isError: boolean): string {
  if (!isError) return text;
  return text === '' ? 'Error' : `Error: ${text}`;
}
