/** Alarm state intervals as chart bands: which alarms read a chart's metrics, and how their states look. */
import type { AlarmsResponse, AlarmState } from '@mfc/contracts';
import type { ChartBand } from '../../charts/LineChartCard';
import { formatTime } from '../../format/format';

const TONE: Partial<Record<AlarmState, ChartBand['tone']>> = { ALARM: 'danger', INSUFFICIENT_DATA: 'neutral' };
const LEGEND: Record<ChartBand['tone'], string> = { danger: 'in ALARM', neutral: 'insufficient data' };
const CREATED = /created$/i;

/**
 * The bands of the alarms that read any of `metrics`, over the alarms' range. OK draws nothing. A band
 * starts no earlier than the alarm's creation when that is in the range: CloudWatch's history says the
 * alarm was INSUFFICIENT_DATA before its first change, but before it existed it was nothing.
 */
export function alarmChartBands(alarms: AlarmsResponse | undefined, metrics: readonly string[]): ChartBand[] {
  if (!alarms) return [];
  const reading = new Set(alarms.alarms.filter((a) => a.metrics.some((m) => metrics.includes(m))).map((a) => a.name));
  if (reading.size === 0) return [];
  const created = new Map<string, number>();
  for (const h of alarms.history)
    if (h.type === 'ConfigurationUpdate' && CREATED.test(h.summary) && reading.has(h.alarm))
      created.set(h.alarm, Math.max(created.get(h.alarm) ?? 0, h.at));
  const period = new Map(alarms.alarms.map((a) => [a.name, a.periodSeconds * 1000]));
  return alarms.bands.flatMap((b) => {
    const tone = TONE[b.state];
    if (!tone || !reading.has(b.alarm)) return [];
    const from = Math.max(b.from, created.get(b.alarm) ?? b.from);
    // A state that still holds runs to now; the BFF's estimate of the service's now may lag a clock jump,
    // so the current state is drawn at least one period wide.
    const to = b.to ?? Math.max(alarms.to, from + (period.get(b.alarm) ?? 60_000));
    if (to <= from) return [];
    const until = b.to === undefined ? 'now' : formatTime(to);
    return [
      { from, to, tone, label: LEGEND[tone], title: `${b.alarm}: ${b.state} from ${formatTime(from)} to ${until}` },
    ];
  });
}

/** Names and states in one string: it changes exactly when an alarm changes state (or comes or goes). */
export function alarmStatesKey(alarms: AlarmsResponse | undefined): string {
  return alarms ? alarms.alarms.map((a) => `${a.name}=${a.state}`).join(',') : '';
}
