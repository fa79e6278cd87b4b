import type { AlarmHistoryEntry, AlarmState, AlarmView, ApplicationView, RecommendedAlarm } from '@mfc/contracts';
import { useId, useState } from 'react';
import { useAlarms } from '../../api/queries';
import { hasRole } from '../../api/session';
import { ActionButton } from '../../components/ActionButton';
import { ErrorState, Loading } from '../../components/States';
import { Age, Timestamp } from '../../components/Time';
import { RecommendedAlarmDialog } from '../../dialogs/RecommendedAlarmDialog';
import { plural } from '../../format/format';
import { useNow } from '../../hooks/useNow';
import { useSession } from '../../hooks/useSession';
import '../../styles/alarms.css';

const STATE_CLASS: Record<AlarmState, string> = {
  ALARM: 'alarm-state--alarm',
  OK: 'alarm-state--ok',
  INSUFFICIENT_DATA: 'alarm-state--no-data',
};

/** An alarm's state as CloudWatch names it; the colour repeats the word. */
export function AlarmStateBadge({ state }: { state: AlarmState }) {
  return (
    <span className={`badge alarm-state ${STATE_CLASS[state]}`} data-testid="alarm-state">
      <span className="badge__dot" aria-hidden="true" />
      {state}
    </span>
  );
}

/** The CloudWatch alarms on the application's metrics, at the top of the Metrics tab. */
export function AlarmsSection({ app, range }: { app: ApplicationView; range: string }) {
  const q = useAlarms(app.name, range);
  const headingId = useId();
  const data = q.data;
  // The answer's own now, when newer than the clock's last tick: a pushed change reads "6 min ago" at once.
  const now = Math.max(useNow(), data?.to ?? 0);
  return (
    <section className="card alarms" data-testid="alarms-section" aria-labelledby={headingId}>
      <div className="card__head">
        <div>
          <h2 id={headingId} className="card__title">
            Alarms
          </h2>
          <p className="muted small">CloudWatch alarms on this application&apos;s metrics.</p>
        </div>
        {data && !data.recommended.exists ? (
          <CreateRecommendedButton app={app.name} recommended={data.recommended} />
        ) : null}
      </div>
      {q.isPending ? (
        <Loading label="Reading alarms…" />
      ) : q.isError ? (
        <ErrorState title="Could not read the alarms" error={q.error} onRetry={() => void q.refetch()} />
      ) : data!.alarms.length === 0 ? (
        <NoAlarms app={app.name} />
      ) : (
        <ul className="alarms__list">
          {data!.alarms.map((a) => (
            <AlarmRow
              key={a.name}
              alarm={a}
              history={data!.history.filter((h) => h.alarm === a.name)}
              range={range}
              now={now}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function NoAlarms({ app }: { app: string }) {
  return (
    <div className="alarms__empty" data-testid="alarms-empty">
      <strong>No alarm watches {app}</strong>
      <p>
        A job can fail and restart in a loop while the application still says RUNNING. The console flags that while
        someone is looking; an alarm on <code>fullRestarts</code> tells your on-call (through an SNS topic) when nobody
        is, and gives your automation a state to act on.
      </p>
    </div>
  );
}

function CreateRecommendedButton({ app, recommended }: { app: string; recommended: RecommendedAlarm }) {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const allowed = hasRole(session, 'operator');
  return (
    <>
      <ActionButton
        action="create-recommended-alarm"
        label="Create the recommended loop alarm"
        variant="primary"
        allowed={allowed}
        reason={`Needs the operator role; you are signed in as ${session?.user.name ?? 'nobody'} (${session?.user.role ?? 'no role'}).`}
        onClick={() => setOpen(true)}
      />
      {open ? <RecommendedAlarmDialog app={app} recommended={recommended} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function AlarmRow({
  alarm,
  history,
  range,
  now,
}: {
  alarm: AlarmView;
  history: AlarmHistoryEntry[];
  range: string;
  now: number;
}) {
  return (
    <li className="alarm" data-testid="alarm-row" data-state={alarm.state} data-alarm={alarm.name}>
      <AlarmStateBadge state={alarm.state} />
      <div className="alarm__main">
        <div className="alarm__title">
          <span className="alarm__name" title={alarm.description}>
            {alarm.name}
          </span>
          {alarm.recommended ? <span className="tag tag--neutral">recommended</span> : null}
          <span className="alarm__since muted">
            {/* The estimate of the service's now may lag a clock jump: never "since in 45 s". */}
            since <Age at={Math.min(alarm.stateSince, now)} now={now} />
          </span>
        </div>
        <code className="alarm__condition" data-testid="alarm-condition">
          {alarm.condition}
        </code>
        {alarm.reason ? (
          <p className="alarm__reason" data-testid="alarm-reason">
            {alarm.reason}
          </p>
        ) : null}
        <AlarmActions alarm={alarm} />
        <AlarmHistory history={history} range={range} />
      </div>
    </li>
  );
}

/** The topic's name for an SNS ARN (the full ARN on hover); other actions as they are. */
const actionName = (arn: string) => (arn.startsWith('arn:aws:sns:') ? (arn.split(':').at(-1) ?? arn) : arn);

function AlarmActions({ alarm }: { alarm: AlarmView }) {
  const byState = [
    ['ALARM', alarm.actions.alarm],
    ['OK', alarm.actions.ok],
    ['INSUFFICIENT_DATA', alarm.actions.insufficientData],
  ] as const;
  const targets = byState.filter(([, arns]) => arns.length > 0);
  return (
    <p className="alarm__actions small" data-testid="alarm-actions">
      {targets.length === 0 ? (
        <span className="muted">No actions: a state change notifies nobody.</span>
      ) : (
        <>
          <span className="muted">{alarm.actionsEnabled ? 'Notifies' : 'Would notify (actions disabled)'}</span>
          {targets.map(([state, arns]) => (
            <span key={state} className="alarm__action">
              {arns.map((arn) => (
                <code key={arn} title={arn}>
                  {actionName(arn)}
                </code>
              ))}{' '}
              <span className="muted">on {state}</span>
            </span>
          ))}
        </>
      )}
    </p>
  );
}

function AlarmHistory({ history, range }: { history: AlarmHistoryEntry[]; range: string }) {
  return (
    <details className="alarm__history" data-testid="alarm-history">
      <summary>
        History, last {range} ({plural(history.length, 'entry', 'entries')})
      </summary>
      {history.length === 0 ? (
        <p className="muted small">No change in this range.</p>
      ) : (
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Type</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h, i) => (
              <tr key={i} data-testid="alarm-history-entry" data-type={h.type}>
                <td className="nowrap">
                  <Timestamp at={h.at} />
                </td>
                <td>{h.type}</td>
                <td className="break">{h.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
