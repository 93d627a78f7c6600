/**
 * AWS Signature Version 4 for one upstream request, with @smithy/signature-v4 (the AWS SDK's own signer).
 * The body is hashed exactly as it will be sent, so the caller must send the very string it signed.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignAwsRequestInput {
  method: 'GET' | 'POST';
  url: URL;
  /** Headers to send; they are all signed, so none may be changed after signing. */
  headers: Record<string, string>;
  body?: string;
  credentials: AwsCredentials;
  region: string;
  /** The signing name: `bedrock` for bedrock-runtime. */
  service: string;
  /** The signing time; now unless a test pins it. */
  date?: Date;
}

/** The headers to send: the input's plus `host`, `x-amz-date`, `x-amz-security-token` and `authorization`. */
export async function signAwsRequest(input: SignAwsRequestInput): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: input.credentials,
    region: input.region,
    service: input.service,
    sha256: Hash.bind(null, 'sha256'),
    // Only S3 wants the payload hash as a header; botocore and the SDKs leave it out for other services.
    applyChecksum: false,
  });
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of input.url.searchParams) {
    const existing = query[key];
    query[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value;
  // The Host line the HTTP client will send: the URL's host, with the port unless it is the default.
  headers.host = input.url.host;
  const signed = await signer.sign(
    {
      method: input.method,
      protocol: input.url.protocol,
      hostname: input.url.hostname,
      ...(input.url.port !== '' ? { port: Number(input.url.port) } : {}),
      // Already percent-encoded (the model id's ':' is %3A); the signer encodes it once more, as AWS wants.
      path: input.url.pathname,
      query,
      headers,
      ...(input.body !== undefined ? { body: input.body } : {}),
    },
    input.date ? { signingDate: input.date } : {},
  );
  return { ...signed.headers };
}
