/**
 * Mistral error bodies come in three shapes:
 * - `{object:'error', message, type, param, code}`, where `message` may itself be `{detail:[...]}`;
 * - `{detail:[{type, loc, msg}]}` for request validation (422, e.g. "Extra inputs are not permitted");
 * - `{message, request_id}` from the gateway in front (401 "Unauthorized", 429).
 * The OpenAI envelope `{error:{...}}` is accepted too.
 */
import { z } from 'zod';
import type { FailureClass } from '../../core/errors.js';
import { parseOpenAIError } from '../openai/openai-error.js';
import type { ParsedUpstreamError } from '../shared/upstream-error.js';

const detailSchema = z.array(
  z.looseObject({
    loc: z
      .array(z.union([z.string(), z.number()]))
      .optional()
      .catch(undefined),
    msg: z.string().optional().catch(undefined),
  }),
);

const mistralErrorSchema = z.looseObject({
  message: z
    .union([z.string(), z.looseObject({ detail: detailSchema.optional().catch(undefined) })])
    .optional(),
  detail: z.union([z.string(), detailSchema]).optional().catch(undefined),
  type: z.string().nullish().catch(undefined),
  code: z.union([z.string(), z.number()]).nullish().catch(undefined),
  param: z.string().nullish().catch(undefined),
});

const CLASS_BY_TYPE: Record<string, FailureClass> = {
  invalid_request_error: 'invalid_request',
  invalid_request_message_error: 'invalid_request',
  invalid_request_prompt: 'invalid_request',
  rate_limit_error: 'rate_limit',
  authentication_error: 'auth',
};

export function parseMistralError(body: unknown): ParsedUpstreamError {
  if (typeof body === 'object' && body !== null && 'error' in body) return parseOpenAIError(body);
  const parsed = mistralErrorSchema.safeParse(body);
  if (!parsed.success) return {};
  const { message, detail, type, code, param } = parsed.data;
  const result: ParsedUpstreamError = {};
  const text =
    typeof message === 'string'
      ? message
      : message?.detail
        ? describeDetail(message.detail)
        : typeof detail === 'string'
          ? detail
          : detail
            ? describeDetail(detail)
            : undefined;
  if (text) result.message = text;
  const failureClass = type ? CLASS_BY_TYPE[type] : undefined;
  if (failureClass) result.failureClass = failureClass;
  if (code != null) result.code = String(code);
  else if (type) result.code = type;
  if (param) result.param = param;
  return result;
}

/** `body.store: Extra inputs are not permitted; ...` */
function describeDetail(detail: z.infer<typeof detailSchema>): string {
  return detail
    .map((d) => {
      const where = (d.loc ?? []).join('.');
      return where ? `${where}: ${d.msg ?? 'invalid'}` : (d.msg ?? 'invalid');
    })
    .join('; ');
}
