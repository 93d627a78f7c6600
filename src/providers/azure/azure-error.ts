/**
 * Azure OpenAI error bodies: OpenAI's envelope, plus Azure's own codes. A content filter refusal says
 * `code: "content_filter"` with an `innererror` (`ResponsibleAIPolicyViolation`, per-category results);
 * a missing deployment says `DeploymentNotFound`. Auth and throttling errors put the HTTP status in
 * `code` ("401", "429"), which the status itself already classifies.
 */
import { z } from 'zod';
import type { FailureClass } from '../../core/errors.js';
import { parseOpenAIError } from '../openai/openai-error.js';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';

const CLASS_BY_AZURE_CODE: Record<string, FailureClass> = {
  ResponsibleAIPolicyViolation: 'content_filter',
  content_filter: 'content_filter',
  DeploymentNotFound: 'not_found',
};

const azureErrorSchema = z.looseObject({
  error: z.looseObject({
    code: z.unknown().optional(),
    innererror: z.looseObject({ code: z.unknown().optional() }).nullish().catch(undefined),
  }),
});

export function parseAzureOpenAIError(body: unknown): ParsedUpstreamError {
  const parsed = parseOpenAIError(body);
  const azure = azureErrorSchema.safeParse(body);
  if (!azure.success) return parsed;
  const { code, innererror } = azure.data.error;
  for (const candidate of [innererror?.code, code]) {
    const failureClass = typeof candidate === 'string' ? CLASS_BY_AZURE_CODE[candidate] : undefined;
    if (failureClass) return { ...parsed, failureClass };
  }
  return parsed;
}
