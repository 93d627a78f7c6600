/**
 * What each scenario asks, in which client modes it runs, and what its recording must show for the cell to
 * prove anything (a "tools" recording without a tool call would pass vacuously, so it fails instead).
 */
import { expect } from 'vitest';
import type { Answer } from '../support/matrix-answer.js';
import type { ToolSpec, Turn } from './clients.js';
import { IMAGE_URL, TINY_PNG } from './clients.js';
import type { ScenarioId } from './matrix-types.js';
import type { Replay } from './replays.js';
import type { Wire } from './upstream.js';

/** Client modes (stream or not) each scenario runs in, in this order. */
export const MODES: Record<ScenarioId, boolean[]> = {
  text: [false],
  stream: [true],
  tools: [false],
  'streamed-tool-arguments': [true],
  'parallel-tool-calls': [true, false],
  images: [false],
  'json-schema': [false],
  reasoning: [true],
  'cached-usage': [false, true],
  'upstream-error': [false, true],
};

/** Scenarios whose answer the client continues: tool results (or a question) go back on a second turn. */
export const SECOND_TURN: ReadonlySet<ScenarioId> = new Set(['tools', 'reasoning']);

export const SYSTEM = 'You are terse.';
export const CACHED_SYSTEM = `Reference catalogue.\n${Array.from({ length: 40 }, (_, i) => `Entry ${i}: shelf ${i}.`).join('\n')}`;
export const JSON_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, country: { type: 'string' } },
  required: ['city', 'country'],
  additionalProperties: false,
};

/** One tool per name the recording calls, so the request defines what the answer uses. */
export function toolsFor(expected: Answer): ToolSpec[] {
  const names = [...new Set(expected.blocks.flatMap((b) => (b.type === 'tool_use' ? [b.name] : [])))];
  return names.map((name) => ({
    name,
    description: `The ${name} tool.`,
    parameters: { type: 'object', properties: { input: { type: 'string' } } },
  }));
}

export function buildTurn(scenario: ScenarioId, model: string, expected: Answer, stream: boolean): Turn {
  const base: Turn = { model, stream, user: [{ type: 'text', text: 'Hello' }] };
  const tools = toolsFor(expected);
  switch (scenario) {
    case 'text':
      return { ...base, system: SYSTEM };
    case 'tools':
    case 'streamed-tool-arguments':
    case 'parallel-tool-calls':
      return { ...base, user: [{ type: 'text', text: 'Use the tools.' }], tools, toolChoice: 'auto' };
    case 'images':
      return {
        ...base,
        user: [
          { type: 'text', text: 'What is in these images?' },
          { type: 'image', mediaType: 'image/png', data: TINY_PNG },
          { type: 'image-url', url: IMAGE_URL },
        ],
      };
    case 'json-schema':
      return { ...base, jsonSchema: { name: 'result', schema: JSON_SCHEMA } };
    case 'reasoning':
      return {
        ...base,
        user: [{ type: 'text', text: 'Think it through.' }],
        reasoning: true,
        ...(tools.length > 0 ? { tools } : {}),
      };
    case 'cached-usage':
      return { ...base, system: CACHED_SYSTEM, cacheSystem: true };
    default:
      return base;
  }
}

/** How each wire streams a piece of tool-call arguments. */
const ARGUMENT_PIECES: Record<Wire, RegExp> = {
  // A piece is a non-empty string (an empty "arguments":"" opens a call without carrying any).
  openai: /"arguments":"[^"]/g,
  'openai-responses': /response\.function_call_arguments\.delta/g,
  mistral: /"arguments":"[^"]/g,
  anthropic: /input_json_delta/g,
  gemini: /partialArgs/g,
  bedrock: /"toolUse":\{"input"/g,
  cohere: /tool-call-delta/g,
  ollama: /^$/g,
};

/**
 * What a scenario needs its recording to show, and which of it a provider may lack (see Unsupported);
 * `stand-in`: a stand-in recording that cannot show the scenario's point (JSON, several calls).
 */
export type Shortfall = 'signature' | 'argument pieces' | 'cached tokens' | 'stand-in';

/** Fails unless the recording shows what the scenario is about, short of what the provider cannot show. */
export function expectRecordingShows(
  scenario: ScenarioId,
  wire: Wire,
  replay: Replay,
  lacks?: Shortfall,
): void {
  const { blocks, usage } = replay.expected;
  const texts = blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));
  const tools = blocks.filter((b) => b.type === 'tool_use');
  const why = `${replay.label} does not show ${scenario}`;
  switch (scenario) {
    case 'text':
    case 'stream':
    case 'images':
      expect(texts.join('').length, why).toBeGreaterThan(0);
      return;
    case 'tools':
      expect(tools.length, why).toBeGreaterThan(0);
      return;
    case 'streamed-tool-arguments':
      expect(tools.length, why).toBeGreaterThan(0);
      if (lacks === 'argument pieces')
        expect(replay.body.match(ARGUMENT_PIECES[wire])?.length ?? 0, `${why}: it has pieces`).toBeLessThan(
          2,
        );
      else expect(replay.body.match(ARGUMENT_PIECES[wire])?.length ?? 0, why).toBeGreaterThan(1);
      return;
    case 'parallel-tool-calls':
      expect(tools.length, why).toBeGreaterThan(lacks === 'stand-in' ? 0 : 1);
      return;
    case 'json-schema': {
      if (lacks === 'stand-in') {
        expect(texts.join('').length, why).toBeGreaterThan(0);
        return;
      }
      const parsed: unknown = JSON.parse(texts.join(''));
      expect(typeof parsed === 'object' && parsed !== null, why).toBe(true);
      return;
    }
    case 'reasoning': {
      const thinking = blocks.filter((b) => b.type === 'thinking');
      expect(thinking.map((b) => b.thinking).join('').length, why).toBeGreaterThan(0);
      if (lacks === 'signature') {
        expect(
          thinking.some((b) => b.signature || b.geminiSignature),
          `${why}: it is signed`,
        ).toBe(false);
        return;
      }
      const signed =
        thinking.some((b) => b.signature || b.geminiSignature) ||
        tools.some((b) => b.type === 'tool_use' && b.geminiSignature);
      expect(signed, why).toBe(true);
      return;
    }
    case 'cached-usage':
      if (lacks === 'cached tokens') expect(usage.cacheRead, why).toBe(0);
      else expect(usage.cacheRead, why).toBeGreaterThan(0);
      return;
    default:
      return;
  }
}
