/**
 * Hosted ("built-in") Responses tools: web_search, file_search, code_interpreter, image_generation, remote
 * mcp, computer_use_preview, shell, ... OpenAI runs them inside its Responses API, so only an upstream
 * speaking that API natively (the same-dialect fast path) can honour them. Every other provider gets a
 * clear 400 naming the tool and the provider instead of a silently tool-less answer.
 */
import { GatewayError } from '../../core/errors.js';
import type { ResponsesTool } from './openai-responses-schema.js';

export interface BuiltInTool {
  /** Position in the request's `tools` array. */
  index: number;
  type: string;
  /** The tool definition as the client sent it. */
  definition: Record<string, unknown>;
}

/** Provider types whose upstream runs Responses built-in tools itself. */
export const NATIVE_BUILT_IN_TOOL_PROVIDERS: ReadonlySet<string> = new Set(['openai', 'azure']);

export function findBuiltInTools(tools: readonly ResponsesTool[] | null | undefined): BuiltInTool[] {
  const found: BuiltInTool[] = [];
  tools?.forEach((tool, index) => {
    if (tool.type !== 'function') found.push({ index, type: tool.type, definition: tool });
  });
  return found;
}

/**
 * Throws a 400 (`unsupported`, param `tools[i]`) for the first built-in tool when `providerType` cannot run
 * it. Call with the provider type of the target actually chosen: OpenAI (and Azure OpenAI) upstreams reached
 * through their Responses endpoint run them natively; callers reaching OpenAI through Chat Completions should
 * pass a different type (e.g. 'openai-chat').
 */
export function assertBuiltInToolsSupported(
  builtInTools: readonly BuiltInTool[],
  providerType: string,
  providerName = providerType,
): void {
  if (builtInTools.length === 0 || NATIVE_BUILT_IN_TOOL_PROVIDERS.has(providerType)) return;
  const tool = builtInTools[0]!;
  throw new GatewayError(
    'unsupported',
    `The built-in tool '${tool.type}' (tools[${tool.index}]) runs only on OpenAI Responses upstreams; provider ${providerName} (${providerType}) cannot run it. Define it as a function tool instead.`,
    { param: `tools[${tool.index}]`, code: 'unsupported_parameter', provider: providerName },
  );
}
