/**
 * Where the Bedrock adapter's AWS identity and region come from, in the SDKs' order: the provider's own
 * settings, then the AWS_* environment variables, then the shared credentials / config files
 * (~/.aws/credentials and ~/.aws/config, or AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE) for the
 * profile in settings, AWS_PROFILE, or `default`. SSO, instance roles and credential_process are not
 * read: a gateway is given keys (or a role's session keys) explicitly.
 */
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { GatewayError } from '../../core/errors.js';
import type { ProviderSettings } from '../provider-adapter.js';
import type { AwsCredentials } from './sign-aws-request.js';

export interface AwsAuth {
  credentials: AwsCredentials;
  region: string;
}

type Env = Record<string, string | undefined>;

/** Re-read files (and env) this often, so rotated session keys are picked up without a restart. */
const DEFAULT_TTL_MS = 5 * 60_000;

/** A cached resolver for one provider; a failed resolution is not cached, so a fix applies at once. */
export function createAwsAuthResolver(
  provider: string,
  settings: ProviderSettings | undefined,
  baseUrl: string,
  env: Env = process.env,
  ttlMs = DEFAULT_TTL_MS,
): () => Promise<AwsAuth> {
  let cached: { auth: AwsAuth; expires: number } | undefined;
  return async () => {
    const now = Date.now();
    if (cached && cached.expires > now) return cached.auth;
    const auth = await resolveAwsAuth(provider, settings ?? {}, baseUrl, env);
    cached = { auth, expires: now + ttlMs };
    return auth;
  };
}

export async function resolveAwsAuth(
  provider: string,
  settings: ProviderSettings,
  baseUrl: string,
  env: Env,
): Promise<AwsAuth> {
  let profile: Record<string, string | undefined> | undefined;
  const profileSettings = async () => {
    profile ??= await loadProfile(settings.profile ?? env.AWS_PROFILE ?? 'default', env);
    return profile;
  };

  let credentials = pair(
    provider,
    'provider settings',
    settings.accessKeyId,
    settings.secretAccessKey,
    settings.sessionToken,
  );
  credentials ??= pair(
    provider,
    'environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)',
    env.AWS_ACCESS_KEY_ID,
    env.AWS_SECRET_ACCESS_KEY,
    env.AWS_SESSION_TOKEN,
  );
  if (!credentials) {
    const fromFile = await profileSettings();
    credentials = pair(
      provider,
      'shared credentials file',
      fromFile.aws_access_key_id,
      fromFile.aws_secret_access_key,
      fromFile.aws_session_token,
    );
  }
  if (!credentials) {
    throw misconfigured(
      provider,
      'auth',
      'no AWS credentials: set access_key_id / secret_access_key, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or a profile in the shared credentials file',
    );
  }

  const region =
    settings.region ??
    nonEmpty(env.AWS_REGION) ??
    nonEmpty(env.AWS_DEFAULT_REGION) ??
    regionFromEndpoint(baseUrl) ??
    nonEmpty((await profileSettings()).region);
  if (!region) {
    throw misconfigured(provider, 'internal', 'no AWS region: set region, AWS_REGION or AWS_DEFAULT_REGION');
  }
  return { credentials, region };
}

/** The region in a standard endpoint name (bedrock-runtime[-fips].{region}.amazonaws.com[.cn]). */
export function regionFromEndpoint(baseUrl: string): string | undefined {
  if (baseUrl === '') return undefined;
  try {
    return /^bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(
      new URL(baseUrl).hostname,
    )?.[1];
  } catch {
    return undefined;
  }
}

/** The profile's keys, credentials file over config file (as the SDKs merge them); `{}` when absent. */
async function loadProfile(name: string, env: Env): Promise<Record<string, string | undefined>> {
  const files = await loadSharedConfigFiles({
    ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
    ignoreCache: true,
  });
  return { ...files.configFile[name], ...files.credentialsFile[name] };
}

function pair(
  provider: string,
  source: string,
  accessKeyId: string | undefined,
  secretAccessKey: string | undefined,
  sessionToken: string | undefined,
): AwsCredentials | undefined {
  const id = nonEmpty(accessKeyId);
  const secret = nonEmpty(secretAccessKey);
  if (id === undefined && secret === undefined) return undefined;
  // Half a key pair is a mistake worth naming, not a reason to fall through to some other identity.
  if (id === undefined || secret === undefined) {
    throw misconfigured(
      provider,
      'auth',
      `the ${source} give an access key id or a secret key without the other`,
    );
  }
  const token = nonEmpty(sessionToken);
  return token === undefined
    ? { accessKeyId: id, secretAccessKey: secret }
    : { accessKeyId: id, secretAccessKey: secret, sessionToken: token };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function misconfigured(provider: string, failureClass: 'auth' | 'internal', detail: string): GatewayError {
  // The gateway's configuration is at fault, not the client: 502 like a rejected provider key.
  return new GatewayError(failureClass, `${provider}: ${detail}`, { provider, status: 502 });
}
