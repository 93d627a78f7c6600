/**
 * Verifies an AWS Signature Version 4 on a request a mock upstream received: recomputes it with the AWS
 * SDK's own signer over the received method, path, query, signed headers and body, at the request's
 * x-amz-date, and compares it with the Authorization header.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { expect } from 'vitest';
import type { RecordedRequest } from './mock-upstream.js';

export interface SigV4Expectation {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/;

function header(request: RecordedRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

export async function expectSigV4(request: RecordedRequest, want: SigV4Expectation): Promise<void> {
  const authorization = header(request, 'authorization');
  const match = AUTHORIZATION.exec(authorization);
  expect(match, `a SigV4 Authorization header: ${authorization}`).not.toBeNull();
  const [, keyId, , region, service, signedHeaders] = match!;
  expect({ keyId, region, service }).toEqual({
    keyId: want.accessKeyId,
    region: want.region,
    service: want.service,
  });
  const amzDate = header(request, 'x-amz-date');
  const stamp = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  expect(stamp, 'x-amz-date').not.toBeNull();
  const [, y, mo, d, h, mi, s] = stamp!.map(Number);
  const signingDate = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  const headers: Record<string, string> = {};
  for (const name of signedHeaders!.split(';'))
    if (name !== 'x-amz-date') headers[name] = header(request, name);
  const url = new URL(request.url, `http://${header(request, 'host')}`);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  const signer = new SignatureV4({
    credentials: { accessKeyId: want.accessKeyId, secretAccessKey: want.secretAccessKey },
    region: want.region,
    service: want.service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port !== '' ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers,
      body: request.rawBody,
    },
    { signingDate },
  );
  expect(signed.headers.authorization, 'the SigV4 signature over what was received').toBe(authorization);
}
