import { METRIC_RANGES } from '@mfc/contracts';
import { useEffect, useId, useMemo, useRef } from 'react';
import { useAlarms, useMetrics } from '../../api/queries';
import { LineChartCard, type LineSpec } from '../../charts/LineChartCard';
import { latest, mergeSeries, type MetricName } from '../../charts/series';
import { ErrorState, Loading } from '../../components/States';
import { Age } from '../../components/Time';
import { formatBytes, formatCompact, formatDuration, formatDurationShort } from '../../format/format';
import { useNow } from '../../hooks/useNow';
import { useSearchParam } from '../../router';
import { alarmChartBands, alarmStatesKey } from './alarm-bands';
import { AlarmsSection } from './AlarmsSection';
import type { TabProps } from './ApplicationPage';
import '../../styles/charts.css';

interface ChartSpec {
  title: string;
  metrics: MetricName[];
  lines: LineSpec[];
  format: (n: number) => string;
  tick?: (n: number) => string;
  restartLoop?: boolean;
  step?: boolean;
}

const CHARTS: ChartSpec[] = [
  {
    title: 'Full restarts',
    metrics: ['fullRestarts'],
    lines: [{ key: 'fullRestarts', label: 'fullRestarts', color: 'var(--chart-danger)' }],
    format: (n) => formatCompact(n),
    restartLoop: true,
    step: true,
  },
  {
    title: 'Uptime and downtime',
    metrics: ['uptime', 'downtime'],
    lines: [
      { key: 'uptime', label: 'uptime', color: 'var(--chart-1)' },
      { key: 'downtime', label: 'downtime', color: 'var(--chart-danger)', dashed: true },
    ],
    format: (n) => formatDuration(n),
    tick: formatDurationShort,
  },
  {
    title: 'Checkpoint duration',
    metrics: ['lastCheckpointDuration'],
    lines: [{ key: 'lastCheckpointDuration', label: 'lastCheckpointDuration', color: 'var(--chart-2)' }],
    format: (n) => formatDuration(n),
    tick: formatDurationShort,
  },
  {
    title: 'Checkpoint size',
    metrics: ['lastCheckpointSize'],
    lines: [{ key: 'lastCheckpointSize', label: 'lastCheckpointSize', color: 'var(--chart-3)' }],
    format: (n) => formatBytes(n),
  },
  {
    title: 'Failed checkpoints',
    metrics: ['numberOfFailedCheckpoints'],
    lines: [{ key: 'numberOfFailedCheckpoints', label: 'numberOfFailedCheckpoints', color: 'var(--chart-danger)' }],
    format: (n) => formatCompact(n),
    step: true,
  },
  {
    title: 'Records per second',
    metrics: ['numRecordsInPerSecond', 'numRecordsOutPerSecond'],
    lines: [
      { key: 'numRecordsInPerSecond', label: 'in', color: 'var(--chart-1)' },
      { key: 'numRecordsOutPerSecond', label: 'out', color: 'var(--chart-4)', dashed: true },
    ],
    format: (n) => formatCompact(n),
  },
  {
    title: 'Backpressure (ms per second)',
    metrics: ['backPressuredTimeMsPerSecond', 'busyTimeMsPerSecond'],
    lines: [
      { key: 'backPressuredTimeMsPerSecond', label: 'backpressured', color: 'var(--chart-danger)' },
      { key: 'busyTimeMsPerSecond', label: 'busy', color: 'var(--chart-2)', dashed: true },
    ],
    format: (n) => formatCompact(n),
  },
  {
    title: 'KPUs',
    metrics: ['KPUs'],
    lines: [{ key: 'KPUs', label: 'KPUs', color: 'var(--chart-3)' }],
    format: (n) => formatCompact(n),
    step: true,
  },
];

export default function MetricsTab({ app }: TabProps) {
  const [range, setRange] = useSearchParam('range', '1h');
  const q = useMetrics(app.name, range);
  const now = useNow();
  const rangeId = useId();
  const data = q.data;
  const rows = useMemo(() => (data ? CHARTS.map((c) => mergeSeries(data.series, c.metrics)) : []), [data]);
  const alarms = useAlarms(app.name, range).data;
  const bands = useMemo(() => CHARTS.map((c) => alarmChartBands(alarms, c.metrics)), [alarms]);
  useRefetchOnAlarmChange(alarmStatesKey(alarms), q.refetch);
  return (
    <div className="metrics">
      <AlarmsSection app={app} range={range} />
      <div className="toolbar">
        <fieldset className="segmented" aria-describedby={rangeId}>
          <legend className="visually-hidden">Time range</legend>
          {METRIC_RANGES.map((r) => (
            <label key={r} className={`segmented__item${r === range ? ' segmented__item--on' : ''}`}>
              <input
                type="radio"
                name="metrics-range"
                value={r}
                checked={r === range}
                onChange={() => setRange(r)}
                data-testid={`range-${r}`}
              />
              {r}
            </label>
          ))}
        </fieldset>
        <span id={rangeId} className="muted">
          {data ? `One point per ${formatDuration(data.periodSeconds * 1000)}` : ''}
          {q.isFetching && data ? ' · updating…' : ''}
        </span>
      </div>
      {q.isPending ? (
        <Loading label="Reading metrics…" />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <>
          {data!.restartLoop.active ? (
            <div className="callout callout--danger" role="alert" data-testid="restart-loop-alarm">
              <strong className="callout__title">Fail-and-restart loop</strong>
              <p>
                fullRestarts has been rising
                {data!.restartLoop.since !== undefined ? (
                  <>
                    {' '}
                    since <Age at={data!.restartLoop.since} now={now} />
                  </>
                ) : null}
                : the application is RUNNING but its job keeps failing. See the job graph's latest exception, or roll
                back.
              </p>
            </div>
          ) : null}
          <div className="grid grid--charts">
            {CHARTS.map((c, i) => {
              const since = data!.restartLoop.since;
              const highlight =
                c.restartLoop && data!.restartLoop.active && since !== undefined
                  ? { from: Math.max(since, data!.from), to: data!.to, label: 'restart loop' }
                  : undefined;
              const last = latest(data!.series, c.metrics[0]!);
              return (
                <LineChartCard
                  key={c.title}
                  title={c.title}
                  testId={`chart-${c.metrics[0]}`}
                  data={rows[i]!}
                  lines={c.lines}
                  formatY={c.format}
                  {...(c.tick ? { formatTick: c.tick } : {})}
                  highlight={highlight}
                  bands={bands[i]!}
                  step={c.step ?? false}
                  headline={last !== undefined ? c.format(last) : undefined}
                />
              );
            })}
          </div>
        </>
      )}
    </div>
  );
}

/** An alarm that changes state (pushed) says its metrics moved: the charts read them again to show why. */
function useRefetchOnAlarmChange(key: string, refetch: () => unknown): void {
  const last = useRef(key);
  useEffect(() => {
    if (key === last.current) return;
    const first = last.current === '';
    last.current = key;
    if (!first) void refetch();
  }, [key, refetch]);
}
