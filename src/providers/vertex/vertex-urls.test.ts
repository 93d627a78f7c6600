import { describe, expect, it } from 'vitest';
import { vertexBaseUrl, vertexModelUrl, vertexPublisher } from './vertex-urls.js';

describe('vertexBaseUrl', () => {
  it.each([
    ['', 'us-central1', 'https://us-central1-aiplatform.googleapis.com'],
    ['', 'europe-west4', 'https://europe-west4-aiplatform.googleapis.com'],
    ['', 'global', 'https://aiplatform.googleapis.com'],
    ['https://vertex-proxy.internal/', 'us-east5', 'https://vertex-proxy.internal'],
    [
      'https://us-east5-aiplatform.googleapis.com/v1',
      'us-east5',
      'https://us-east5-aiplatform.googleapis.com',
    ],
    ['https://aiplatform.googleapis.com/v1beta1/', 'global', 'https://aiplatform.googleapis.com'],
  ])('base %j, location %s -> %s', (baseUrl, location, expected) => {
    expect(vertexBaseUrl(baseUrl, location)).toBe(expected);
  });
});

describe('vertexPublisher', () => {
  it.each([
    ['gemini-2.5-pro', 'google'],
    ['gemini-3-flash-preview', 'google'],
    ['claude-sonnet-4@20250514', 'anthropic'],
    ['claude-opus-4-1', 'anthropic'],
  ])('%s -> %s', (model, publisher) => {
    expect(vertexPublisher(model)).toBe(publisher);
  });
});

describe('vertexModelUrl', () => {
  it('the path the pydantic-ai vertex cassettes record, on v1, with the streaming method', () => {
    expect(
      vertexModelUrl({
        base: 'https://aiplatform.googleapis.com',
        project: 'pydantic-ai',
        location: 'global',
        publisher: 'google',
        model: 'gemini-2.0-flash',
        method: 'streamGenerateContent?alt=sse',
      }),
    ).toBe(
      'https://aiplatform.googleapis.com/v1/projects/pydantic-ai/locations/global/publishers/google/models/gemini-2.0-flash:streamGenerateContent?alt=sse',
    );
  });

  it('keeps the @version of a Claude id literal and strips a models/ prefix', () => {
    expect(
      vertexModelUrl({
        base: 'https://us-east5-aiplatform.googleapis.com',
        project: 'my-proj',
        location: 'us-east5',
        publisher: 'anthropic',
        model: 'claude-sonnet-4@20250514',
        method: 'streamRawPredict',
      }),
    ).toBe(
      'https://us-east5-aiplatform.googleapis.com/v1/projects/my-proj/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514:streamRawPredict',
    );
    expect(
      vertexModelUrl({
        base: 'b',
        project: 'p',
        location: 'l',
        publisher: 'google',
        model: 'models/gemini 2?',
        method: 'm',
      }),
    ).toBe('b/v1/projects/p/locations/l/publishers/google/models/gemini%202%3F:m');
  });
});
