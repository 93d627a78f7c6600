/**
 * Vertex AI endpoints: one host per location (`global` has the bare host), models addressed as
 * publisher resources under the project.
 */

export type VertexPublisher = 'google' | 'anthropic';

/** The configured base URL (with or without an API version on it), else the location's host. */
export function vertexBaseUrl(baseUrl: string, location: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  if (trimmed !== '') return trimmed.replace(/\/v1(beta1)?$/, '');
  return location === 'global'
    ? 'https://aiplatform.googleapis.com'
    : `https://${location}-aiplatform.googleapis.com`;
}

/** Claude models on Vertex are Anthropic's publisher; everything else is Google's (Gemini). */
export function vertexPublisher(model: string): VertexPublisher {
  return model.startsWith('claude') ? 'anthropic' : 'google';
}

/**
 * `{base}/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}`.
 * Claude ids carry a version after `@` (claude-sonnet-4@20250514), which stays literal as Google writes it.
 */
export function vertexModelUrl(parts: {
  base: string;
  project: string;
  location: string;
  publisher: VertexPublisher;
  model: string;
  method: string;
}): string {
  const model = encodeURIComponent(parts.model.replace(/^models\//, '')).replace(/%40/g, '@');
  return (
    `${parts.base}/v1/projects/${encodeURIComponent(parts.project)}` +
    `/locations/${encodeURIComponent(parts.location)}/publishers/${parts.publisher}/models/${model}:${parts.method}`
  );
}
