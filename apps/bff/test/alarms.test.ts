/**
 * Alarms through the BFF: the recommended restart-loop alarm shown and then created (operator only), its
 * state pushed to browsers when it fires, bands for the metrics chart, the fleet's alarm column, and state
 * changes forwarded to a webhook that fails at first (retried with backoff).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import type * as C from '@mfc/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { Bff } from '../src/server.js';
import { alarmBands, alarmCondition, recommendedAlarmRequest } from '../src/services/alarms.js';
import { advance, eventually, readEvents, startTestBff, type Client } from './harness.js';

const LOOPING = 'orders-enricher';
const HEALTHY = 'clickstream-sessionizer';
const MIN = 60_000;

describe('the alarms of an application', () => {
  let bff: Bff;
  let client: Client;
  beforeAll(async () => {
    ({ bff, client } = await startTestBff({ MFC_ALARM_POLL_MS: '100' }));
  });
  afterAll(() => bff.close());

  it('shows the recommended alarm before it exists, refuses it to a viewer, creates it for an operator', async () => {
    const before = await client.get<C.AlarmsResponse>(`/api/applications/${LOOPING}/alarms`);
    expect(before.status).toBe(200);
    expect(before.body.alarms).toEqual([]);
    const rec = before.body.recommended;
    expect(rec).toMatchObject({ name: `${LOOPING}-restart-loop`, exists: false });
    expect(rec.request).toMatchObject({
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(rec.cli).toMatch(
      /^aws cloudwatch put-metric-alarm --cli-input-json '\{"AlarmName":"orders-enricher-restart-loop"/,
    );

    await client.post('/api/session/role', { role: 'viewer' });
    const refused = await client.post(`/api/applications/${LOOPING}/alarms/recommended`);
    expect(refused.status).toBe(403);
    await client.post('/api/session/role', { role: 'operator' });

    const missing = await client.post(`/api/applications/no-such-app/alarms/recommended`);
    expect(missing.status).toBe(404);

    for (const app of [LOOPING, HEALTHY]) {
      const created = await client.post<C.ActionResponse>(`/api/applications/${app}/alarms/recommended`);
      expect(created.status).toBe(201);
      expect(created.body.message).toBe(`Created the alarm ${app}-restart-loop.`);
    }
    const after = await client.get<C.AlarmsResponse>(`/api/applications/${LOOPING}/alarms`);
    expect(after.body.recommended.exists).toBe(true);
    expect(after.body.alarms).toHaveLength(1);
    expect(after.body.alarms[0]).toMatchObject({
      name: `${LOOPING}-restart-loop`,
      state: 'INSUFFICIENT_DATA',
      condition: 'DIFF(fullRestarts) > 0 for 5 of 5 periods of 1 minute',
      metrics: ['fullRestarts'],
      recommended: true,
    });
  });

  it('pushes the alarm firing to an open browser, draws it as a band and counts it in the fleet', async () => {
    const headers = { cookie: client.cookie! };
    const reading = readEvents(`${bff.url}/api/events`, headers, (events) =>
      events.some(
        (e) => (e.data as C.ServerEvent)?.type === 'alarm' && (e.data as { state: string }).state === 'ALARM',
      ),
    );
    await eventually(async () => expect(bff.alarmWatcher.running).toBe(true));
    // Let the watcher learn the alarms as they are before the clock moves.
    await new Promise((r) => setTimeout(r, 300));
    await advance(bff, 7 * MIN);
    const events = (await reading).map((e) => e.data as C.ServerEvent);
    const fired = events.find((e): e is Extract<C.ServerEvent, { type: 'alarm' }> => e.type === 'alarm')!;
    expect(fired).toMatchObject({ alarm: `${LOOPING}-restart-loop`, applications: [LOOPING], state: 'ALARM' });
    expect(fired.reason).toMatch(/^Threshold Crossed: 5 out of the last 5 datapoints/);

    const view = await client.get<C.AlarmsResponse>(`/api/applications/${LOOPING}/alarms?range=15m`);
    expect(view.body.alarms[0]!.state).toBe('ALARM');
    const bands = view.body.bands.filter((b) => b.alarm === `${LOOPING}-restart-loop`);
    expect(bands.at(-1)).toMatchObject({ state: 'ALARM' });
    expect(bands.at(-1)!.to).toBeUndefined();
    expect(view.body.history.some((h) => h.summary === 'Alarm updated from INSUFFICIENT_DATA to ALARM')).toBe(true);

    const calm = await client.get<C.AlarmsResponse>(`/api/applications/${HEALTHY}/alarms`);
    expect(calm.body.alarms[0]!.state).toBe('OK');

    const summary = await client.get<C.AlarmSummariesResponse>('/api/alarms/summary');
    expect(summary.body.applications[LOOPING]).toEqual({
      total: 1,
      inAlarm: [`${LOOPING}-restart-loop`],
      insufficientData: 0,
    });
    expect(summary.body.applications[HEALTHY]).toEqual({ total: 1, inAlarm: [], insufficientData: 0 });
  });
});

describe('the alarm webhook', () => {
  let receiver: Server;
  const received: { attempt: number; body: Record<string, unknown> }[] = [];
  let attempts = 0;
  let bff: Bff;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        attempts++;
        // The first delivery fails: the forwarder must retry it.
        if (attempts === 1) {
          res.writeHead(503).end();
          return;
        }
        received.push({ attempt: attempts, body: JSON.parse(text) as Record<string, unknown> });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    ({ bff } = await startTestBff({ MFC_ALARM_POLL_MS: '100', MFC_ALARM_WEBHOOK_URL: url }));
  });
  afterAll(async () => {
    await bff.close();
    await new Promise((r) => receiver.close(r));
  });

  it('forwards a state change with no browser open, retrying a failed delivery', async () => {
    // Watching without browsers: the webhook wants every change.
    await eventually(async () => expect(bff.alarmWatcher.running).toBe(true));
    const cw = new CloudWatchClient({
      endpoint: bff.emulator!.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    await cw.send(new PutMetricAlarmCommand(recommendedAlarmRequest(LOOPING)));
    await new Promise((r) => setTimeout(r, 300));
    await advance(bff, 7 * MIN);
    await eventually(async () => expect(received.length).toBeGreaterThanOrEqual(1), 15_000);
    expect(received[0]!.attempt).toBe(2);
    expect(received[0]!.body).toMatchObject({
      AlarmName: `${LOOPING}-restart-loop`,
      AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${LOOPING}-restart-loop`,
      NewStateValue: 'ALARM',
      Applications: [LOOPING],
      Region: 'us-east-1',
    });
    expect(bff.webhook!.stats).toMatchObject({ delivered: 1, failed: 0, dropped: 0 });
  });
});

describe('alarm helpers', () => {
  it('say what an alarm watches in one line', () => {
    expect(
      alarmCondition({
        Namespace: 'AWS/KinesisAnalytics',
        MetricName: 'downtime',
        Statistic: 'Maximum',
        Period: 300,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 1000,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    ).toBe('Maximum(downtime) ≥ 1000 for 2 of 3 periods of 5 minutes');
  });

  it('turn state changes into bands over a range, merging repeats and keeping the last open', () => {
    const bands = alarmBands(
      'a',
      'OK',
      [
        { at: 50, from: 'INSUFFICIENT_DATA', to: 'OK' },
        { at: 200, from: 'OK', to: 'ALARM' },
        { at: 250, from: 'ALARM', to: 'ALARM' },
        { at: 400, from: 'ALARM', to: 'OK' },
      ],
      100,
      1000,
    );
    expect(bands).toEqual([
      { alarm: 'a', state: 'OK', from: 100, to: 200 },
      { alarm: 'a', state: 'ALARM', from: 200, to: 400 },
      { alarm: 'a', state: 'OK', from: 400 },
    ]);
    // No change in the range: one open band in the current state.
    expect(alarmBands('b', 'ALARM', [], 100, 1000)).toEqual([{ alarm: 'b', state: 'ALARM', from: 100 }]);
  });

  it('refuse a webhook URL that is not http(s) and a topic that is not SNS', () => {
    expect(() => loadConfig({ MFC_ALARM_WEBHOOK_URL: 'ftp://example.com/x' })).toThrow(/MFC_ALARM_WEBHOOK_URL/);
    expect(() => loadConfig({ MFC_ALARM_WEBHOOK_URL: 'not a url' })).toThrow(/MFC_ALARM_WEBHOOK_URL/);
    expect(() => loadConfig({ MFC_ALARM_TOPIC_ARN: 'arn:aws:sqs:us-east-1:123456789012:q' })).toThrow(
      /MFC_ALARM_TOPIC_ARN/,
    );
    expect(loadConfig({ MFC_ALARM_WEBHOOK_URL: 'https://hooks.example.com/flink' }).alarms.webhook).toEqual({
      url: 'https://hooks.example.com/flink',
      timeoutMs: 5000,
      attempts: 4,
    });
  });
});
