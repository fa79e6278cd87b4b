import type { ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock, formatTime } from '../format/format';

export interface LineSpec {
  key: string;
  label: string;
  /** A CSS colour, usually a theme variable (var(--chart-1)). */
  color: string;
  dashed?: boolean;
}

interface LineChartCardProps {
  title: string;
  data: readonly Record<string, number | undefined>[];
  lines: readonly LineSpec[];
  xKey?: string;
  formatY: (v: number) => string;
  /** Axis ticks, when formatY is too long for them. */
  formatTick?: (v: number) => string;
  formatX?: (v: number) => string;
  /** A shaded span on the x axis (the restart-loop alarm). */
  highlight?: { from: number; to: number; label: string } | undefined;
  headline?: ReactNode;
  height?: number;
  testId?: string;
  step?: boolean;
}

/** One chart in a card: lines over time, themed by CSS variables, with a legend in text. */
export function LineChartCard({
  title,
  data,
  lines,
  xKey = 't',
  formatY,
  formatTick,
  formatX = formatClock,
  highlight,
  headline,
  height = 180,
  testId,
  step = false,
}: LineChartCardProps) {
  // Clamp the highlight to the plotted points: recharts drops an area that reaches past the domain.
  const xs = data.map((d) => d[xKey]).filter((v): v is number => typeof v === 'number');
  const span =
    highlight && xs.length > 0
      ? { ...highlight, from: Math.max(highlight.from, Math.min(...xs)), to: Math.min(highlight.to, Math.max(...xs)) }
      : undefined;
  return (
    <figure className="chart card" data-testid={testId ?? 'chart'} data-highlight={span ? span.label : undefined}>
      <figcaption className="chart__head">
        <span className="card__title">{title}</span>
        {headline ? <span className="chart__headline">{headline}</span> : null}
        <span className="chart__legend">
          {lines.map((l) => (
            <span key={l.key} className="chart__key">
              <svg width="14" height="4" aria-hidden="true">
                <line
                  x1="0"
                  y1="2"
                  x2="14"
                  y2="2"
                  stroke={l.color}
                  strokeWidth="3"
                  strokeDasharray={l.dashed ? '3 2' : undefined}
                />
              </svg>
              {l.label}
            </span>
          ))}
        </span>
      </figcaption>
      {data.length === 0 ? (
        <p className="muted chart__empty">No data points in this range.</p>
      ) : (
        <div className="chart__body" style={{ height }}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data as Record<string, number>[]} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
              <XAxis
                dataKey={xKey}
                type="number"
                domain={['dataMin', 'dataMax']}
                scale="time"
                tickFormatter={formatX}
                stroke="var(--text-muted)"
                tick={{ fontSize: 11, fill: 'var(--text-muted)' }}
                minTickGap={32}
              />
              <YAxis
                tickFormatter={formatTick ?? formatY}
                stroke="var(--text-muted)"
                tick={{ fontSize: 11, fill: 'var(--text-muted)' }}
                width={60}
                allowDecimals={false}
              />
              {span && span.to > span.from ? (
                <ReferenceArea
                  x1={span.from}
                  x2={span.to}
                  fill="var(--danger-soft)"
                  fillOpacity={0.6}
                  stroke="var(--danger)"
                  strokeOpacity={0.5}
                  label={{ value: span.label, position: 'insideTopLeft', fill: 'var(--danger)', fontSize: 11 }}
                />
              ) : null}
              <Tooltip
                labelFormatter={(v) => (xKey === 't' ? formatTime(Number(v)) : `#${String(v)}`)}
                formatter={(v, name) => [formatY(Number(v)), lines.find((l) => l.key === name)?.label ?? String(name)]}
                contentStyle={{
                  background: 'var(--surface)',
                  border: '1px solid var(--border)',
                  borderRadius: 6,
                  color: 'var(--text)',
                }}
                labelStyle={{ color: 'var(--text-muted)' }}
              />
              {lines.map((l) => (
                <Line
                  key={l.key}
                  dataKey={l.key}
                  name={l.key}
                  type={step ? 'stepAfter' : 'monotone'}
                  stroke={l.color}
                  strokeWidth={2}
                  strokeDasharray={l.dashed ? '4 3' : undefined}
                  dot={false}
                  isAnimationActive={false}
                  connectNulls={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
