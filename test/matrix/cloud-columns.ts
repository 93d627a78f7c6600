/**
 * The cloud providers: AWS Bedrock (Converse, SigV4, binary event stream), Google Vertex AI (Gemini and
 * Claude publishers, behind a service-account token exchange) and Azure OpenAI (deployments, api-key, the
 * OpenAI wire with its fast path for OpenAI clients).
 */
import { expect } from 'vitest';
import { expectSigV4 } from '../support/matrix-sigv4.js';
import type { RecordedRequest } from '../support/mock-upstream.js';
import { REASONING_BUDGET } from './clients.js';
import type { ColumnEnv, ProviderColumn } from './column-types.js';
import { bedrock } from './native-replays.js';
import { cassetteError, openai } from './replays.js';
import {
  anthropicReplays,
  geminiReasoning,
  geminiReplays,
  OC,
  openAIReplays,
  openAIText,
} from './shared-replays.js';

const BR = 'bedrock-converse';
const AWS = {
  accessKeyId: 'AKIAMATRIXEXAMPLE0001',
  secretAccessKey: 'matrixSecretAccessKeyExample/0123456789',
  region: 'us-east-1',
  service: 'bedrock',
};

function bedrockColumn(): ProviderColumn {
  const text = { stream: bedrock.chunks(`${BR}/vercel-amazon-bedrock-text.chunks.txt`) };
  const toolTurn = `${BR}/pydantic-ai-bedrock_model_iter_stream.yaml`;
  const urlRefusal =
    'Bedrock does not support image URLs; send the image inline as base64 data or as an s3:// URL';
  return {
    id: 'bedrock',
    name: 'aws',
    type: 'bedrock',
    wire: 'bedrock',
    model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    config: (origin) => ({
      base_url: origin,
      region: AWS.region,
      access_key_id: AWS.accessKeyId,
      secret_access_key: AWS.secretAccessKey,
    }),
    path: (model) => `/model/${encodeURIComponent(model)}/converse-stream`,
    modelInBody: false,
    replays: {
      text,
      stream: { stream: bedrock.frames(`${BR}/pydantic-ai-bedrock_model_stream.yaml`) },
      tools: { stream: bedrock.frames(toolTurn) },
      'streamed-tool-arguments': {
        stream: bedrock.chunks(`${BR}/vercel-amazon-bedrock-json-other-tool.1.chunks.txt`),
      },
      'parallel-tool-calls': {
        stream: bedrock.chunks(
          `${BR}/vercel-amazon-bedrock-json-tool-text-then-weather-then-json.1.chunks.txt`,
        ),
      },
      images: text,
      'json-schema': { stream: bedrock.frames(`${BR}/pydantic-ai-bedrock_native_output_stream.yaml`) },
      reasoning: { stream: bedrock.frames(`${BR}/pydantic-ai-bedrock_model_thinking_part_stream.yaml`) },
      'cached-usage': {
        stream: bedrock.jsonAsFrames(`${BR}/pydantic-ai-bedrock_cache_write_and_read.yaml`, 1),
      },
    },
    error: cassetteError(`${BR}/pydantic-ai-bedrock_streaming_error.yaml`),
    // The recorded answer to the tool-result turn of the tools recording.
    followUp: { stream: bedrock.frames(toolTurn, 1) },
    unsupported: {
      images: () => ({
        kind: 'refused',
        status: 400,
        message: urlRefusal,
        note: `Bedrock cannot fetch web image URLs: the client gets 400 invalid_request_error "${urlRefusal}" and nothing goes upstream (inline images are sent as \`image.source.bytes\`)`,
      }),
    },
    reasoning: () => ({ type: 'enabled', budget_tokens: REASONING_BUDGET }),
    checkRequest: (request) => expectSigV4(request, AWS),
  };
}

const PROJECT = 'matrix-project';

function vertexPath(location: string, publisher: string, model: string, method: string): string {
  return `/v1/projects/${PROJECT}/locations/${location}/publishers/${publisher}/models/${model}:${method}`;
}

/**
 * A Vertex request carries the token the mock endpoint handed out for a signed JWT; tokens are cached, so
 * each Vertex provider exchanges once for the whole run.
 */
function expectVertexAuth(request: RecordedRequest, env: ColumnEnv): void {
  expect(request.headers.authorization).toBe(`Bearer ${env.accessToken}`);
  expect(env.tokenExchanges.length).toBeGreaterThan(0);
  expect(env.tokenExchanges.length, 'one exchange per Vertex provider').toBeLessThanOrEqual(2);
  for (const exchange of env.tokenExchanges) {
    expect(exchange.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(exchange.get('assertion')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  }
}

function vertexConfig(location: string): ProviderColumn['config'] {
  return (origin: string, env: ColumnEnv) => ({
    project: PROJECT,
    location,
    base_url: origin,
    credentials_json: env.serviceAccountJson,
    token_url: env.tokenUrl,
  });
}

function vertexColumn(): ProviderColumn {
  return {
    id: 'vertex',
    name: 'vtx',
    type: 'vertex',
    wire: 'gemini',
    model: 'gemini-2.5-flash',
    sharesRecordingsWith: 'gemini',
    config: vertexConfig('us-central1'),
    path: (model) => vertexPath('us-central1', 'google', model, 'streamGenerateContent'),
    modelInBody: false,
    ...geminiReplays(),
    error: cassetteError('gemini/pydantic-ai-vertex-400_invalid_argument_url_fetch.yaml', 2),
    reasoning: geminiReasoning,
    checkRequest: (request, env) => {
      expectVertexAuth(request, env);
      expect(request.query.get('alt')).toBe('sse');
    },
  };
}

function vertexClaudeColumn(): ProviderColumn {
  return {
    id: 'vertex-claude',
    name: 'vtx-claude',
    type: 'vertex',
    wire: 'anthropic',
    model: 'claude-sonnet-4-5@20250929',
    sharesRecordingsWith: 'anthropic',
    config: vertexConfig('us-east5'),
    path: (model) => vertexPath('us-east5', 'anthropic', model, 'streamRawPredict'),
    modelInBody: false,
    ...anthropicReplays(),
    reasoning: () => ({ type: 'enabled', budget_tokens: REASONING_BUDGET }),
    checkRequest: (request, env) => {
      expectVertexAuth(request, env);
      // Vertex takes the API version in the body, and the model from the URL only.
      const body = request.body as Record<string, unknown>;
      expect(body.anthropic_version).toBe('vertex-2023-10-16');
      expect(body.model).toBeUndefined();
    },
  };
}

function azureColumn(): ProviderColumn {
  return {
    id: 'azure',
    name: 'az',
    type: 'azure',
    wire: 'openai',
    model: 'gpt-4o-mini-deployment',
    fastPath: 'openai-chat',
    sharesRecordingsWith: 'openai',
    config: (origin) => ({ base_url: origin, api_key: 'azure-matrix-key' }),
    path: (deployment) => `/openai/deployments/${deployment}/chat/completions`,
    modelInBody: true,
    replays: {
      ...openAIReplays(),
      stream: { stream: openai.chunks(`${OC}/vercel-azure-model-router.1.chunks.txt`) },
    },
    error: cassetteError(`${OC}/pydantic-ai-openrouter_errors_raised.yaml`),
    followUp: openAIText(),
    reasoning: () => 'low',
    checkRequest: (request) => {
      expect(request.headers['api-key']).toBe('azure-matrix-key');
      expect(request.headers.authorization).toBeUndefined();
      expect(request.query.get('api-version')).toBe('2024-10-21');
    },
  };
}

export function cloudColumns(): ProviderColumn[] {
  return [bedrockColumn(), vertexColumn(), vertexClaudeColumn(), azureColumn()];
}
