import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/errors.js';
import { createAwsAuthResolver, regionFromEndpoint, resolveAwsAuth } from './resolve-aws-auth.js';

const dir = mkdtempSync(join(tmpdir(), 'junction-aws-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const credentialsFile = join(dir, 'credentials');
const configFile = join(dir, 'config');
writeFileSync(
  credentialsFile,
  [
    '[default]',
    'aws_access_key_id = AKIDDEFAULT',
    'aws_secret_access_key = default-secret',
    '',
    '[work]',
    'aws_access_key_id = AKIDWORK',
    'aws_secret_access_key = work-secret',
    'aws_session_token = work-token',
    '',
  ].join('\n'),
);
writeFileSync(
  configFile,
  ['[default]', 'region = eu-central-1', '', '[profile work]', 'region = ap-southeast-2', ''].join('\n'),
);

/** Files that exist, and nothing else: the real home directory is never read. */
const files = { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile };
const noFiles = {
  AWS_SHARED_CREDENTIALS_FILE: join(dir, 'missing'),
  AWS_CONFIG_FILE: join(dir, 'missing-config'),
};

describe('resolveAwsAuth', () => {
  it('prefers the provider settings over the environment', async () => {
    const auth = await resolveAwsAuth(
      'aws',
      { accessKeyId: 'AKIDSETTINGS', secretAccessKey: 's', sessionToken: 't', region: 'us-west-2' },
      '',
      { ...files, AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'e', AWS_REGION: 'us-east-2' },
    );
    expect(auth).toEqual({
      credentials: { accessKeyId: 'AKIDSETTINGS', secretAccessKey: 's', sessionToken: 't' },
      region: 'us-west-2',
    });
  });

  it('reads AWS_* environment variables, AWS_REGION before AWS_DEFAULT_REGION', async () => {
    const auth = await resolveAwsAuth('aws', {}, '', {
      ...files,
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      AWS_SESSION_TOKEN: 'env-token',
      AWS_REGION: 'us-east-2',
      AWS_DEFAULT_REGION: 'us-west-1',
    });
    expect(auth).toEqual({
      credentials: { accessKeyId: 'AKIDENV', secretAccessKey: 'env-secret', sessionToken: 'env-token' },
      region: 'us-east-2',
    });
    const fallback = await resolveAwsAuth('aws', {}, '', {
      ...noFiles,
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      AWS_DEFAULT_REGION: 'us-west-1',
    });
    expect(fallback.region).toBe('us-west-1');
  });

  it('falls back to the default profile of the shared files', async () => {
    const auth = await resolveAwsAuth('aws', {}, '', files);
    expect(auth).toEqual({
      credentials: { accessKeyId: 'AKIDDEFAULT', secretAccessKey: 'default-secret' },
      region: 'eu-central-1',
    });
  });

  it('uses the profile from settings, else AWS_PROFILE', async () => {
    const fromSettings = await resolveAwsAuth('aws', { profile: 'work' }, '', files);
    expect(fromSettings).toEqual({
      credentials: { accessKeyId: 'AKIDWORK', secretAccessKey: 'work-secret', sessionToken: 'work-token' },
      region: 'ap-southeast-2',
    });
    const fromEnv = await resolveAwsAuth('aws', {}, '', { ...files, AWS_PROFILE: 'work' });
    expect(fromEnv.credentials.accessKeyId).toBe('AKIDWORK');
  });

  it('takes the region from a standard endpoint given as base_url', async () => {
    const auth = await resolveAwsAuth(
      'aws',
      { accessKeyId: 'A', secretAccessKey: 'S' },
      'https://bedrock-runtime.eu-west-3.amazonaws.com',
      noFiles,
    );
    expect(auth.region).toBe('eu-west-3');
    expect(regionFromEndpoint('https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com')).toBe(
      'us-gov-west-1',
    );
    expect(regionFromEndpoint('http://127.0.0.1:9000')).toBeUndefined();
  });

  it('fails with a classified error when there are no credentials, or half a pair', async () => {
    const none = resolveAwsAuth('aws', { region: 'us-east-1' }, '', noFiles);
    await expect(none).rejects.toBeInstanceOf(GatewayError);
    await expect(none).rejects.toMatchObject({ failureClass: 'auth', status: 502, provider: 'aws' });
    await expect(resolveAwsAuth('aws', { accessKeyId: 'A' }, '', files)).rejects.toThrow(/without the other/);
  });

  it('fails when no region is known', async () => {
    await expect(
      resolveAwsAuth('aws', { accessKeyId: 'A', secretAccessKey: 'S' }, '', noFiles),
    ).rejects.toThrow('aws: no AWS region: set region, AWS_REGION or AWS_DEFAULT_REGION');
  });
});

describe('createAwsAuthResolver', () => {
  it('caches a resolution, and does not cache a failure', async () => {
    const env: Record<string, string | undefined> = { ...noFiles, AWS_REGION: 'us-east-1' };
    const resolve = createAwsAuthResolver('aws', undefined, '', env);
    await expect(resolve()).rejects.toThrow(/no AWS credentials/);
    env.AWS_ACCESS_KEY_ID = 'AKID1';
    env.AWS_SECRET_ACCESS_KEY = 'one';
    expect((await resolve()).credentials.accessKeyId).toBe('AKID1');
    env.AWS_ACCESS_KEY_ID = 'AKID2';
    expect((await resolve()).credentials.accessKeyId).toBe('AKID1');
  });
});
