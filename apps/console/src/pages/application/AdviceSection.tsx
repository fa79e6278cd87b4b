import {
  ADVISOR_RULES,
  type AdviceResponse,
  type AllowedAction,
  type ApplicationView,
  type Finding,
  type SessionInfo,
} from '@mfc/contracts';
import { useEffect, useId, useRef } from 'react';
import { useAdvice, useRecheckAdvice } from '../../api/queries';
import { ActionButton } from '../../components/ActionButton';
import { ChangeDiff } from '../../components/ChangeDiff';
import { ErrorState, InlineError, Loading } from '../../components/States';
import { Age, Timestamp } from '../../components/Time';
import { RULE_LABELS, SEVERITY_LABELS } from '../../format/advice';
import { plural } from '../../format/format';
import { useNow } from '../../hooks/useNow';
import { useSession } from '../../hooks/useSession';
import { Link } from '../../router';
import { appPath, TAB_LABELS } from '../../routes';
import { useActions, type OpenDialog } from './ActionsContext';
import { actionAvailability } from './actions';
import '../../styles/advice.css';

/** The anchor the fleet's badge links to (`/applications/x#advice`). */
export const ADVICE_ANCHOR = 'advice';

const FACT_LABELS: Record<AdviceResponse['unread'][number]['facts'], string> = {
  configuration: 'the configuration',
  job: 'the job',
  checkpoints: 'the checkpoints',
  backpressure: 'backpressure',
  metrics: 'CloudWatch metrics',
  operations: 'the operations',
};

/** The advisor on the Overview tab: its findings, what they rest on, and the change that applies each one. */
export function AdviceSection({ app }: { app: ApplicationView }) {
  const q = useAdvice(app.name);
  const recheck = useRecheckAdvice(app.name);
  const headingId = useId();
  const ref = useRef<HTMLElement>(null);
  const scrolled = useRef(false);
  const loaded = q.data !== undefined;
  // Followed from the fleet's badge: bring the section into view once it has its content.
  useEffect(() => {
    if (!loaded || scrolled.current || window.location.hash !== `#${ADVICE_ANCHOR}`) return;
    scrolled.current = true;
    ref.current?.scrollIntoView?.({ block: 'start' });
  }, [loaded]);

  return (
    <section
      ref={ref}
      id={ADVICE_ANCHOR}
      className="card advice"
      aria-labelledby={headingId}
      aria-busy={recheck.isPending}
      data-testid="advice-section"
      data-findings={q.data?.findings.length}
    >
      <div className="card__head">
        <div>
          <h2 id={headingId} className="card__title">
            Advice
          </h2>
          {q.data ? <AdviceSubtitle advice={q.data} /> : null}
        </div>
        <button
          type="button"
          className="button button--small"
          onClick={() => recheck.mutate()}
          disabled={recheck.isPending}
          data-testid="advice-recheck"
        >
          {recheck.isPending ? 'Checking…' : 'Re-check'}
        </button>
      </div>
      <InlineError error={recheck.error} />
      {q.isPending ? (
        <Loading label="Reading the advice…" />
      ) : q.isError ? (
        <ErrorState title="Could not read the advice" error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <AdviceBody advice={q.data} app={app} />
      )}
    </section>
  );
}

function AdviceSubtitle({ advice }: { advice: AdviceResponse }) {
  const now = Math.max(useNow(5_000), advice.generatedAt);
  return (
    <p className="muted small" data-testid="advice-subtitle">
      What to change, read from the job&apos;s own numbers · {plural(advice.evaluated.length, 'rule')} judged{' '}
      <Age at={advice.generatedAt} now={now} />
    </p>
  );
}

/** The section's content for one answer (exported for the tests). */
export function AdviceBody({ advice, app }: { advice: AdviceResponse; app: ApplicationView }) {
  const session = useSession();
  const { open } = useActions();
  const notJudged = ADVISOR_RULES.filter((r) => !advice.evaluated.includes(r));
  return (
    <>
      {advice.unread.length > 0 ? (
        <div className="callout callout--warning advice__unread" data-testid="advice-unread">
          <strong className="callout__title">
            Could not read: {advice.unread.map((u) => FACT_LABELS[u.facts]).join(', ')}
          </strong>
          <ul className="callout__list">
            {advice.unread.map((u) => (
              <li key={u.facts} data-testid="advice-unread-item" data-facts={u.facts}>
                {FACT_LABELS[u.facts]}: {u.reason}
              </li>
            ))}
          </ul>
          <p>The rules that need them were not judged: no finding from them does not mean all is well.</p>
        </div>
      ) : null}
      {advice.findings.length === 0 ? (
        <p className="advice__empty" data-testid="advice-empty">
          <strong>No finding:</strong>{' '}
          {notJudged.length === 0
            ? `${plural(advice.evaluated.length, 'rule')} judged.`
            : `${advice.evaluated.length} of ${plural(ADVISOR_RULES.length, 'rule')} judged.`}
        </p>
      ) : (
        <ol className="advice__list" aria-label="Findings">
          {advice.findings.map((f) => (
            <FindingCard key={f.rule} finding={f} app={app} session={session} open={open} />
          ))}
        </ol>
      )}
      {notJudged.length > 0 ? (
        <p className="advice__not-judged muted small" data-testid="advice-not-judged">
          Not judged: {notJudged.map((r) => RULE_LABELS[r]).join(', ')} — {notJudgedReason(advice, app)}.
        </p>
      ) : null}
    </>
  );
}

function notJudgedReason(advice: AdviceResponse, app: ApplicationView): string {
  if (advice.unread.length > 0) return 'they need what could not be read';
  if (app.status !== 'RUNNING')
    return `they read the running job (its checkpoints and backpressure), and ${app.name} is ${app.status}`;
  return 'the facts they read were not available';
}

/** What a finding's card and its change need: the finding, its application, who is signed in, the dialogs. */
interface FindingProps {
  finding: Finding;
  app: ApplicationView;
  session: SessionInfo | undefined;
  open: OpenDialog;
}

function FindingCard({ finding: f, app, session, open }: FindingProps) {
  return (
    <li
      className={`advice-finding advice-finding--${f.severity}`}
      data-testid="advice-finding"
      data-rule={f.rule}
      data-severity={f.severity}
    >
      <div className="advice-finding__head">
        <span className={`advice-severity advice-severity--${f.severity}`} data-testid="advice-severity">
          {SEVERITY_LABELS[f.severity]}
        </span>
        <h3 className="advice-finding__title" data-testid="advice-title">
          {f.title}
        </h3>
        <span className="advice-finding__rule">{RULE_LABELS[f.rule]}</span>
      </div>
      <div className="advice-finding__body">
        <div className="advice-finding__evidence">
          <table className="table table--compact advice-evidence" data-testid="advice-evidence">
            <caption className="advice-evidence__caption">
              Evidence
              {f.window ? (
                <span className="advice-evidence__window" data-testid="advice-window">
                  {' '}
                  · <Timestamp at={f.window.from} /> – <Timestamp at={f.window.to} />
                </span>
              ) : null}
            </caption>
            <tbody>
              {f.evidence.map((e, i) => (
                <tr key={`${i}-${e.label}`} data-testid="advice-evidence-row">
                  <th scope="row">{e.label}</th>
                  <td className="advice-evidence__value">{e.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Link to={appPath(app.name, f.tab)} className="advice-finding__link" data-testid="advice-evidence-link">
            {TAB_LABELS[f.tab]} →
          </Link>
        </div>
        <div className="advice-finding__advice">
          <h4 className="advice-finding__subtitle">Recommendation</h4>
          <p className="advice-finding__recommendation" data-testid="advice-recommendation">
            {f.recommendation}
          </p>
          <FindingChangeView finding={f} app={app} session={session} open={open} />
        </div>
      </div>
    </li>
  );
}

/** Why an advised change cannot be applied from here now: the action's own rule and role, then staleness. */
function changeAvailability(
  f: Finding,
  app: ApplicationView,
  session: SessionInfo | undefined,
): AllowedAction | undefined {
  const c = f.change;
  if (!c) return undefined;
  const action = c.kind === 'update' ? 'update' : c.kind === 'rollback' ? 'rollback' : 'start';
  const a = actionAvailability(app, action, session);
  if (!a.allowed) return a;
  const readAt = c.kind === 'update' ? c.update.expectedVersionId : undefined;
  if (readAt !== undefined && readAt !== app.versionId)
    return {
      allowed: false,
      reason: `The advice was read at version ${readAt}; the application is at version ${app.versionId} now. Re-check it first.`,
    };
  if (c.kind === 'rollback' && app.versionUpdatedFrom !== c.toVersionId)
    return {
      allowed: false,
      reason: `A rollback now would go to ${app.versionUpdatedFrom === undefined ? 'no version' : `version ${app.versionUpdatedFrom}`}, not ${c.toVersionId}. Re-check the advice first.`,
    };
  return a;
}

function FindingChangeView({ finding: f, app, session, open }: FindingProps) {
  const c = f.change;
  const a = changeAvailability(f, app, session);
  if (!c || !a)
    return (
      <p className="advice-change advice-change--none muted small" data-testid="advice-change" data-kind="none">
        No configuration change applies this: it is for the job&apos;s code.
      </p>
    );
  switch (c.kind) {
    case 'update':
      return (
        <div className="advice-change" data-testid="advice-change" data-kind="update">
          <h4 className="advice-finding__subtitle">The change</h4>
          <ChangeDiff diff={c.diff} testId="advice-diff" />
          <ActionButton
            action="advice-apply"
            label="Review and apply"
            variant="primary"
            allowed={a.allowed}
            reason={a.reason}
            onClick={() => open('update', { proposal: { update: c.update, diff: c.diff, title: f.title } })}
          />
        </div>
      );
    case 'rollback':
      return (
        <div className="advice-change" data-testid="advice-change" data-kind="rollback">
          <h4 className="advice-finding__subtitle">The change</h4>
          <p>
            Roll back to version {c.toVersionId} (version {app.versionId + 1} holds its configuration and code).
          </p>
          <ActionButton
            action="advice-rollback"
            label="Review the rollback"
            variant="danger"
            allowed={a.allowed}
            reason={a.reason}
            onClick={() => open('rollback')}
          />
        </div>
      );
    case 'start-allow-non-restored':
      return (
        <div className="advice-change" data-testid="advice-change" data-kind="start-allow-non-restored">
          <h4 className="advice-finding__subtitle">The change</h4>
          <p>
            Start again, restoring {c.snapshotName ? <span className="mono">{c.snapshotName}</span> : 'the snapshot'}{' '}
            with AllowNonRestoredState: the dropped operators&apos; state is discarded.
          </p>
          <ActionButton
            action="advice-start"
            label="Review the start"
            variant="primary"
            allowed={a.allowed}
            reason={a.reason}
            onClick={() =>
              open('start', { allowNonRestored: true, ...(c.snapshotName ? { snapshot: c.snapshotName } : {}) })
            }
          />
        </div>
      );
  }
}
