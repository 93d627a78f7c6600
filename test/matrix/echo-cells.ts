/**
 * The echo column. Echo has no upstream and no recordings: its documented behaviour
 * (src/providers/echo) is the expectation. It echoes the last user message word by word (one output token
 * a word), makes the tool call a `/tool <name> <json>` message asks for (one per turn), answers a tool
 * result turn with `tool result: <text>`, emits a fixed reasoning sentence (unsigned) when reasoning is
 * asked for, reports no cached tokens, and refuses a `/tool` naming a tool the request does not define.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { expect } from 'vitest';
import type { Answer, AnswerBlock } from '../support/matrix-answer.js';
import type { ClientResult, ToolSpec, Turn } from './clients.js';
import {
  anthropicNextTurn,
  IMAGE_URL,
  openAINextTurn,
  runAnthropic,
  runOpenAI,
  TINY_PNG,
} from './clients.js';
import type { Declared, DialectId, ScenarioId } from './matrix-types.js';
import { responsesNextTurn, runResponses } from './responses-client.js';
import type { MatrixClients } from './run-cell.js';
import { caught, expectClientSaw, runClient } from './run-cell.js';
import { MODES } from './scenarios.js';
import { unsignedReasoningSeen } from './unsigned-reasoning.js';
import { expectClientError as expectRefusal } from './unsupported-cells.js';

const MODEL = 'echo/echo';
const WEATHER: ToolSpec = {
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
};
const ECHO_REASONING = 'The user wants their message echoed back.';

/** What echo answers, with input tokens taken from the client (echo only estimates them). */
function answer(blocks: AnswerBlock[], output: number): Answer {
  const finish = blocks.some((b) => b.type === 'tool_use') ? 'tool_calls' : 'stop';
  return { blocks, finish, usage: { input: 0, cacheRead: 0, cacheWrite: 0, output, reasoning: 0 } };
}

function words(text: string): number {
  return text.split(/(?<=\s)/).length;
}

/** Echo's input count is an estimate: it must be positive, and is then taken as it is. */
function withInputOf(result: ClientResult, expected: Answer): Answer {
  const input =
    result.dialect === 'openai-chat' ? result.view.usage.prompt_tokens : result.view.usage.input_tokens;
  expect(input, 'echo estimates prompt tokens').toBeGreaterThan(0);
  return { ...expected, usage: { ...expected.usage, input } };
}

export async function runEchoCell(
  clients: MatrixClients,
  dialect: DialectId,
  scenario: ScenarioId,
): Promise<Declared> {
  const modes = MODES[scenario];
  let declared: Declared = { status: 'pass' };
  for (const stream of modes) declared = await runEchoMode(clients, dialect, scenario, stream);
  return declared;
}

async function runEchoMode(
  clients: MatrixClients,
  dialect: DialectId,
  scenario: ScenarioId,
  stream: boolean,
): Promise<Declared> {
  const base: Turn = { model: MODEL, stream, user: [{ type: 'text', text: 'Hello there world' }] };
  switch (scenario) {
    case 'text':
    case 'stream': {
      const result = await runClient(clients, dialect, { ...base, system: 'You are terse.' });
      expectClientSaw(result, withInputOf(result, answer([{ type: 'text', text: 'Hello there world' }], 3)));
      if (stream) expect(textPieces(result), 'streamed word by word').toBe(3);
      return { status: 'pass' };
    }
    case 'tools':
    case 'streamed-tool-arguments': {
      const args = '{"city":"Paris"}';
      const turn: Turn = {
        ...base,
        user: [{ type: 'text', text: `/tool get_weather ${args}` }],
        tools: [WEATHER],
      };
      const result = await runClient(clients, dialect, turn);
      expectClientSaw(
        result,
        withInputOf(result, answer([{ type: 'tool_use', name: 'get_weather', arguments: args }], 1)),
      );
      expect(result.toolCallIds[0]).toMatch(/^call_echo_/);
      if (scenario === 'tools') {
        const second =
          result.dialect === 'openai-chat'
            ? await runOpenAI(clients.openai, openAINextTurn(result, MODEL, [WEATHER]))
            : result.dialect === 'openai-responses'
              ? await runResponses(clients.openai, responsesNextTurn(result, MODEL, [WEATHER]))
              : await runAnthropic(clients.anthropic, anthropicNextTurn(result, MODEL, [WEATHER]));
        const reply = 'tool result: result-0';
        expectClientSaw(second, withInputOf(second, answer([{ type: 'text', text: reply }], words(reply))));
      }
      return { status: 'pass' };
    }
    case 'parallel-tool-calls': {
      const turn: Turn = {
        ...base,
        user: [
          { type: 'text', text: '/tool get_weather {"city":"Paris"}\n/tool get_weather {"city":"Rome"}' },
        ],
        tools: [WEATHER],
      };
      await expectClientError(clients, dialect, turn, 400, 'echo: /tool arguments must be a JSON object');
      return {
        status: 'unsupported',
        note: 'echo makes one tool call per turn; a second `/tool` line is part of the first call\'s arguments, so the client gets 400 invalid_request_error "echo: /tool arguments must be a JSON object"',
      };
    }
    case 'images': {
      const turn: Turn = {
        ...base,
        user: [
          { type: 'text', text: 'What is in these images?' },
          { type: 'image', mediaType: 'image/png', data: TINY_PNG },
          { type: 'image-url', url: IMAGE_URL },
        ],
      };
      const result = await runClient(clients, dialect, turn);
      expectClientSaw(
        result,
        withInputOf(result, answer([{ type: 'text', text: 'What is in these images?' }], 5)),
      );
      return {
        status: 'unsupported',
        note: 'echo cannot see images: the request is accepted (no error) and the client gets the text parts echoed',
      };
    }
    case 'json-schema': {
      const turn: Turn = {
        ...base,
        jsonSchema: { name: 'result', schema: { type: 'object', properties: { city: { type: 'string' } } } },
      };
      const result = await runClient(clients, dialect, turn);
      expectClientSaw(result, withInputOf(result, answer([{ type: 'text', text: 'Hello there world' }], 3)));
      return {
        status: 'unsupported',
        note: 'echo ignores the schema: the request is accepted (no error) and the client gets the last user message echoed',
      };
    }
    case 'reasoning': {
      const result = await runClient(clients, dialect, { ...base, reasoning: true });
      expectClientSaw(
        result,
        withInputOf(
          result,
          answer(
            [
              { type: 'thinking', thinking: ECHO_REASONING },
              { type: 'text', text: 'Hello there world' },
            ],
            4,
          ),
        ),
      );
      return {
        status: 'unsupported',
        note:
          dialect === 'openai-responses'
            ? `echo reasons without a signature: the client gets its fixed reasoning text with no signature (${unsignedReasoningSeen(dialect)})`
            : 'echo reasons without a signature: the client gets its fixed reasoning text with no signature (`reasoning_content` without a signed `reasoning_details` entry; a thinking block with `signature: ""`)',
      };
    }
    case 'cached-usage': {
      const result = await runClient(clients, dialect, {
        ...base,
        system: 'A long system prompt.',
        cacheSystem: true,
      });
      expectClientSaw(result, withInputOf(result, answer([{ type: 'text', text: 'Hello there world' }], 3)));
      return {
        status: 'unsupported',
        note: 'echo has no prompt cache: usage always reports 0 cached tokens (no error)',
      };
    }
    case 'upstream-error': {
      const turn: Turn = { ...base, user: [{ type: 'text', text: '/tool nope {}' }], tools: [WEATHER] };
      await expectClientError(clients, dialect, turn, 400, 'echo: no tool named "nope" in this request');
      return {
        status: 'pass',
        note: 'echo has no upstream; its own refusal (a `/tool` naming an undefined tool) stands in for the provider error',
      };
    }
  }
}

function textPieces(result: ClientResult): number {
  if (result.dialect === 'openai-chat') {
    const chunks = result.raw as OpenAI.ChatCompletionChunk[];
    return chunks.filter((c) => c.choices[0]?.delta.content).length;
  }
  if (result.dialect === 'openai-responses') {
    const raw = result.raw as { events: OpenAI.Responses.ResponseStreamEvent[] };
    return raw.events.filter((e) => e.type === 'response.output_text.delta').length;
  }
  const raw = result.raw as { events: Anthropic.MessageStreamEvent[] };
  return raw.events.filter((e) => e.type === 'content_block_delta' && e.delta.type === 'text_delta').length;
}

async function expectClientError(
  clients: MatrixClients,
  dialect: DialectId,
  turn: Turn,
  status: number,
  message: string,
): Promise<void> {
  expectRefusal(dialect, await caught(runClient(clients, dialect, turn)), status, message);
}
