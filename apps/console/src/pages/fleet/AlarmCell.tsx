import type { AlarmSummary } from '@mfc/contracts';
import { plural } from '../../format/format';

/** What the fleet's alarm column says: the alarms in ALARM first, else how many are quiet. */
export function alarmCellText(s: AlarmSummary | undefined): {
  text: string;
  tone: 'alarm' | 'ok' | 'none';
  title: string;
} {
  if (!s || s.total === 0) return { text: '—', tone: 'none', title: 'No CloudWatch alarm watches this application' };
  const ok = s.total - s.inAlarm.length - s.insufficientData;
  const counts = [
    s.inAlarm.length ? `${s.inAlarm.length} ALARM` : '',
    ok ? `${ok} OK` : '',
    s.insufficientData ? `${s.insufficientData} INSUFFICIENT_DATA` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (s.inAlarm.length > 0)
    return { text: `${s.inAlarm.length} ALARM`, tone: 'alarm', title: `In ALARM: ${s.inAlarm.join(', ')} (${counts})` };
  const text = [ok ? `${ok} OK` : '', s.insufficientData ? `${s.insufficientData} no data` : '']
    .filter(Boolean)
    .join(' · ');
  return { text, tone: 'ok', title: `${plural(s.total, 'alarm')}: ${counts}` };
}

/** The fleet's compact alarm column (one summary query for the whole fleet; a lookup per row). */
export function AlarmCell({ summary }: { summary: AlarmSummary | undefined }) {
  const { text, tone, title } = alarmCellText(summary);
  return (
    <span
      className={`fleet-alarms fleet-alarms--${tone}`}
      title={title}
      data-testid="fleet-alarms"
      data-in-alarm={summary?.inAlarm.length ?? 0}
    >
      {text}
    </span>
  );
}
