import { describe, expect, it } from 'vitest';
import {
  azureChatCompletionsUrl,
  azureHasResponses,
  azureResourceRoot,
  azureResponsesUrl,
} from './azure-urls.js';

const BASE = 'https://my-resource.openai.azure.com';

describe('azureChatCompletionsUrl', () => {
  it.each([
    [
      '2024-10-21',
      'gpt-4o-prod',
      `${BASE}/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21`,
    ],
    [
      '2025-04-01-preview',
      'o3 mini',
      `${BASE}/openai/deployments/o3%20mini/chat/completions?api-version=2025-04-01-preview`,
    ],
    ['v1', 'gpt-4o-prod', `${BASE}/openai/v1/chat/completions`],
  ])('api-version %s, deployment %s', (version, deployment, expected) => {
    expect(azureChatCompletionsUrl(BASE, version, deployment)).toBe(expected);
  });
});

describe('azureResponsesUrl', () => {
  it('v1 and dated versions both address /openai, without a deployment segment', () => {
    expect(azureResponsesUrl(BASE, 'v1')).toBe(`${BASE}/openai/v1/responses`);
    expect(azureResponsesUrl(`${BASE}/`, '2025-03-01-preview')).toBe(
      `${BASE}/openai/responses?api-version=2025-03-01-preview`,
    );
  });
});

describe('azureHasResponses', () => {
  it.each([
    ['v1', true],
    ['2025-03-01-preview', true],
    ['2025-04-01-preview', true],
    ['2024-10-21', false],
    ['2025-02-01-preview', false],
    ['latest', false],
  ])('%s -> %s', (version, expected) => {
    expect(azureHasResponses(version)).toBe(expected);
  });

  it('the input_tokens suffix goes before the query', () => {
    expect(azureResponsesUrl(BASE, '2025-03-01-preview', '/input_tokens')).toBe(
      `${BASE}/openai/responses/input_tokens?api-version=2025-03-01-preview`,
    );
  });
});

describe('azureResourceRoot', () => {
  it.each([
    [BASE, BASE],
    [`${BASE}/`, BASE],
    [`${BASE}/openai`, BASE],
    [`${BASE}/openai/v1/`, BASE],
    ['https://proxy.example.com/azure', 'https://proxy.example.com/azure'],
  ])('%s -> %s', (input, expected) => {
    expect(azureResourceRoot(input)).toBe(expected);
  });
});
