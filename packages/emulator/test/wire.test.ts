/** The AWS JSON 1.1 wire itself, spoken with plain fetch: error shapes, validation, auth. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from './harness.js';

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.close());

const AUTH =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/eu-west-1/kinesisanalytics/aws4_request, SignedHeaders=host;x-amz-date, Signature=' +
  '0'.repeat(64);

async function call(target: string, body: string, headers: Record<string, string> = { authorization: AUTH }) {
  const res = await fetch(t.emu.url + '/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers },
    body,
  });
  return {
    status: res.status,
    type: res.headers.get('x-amzn-errortype'),
    contentType: res.headers.get('content-type'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

describe('AWS JSON 1.1 wire', () => {
  it('takes account and region from the signature and answers in the JSON 1.1 content type', async () => {
    const r = await call('KinesisAnalytics_20180523.ListApplications', '{}');
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('application/x-amz-json-1.1');
    expect(r.json).toEqual({ ApplicationSummaries: [] });
    const created = await call(
      'KinesisAnalytics_20180523.CreateApplication',
      JSON.stringify({
        ApplicationName: 'eu-app',
        RuntimeEnvironment: 'FLINK-1_20',
        ServiceExecutionRole: 'arn:aws:iam::123456789012:role/r',
      }),
    );
    expect((created.json.ApplicationDetail as { ApplicationARN: string }).ApplicationARN).toBe(
      'arn:aws:kinesisanalytics:eu-west-1:123456789012:application/eu-app',
    );
    expect(typeof (created.json.ApplicationDetail as { CreateTimestamp: unknown }).CreateTimestamp).toBe('number');
  });

  it('errors carry __type, message, Message and x-amzn-ErrorType', async () => {
    const r = await call('KinesisAnalytics_20180523.DescribeApplication', '{"ApplicationName":"nope"}');
    expect(r.status).toBe(400);
    expect(r.type).toBe('ResourceNotFoundException');
    expect(r.json.__type).toBe('ResourceNotFoundException');
    expect(r.json.message).toBe(r.json.Message);
  });

  it('malformed JSON → SerializationException; wrong types → SerializationException', async () => {
    expect((await call('KinesisAnalytics_20180523.ListApplications', '{oops')).json.__type).toBe(
      'SerializationException',
    );
    expect((await call('KinesisAnalytics_20180523.ListApplications', '[]')).json.__type).toBe('SerializationException');
    expect((await call('KinesisAnalytics_20180523.DescribeApplication', '{"ApplicationName":5}')).json.__type).toBe(
      'SerializationException',
    );
    expect((await call('KinesisAnalytics_20180523.ListApplications', '{"Limit":1.5}')).json.__type).toBe(
      'SerializationException',
    );
  });

  it('constraint violations → the operation’s validation error with AWS’s wording', async () => {
    const missing = await call('KinesisAnalytics_20180523.DescribeApplication', '{}');
    expect(missing.json.__type).toBe('InvalidArgumentException');
    expect(missing.json.message).toBe(
      "1 validation error detected: Value null at 'applicationName' failed to satisfy constraint: Member must not be null",
    );
    const pattern = await call('KinesisAnalytics_20180523.DescribeApplication', '{"ApplicationName":"bad name!"}');
    expect(pattern.json.message).toMatch(/regular expression pattern/);
    const enumBad = await call(
      'KinesisAnalytics_20180523.CreateApplication',
      JSON.stringify({
        ApplicationName: 'x',
        RuntimeEnvironment: 'FLINK-9',
        ServiceExecutionRole: 'arn:aws:iam::1:role/r',
      }),
    );
    expect(enumBad.json.message).toMatch(/enum value set/);
    // ListApplications models only InvalidRequestException.
    const limit = await call('KinesisAnalytics_20180523.ListApplications', '{"Limit":51}');
    expect(limit.json.__type).toBe('InvalidRequestException');
    expect(limit.json.message).toMatch(/less than or equal to 50/);
    const long = await call(
      'KinesisAnalytics_20180523.DescribeApplication',
      JSON.stringify({ ApplicationName: 'a'.repeat(129) }),
    );
    expect(long.json.message).toMatch(/length less than or equal to 128/);
  });

  it('unknown targets → UnknownOperationException', async () => {
    expect((await call('KinesisAnalytics_20180523.MakeCoffee', '{}')).json.__type).toBe('UnknownOperationException');
    expect((await call('Nope_2020.List', '{}')).json.__type).toBe('UnknownOperationException');
  });

  it('a JSON 1.0 or 1.1 POST with no X-Amz-Target → UnknownOperationException in JSON, not S3 XML', async () => {
    for (const contentType of ['application/x-amz-json-1.1', 'application/x-amz-json-1.0']) {
      const res = await fetch(t.emu.url + '/', {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: AUTH },
        body: '{}',
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe(contentType);
      expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body.__type).toBe('UnknownOperationException');
      expect(body.message).toMatch(/X-Amz-Target/);
    }
  });

  it('a missing Authorization header → MissingAuthenticationTokenException (403)', async () => {
    const r = await call('KinesisAnalytics_20180523.ListApplications', '{}', {});
    expect(r.status).toBe(403);
    expect(r.json.__type).toBe('MissingAuthenticationTokenException');
    const bad = await call('KinesisAnalytics_20180523.ListApplications', '{}', { authorization: 'Bearer x' });
    expect(bad.json.__type).toBe('IncompleteSignatureException');
  });

  it('nothing is half-applied: a rejected update leaves version and configuration unchanged', async () => {
    const before = (await call('KinesisAnalytics_20180523.DescribeApplication', '{"ApplicationName":"eu-app"}')).json;
    const r = await call(
      'KinesisAnalytics_20180523.UpdateApplication',
      JSON.stringify({
        ApplicationName: 'eu-app',
        CurrentApplicationVersionId: 1,
        ApplicationConfigurationUpdate: {
          EnvironmentPropertyUpdates: { PropertyGroups: [{ PropertyGroupId: 'g', PropertyMap: { a: 'b' } }] },
          FlinkApplicationConfigurationUpdate: {
            ParallelismConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', ParallelismUpdate: 1000 },
          },
        },
      }),
    );
    expect(r.json.__type).toBe('LimitExceededException');
    const after = (await call('KinesisAnalytics_20180523.DescribeApplication', '{"ApplicationName":"eu-app"}')).json;
    expect(after).toEqual(before);
  });
});

describe('/_emulator administration', () => {
  it('reports health and moves the virtual clock', async () => {
    const h = (await t.admin('/_emulator/health')) as { status: string; timeProfile: string };
    expect(h).toMatchObject({ status: 'ok', timeProfile: 'instant' });
    const before = (await t.admin('/_emulator/clock')) as { now: number };
    const after = (await t.admin('/_emulator/clock', { advanceMs: 3_600_000 })) as { now: number };
    expect(after.now - before.now).toBeGreaterThanOrEqual(3_600_000);
    expect(await t.admin('/_emulator/clock', { speed: -1 })).toMatchObject({ error: expect.stringMatching(/speed/) });
  });

  it('runs scenarios and resets', async () => {
    const r = (await t.admin('/_emulator/scenarios/demo-fleet', {})) as { scenario: string };
    expect(r.scenario).toBe('demo-fleet');
    expect(((await t.admin('/_emulator/health')) as { applications: number }).applications).toBe(7);
    expect(await t.admin('/_emulator/scenarios/deploy-poison-pill', {})).toMatchObject({
      error: expect.stringMatching(/application/),
    });
    await t.admin('/_emulator/reset', {});
    expect(((await t.admin('/_emulator/health')) as { applications: number }).applications).toBe(0);
  });
});
