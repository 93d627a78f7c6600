/**
 * openai SDK client -> Gemini upstream (translated path), two turns without tools. Gemini 3 signs its
 * answer text (`thoughtSignature` on the text part) and Google asks for the signature back on the next
 * turn. On the OpenAI chat surface it rides in the assistant message's `extra_content.google
 * .thought_signature` (the carrier Gemini's own OpenAI-compatible endpoint uses, and Junction's for
 * function-call signatures on `tool_calls[]`), which an SDK client sends back when it resends the message as
 * it received it. These tests replay a real recorded two-turn conversation and check that the second Gemini
 * request is the one the recording sent.
 */
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { beforeAll, describe, expect, it } from 'vitest';
import { openaiClient, validMessage } from '../support/chat-client.js';
import { serverWithKeys, useGatewayWithMock } from '../support/e2e-gateway.js';
import { loadCassette, requestJson } from '../support/fixtures.js';
import { cassetteJson, geminiJsonAsSse, sseAnswer } from '../support/upstream-answers.js';

const CLIENT_KEY = 'jk-openai-sdk-gemini-signatures';
/** A real two-turn gemini-3 conversation: a thought summary and the signed answer text, then a follow-up. */
const SIGNED_TEXT = 'gemini/pydantic-ai-google_model_thinking_part.yaml';

const { mock, gateway } = useGatewayWithMock((upstream) => ({
  config: `${serverWithKeys({ 'team-a': CLIENT_KEY })}
[providers.gem]
type = "gemini"
base_url = "${upstream.origin}"
api_key = "gemini-upstream-key"
`,
}));
let client: OpenAI;

beforeAll(() => {
  client = openaiClient(gateway.baseURL, CLIENT_KEY);
});

type Part = Record<string, unknown> & { text?: string; thought?: boolean; thoughtSignature?: string };
type Content = { role: string; parts: Part[] };
type Answer = { candidates: Array<{ content: { parts: Part[] } }> };

/** The recording: its answer's signature, and its second request with the signature in standard base64. */
function recording() {
  const [thought, answer] = (cassetteJson(SIGNED_TEXT, 0) as Answer).candidates[0]!.content.parts;
  // The recording's SDK sent the signature base64url-encoded: the same bytes to Gemini.
  const second = (requestJson(loadCassette(SIGNED_TEXT)[1]!).contents as Content[]).map((c) => ({
    ...c,
    parts: c.parts.map((p) =>
      p.thoughtSignature
        ? { ...p, thoughtSignature: p.thoughtSignature.replace(/-/g, '+').replace(/_/g, '/') }
        : p,
    ),
  }));
  return { thought: thought!, answer: answer!, signature: answer?.thoughtSignature ?? '', second };
}

describe('openai sdk -> gemini upstream: the signed answer text comes back signed', () => {
  const { thought, answer, signature, second } = recording();
  const question = String(second[0]!.parts[0]!.text);
  const followUp = String(second[2]!.parts[0]!.text);
  const params = { model: 'gem/gemini-3-pro-preview', reasoning_effort: 'low' as const };

  it('the recording: a thought summary, then a text part carrying the signature', () => {
    expect(thought.thought).toBe(true);
    expect(answer.thought).toBeUndefined();
    expect(signature).not.toBe('');
    expect(second.map((c) => c.role)).toEqual(['user', 'model', 'user']);
  });

  it('non-stream: message.extra_content carries the signature; resending the message gives Gemini the recorded second request', async () => {
    mock.enqueue(sseAnswer(geminiJsonAsSse(cassetteJson(SIGNED_TEXT, 0))));
    const first = await client.chat.completions.create({
      ...params,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: question },
      ],
    });
    const message = validMessage(first);
    expect(message.content).toBe(answer.text);
    expect(message.reasoning_content).toBe(thought.text);
    expect((message as unknown as Record<string, unknown>).extra_content).toEqual({
      google: { thought_signature: signature },
    });

    mock.enqueue(sseAnswer(geminiJsonAsSse(cassetteJson(SIGNED_TEXT, 1))));
    await client.chat.completions.create({
      ...params,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: question },
        message as ChatCompletionMessageParam,
        { role: 'user', content: followUp },
      ],
    });
    expect(mock.lastBody().contents).toEqual(second);
  });

  it('stream: the SDK stream helper final message carries the signature; resending it gives Gemini the recorded second request', async () => {
    mock.enqueue(sseAnswer(geminiJsonAsSse(cassetteJson(SIGNED_TEXT, 0))));
    const runner = client.chat.completions.stream({
      ...params,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: question },
      ],
    });
    const final = await runner.finalChatCompletion();
    const message = final.choices[0]!.message;
    expect(message.content).toBe(answer.text);
    expect((message as unknown as Record<string, unknown>).extra_content).toEqual({
      google: { thought_signature: signature },
    });

    mock.enqueue(sseAnswer(geminiJsonAsSse(cassetteJson(SIGNED_TEXT, 1))));
    const next = await client.chat.completions.create({
      ...params,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: question },
        message as ChatCompletionMessageParam,
        { role: 'user', content: followUp },
      ],
    });
    expect(next.choices[0]!.finish_reason).toBe('stop');
    const contents = mock.lastBody().contents as Content[];
    expect(contents[1]!.parts.at(-1)).toEqual({ text: answer.text, thoughtSignature: signature });
    // The stream helper keeps the last reasoning_details delta only, so the thought summary may come back
    // in part; the signed answer text is what must match the recording.
    expect(contents[0]).toEqual(second[0]);
    expect(contents[2]).toEqual(second[2]);
  });
});
