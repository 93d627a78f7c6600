/**
 * The Google service-account key (the JSON file `gcloud iam service-accounts keys create` writes), read
 * from a path or given inline. Only the fields the JWT bearer flow needs are required.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { GatewayError } from '../../core/errors.js';
import type { ProviderSettings } from '../provider-adapter.js';

const serviceAccountSchema = z.looseObject({
  type: z.string().optional(),
  project_id: z.string().optional(),
  private_key_id: z.string().optional(),
  private_key: z.string().min(1),
  client_email: z.string().min(1),
  token_uri: z.string().optional(),
});

export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

/**
 * Errors name the problem, never the content: the JSON holds a private key, and JSON.parse messages
 * quote the text they choke on, so neither the text nor the parse error is passed on.
 */
export function parseServiceAccount(text: string, provider: string): ServiceAccount {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw credentialsError(provider, 'the service-account credentials are not valid JSON');
  }
  const parsed = serviceAccountSchema.safeParse(json);
  if (!parsed.success) {
    throw credentialsError(provider, 'the service-account credentials lack client_email or private_key');
  }
  if (parsed.data.type !== undefined && parsed.data.type !== 'service_account') {
    throw credentialsError(
      provider,
      `credentials of type "${parsed.data.type}" are not supported; use a service-account key`,
    );
  }
  return parsed.data;
}

export async function loadServiceAccount(
  settings: ProviderSettings | undefined,
  provider: string,
): Promise<ServiceAccount> {
  if (settings?.credentialsJson !== undefined) return parseServiceAccount(settings.credentialsJson, provider);
  if (settings?.credentialsFile !== undefined) {
    let text: string;
    try {
      text = await readFile(settings.credentialsFile, 'utf8');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw credentialsError(
        provider,
        `cannot read the credentials file${typeof code === 'string' ? ` (${code})` : ''}`,
      );
    }
    return parseServiceAccount(text, provider);
  }
  throw credentialsError(provider, 'no credentials configured (credentials_file or credentials_json)');
}

/** A credentials problem is the gateway's misconfiguration: auth class, 502 to the client. */
export function credentialsError(provider: string, detail: string): GatewayError {
  return new GatewayError('auth', `${provider}: ${detail}`, { status: 502, provider });
}
