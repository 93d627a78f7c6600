/**
 * Reads what an upstream received, per provider wire format, into comparable values: the path, the system
 * prompt, tool names, images, the JSON schema, the reasoning knob and a tool round trip.
 */
import type { ProviderId } from './matrix-types.js';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export type UpstreamImage =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url'; url: string };

export function expectedPath(provider: ProviderId, model: string): string {
  switch (provider) {
    case 'openai':
      return '/v1/chat/completions';
    case 'anthropic':
      return '/v1/messages';
    case 'gemini':
      return `/v1beta/models/${model}:streamGenerateContent`;
    case 'echo':
      return '';
  }
}

/** The model the body names (Gemini puts it in the path instead). */
export function modelOf(provider: ProviderId, body: Json): string | undefined {
  return provider === 'gemini' ? undefined : str(body.model);
}

export function systemTextOf(provider: ProviderId, body: Json): string {
  switch (provider) {
    case 'openai': {
      const system = arr(body.messages)
        .map(obj)
        .filter((m) => m.role === 'system' || m.role === 'developer');
      return system.map((m) => textOf(m.content)).join('\n');
    }
    case 'anthropic':
      return textOf(body.system);
    case 'gemini':
      return arr(obj(body.systemInstruction).parts)
        .map((p) => str(obj(p).text))
        .join('\n');
    default:
      return '';
  }
}

/** Text of a string or of an array of text blocks. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((block) => str(obj(block).text))
    .join('\n');
}

export function toolNamesOf(provider: ProviderId, body: Json): string[] {
  switch (provider) {
    case 'openai':
      return arr(body.tools).map((t) => str(obj(obj(t).function).name));
    case 'anthropic':
      return arr(body.tools).map((t) => str(obj(t).name));
    case 'gemini':
      return arr(body.tools).flatMap((t) => arr(obj(t).functionDeclarations).map((d) => str(obj(d).name)));
    default:
      return [];
  }
}

/** The images of the last user turn. */
export function imagesOf(provider: ProviderId, body: Json): UpstreamImage[] {
  switch (provider) {
    case 'openai': {
      const user = arr(body.messages)
        .map(obj)
        .filter((m) => m.role === 'user')
        .at(-1);
      return arr(user?.content)
        .map(obj)
        .filter((p) => p.type === 'image_url')
        .map((p) => {
          const url = str(obj(p.image_url).url);
          const data = /^data:([^;]+);base64,(.*)$/.exec(url);
          return data ? { kind: 'base64', mediaType: data[1]!, data: data[2]! } : { kind: 'url', url };
        });
    }
    case 'anthropic': {
      const user = arr(body.messages)
        .map(obj)
        .filter((m) => m.role === 'user')
        .at(-1);
      return arr(user?.content)
        .map(obj)
        .filter((b) => b.type === 'image')
        .map((b) => {
          const source = obj(b.source);
          return source.type === 'base64'
            ? { kind: 'base64', mediaType: str(source.media_type), data: str(source.data) }
            : { kind: 'url', url: str(source.url) };
        });
    }
    case 'gemini': {
      const user = arr(body.contents)
        .map(obj)
        .filter((c) => c.role === 'user')
        .at(-1);
      return arr(user?.parts)
        .map(obj)
        .flatMap((p): UpstreamImage[] => {
          if (p.inlineData) {
            const inline = obj(p.inlineData);
            return [{ kind: 'base64', mediaType: str(inline.mimeType), data: str(inline.data) }];
          }
          if (p.fileData) return [{ kind: 'url', url: str(obj(p.fileData).fileUri) }];
          return [];
        });
    }
    default:
      return [];
  }
}

export function jsonSchemaOf(provider: ProviderId, body: Json): unknown {
  switch (provider) {
    case 'openai':
      return obj(obj(body.response_format).json_schema).schema;
    case 'anthropic':
      return obj(obj(body.output_config).format).schema ?? obj(body.output_format).schema;
    case 'gemini': {
      const config = obj(body.generationConfig);
      return config.responseMimeType === 'application/json'
        ? (config.responseSchema ?? config.responseJsonSchema)
        : undefined;
    }
    default:
      return undefined;
  }
}

export function reasoningOf(provider: ProviderId, body: Json): unknown {
  switch (provider) {
    case 'openai':
      return body.reasoning_effort;
    case 'anthropic':
      return body.thinking;
    case 'gemini':
      return obj(body.generationConfig).thinkingConfig;
    default:
      return undefined;
  }
}

export interface ToolRoundTrip {
  /** The calls of the last assistant turn: id (where the wire has one), name, arguments as an object. */
  calls: Array<{ id?: string; name: string; args: unknown; signature?: string }>;
  /** The results that answer them: the id or name they answer and their text. */
  results: Array<{ id?: string; name?: string; text: string }>;
  /** Reasoning signatures of the assistant turn, in the provider's own field. */
  reasoningSignatures: string[];
}

export function toolRoundTripOf(provider: ProviderId, body: Json): ToolRoundTrip {
  switch (provider) {
    case 'openai': {
      const messages = arr(body.messages).map(obj);
      const assistant = messages.filter((m) => m.role === 'assistant').at(-1) ?? {};
      return {
        calls: arr(assistant.tool_calls).map((raw) => {
          const call = obj(raw);
          const fn = obj(call.function);
          return {
            id: str(call.id),
            name: str(fn.name),
            args: JSON.parse(str(fn.arguments) || '{}') as unknown,
          };
        }),
        results: messages
          .filter((m) => m.role === 'tool')
          .map((m) => ({ id: str(m.tool_call_id), text: textOf(m.content) })),
        reasoningSignatures: arr(assistant.reasoning_details).flatMap((d) =>
          str(obj(d).signature) ? [str(obj(d).signature)] : [],
        ),
      };
    }
    case 'anthropic': {
      const messages = arr(body.messages).map(obj);
      const assistant = messages.filter((m) => m.role === 'assistant').at(-1) ?? {};
      const blocks = arr(assistant.content).map(obj);
      const last = messages.at(-1) ?? {};
      return {
        calls: blocks
          .filter((b) => b.type === 'tool_use')
          .map((b) => ({ id: str(b.id), name: str(b.name), args: b.input })),
        results: arr(last.content)
          .map(obj)
          .filter((b) => b.type === 'tool_result')
          .map((b) => ({ id: str(b.tool_use_id), text: textOf(b.content) })),
        reasoningSignatures: blocks.filter((b) => b.type === 'thinking').map((b) => str(b.signature)),
      };
    }
    case 'gemini': {
      const contents = arr(body.contents).map(obj);
      const model = contents.filter((c) => c.role === 'model').at(-1) ?? {};
      const parts = arr(model.parts).map(obj);
      const last = contents.at(-1) ?? {};
      return {
        calls: parts
          .filter((p) => p.functionCall)
          .map((p) => {
            const call = obj(p.functionCall);
            return {
              ...(typeof call.id === 'string' ? { id: call.id } : {}),
              name: str(call.name),
              args: call.args,
              ...(typeof p.thoughtSignature === 'string' ? { signature: p.thoughtSignature } : {}),
            };
          }),
        results: arr(last.parts)
          .map(obj)
          .filter((p) => p.functionResponse)
          .map((p) => {
            const response = obj(p.functionResponse);
            return {
              ...(typeof response.id === 'string' ? { id: response.id } : {}),
              name: str(response.name),
              text: str(obj(response.response).result),
            };
          }),
        reasoningSignatures: parts.flatMap((p) =>
          p.thought === true && typeof p.thoughtSignature === 'string' ? [p.thoughtSignature] : [],
        ),
      };
    }
    default:
      return { calls: [], results: [], reasoningSignatures: [] };
  }
}
