/**
 * The signer against AWS's published SigV4 test suite ("aws-sig-v4-test-suite": credentials AKIDEXAMPLE,
 * region us-east-1, service "service", 2015-08-30T12:36:00Z). Expected Authorization headers are copied
 * from the suite's vectors as carried in aws/aws-sdk-js-v3 packages/signature-v4/src/suite.fixture.ts and
 * awslabs/aws-c-auth tests/aws-signing-test-suite/v4/get-vanilla-with-session-token.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AwsCredentials } from './sign-aws-request.js';
import { signAwsRequest } from './sign-aws-request.js';

const CREDENTIALS: AwsCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const DATE = new Date('2015-08-30T12:36:00Z');
const SCOPE = 'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

interface Vector {
  name: string;
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  sessionToken?: string;
  authorization: string;
}

const VECTORS: Vector[] = [
  {
    name: 'get-vanilla',
    method: 'GET',
    url: 'https://example.amazonaws.com/',
    authorization: `AWS4-HMAC-SHA256 ${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
  },
  {
    name: 'post-vanilla',
    method: 'POST',
    url: 'https://example.amazonaws.com/',
    authorization: `AWS4-HMAC-SHA256 ${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b`,
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    url: 'https://example.amazonaws.com/',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'Param1=value1',
    authorization: `AWS4-HMAC-SHA256 ${SCOPE}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a`,
  },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET',
    url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1',
    authorization: `AWS4-HMAC-SHA256 ${SCOPE}, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`,
  },
  {
    name: 'get-vanilla-with-session-token',
    method: 'GET',
    url: 'https://example.amazonaws.com/',
    sessionToken: '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267',
    authorization: `AWS4-HMAC-SHA256 ${SCOPE}, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8`,
  },
];

describe('signAwsRequest on the AWS SigV4 test suite', () => {
  it.each(VECTORS)('$name', async (vector) => {
    const headers = await signAwsRequest({
      method: vector.method,
      url: new URL(vector.url),
      headers: vector.headers ?? {},
      ...(vector.body !== undefined ? { body: vector.body } : {}),
      credentials: vector.sessionToken ? { ...CREDENTIALS, sessionToken: vector.sessionToken } : CREDENTIALS,
      region: 'us-east-1',
      service: 'service',
      date: DATE,
    });
    expect(headers.authorization).toBe(vector.authorization);
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
    expect(headers.host).toBe('example.amazonaws.com');
    if (vector.sessionToken) expect(headers['x-amz-security-token']).toBe(vector.sessionToken);
    else expect(headers['x-amz-security-token']).toBeUndefined();
    // Only S3 signs the payload hash into a header.
    expect(headers['x-amz-content-sha256']).toBeUndefined();
  });
});

/** SigV4 written out by hand from AWS's documented steps, to check what the suite cannot: Bedrock's path. */
function referenceSignature(canonicalRequest: string, date: string, region: string, service: string): string {
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const scope = `${date.slice(0, 8)}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  let key = hmac(`AWS4${CREDENTIALS.secretAccessKey}`, date.slice(0, 8));
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe('signAwsRequest for a Converse call', () => {
  it('encodes the model id in the canonical URI a second time (":" is %3A on the wire, %253A signed)', async () => {
    const body = '{"messages":[{"role":"user","content":[{"text":"hello"}]}]}';
    const url = new URL(
      'https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-micro-v1%3A0/converse-stream',
    );
    const headers = await signAwsRequest({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body,
      credentials: CREDENTIALS,
      region: 'us-east-1',
      service: 'bedrock',
      date: DATE,
    });
    const canonical = [
      'POST',
      '/model/us.amazon.nova-micro-v1%253A0/converse-stream',
      '',
      'content-type:application/json',
      'host:bedrock-runtime.us-east-1.amazonaws.com',
      'x-amz-date:20150830T123600Z',
      '',
      'content-type;host;x-amz-date',
      createHash('sha256').update(body).digest('hex'),
    ].join('\n');
    const signature = referenceSignature(canonical, '20150830T123600Z', 'us-east-1', 'bedrock');
    expect(headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${signature}`,
    );
  });

  it('signs the port into the host of a non-default endpoint', async () => {
    const headers = await signAwsRequest({
      method: 'POST',
      url: new URL('http://127.0.0.1:8123/model/m/converse-stream'),
      headers: {},
      body: '{}',
      credentials: CREDENTIALS,
      region: 'eu-west-1',
      service: 'bedrock',
      date: DATE,
    });
    expect(headers.host).toBe('127.0.0.1:8123');
  });

  it('refers to the reference implementation correctly (it reproduces get-vanilla)', () => {
    const canonical = [
      'GET',
      '/',
      '',
      'host:example.amazonaws.com',
      'x-amz-date:20150830T123600Z',
      '',
      'host;x-amz-date',
      createHash('sha256').update('').digest('hex'),
    ].join('\n');
    expect(referenceSignature(canonical, '20150830T123600Z', 'us-east-1', 'service')).toBe(
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });
});
