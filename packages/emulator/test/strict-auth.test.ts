/**
 * SigV4 verification against the AWS SDK's own signer (@smithy/signature-v4), AWS's published chunked-upload
 * examples, and end to end with --strict-auth through the SDK clients and the `aws` CLI.
 */
import { execFile } from 'node:child_process';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { KinesisAnalyticsV2Client, ListApplicationsCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseAuthorization } from '../src/auth/sigv4.js';
import { verifySignature, type AuthProblem } from '../src/auth/strict-auth.js';
import { startEmulator, type Emulator } from '../src/server.js';

type Bytes = string | ArrayBuffer | ArrayBufferView;
const toBuffer = (d: Bytes) =>
  typeof d === 'string'
    ? Buffer.from(d)
    : ArrayBuffer.isView(d)
      ? Buffer.from(d.buffer, d.byteOffset, d.byteLength)
      : Buffer.from(d);

/** The hash the signer asks for: SHA-256, or HMAC-SHA256 when given a secret (as @aws-crypto/sha256-js). */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: Bytes) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(data: Uint8Array) {
    this.hash.update(data);
  }
  digest() {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset() {
    this.hash = this.fresh();
  }
}

const SECRETS: Record<string, string> = {
  AKIDEXAMPLE: 'secret',
  AKIAIOSFODNN7EXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

/** A server that answers each request with verifySignature's verdict, so requests are real IncomingMessages. */
let verifier: Server;
let port: number;
beforeAll(async () => {
  verifier = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parsed = parseAuthorization(req.headers);
      const verdict = parsed.ok
        ? verifySignature(req, Buffer.concat(chunks), parsed.credential, SECRETS[parsed.credential.accessKeyId] ?? '')
        : { status: parsed.status, type: parsed.type, message: parsed.message };
      res.end(JSON.stringify(verdict ?? null));
    });
  });
  await new Promise<void>((resolve) => verifier.listen(0, '127.0.0.1', resolve));
  port = (verifier.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => verifier.close(() => resolve())));
afterEach(() => {
  vi.useRealTimers();
});

interface Wire {
  method: string;
  /** The path as sent, already encoded. */
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: Buffer;
}

/** Query strings as the SDK's HTTP handler writes them. */
const escape = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function send(wire: Wire): Promise<AuthProblem | null> {
  const query = Object.entries(wire.query ?? {})
    .map(([k, v]) => `${escape(k)}=${escape(v)}`)
    .join('&');
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: wire.method,
        path: query ? `${wire.path}?${query}` : wire.path,
        headers: wire.headers,
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(JSON.parse(text) as AuthProblem | null));
      },
    );
    req.on('error', reject);
    req.end(wire.body);
  });
}

interface SignOptions {
  service: string;
  secret?: string;
  date?: Date;
  region?: string;
}

async function sign(
  wire: Wire,
  { service, secret = 'secret', date = new Date(), region = 'us-east-1' }: SignOptions,
): Promise<Wire> {
  const signer = new SignatureV4({
    service,
    region,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret },
    sha256: Sha256,
    // As the SDK clients configure it: S3 signs the path as sent and declares the payload hash.
    uriEscapePath: service !== 's3',
    applyChecksum: service === 's3',
  });
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...wire.headers };
  if (wire.body) headers['content-length'] = String(wire.body.length);
  const signed = await signer.sign(
    {
      method: wire.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port,
      path: wire.path,
      query: wire.query ?? {},
      headers,
      body: wire.body,
    },
    { signingDate: date },
  );
  return { ...wire, headers: signed.headers };
}

const jsonCall = (body = '{"Limit":5}'): Wire => ({
  method: 'POST',
  path: '/',
  headers: {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'KinesisAnalytics_20180523.ListApplications',
  },
  body: Buffer.from(body),
});

const MISMATCH = {
  status: 403,
  type: 'SignatureDoesNotMatch',
  message:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
};

describe('verifySignature against the SDK signer', () => {
  it('accepts JSON-protocol calls', async () => {
    expect(await send(await sign(jsonCall(), { service: 'kinesisanalytics' }))).toBeNull();
    expect(await send(await sign(jsonCall(), { service: 'kms', region: 'eu-central-1' }))).toBeNull();
  });

  it('accepts S3 requests with encoded keys, queries and unsigned or declared payloads', async () => {
    const cases: Wire[] = [
      {
        method: 'GET',
        path: '/bucket',
        query: { 'list-type': '2', prefix: 'a/b c+d', delimiter: '/', 'max-keys': '10' },
        headers: {},
      },
      {
        method: 'PUT',
        path: `/bucket/${['dir', "a b+c~!*()'.jar"].map(escape).join('/')}`,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"a":1}'),
      },
      {
        method: 'PUT',
        path: '/bucket/k',
        headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        body: Buffer.from('anything'),
      },
      {
        method: 'GET',
        path: '/bucket/%E6%97%A5%E6%9C%AC/key',
        query: { versionId: 'abc', 'x-id': 'GetObject' },
        headers: {},
      },
      { method: 'GET', path: '/', headers: { 'x-amz-meta-spaced': '  a   b  ' } },
    ];
    for (const wire of cases)
      expect(await send(await sign(wire, { service: 's3' })), `${wire.method} ${wire.path}`).toBeNull();
  });

  it('accepts paths double-encoded for services other than S3', async () => {
    const wire: Wire = { method: 'GET', path: '/some%20path/x%2By', query: { a: 'b c' }, headers: {} };
    expect(await send(await sign(wire, { service: 'execute-api' }))).toBeNull();
  });

  it('rejects a wrong secret', async () => {
    expect(await send(await sign(jsonCall(), { service: 'kinesisanalytics', secret: 'not-the-secret' }))).toEqual(
      MISMATCH,
    );
  });

  it('rejects anything changed after signing', async () => {
    const signed = await sign(jsonCall(), { service: 'kinesisanalytics' });
    expect(await send({ ...signed, body: Buffer.from('{"Limit":6}') })).toEqual(MISMATCH);
    expect(await send({ ...signed, method: 'PUT' })).toEqual(MISMATCH);
    expect(
      await send({
        ...signed,
        headers: { ...signed.headers, 'x-amz-target': 'KinesisAnalytics_20180523.DeleteApplication' },
      }),
    ).toEqual(MISMATCH);

    const get = await sign(
      { method: 'GET', path: '/bucket/key', query: { versionId: 'v1' }, headers: {} },
      { service: 's3' },
    );
    expect(await send({ ...get, query: { versionId: 'v2' } })).toEqual(MISMATCH);
    expect(await send({ ...get, path: '/bucket/other' })).toEqual(MISMATCH);

    const put = await sign(
      { method: 'PUT', path: '/bucket/key', headers: {}, body: Buffer.from('original') },
      { service: 's3' },
    );
    expect(await send({ ...put, body: Buffer.from('tampered') })).toMatchObject({
      status: 400,
      type: 'XAmzContentSHA256Mismatch',
    });
  });

  it('rejects requests signed more than 15 minutes away from now', async () => {
    const minutes = (n: number) => new Date(Date.now() + n * 60_000);
    expect(await send(await sign(jsonCall(), { service: 'kinesisanalytics', date: minutes(-14) }))).toBeNull();
    const old = await send(await sign(jsonCall(), { service: 'kinesisanalytics', date: minutes(-20) }));
    expect(old).toMatchObject({ status: 403, type: 'InvalidSignatureException' });
    expect(old?.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    const future = await send(await sign(jsonCall(), { service: 'kinesisanalytics', date: minutes(20) }));
    expect(future?.message).toMatch(/^Signature not yet current: /);
    const s3Old = await send(
      await sign({ method: 'GET', path: '/b/k', headers: {} }, { service: 's3', date: minutes(-60) }),
    );
    expect(s3Old).toMatchObject({ status: 403, type: 'RequestTimeTooSkewed' });
  });

  it('requires X-Amz-Date and a signed Host', async () => {
    const signed = await sign(jsonCall(), { service: 'kinesisanalytics' });
    const { 'x-amz-date': _, ...undated } = signed.headers;
    const missing = await send({ ...signed, headers: undated });
    expect(missing).toMatchObject({ status: 400, type: 'IncompleteSignatureException' });
    expect(missing?.message).toMatch(
      /^Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header/,
    );
    const hostless = {
      ...signed,
      headers: {
        ...signed.headers,
        authorization: signed.headers.authorization!.replace(/SignedHeaders=[^,]+/, 'SignedHeaders=x-amz-date'),
      },
    };
    expect(await send(hostless)).toMatchObject({ status: 400, type: 'IncompleteSignatureException' });
  });
});

describe("AWS's published chunked-upload examples", () => {
  // From https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and sigv4-streaming-trailers.html.
  const SIGNED = [
    'content-encoding',
    'host',
    'x-amz-content-sha256',
    'x-amz-date',
    'x-amz-decoded-content-length',
    'x-amz-storage-class',
  ];
  const authorization = (signed: string[], signature: string) =>
    `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signed.join(';')},Signature=${signature}`;
  const body = (signatures: string[], trailer = '') =>
    Buffer.concat([
      Buffer.from(`10000;chunk-signature=${signatures[0]}\r\n`),
      Buffer.alloc(65_536, 'a'),
      Buffer.from(`\r\n400;chunk-signature=${signatures[1]}\r\n`),
      Buffer.alloc(1024, 'a'),
      Buffer.from(`\r\n0;chunk-signature=${signatures[2]}\r\n${trailer}\r\n`),
    ]);
  const headers = (payload: string) => ({
    host: 's3.amazonaws.com',
    'content-encoding': 'aws-chunked',
    'x-amz-content-sha256': payload,
    'x-amz-date': '20130524T000000Z',
    'x-amz-decoded-content-length': '66560',
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
  });
  const path = '/examplebucket/chunkObject.txt';

  const plainSignatures = [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ];
  const plain = (sigs = plainSignatures, tamper?: (b: Buffer) => void): Wire => {
    const b = body(sigs);
    tamper?.(b);
    return {
      method: 'PUT',
      path,
      headers: {
        ...headers('STREAMING-AWS4-HMAC-SHA256-PAYLOAD'),
        'content-length': String(b.length),
        authorization: authorization(
          ['content-encoding', 'content-length', ...SIGNED.slice(1)],
          '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
        ),
      },
      body: b,
    };
  };

  const trailerSignatures = [
    'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
    '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
    '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
  ];
  const withTrailer = (trailer: string): Wire => {
    const b = body(trailerSignatures, trailer);
    return {
      method: 'PUT',
      path,
      headers: {
        ...headers('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'),
        'x-amz-trailer': 'x-amz-checksum-crc32c',
        'content-length': String(b.length),
        authorization: authorization(
          [...SIGNED, 'x-amz-trailer'],
          '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
        ),
      },
      body: b,
    };
  };
  const TRAILER_SIGNATURE = 'd81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435';

  it('accepts the seed and chunk signatures, and nothing else', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2013, 4, 24, 0, 5) });
    const documented = plain();
    expect(documented.body!.length).toBe(66_824);
    expect(await send(documented)).toBeNull();
    // One byte changed in the first chunk, then in the second.
    expect(await send(plain(plainSignatures, (b) => (b[100] = 0x62)))).toEqual(MISMATCH);
    expect(await send(plain(plainSignatures, (b) => (b[66_000] = 0x62)))).toEqual(MISMATCH);
    expect(await send(plain([plainSignatures[0]!, plainSignatures[2]!, plainSignatures[1]!]))).toEqual(MISMATCH);
  });

  it('accepts the signed trailing checksum, and not a changed one', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2013, 4, 24, 0, 5) });
    expect(
      await send(withTrailer(`x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:${TRAILER_SIGNATURE}\r\n`)),
    ).toBeNull();
    expect(
      await send(withTrailer(`x-amz-checksum-crc32c:AAAAAA==\r\nx-amz-trailer-signature:${TRAILER_SIGNATURE}\r\n`)),
    ).toEqual(MISMATCH);
  });
});

describe('--strict-auth end to end', () => {
  let emu: Emulator;
  let dir: string;
  const principals = {
    AKIDTEST: { account: '123456789012', principal: 'arn:aws:iam::123456789012:user/test', secretAccessKey: 'secret' },
  };
  beforeAll(async () => {
    emu = await startEmulator({ inMemory: true, port: 0, strictAuth: true, principals });
    dir = mkdtempSync(join(tmpdir(), 'mfc-auth-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await emu.close();
  });

  const ka = (accessKeyId: string, secretAccessKey: string) =>
    new KinesisAnalyticsV2Client({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
    });
  const errorOf = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return {
        name: (e as Error).name,
        status: (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
      };
    }
    throw new Error('expected the call to fail');
  };

  it('lets the right key in and keeps wrong secrets and unknown keys out', async () => {
    const ok = await ka('AKIDTEST', 'secret').send(new ListApplicationsCommand({}));
    expect(ok.ApplicationSummaries).toEqual([]);
    expect(await errorOf(ka('AKIDTEST', 'wrong').send(new ListApplicationsCommand({})))).toEqual({
      name: 'SignatureDoesNotMatch',
      status: 403,
    });
    expect(await errorOf(ka('AKIDUNKNOWN', 'secret').send(new ListApplicationsCommand({})))).toEqual({
      name: 'UnrecognizedClientException',
      status: 403,
    });
  });

  it('verifies S3 requests the SDK signs, streamed uploads included', async () => {
    const s3 = new S3Client({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
      forcePathStyle: true,
      maxAttempts: 1,
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'strict-bucket' }));
    const key = "dir/a b+c~!*()'&=.jar";
    await s3.send(new PutObjectCommand({ Bucket: 'strict-bucket', Key: key, Body: '{"x":1}' }));
    const data = Buffer.alloc(100_000, 7);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'strict-bucket',
        Key: 'stream.bin',
        Body: Readable.from([data]),
        ContentLength: data.length,
      }),
    );
    expect(
      await (await s3.send(new GetObjectCommand({ Bucket: 'strict-bucket', Key: key }))).Body!.transformToString(),
    ).toBe('{"x":1}');
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: 'strict-bucket', Prefix: 'dir/a b', Delimiter: '/' }),
    );
    expect(listed.Contents!.map((c) => c.Key)).toEqual([key]);
    const wrong = new S3Client({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'nope' },
      forcePathStyle: true,
      maxAttempts: 1,
    });
    // S3 clients read the XML error shape: the SDK names the error, not a parse failure.
    expect(await errorOf(wrong.send(new GetObjectCommand({ Bucket: 'strict-bucket', Key: key })))).toMatchObject({
      status: 403,
      name: 'SignatureDoesNotMatch',
    });
    const stranger = new S3Client({
      endpoint: emu.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' },
      forcePathStyle: true,
      maxAttempts: 1,
    });
    expect(await errorOf(stranger.send(new GetObjectCommand({ Bucket: 'strict-bucket', Key: key })))).toMatchObject({
      status: 403,
      name: 'InvalidAccessKeyId',
    });
    stranger.destroy();
    s3.destroy();
    wrong.destroy();
  });

  it('verifies what the aws CLI signs', async () => {
    const run = promisify(execFile);
    const env = (secret: string) => ({
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: secret,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    });
    const aws = (secret: string, ...args: string[]) =>
      run('aws', ['--endpoint-url', emu.url, ...args], { env: env(secret), timeout: 60_000 });
    const listed = JSON.parse((await aws('secret', 'kinesisanalyticsv2', 'list-applications')).stdout) as {
      ApplicationSummaries: unknown[];
    };
    expect(listed.ApplicationSummaries).toEqual([]);
    const file = join(dir, 'm.json');
    writeFileSync(file, '{"mfcManifest":1}');
    await aws('secret', 's3', 'mb', 's3://cli-strict');
    await aws('secret', 's3', 'cp', file, 's3://cli-strict/with space/m.jar');
    expect((await aws('secret', 's3', 'ls', 's3://cli-strict/with space/')).stdout).toContain('m.jar');
    const refused = await aws('wrong', 'kinesisanalyticsv2', 'list-applications').then(
      () => '',
      (e: { stderr: string }) => e.stderr,
    );
    expect(refused).toContain('SignatureDoesNotMatch');
  });
});
