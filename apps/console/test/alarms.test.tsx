import type { AlarmsResponse, AlarmView } from '@mfc/contracts';
import { QueryClient } from '@tanstack/react-query';
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EventStream, type EventSourceLike } from '../src/api/events';
import { clampBands } from '../src/charts/LineChartCard';
import { Toaster } from '../src/components/Toaster';
import { describeAlarmRequest } from '../src/dialogs/alarm-request';
import { FleetRow } from '../src/pages/FleetPage';
import { alarmCellText } from '../src/pages/fleet/AlarmCell';
import { alarmChartBands, alarmStatesKey } from '../src/pages/application/alarm-bands';
import { fleetApp } from './fixtures';

const MIN = 60_000;
const T0 = 1_800_000_000_000;

function alarm(over: Partial<AlarmView> = {}): AlarmView {
  return {
    name: 'orders-enricher-restart-loop',
    arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-enricher-restart-loop',
    state: 'ALARM',
    reason: 'Threshold Crossed',
    stateSince: T0 + 40 * MIN,
    condition: 'DIFF(fullRestarts) > 0 for 5 of 5 periods of 1 minute',
    metrics: ['fullRestarts'],
    periodSeconds: 60,
    actionsEnabled: true,
    actions: { alarm: [], ok: [], insufficientData: [] },
    recommended: true,
    ...over,
  };
}

function response(over: Partial<AlarmsResponse> = {}): AlarmsResponse {
  return {
    alarms: [alarm()],
    from: T0,
    to: T0 + 60 * MIN,
    bands: [
      { alarm: 'orders-enricher-restart-loop', state: 'INSUFFICIENT_DATA', from: T0, to: T0 + 40 * MIN },
      { alarm: 'orders-enricher-restart-loop', state: 'ALARM', from: T0 + 40 * MIN },
    ],
    history: [
      { alarm: 'orders-enricher-restart-loop', at: T0 + 40 * MIN, type: 'StateUpdate', summary: 'x' },
      {
        alarm: 'orders-enricher-restart-loop',
        at: T0 + 35 * MIN,
        type: 'ConfigurationUpdate',
        summary: 'Alarm "orders-enricher-restart-loop" created',
      },
    ],
    recommended: { name: 'orders-enricher-restart-loop', rationale: '', request: {}, cli: '', exists: true },
    ...over,
  };
}

describe('alarm bands on the charts', () => {
  it('draws the bands of the alarms that read the chart’s metrics, from the alarm’s creation, open ones to now', () => {
    const bands = alarmChartBands(response(), ['fullRestarts']);
    expect(bands.map((b) => [b.tone, b.from, b.to])).toEqual([
      ['neutral', T0 + 35 * MIN, T0 + 40 * MIN],
      ['danger', T0 + 40 * MIN, T0 + 60 * MIN],
    ]);
    expect(bands.map((b) => b.label)).toEqual(['insufficient data', 'in ALARM']);
    expect(alarmChartBands(response(), ['KPUs'])).toEqual([]);
    expect(alarmChartBands(undefined, ['fullRestarts'])).toEqual([]);
  });

  it('draws OK as nothing, and the current state at least one period wide when now lags a clock jump', () => {
    const r = response({
      to: T0 + 39 * MIN,
      bands: [
        { alarm: 'orders-enricher-restart-loop', state: 'OK', from: T0, to: T0 + 40 * MIN },
        { alarm: 'orders-enricher-restart-loop', state: 'ALARM', from: T0 + 40 * MIN },
      ],
    });
    expect(alarmChartBands(r, ['fullRestarts']).map((b) => [b.tone, b.from, b.to])).toEqual([
      ['danger', T0 + 40 * MIN, T0 + 41 * MIN],
    ]);
  });

  it('cuts bands to the plotted points on the left and drops the empty ones', () => {
    const band = { tone: 'danger' as const, label: 'in ALARM', title: '' };
    expect(
      clampBands(
        [
          { ...band, from: 0, to: 50 },
          { ...band, from: 0, to: 5 },
        ],
        [10, 20, 30],
      ).map((b) => [b.from, b.to]),
    ).toEqual([[10, 50]]);
    expect(clampBands([{ ...band, from: 0, to: 50 }], [])).toEqual([]);
  });

  it('keys the alarms’ states, so a change (and only a change) refreshes the charts', () => {
    expect(alarmStatesKey(response())).toBe('orders-enricher-restart-loop=ALARM');
    expect(alarmStatesKey(undefined)).toBe('');
  });
});

describe('the recommended alarm in words', () => {
  it('reads the metric, expression, evaluation, missing data and actions from the request itself', () => {
    const lines = describeAlarmRequest({
      AlarmName: 'orders-enricher-restart-loop',
      Metrics: [
        {
          Id: 'm1',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/KinesisAnalytics',
              MetricName: 'fullRestarts',
              Dimensions: [{ Name: 'Application', Value: 'orders-enricher' }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
          ReturnData: false,
        },
        { Id: 'e1', Expression: 'DIFF(m1)', Label: 'fullRestarts increase per minute', ReturnData: true },
      ],
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:flink-oncall'],
    });
    expect(Object.fromEntries(lines.map((l) => [l.term, l.detail]))).toEqual({
      Metric: 'fullRestarts (AWS/KinesisAnalytics, Application=orders-enricher), Maximum per minute',
      Expression: 'DIFF(m1): fullRestarts increase per minute',
      'Fires when': 'DIFF(m1) > 0 in 5 of 5 one-minute periods (5 in a row)',
      'Missing data': 'not breaching (a stopped application publishes no restarts: that is not a loop)',
      Actions: 'on ALARM: SNS topic flink-oncall',
    });
  });

  it('says when the alarm notifies nobody', () => {
    const actions = describeAlarmRequest({ MetricName: 'fullRestarts', Statistic: 'Maximum', Period: 300 }).find(
      (l) => l.term === 'Actions',
    );
    expect(actions?.detail).toMatch(/^none/);
  });
});

describe('the fleet’s alarm column', () => {
  it('says ALARM first, with the names; else the quiet alarms; else a dash', () => {
    expect(alarmCellText({ total: 2, inAlarm: ['a', 'b'], insufficientData: 0 })).toMatchObject({
      text: '2 ALARM',
      tone: 'alarm',
      title: 'In ALARM: a, b (2 ALARM)',
    });
    expect(alarmCellText({ total: 2, inAlarm: [], insufficientData: 0 })).toMatchObject({ text: '2 OK', tone: 'ok' });
    expect(alarmCellText({ total: 2, inAlarm: [], insufficientData: 1 }).text).toBe('1 OK · 1 no data');
    expect(alarmCellText(undefined)).toMatchObject({ text: '—', tone: 'none' });
  });

  it('shows in a fleet row, and a row without a summary still renders', () => {
    const { unmount } = render(
      <FleetRow
        app={fleetApp('orders-enricher')}
        now={100_000}
        generatedAt={100_000}
        index={0}
        top={0}
        alarms={{ total: 1, inAlarm: ['orders-enricher-restart-loop'], insufficientData: 0 }}
      />,
    );
    expect(screen.getByTestId('fleet-alarms').textContent).toBe('1 ALARM');
    expect(screen.getByTestId('fleet-alarms').getAttribute('data-in-alarm')).toBe('1');
    unmount();
    render(
      <FleetRow app={fleetApp('clickstream-sessionizer')} now={100_000} generatedAt={100_000} index={0} top={0} />,
    );
    expect(screen.getByTestId('fleet-alarms').textContent).toBe('—');
  });
});

describe('an alarm pushed in ALARM', () => {
  it('is announced in a toast; other states are not', () => {
    render(<Toaster />);
    const source: { s?: EventSourceLike } = {};
    const stream = new EventStream(new QueryClient(), () => {
      source.s = {
        readyState: 1,
        onopen: null,
        onmessage: null,
        onerror: null,
        addEventListener: () => undefined,
        close: () => undefined,
      };
      return source.s;
    });
    stream.connect();
    const push = (state: string, id: string) =>
      act(() =>
        stream.handle(
          new MessageEvent('message', {
            lastEventId: id,
            data: JSON.stringify({
              type: 'alarm',
              alarm: 'orders-enricher-restart-loop',
              applications: ['orders-enricher'],
              state,
              reason: 'Threshold Crossed',
              at: T0,
            }),
          }),
        ),
      );
    push('OK', '1');
    expect(screen.queryAllByTestId('toast')).toHaveLength(0);
    push('ALARM', '2');
    expect(screen.getByTestId('toast').textContent).toContain('Alarm orders-enricher-restart-loop is in ALARM');
  });
});
