/**
 * Loads the recorded provider payloads in ../shared/fixtures (see its README for the formats), or in
 * JUNCTION_FIXTURES_DIR when the checkout does not sit beside that folder.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES_DIR = process.env.JUNCTION_FIXTURES_DIR
  ? resolve(process.env.JUNCTION_FIXTURES_DIR)
  : resolve(here, '../../../shared/fixtures');

export function fixturePath(relative: string): string {
  return join(FIXTURES_DIR, relative);
}

/** A vercel `*.chunks.txt` file: one JSON event per line. */
export function loadChunks(relative: string): unknown[] {
  return readFileSync(fixturePath(relative), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** A vercel `*.json` file: one response (or error) body. */
export function loadJson(relative: string): unknown {
  return JSON.parse(readFileSync(fixturePath(relative), 'utf8')) as unknown;
}

export interface CassetteInteraction {
  request: {
    method: string;
    uri: string;
    headers: Record<string, unknown>;
    body?: unknown;
    parsed_body?: unknown;
  };
  response: {
    status: { code: number; message?: string };
    headers: Record<string, unknown>;
    body?: { string?: string };
    parsed_body?: unknown;
  };
}

/** A pydantic-ai VCR cassette: request/response pairs. Streaming bodies are byte-exact in body.string. */
export function loadCassette(relative: string): CassetteInteraction[] {
  const doc = parseYaml(readFileSync(fixturePath(relative), 'utf8')) as {
    interactions: CassetteInteraction[];
  };
  return doc.interactions;
}

/** The request body of an interaction as JSON (parsed_body, or a raw JSON string body). */
export function requestJson(interaction: CassetteInteraction): Record<string, unknown> {
  const { request } = interaction;
  if (request.parsed_body !== undefined) return request.parsed_body as Record<string, unknown>;
  if (typeof request.body === 'string') return JSON.parse(request.body) as Record<string, unknown>;
  throw new Error('interaction has no JSON request body');
}

/** The binary response body of a recorded interaction (YAML !!binary, e.g. Bedrock's event-stream frames). */
export function cassetteBytes(relative: string, interaction = 0): Uint8Array {
  const body = loadCassette(relative)[interaction]!.response.body?.string as unknown;
  if (!(body instanceof Uint8Array)) throw new Error(`${relative} has no binary body`);
  return body;
}

/** The raw response text (SSE for streams) or the JSON body re-serialized. */
export function responseText(interaction: CassetteInteraction): string {
  const { response } = interaction;
  if (response.body?.string !== undefined) return response.body.string;
  if (response.parsed_body !== undefined) return JSON.stringify(response.parsed_body);
  return '';
}

/** Wraps vercel chunks as SSE text; `withEventNames` adds `event: <type>` (Anthropic, Responses). */
export function chunksToSse(
  chunks: unknown[],
  options: { withEventNames?: boolean; done?: boolean } = {},
): string {
  let out = '';
  for (const chunk of chunks) {
    const type = (chunk as { type?: unknown }).type;
    if (options.withEventNames && typeof type === 'string') out += `event: ${type}\n`;
    out += `data: ${JSON.stringify(chunk)}\n\n`;
  }
  if (options.done) out += 'data: [DONE]\n\n';
  return out;
}

/**
 * Splits text (UTF-8 encoded) or bytes into chunks of a given size, to test decoders against arbitrary
 * chunk boundaries.
 */
export async function* byteChunks(data: string | Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
