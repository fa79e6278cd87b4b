import { useId, type ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatClock, formatTime } from '../format/format';

export interface LineSpec {
  key: string;
  label: string;
  /** A CSS colour, usually a theme variable (var(--chart-1)). */
  color: string;
  dashed?: boolean;
}

/**
 * A state interval drawn behind the lines (an alarm in ALARM, or without enough data). Its tone picks the
 * colour; the label names it in the legend, the title on hover.
 */
export interface ChartBand {
  from: number;
  to: number;
  tone: 'danger' | 'neutral';
  label: string;
  title: string;
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
  /** State intervals (alarm states), drawn under the lines. */
  bands?: readonly ChartBand[];
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
  bands = [],
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
  const plotted = clampBands(bands, xs);
  // An interval still open runs to now, which may be after the newest point: the axis reaches it.
  const lastX = xs.length > 0 ? Math.max(...xs) : 0;
  const bandEnd = plotted.reduce((end, b) => Math.max(end, b.to), lastX);
  const hatchId = `hatch-${useId().replace(/[^\w-]/g, '')}`;
  const keys = [...new Map(plotted.map((b) => [b.label, b])).values()];
  return (
    <figure
      className="chart card"
      data-testid={testId ?? 'chart'}
      data-highlight={span ? span.label : undefined}
      data-bands={plotted.length > 0 ? plotted.map((b) => b.tone).join(' ') : undefined}
    >
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
          {keys.map((b) => (
            <span key={b.label} className="chart__key">
              <svg width="12" height="10" aria-hidden="true">
                <BandSwatch tone={b.tone} hatchId={hatchId} />
              </svg>
              {b.label}
            </span>
          ))}
        </span>
      </figcaption>
      {data.length === 0 ? (
        <p className="muted chart__empty">No data points in this range.</p>
      ) : (
        <div className="chart__body" style={{ height }}>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart
              data={data as Record<string, number>[]}
              margin={{ top: 8 + BAND_LANE + 2, right: 12, bottom: 0, left: 0 }}
            >
              <defs>
                <pattern id={hatchId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                  <rect width="6" height="6" fill="var(--text-faint)" fillOpacity={0.08} />
                  <line x1="0" y1="0" x2="0" y2="6" stroke="var(--text-faint)" strokeWidth="2" strokeOpacity={0.35} />
                </pattern>
              </defs>
              <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
              {plotted.map((b) => (
                <ReferenceArea
                  key={`${b.label}-${b.from}`}
                  x1={b.from}
                  x2={b.to}
                  shape={(p: BandShapeProps) => <BandShape {...p} band={b} hatchId={hatchId} />}
                />
              ))}
              <XAxis
                dataKey={xKey}
                type="number"
                domain={['dataMin', bandEnd > lastX ? bandEnd : 'dataMax']}
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

/** Bands cut to start at the first point (none before the data), dropped when empty. */
export function clampBands(bands: readonly ChartBand[], xs: readonly number[]): ChartBand[] {
  if (xs.length === 0) return [];
  const first = Math.min(...xs);
  return bands.flatMap((b) => {
    const from = Math.max(b.from, first);
    return b.to > from ? [{ ...b, from }] : [];
  });
}

/** The state lane's height, drawn in the chart's top margin. */
const BAND_LANE = 4;

interface BandShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
}

/**
 * A tinted (danger) or hatched (neutral) span, with a solid lane just above the plot: it names the state
 * even over another area, and never reads as a line at the axis' top value.
 */
function BandShape({
  x = 0,
  y = 0,
  width = 0,
  height = 0,
  band,
  hatchId,
}: BandShapeProps & { band: ChartBand; hatchId: string }) {
  const danger = band.tone === 'danger';
  return (
    <g data-testid="chart-band" data-tone={band.tone}>
      <title>{band.title}</title>
      <rect
        x={x}
        y={y}
        width={width}
        height={height}
        fill={danger ? 'var(--danger)' : `url(#${hatchId})`}
        fillOpacity={danger ? 0.1 : 1}
      />
      <rect
        x={x}
        y={y - BAND_LANE - 2}
        width={width}
        height={BAND_LANE}
        rx={1}
        fill={danger ? 'var(--danger)' : 'var(--text-faint)'}
        fillOpacity={danger ? 0.85 : 0.6}
      />
    </g>
  );
}

function BandSwatch({ tone, hatchId }: { tone: ChartBand['tone']; hatchId: string }) {
  return tone === 'danger' ? (
    <>
      <rect width="12" height="3" fill="var(--danger)" fillOpacity={0.85} />
      <rect y="4" width="12" height="6" fill="var(--danger)" fillOpacity={0.18} />
    </>
  ) : (
    <>
      <rect width="12" height="3" fill="var(--text-faint)" fillOpacity={0.6} />
      <rect y="4" width="12" height="6" fill={`url(#${hatchId})`} />
    </>
  );
}
