/**
 * Reads what an upstream received, per provider wire format, into comparable values: the system prompt,
 * tool names, images, the JSON schema, the reasoning knob and a tool round trip. Several columns share a
 * wire (every OpenAI-wire preset and Azure speak `openai`; Vertex speaks Gemini's or Anthropic's). An
 * upstream that serves the Responses API gets Responses bodies (`openai-responses`) on the fast path.
 */

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The request format an upstream reads. */
export type Wire =
  | 'openai'
  | 'openai-responses'
  | 'anthropic'
  | 'gemini'
  | 'bedrock'
  | 'cohere'
  | 'mistral'
  | 'ollama';

export type UpstreamImage =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url'; url: string };

/** Chat-style wires: messages with a role and string or part-list content. */
const CHAT_WIRES: ReadonlySet<Wire> = new Set(['openai', 'mistral', 'cohere', 'ollama']);

export function systemTextOf(wire: Wire, body: Json): string {
  if (CHAT_WIRES.has(wire)) {
    const system = arr(body.messages)
      .map(obj)
      .filter((m) => m.role === 'system' || m.role === 'developer');
    return system.map((m) => textOf(m.content)).join('\n');
  }
  switch (wire) {
    case 'openai-responses': {
      const system = responsesItems(body).filter((m) => m.role === 'system' || m.role === 'developer');
      return [str(body.instructions), ...system.map((m) => textOf(m.content))].filter(Boolean).join('\n');
    }
    case 'anthropic':
      return textOf(body.system);
    case 'gemini':
      return arr(obj(body.systemInstruction).parts)
        .map((p) => str(obj(p).text))
        .join('\n');
    case 'bedrock':
      return textOf(body.system);
    default:
      return '';
  }
}

/** A Responses body's `input` as items (a string is one user message). */
function responsesItems(body: Json): Json[] {
  if (typeof body.input === 'string') return [{ role: 'user', content: body.input }];
  return arr(body.input).map(obj);
}

/** Text of a string or of an array of text blocks. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map(obj)
    .filter((block) => typeof block.text === 'string')
    .map((block) => str(block.text))
    .join('\n');
}

export function toolNamesOf(wire: Wire, body: Json): string[] {
  switch (wire) {
    case 'openai':
    case 'mistral':
    case 'cohere':
    case 'ollama':
      return arr(body.tools).map((t) => str(obj(obj(t).function).name));
    case 'openai-responses':
      return arr(body.tools)
        .map(obj)
        .filter((t) => t.type === 'function')
        .map((t) => str(t.name));
    case 'anthropic':
      return arr(body.tools).map((t) => str(obj(t).name));
    case 'gemini':
      return arr(body.tools).flatMap((t) => arr(obj(t).functionDeclarations).map((d) => str(obj(d).name)));
    case 'bedrock':
      return arr(obj(body.toolConfig).tools).flatMap((t) =>
        obj(t).toolSpec ? [str(obj(obj(t).toolSpec).name)] : [],
      );
  }
}

function lastUser(messages: unknown): Json | undefined {
  return arr(messages)
    .map(obj)
    .filter((m) => m.role === 'user')
    .at(-1);
}

function fromUrl(url: string): UpstreamImage {
  const data = /^data:([^;]+);base64,(.*)$/.exec(url);
  return data ? { kind: 'base64', mediaType: data[1]!, data: data[2]! } : { kind: 'url', url };
}

/** The images of the last user turn. */
export function imagesOf(wire: Wire, body: Json): UpstreamImage[] {
  switch (wire) {
    case 'openai':
    case 'cohere':
      return arr(lastUser(body.messages)?.content)
        .map(obj)
        .filter((p) => p.type === 'image_url')
        .map((p) => fromUrl(str(obj(p.image_url).url)));
    case 'openai-responses':
      return arr(lastUser(responsesItems(body))?.content)
        .map(obj)
        .filter((p) => p.type === 'input_image')
        .map((p) => fromUrl(str(p.image_url)));
    case 'mistral':
      // Mistral's image_url is the URL itself, not an object.
      return arr(lastUser(body.messages)?.content)
        .map(obj)
        .filter((p) => p.type === 'image_url')
        .map((p) => fromUrl(typeof p.image_url === 'string' ? p.image_url : str(obj(p.image_url).url)));
    case 'anthropic':
      return arr(lastUser(body.messages)?.content)
        .map(obj)
        .filter((b) => b.type === 'image')
        .map((b) => {
          const source = obj(b.source);
          return source.type === 'base64'
            ? { kind: 'base64', mediaType: str(source.media_type), data: str(source.data) }
            : { kind: 'url', url: str(source.url) };
        });
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
    case 'bedrock':
      return arr(lastUser(body.messages)?.content)
        .map(obj)
        .flatMap((b): UpstreamImage[] => {
          if (!b.image) return [];
          const image = obj(b.image);
          return [
            { kind: 'base64', mediaType: `image/${str(image.format)}`, data: str(obj(image.source).bytes) },
          ];
        });
    case 'ollama':
      // Bare base64 in `images`; Ollama's docs give no media type.
      return arr(lastUser(body.messages)?.images).map((data) => ({
        kind: 'base64',
        mediaType: 'image/png',
        data: str(data),
      }));
  }
}

export function jsonSchemaOf(wire: Wire, body: Json): unknown {
  switch (wire) {
    case 'openai':
    case 'mistral':
      return obj(obj(body.response_format).json_schema).schema;
    case 'openai-responses':
      return obj(obj(body.text).format).schema;
    case 'cohere':
      return obj(body.response_format).json_schema;
    case 'ollama':
      return body.format;
    case 'anthropic':
      return obj(obj(body.output_config).format).schema ?? obj(body.output_format).schema;
    case 'gemini': {
      const config = obj(body.generationConfig);
      return config.responseMimeType === 'application/json'
        ? (config.responseSchema ?? config.responseJsonSchema)
        : undefined;
    }
    case 'bedrock': {
      // Converse takes the schema as a JSON text.
      const schema = obj(obj(obj(body.outputConfig).textFormat).structure).jsonSchema;
      return JSON.parse(str(obj(schema).schema) || 'null') as unknown;
    }
  }
}

export function reasoningOf(wire: Wire, body: Json): unknown {
  switch (wire) {
    case 'openai':
      // OpenRouter's unified `reasoning` object, else Chat Completions' reasoning_effort.
      return body.reasoning ?? body.reasoning_effort;
    case 'openai-responses':
      return body.reasoning;
    case 'mistral':
      return body.prompt_mode ?? body.reasoning_effort;
    case 'cohere':
      return body.thinking;
    case 'ollama':
      return body.think;
    case 'anthropic':
      return body.thinking;
    case 'gemini':
      return obj(body.generationConfig).thinkingConfig;
    case 'bedrock':
      return obj(body.additionalModelRequestFields).thinking;
  }
}

export interface ToolRoundTrip {
  /** The calls of the last assistant turn: id (where the wire has one), name, arguments as an object. */
  calls: Array<{ id?: string; name: string; args: unknown; signature?: string }>;
  /** The results that answer them: the id or name they answer and their text. */
  results: Array<{ id?: string; name?: string; text: string }>;
  /** Reasoning signatures of the assistant turn, in the provider's own field. */
  reasoningSignatures: string[];
  /** Unsigned reasoning text the assistant turn carries back (Cohere, Mistral, Ollama keep it). */
  reasoningText: string;
}

function parseArgs(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? {};
  return JSON.parse(value || '{}') as unknown;
}

export function toolRoundTripOf(wire: Wire, body: Json): ToolRoundTrip {
  const messages = arr(body.messages).map(obj);
  const assistant = messages.filter((m) => m.role === 'assistant').at(-1) ?? {};
  switch (wire) {
    case 'openai-responses': {
      // The history is inlined as items: the calls, their outputs and the reasoning items as they came.
      const items = responsesItems(body);
      const reasoning = items.filter((item) => item.type === 'reasoning');
      return {
        calls: items
          .filter((item) => item.type === 'function_call')
          .map((item) => ({ id: str(item.call_id), name: str(item.name), args: parseArgs(item.arguments) })),
        results: items
          .filter((item) => item.type === 'function_call_output')
          .map((item) => ({ id: str(item.call_id), text: textOf(item.output) })),
        reasoningSignatures: reasoning.flatMap((item) =>
          str(item.encrypted_content) ? [str(item.encrypted_content)] : [],
        ),
        reasoningText: reasoning
          .flatMap((item) => arr(item.summary).map((part) => str(obj(part).text)))
          .join(''),
      };
    }
    case 'openai':
    case 'mistral':
    case 'cohere':
    case 'ollama': {
      const content = arr(assistant.content).map(obj);
      return {
        calls: arr(assistant.tool_calls).map((raw) => {
          const call = obj(raw);
          const fn = obj(call.function);
          return {
            ...(wire === 'ollama' ? {} : { id: str(call.id) }),
            name: str(fn.name),
            args: parseArgs(fn.arguments),
          };
        }),
        results: messages
          .filter((m) => m.role === 'tool')
          .map((m) =>
            wire === 'ollama'
              ? { name: str(m.tool_name), text: textOf(m.content) }
              : { id: str(m.tool_call_id), text: textOf(m.content) },
          ),
        reasoningSignatures: arr(assistant.reasoning_details).flatMap((d) =>
          str(obj(d).signature) ? [str(obj(d).signature)] : [],
        ),
        reasoningText:
          wire === 'ollama'
            ? str(assistant.thinking)
            : content
                .filter((c) => c.type === 'thinking')
                .map((c) =>
                  typeof c.thinking === 'string'
                    ? c.thinking
                    : arr(c.thinking)
                        .map((t) => str(obj(t).text))
                        .join(''),
                )
                .join(''),
      };
    }
    case 'anthropic': {
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
        reasoningText: blocks
          .filter((b) => b.type === 'thinking')
          .map((b) => str(b.thinking))
          .join(''),
      };
    }
    case 'bedrock': {
      const blocks = arr(assistant.content).map(obj);
      const last = messages.at(-1) ?? {};
      const reasoning = blocks.map((b) => obj(obj(b.reasoningContent).reasoningText));
      return {
        calls: blocks
          .filter((b) => b.toolUse)
          .map((b) => {
            const use = obj(b.toolUse);
            return { id: str(use.toolUseId), name: str(use.name), args: use.input };
          }),
        results: arr(last.content)
          .map(obj)
          .filter((b) => b.toolResult)
          .map((b) => {
            const result = obj(b.toolResult);
            return { id: str(result.toolUseId), text: textOf(result.content) };
          }),
        reasoningSignatures: reasoning.flatMap((r) => (typeof r.signature === 'string' ? [r.signature] : [])),
        reasoningText: reasoning.map((r) => str(r.text)).join(''),
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
        reasoningText: parts
          .filter((p) => p.thought === true)
          .map((p) => str(p.text))
          .join(''),
      };
    }
  }
}
