/** The S3 subset through the AWS SDK for JavaScript, raw HTTP (wire shapes) and the `aws` CLI on the machine. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { CreateApplicationCommand, KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3ErrorResponse } from '../src/s3/s3-handler.js';
import { startEmulator, type Emulator } from '../src/server.js';

const run = promisify(execFile);
const credentials = { accessKeyId: 'AKIDS3TEST', secretAccessKey: 'secret' };
const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');
/** Any well-formed Authorization header passes without --strict-auth. */
const AUTH = `AWS4-HMAC-SHA256 Credential=AKIDS3TEST/20240101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

const MANIFEST = {
  mfcManifest: 1,
  name: 'clickstream-sessionizer',
  version: '1.3.0',
  mainClass: 'com.example.Sessionizer',
  operators: [
    { uid: 'source-clicks', name: 'Source: Kinesis clicks', recordsPerSecond: 4000 },
    { uid: 'enrich', name: 'Enrich with user profile', inputs: ['source-clicks'], chain: true },
    { uid: 'sink', name: 'Sink: Prometheus', inputs: ['enrich'] },
  ],
};

let emu: Emulator;
let s3: S3Client;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ inMemory: true, port: 0, timeProfile: 'instant' });
  s3 = client('us-east-1');
  dir = mkdtempSync(join(tmpdir(), 'mfc-s3-'));
});
afterAll(async () => {
  s3.destroy();
  rmSync(dir, { recursive: true, force: true });
  await emu.close();
});

function client(region: string): S3Client {
  return new S3Client({ endpoint: emu.url, region, credentials, forcePathStyle: true, maxAttempts: 1 });
}

async function failure(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string; raw: unknown }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, raw: e };
  }
  throw new Error('expected the call to fail');
}

function raw(method: string, path: string, init: { headers?: Record<string, string>; body?: Buffer | string } = {}) {
  return fetch(`${emu.url}${path}`, {
    method,
    headers: { authorization: AUTH, 'x-amz-date': '20240101T000000Z', ...init.headers },
    body: init.body,
  });
}

const cliEnv = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'y',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_PAGER: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

async function aws(...args: string[]): Promise<string> {
  const { stdout } = await run('aws', ['--endpoint-url', emu.url, ...args], { env: cliEnv, timeout: 60_000 });
  return stdout;
}

async function awsFails(...args: string[]): Promise<string> {
  try {
    await aws(...args);
  } catch (e) {
    return (e as { stderr: string }).stderr;
  }
  throw new Error(`aws ${args.join(' ')} succeeded; a failure was expected`);
}

describe('buckets (SDK)', () => {
  it('creates, heads, lists and deletes a bucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-bucket' }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'sdk-bucket' }));
    expect(head.BucketRegion).toBe('us-east-1');
    const list = await s3.send(new ListBucketsCommand({}));
    const names = list.Buckets!.map((b) => b.Name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['sdk-bucket', 'mfc-demo-artifacts']));
    const created = list.Buckets!.find((b) => b.Name === 'sdk-bucket')!;
    expect(Math.abs(created.CreationDate!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(list.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);

    await s3.send(new DeleteBucketCommand({ Bucket: 'sdk-bucket' }));
    const gone = await failure(s3.send(new HeadBucketCommand({ Bucket: 'sdk-bucket' })));
    expect(gone).toMatchObject({ name: 'NotFound', status: 404 });
    const again = await failure(s3.send(new DeleteBucketCommand({ Bucket: 'sdk-bucket' })));
    expect(again).toMatchObject({ name: 'NoSuchBucket', status: 404 });
  });

  it('keeps S3 rules for re-creating, naming and placing buckets', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'east-bucket' }));
    // us-east-1's legacy behaviour: re-creating your own bucket succeeds.
    await s3.send(new CreateBucketCommand({ Bucket: 'east-bucket' }));

    const eu = client('eu-west-1');
    await eu.send(
      new CreateBucketCommand({ Bucket: 'eu-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
    );
    const owned = await failure(
      eu.send(
        new CreateBucketCommand({
          Bucket: 'eu-bucket',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      ),
    );
    expect(owned).toMatchObject({ name: 'BucketAlreadyOwnedByYou', status: 409 });
    expect((await eu.send(new GetBucketLocationCommand({ Bucket: 'eu-bucket' }))).LocationConstraint).toBe('eu-west-1');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'east-bucket' }))).LocationConstraint).toBeUndefined();

    const mismatch = await failure(
      s3.send(
        new CreateBucketCommand({
          Bucket: 'elsewhere',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      ),
    );
    expect(mismatch).toMatchObject({ name: 'IllegalLocationConstraintException', status: 400 });
    const east = await failure(
      s3.send(
        new CreateBucketCommand({
          Bucket: 'elsewhere',
          // The SDK's type leaves us-east-1 out, because S3 refuses it.
          CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as BucketLocationConstraint },
        }),
      ),
    );
    expect(east).toMatchObject({ name: 'InvalidLocationConstraint', status: 400 });
    eu.destroy();

    const badName = await raw('PUT', '/Bad_Bucket');
    expect(badName.status).toBe(400);
    expect(await badName.text()).toContain('<Code>InvalidBucketName</Code>');
  });

  it('refuses to delete a bucket that holds objects', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'full-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'full-bucket', Key: 'k', Body: 'x' }));
    const err = await failure(s3.send(new DeleteBucketCommand({ Bucket: 'full-bucket' })));
    expect(err).toMatchObject({ name: 'BucketNotEmpty', status: 409 });
    await s3.send(new DeleteObjectCommand({ Bucket: 'full-bucket', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'full-bucket' }));
  });
});

describe('objects (SDK)', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'objects' }));
  });

  it('puts, gets, heads and deletes an object', async () => {
    const body = JSON.stringify(MANIFEST);
    const put = await s3.send(
      new PutObjectCommand({ Bucket: 'objects', Key: 'apps/one.jar', Body: body, ContentType: 'application/json' }),
    );
    expect(put.ETag).toBe(`"${md5(body)}"`);
    expect(put.VersionId).toMatch(/^\w{32}$/);

    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'apps/one.jar' }));
    expect(await got.Body!.transformToString()).toBe(body);
    expect(got).toMatchObject({
      ETag: put.ETag,
      VersionId: put.VersionId,
      ContentType: 'application/json',
      ContentLength: body.length,
    });
    expect(Math.abs(got.LastModified!.getTime() - Date.now())).toBeLessThan(60_000);

    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'apps/one.jar' }));
    expect(head).toMatchObject({
      ETag: put.ETag,
      VersionId: put.VersionId,
      ContentLength: body.length,
      ContentType: 'application/json',
    });

    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'apps/one.jar' }));
    const missing = await failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'apps/one.jar' })));
    expect(missing).toMatchObject({ name: 'NoSuchKey', status: 404 });
    const headMissing = await failure(s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'apps/one.jar' })));
    expect(headMissing).toMatchObject({ name: 'NotFound', status: 404 });
    // Deleting what is not there succeeds, as in S3.
    await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'apps/one.jar' }));
  });

  it('stores a streamed (aws-chunked) upload byte for byte', async () => {
    const data = Buffer.alloc(200_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 251;
    const sent: Record<string, string> = {};
    const streaming = client('us-east-1');
    streaming.middlewareStack.add(
      (next) => (args) => {
        Object.assign(sent, (args.request as { headers: Record<string, string> }).headers);
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'capture' },
    );
    const put = await streaming.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'big/stream.bin',
        Body: Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]),
        ContentLength: data.length,
      }),
    );
    streaming.destroy();
    // The SDK really sent chunked framing with a trailing checksum, which the emulator echoed back.
    expect(sent['content-encoding']).toContain('aws-chunked');
    expect(sent['x-amz-content-sha256']).toMatch(/^STREAMING-/);
    expect(put.ETag).toBe(`"${md5(data)}"`);
    expect(put.ChecksumCRC32).toBeDefined();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'big/stream.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
  });

  it('keeps versions and serves any of them', async () => {
    const v1 = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'versioned.json', Body: '{"v":1}' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'versioned.json', Body: '{"v":2}' }));
    expect(v1.VersionId).not.toBe(v2.VersionId);
    const latest = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'versioned.json' }));
    expect(await latest.Body!.transformToString()).toBe('{"v":2}');
    const old = await s3.send(
      new GetObjectCommand({ Bucket: 'objects', Key: 'versioned.json', VersionId: v1.VersionId }),
    );
    expect(await old.Body!.transformToString()).toBe('{"v":1}');
    expect(old.VersionId).toBe(v1.VersionId);
    const headOld = await s3.send(
      new HeadObjectCommand({ Bucket: 'objects', Key: 'versioned.json', VersionId: v1.VersionId }),
    );
    expect(headOld.ETag).toBe(`"${md5('{"v":1}')}"`);
    const none = await failure(
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'versioned.json', VersionId: 'nope' })),
    );
    expect(none).toMatchObject({ name: 'NoSuchVersion', status: 404 });
  });

  it('round-trips keys with slashes, spaces and reserved characters', async () => {
    const keys = [
      'a/b/c.jar',
      'with space/and+plus.json',
      'odd %25 ?#&=;:@$,~!*()\'"<>.txt',
      'ünïcödé/日本.jar',
      'dots/./../x',
      'trailing/',
    ];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'objects', Key, Body: `body of ${Key}` }));
    for (const Key of keys) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key }));
      expect(await got.Body!.transformToString()).toBe(`body of ${Key}`);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'objects' }));
    expect(listed.Contents!.map((c) => c.Key)).toEqual(expect.arrayContaining(keys));
  });

  it('answers ranges, conditions and checksum requests', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'range.txt', Body: '0123456789' }));
    const part = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range.txt', Range: 'bytes=2-5' }));
    expect(await part.Body!.transformToString()).toBe('2345');
    expect(part.ContentRange).toBe('bytes 2-5/10');
    const tail = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range.txt', Range: 'bytes=-3' }));
    expect(await tail.Body!.transformToString()).toBe('789');
    const beyond = await failure(
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range.txt', Range: 'bytes=50-' })),
    );
    expect(beyond).toMatchObject({ name: 'InvalidRange', status: 416 });

    const etag = `"${md5('0123456789')}"`;
    const stale = await failure(
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range.txt', IfMatch: '"0000"' })),
    );
    expect(stale).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    const notModified = await failure(
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range.txt', IfNoneMatch: etag })),
    );
    expect(notModified.status).toBe(304);

    const withSum = await s3.send(
      new PutObjectCommand({ Bucket: 'objects', Key: 'sum.txt', Body: 'abc', ChecksumAlgorithm: 'SHA256' }),
    );
    expect(withSum.ChecksumSHA256).toBe(createHash('sha256').update('abc').digest('base64'));
    const checked = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'sum.txt', ChecksumMode: 'ENABLED' }));
    expect(await checked.Body!.transformToString()).toBe('abc');
    expect(checked.ChecksumCRC32).toBe('NSRBwg==');

    const badMd5 = await failure(
      s3.send(
        new PutObjectCommand({
          Bucket: 'objects',
          Key: 'md5.txt',
          Body: 'abc',
          ContentMD5: Buffer.from(md5('abd'), 'hex').toString('base64'),
        }),
      ),
    );
    expect(badMd5).toMatchObject({ name: 'BadDigest', status: 400 });
  });

  it('copies objects and deletes several at once', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'copy/src.json',
        Body: '{"a":1}',
        ContentType: 'application/json',
      }),
    );
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket: 'objects', Key: 'copy/dst.json', CopySource: 'objects/copy/src.json' }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(`"${md5('{"a":1}')}"`);
    const dst = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'copy/dst.json' }));
    expect(dst.ContentType).toBe('application/json');
    expect(await dst.Body!.transformToString()).toBe('{"a":1}');
    const self = await failure(
      s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'copy/src.json', CopySource: 'objects/copy/src.json' })),
    );
    expect(self).toMatchObject({ name: 'InvalidRequest', status: 400 });

    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'objects',
        Delete: { Objects: [{ Key: 'copy/src.json' }, { Key: 'copy/dst.json' }, { Key: 'copy/none' }] },
      }),
    );
    expect(result.Deleted!.map((d) => d.Key).sort()).toEqual(['copy/dst.json', 'copy/none', 'copy/src.json']);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'objects', Prefix: 'copy/' }));
    expect(left.KeyCount).toBe(0);
    expect(left.Contents).toBeUndefined();
  });

  it('reports missing buckets and keys with S3 error codes', async () => {
    const noBucket = await failure(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })));
    expect(noBucket).toMatchObject({ name: 'NoSuchBucket', status: 404 });
    const noBucketPut = await failure(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' })));
    expect(noBucketPut).toMatchObject({ name: 'NoSuchBucket', status: 404 });
    const noBucketList = await failure(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })));
    expect(noBucketList).toMatchObject({ name: 'NoSuchBucket', status: 404 });
    const noKey = await failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'missing/key.jar' })));
    expect(noKey).toMatchObject({ name: 'NoSuchKey', status: 404 });
    expect((noKey.raw as { Key?: string }).Key).toBe('missing/key.jar');
  });
});

describe('listing (SDK)', () => {
  const keys = ['a.txt', 'b/1.txt', 'b/2.txt', 'b/c/3.txt', 'c/4.txt', 'd.txt', 'e/5.txt', 'e/6.txt', 'f.txt'];
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    for (const Key of [...keys].reverse()) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key, Body: Key }));
  });

  it('lists keys in order with sizes, etags and a prefix', async () => {
    const all = await s3.send(new ListObjectsV2Command({ Bucket: 'listing' }));
    expect(all.Contents!.map((c) => c.Key)).toEqual(keys);
    expect(all).toMatchObject({ KeyCount: keys.length, IsTruncated: false, Name: 'listing', MaxKeys: 1000 });
    expect(all.Contents![0]).toMatchObject({ Size: 5, ETag: `"${md5('a.txt')}"`, StorageClass: 'STANDARD' });
    const b = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'b/' }));
    expect(b.Contents!.map((c) => c.Key)).toEqual(['b/1.txt', 'b/2.txt', 'b/c/3.txt']);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'c/4.txt' }));
    expect(after.Contents!.map((c) => c.Key)).toEqual(['d.txt', 'e/5.txt', 'e/6.txt', 'f.txt']);
  });

  it('rolls keys up into common prefixes by a delimiter', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    expect(top.Contents!.map((c) => c.Key)).toEqual(['a.txt', 'd.txt', 'f.txt']);
    expect(top.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['b/', 'c/', 'e/']);
    expect(top.KeyCount).toBe(6);
    const inner = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/', Prefix: 'b/' }));
    expect(inner.Contents!.map((c) => c.Key)).toEqual(['b/1.txt', 'b/2.txt']);
    expect(inner.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['b/c/']);
  });

  it.each([undefined, '/'])('pages with max-keys and continuation tokens (delimiter %s)', async (Delimiter) => {
    const pages = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: 'listing', Delimiter }))
      pages.push(page);
    const seen = pages.flatMap((p) => [
      ...(p.Contents ?? []).map((c) => c.Key),
      ...(p.CommonPrefixes ?? []).map((c) => c.Prefix),
    ]);
    const expected = Delimiter ? ['a.txt', 'b/', 'c/', 'd.txt', 'e/', 'f.txt'] : keys;
    expect([...seen].sort()).toEqual(expected);
    expect(pages).toHaveLength(Math.ceil(expected.length / 2));
    expect(pages.slice(0, -1).every((p) => p.IsTruncated && p.NextContinuationToken && p.KeyCount === 2)).toBe(true);
    expect(pages.at(-1)!.IsTruncated).toBe(false);
  });

  it('lists with the original ListObjects and its marker', async () => {
    const first = await s3.send(new ListObjectsCommand({ Bucket: 'listing', MaxKeys: 3 }));
    expect(first.Contents!.map((c) => c.Key)).toEqual(keys.slice(0, 3));
    expect(first.IsTruncated).toBe(true);
    const next = await s3.send(new ListObjectsCommand({ Bucket: 'listing', Marker: first.Contents!.at(-1)!.Key }));
    expect(next.Contents!.map((c) => c.Key)).toEqual(keys.slice(3));
    expect(next.Contents![0]!.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a malformed max-keys or continuation token', async () => {
    const res = await raw('GET', '/listing?list-type=2&max-keys=many');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidArgument</Code>');
    const token = await failure(
      s3.send(new ListObjectsV2Command({ Bucket: 'listing', ContinuationToken: 'bm90LW91cnM=' })),
    );
    expect(token).toMatchObject({ name: 'InvalidArgument', status: 400 });
  });
});

describe('wire shapes (raw HTTP)', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'wire' }));
  });

  it('answers in S3 XML with its namespace and request ids', async () => {
    await raw('PUT', '/wire/k%20ey', { body: Buffer.from('hello') });
    const res = await raw('GET', '/wire?list-type=2');
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(res.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/);
    const text = await res.text();
    expect(text).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/,
    );
    expect(text).toContain('<Key>k ey</Key>');
    const encoded = await (await raw('GET', '/wire?list-type=2&encoding-type=url')).text();
    expect(encoded).toContain('<Key>k%20ey</Key>');
    expect(encoded).toContain('<EncodingType>url</EncodingType>');

    const obj = await raw('GET', '/wire/k%20ey');
    expect(obj.headers.get('etag')).toBe(`"${md5('hello')}"`);
    expect(obj.headers.get('last-modified')).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(obj.headers.get('content-length')).toBe('5');
    expect(obj.headers.get('content-type')).toBe('binary/octet-stream');
    expect(obj.headers.get('x-amz-version-id')).toMatch(/^\w{32}$/);
  });

  it('writes errors in S3 shape, with no body for HEAD', async () => {
    const res = await raw('GET', '/wire/no%26such');
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).toMatch(
      /<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>no&amp;such<\/Key><RequestId>[0-9A-F]{16}<\/RequestId>/,
    );
    expect(text).toContain(`<RequestId>${res.headers.get('x-amz-request-id')}</RequestId>`);
    const head = await raw('HEAD', '/wire/no%26such');
    expect(head.status).toBe(404);
    expect(await head.text()).toBe('');
    const notAllowed = await raw('PATCH', '/wire/k');
    expect(notAllowed.status).toBe(405);
    expect(await notAllowed.text()).toContain('<Code>MethodNotAllowed</Code>');
    const unsupported = await raw('GET', '/wire?inventory');
    expect(unsupported.status).toBe(501);
    const text2 = await unsupported.text();
    expect(text2).toContain('<Code>NotImplemented</Code>');
    // The answer names what is missing.
    expect(text2).toContain('BucketInventoryConfiguration');
    expect(text2).toContain('<Subresource>inventory</Subresource>');
  });

  it('offers the S3 error shape for failures decided before the handler', () => {
    const out = s3ErrorResponse(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match.');
    expect(out.status).toBe(403);
    expect(out.headers['content-type']).toBe('application/xml');
    expect(String(out.body)).toContain('<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature');
    expect(s3ErrorResponse(404, 'NoSuchBucket', 'x', 'HEAD').body).toBe('');
  });

  it('decodes signed aws-chunked bodies with trailing checksums, and checks their length and digests', async () => {
    const chunked =
      `5;chunk-signature=${'a'.repeat(64)}\r\nhello\r\n6;chunk-signature=${'b'.repeat(64)}\r\n world\r\n` +
      `0;chunk-signature=${'c'.repeat(64)}\r\nx-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:${'d'.repeat(64)}\r\n\r\n`;
    const headers = {
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': '11',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'content-type': 'text/plain',
    };
    const put = await raw('PUT', '/wire/chunked.txt', { headers, body: chunked });
    expect(put.status).toBe(200);
    expect(put.headers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'wire', Key: 'chunked.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello world');
    expect(got.ContentType).toBe('text/plain');

    const short = await raw('PUT', '/wire/short.txt', {
      headers: { ...headers, 'x-amz-decoded-content-length': '12' },
      body: chunked,
    });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('<Code>IncompleteBody</Code>');
    const wrongSum = await raw('PUT', '/wire/sum.txt', { headers, body: chunked.replace('DUoRhQ==', 'AAAAAA==') });
    expect(wrongSum.status).toBe(400);
    expect(await wrongSum.text()).toContain(
      '<Message>The CRC32 you specified did not match the calculated checksum.</Message>',
    );
    const sha = await raw('PUT', '/wire/sha.txt', {
      headers: { 'x-amz-content-sha256': '0'.repeat(64) },
      body: 'data',
    });
    expect(sha.status).toBe(400);
    expect(await sha.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
  });
});

// Each aws CLI call starts a Python process (1–2 s; several times that when CI runs suites side by side).
describe('aws CLI', { timeout: 120_000 }, () => {
  it('makes a bucket, copies a package up, lists it and reads it back', async () => {
    const file = join(dir, 'manifest.json');
    const text = JSON.stringify(MANIFEST, null, 2);
    writeFileSync(file, text);
    await aws('s3', 'mb', 's3://cli-bucket');
    expect(await aws('s3', 'cp', file, 's3://cli-bucket/packages/my app/manifest.jar')).toContain('upload:');
    expect(await aws('s3', 'ls')).toMatch(/cli-bucket/);
    const ls = await aws('s3', 'ls', 's3://cli-bucket/packages/my app/');
    expect(ls).toMatch(new RegExp(`\\s${text.length} manifest\\.jar`));
    expect(await aws('s3', 'ls', 's3://cli-bucket/')).toContain('PRE packages/');

    const out = join(dir, 'out.json');
    const meta = JSON.parse(
      await aws('s3api', 'get-object', '--bucket', 'cli-bucket', '--key', 'packages/my app/manifest.jar', out),
    ) as {
      ETag: string;
      ContentLength: number;
      VersionId: string;
    };
    expect(meta.ETag).toBe(`"${md5(text)}"`);
    expect(meta.ContentLength).toBe(text.length);
    expect(readFileSync(out, 'utf8')).toBe(text);
    expect(await aws('s3', 'cp', 's3://cli-bucket/packages/my app/manifest.jar', '-')).toBe(text);
    const head = JSON.parse(
      await aws('s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'packages/my app/manifest.jar'),
    ) as {
      VersionId: string;
    };
    expect(head.VersionId).toBe(meta.VersionId);
  });

  it('reports S3 errors the way the CLI prints them', async () => {
    expect(await awsFails('s3api', 'get-object', '--bucket', 'cli-bucket', '--key', 'nope', join(dir, 'x'))).toContain(
      'NoSuchKey',
    );
    expect(await awsFails('s3', 'rb', 's3://cli-bucket')).toContain('BucketNotEmpty');
    expect(await awsFails('s3', 'ls', 's3://no-such-bucket-here')).toContain('NoSuchBucket');
  });

  it('removes objects and the bucket', async () => {
    await aws('s3', 'rm', 's3://cli-bucket', '--recursive');
    await aws('s3', 'rb', 's3://cli-bucket');
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets!.map((b) => b.Name)).not.toContain('cli-bucket');
  });
});

// Each aws CLI call starts a Python process (1–2 s; several times that when CI runs suites side by side).
describe('code packages for CreateApplication', { timeout: 120_000 }, () => {
  it('creates an application from a manifest uploaded with aws s3 cp', async () => {
    const file = join(dir, 'package.json');
    const text = JSON.stringify(MANIFEST);
    writeFileSync(file, text);
    await aws('s3', 'mb', 's3://flink-code');
    await aws('s3', 'cp', file, 's3://flink-code/jobs/sessionizer-1.3.0.jar');
    const ka = new KinesisAnalyticsV2Client({ endpoint: emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const created = await ka.send(
      new CreateApplicationCommand({
        ApplicationName: 'from-s3',
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: 'arn:aws:iam::123456789012:role/x',
        ApplicationConfiguration: {
          ApplicationCodeConfiguration: {
            CodeContentType: 'ZIPFILE',
            CodeContent: {
              S3ContentLocation: { BucketARN: 'arn:aws:s3:::flink-code', FileKey: 'jobs/sessionizer-1.3.0.jar' },
            },
          },
        },
      }),
    );
    expect(created.ApplicationDetail?.ApplicationStatus).toBe('READY');
    const code =
      created.ApplicationDetail?.ApplicationConfigurationDescription?.ApplicationCodeConfigurationDescription
        ?.CodeContentDescription;
    expect(code?.CodeMD5).toBe(md5(text));
    expect(code?.CodeSize).toBe(text.length);

    const missing = await failure(
      ka.send(
        new CreateApplicationCommand({
          ApplicationName: 'from-nowhere',
          RuntimeEnvironment: 'FLINK-1_20',
          ServiceExecutionRole: 'arn:aws:iam::123456789012:role/x',
          ApplicationConfiguration: {
            ApplicationCodeConfiguration: {
              CodeContentType: 'ZIPFILE',
              CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::flink-code', FileKey: 'jobs/missing.jar' } },
            },
          },
        }),
      ),
    );
    expect(missing.name).toBe('InvalidArgumentException');
    ka.destroy();
  });
});
