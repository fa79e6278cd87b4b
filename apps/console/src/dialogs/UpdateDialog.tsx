import type { ApplicationView } from '@mfc/contracts';
import { useId, useMemo, useState } from 'react';
import { useAppAction } from '../api/mutations';
import { useArtifacts } from '../api/queries';
import { Dialog, SubmitFooter } from '../components/Dialog';
import { InlineError } from '../components/States';
import { toast } from '../components/Toaster';
import { formatBytes } from '../format/format';
import { useSession } from '../hooks/useSession';
import { ChangeDiff } from '../components/ChangeDiff';
import { actionAvailability, type UpdateProposal } from '../pages/application/actions';
import { isBlocked, PreflightPanel, usePreflight } from './Preflight';
import { buildUpdate, currentCode, formFromApp, formWithUpdate, sameUpdate, type UpdateForm } from './update';

/**
 * Update code, scaling, checkpointing and runtime properties; sends only what changed. Opened with a
 * proposal (the advisor's change), the form starts with it written in and the diff is shown above it.
 */
export function UpdateDialog({
  app,
  proposal,
  onClose,
}: {
  app: ApplicationView;
  proposal?: UpdateProposal | undefined;
  onClose: () => void;
}) {
  const session = useSession();
  const action = useAppAction(app.name);
  const artifacts = useArtifacts(true);
  const [form, setForm] = useState<UpdateForm>(() =>
    proposal ? formWithUpdate(formFromApp(app), proposal.update) : formFromApp(app),
  );
  const set = <K extends keyof UpdateForm>(k: K, v: UpdateForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const built = useMemo(() => buildUpdate(app, form), [app, form]);
  const allowed = actionAvailability(app, 'update', session);
  const preflightQuery = usePreflight(
    app.name,
    allowed.allowed && built.request && built.errors.length === 0
      ? { action: 'update', update: built.request }
      : undefined,
  );
  const blocked = isBlocked(preflightQuery.data);
  const canConfirm = allowed.allowed && !!built.request && built.errors.length === 0 && !blocked && !action.isPending;
  const ids = {
    code: useId(),
    par: useId(),
    perKpu: useId(),
    interval: useId(),
    pause: useId(),
  };
  const current = currentCode(app);
  const submit = () => {
    if (!canConfirm || !built.request) return;
    action.mutate(
      { kind: 'update', body: built.request },
      {
        onSuccess: (r) => {
          toast(r.message, 'success');
          onClose();
        },
      },
    );
  };

  return (
    <Dialog
      title={`Update ${app.name}`}
      onClose={onClose}
      size="wide"
      testId="update-dialog"
      onSubmit={submit}
      footer={
        <SubmitFooter
          onCancel={onClose}
          label={action.isPending ? 'Updating…' : `Update to version ${app.versionId + 1}`}
          disabled={!canConfirm}
        />
      }
    >
      {!allowed.allowed ? <p className="callout callout--warning">{allowed.reason}</p> : null}
      {proposal ? (
        <ProposalNote
          proposal={proposal}
          versionId={app.versionId}
          edited={!sameUpdate(built.request, proposal.update)}
        />
      ) : null}
      <div className="form-grid">
        <fieldset className="form-section">
          <legend>Code package</legend>
          <div className="field">
            <label htmlFor={ids.code}>Package in S3</label>
            <select
              id={ids.code}
              className="select"
              value={form.code}
              onChange={(e) => set('code', e.target.value)}
              data-testid="update-code"
            >
              {current && !artifacts.data?.artifacts.some((a) => `${a.bucket}/${a.key}` === current) ? (
                <option value={current}>{current} (current)</option>
              ) : null}
              {artifacts.data?.artifacts.map((a) => {
                const v = `${a.bucket}/${a.key}`;
                return (
                  <option key={v} value={v}>
                    {a.key} ({formatBytes(a.size)}){v === current ? ' (current)' : ''}
                  </option>
                );
              })}
            </select>
            {artifacts.isError ? <InlineError error={artifacts.error} /> : null}
          </div>
        </fieldset>

        <fieldset className="form-section">
          <legend>Scaling</legend>
          <div className="form-row">
            <div className="field">
              <label htmlFor={ids.par}>Parallelism</label>
              <input
                id={ids.par}
                className="input input--number"
                type="number"
                min={1}
                max={4096}
                value={form.parallelism}
                onChange={(e) => set('parallelism', e.target.valueAsNumber)}
                data-testid="update-parallelism"
              />
            </div>
            <div className="field">
              <label htmlFor={ids.perKpu}>Per KPU</label>
              <input
                id={ids.perKpu}
                className="input input--number"
                type="number"
                min={1}
                max={8}
                value={form.parallelismPerKpu}
                onChange={(e) => set('parallelismPerKpu', e.target.valueAsNumber)}
                data-testid="update-per-kpu"
              />
            </div>
          </div>
          <p className="muted small">
            KPUs: {Math.ceil((form.parallelism || 0) / (form.parallelismPerKpu || 1))} (now {app.parallelism.kpus})
          </p>
          <label className="choice">
            <input type="checkbox" checked={form.autoScaling} onChange={(e) => set('autoScaling', e.target.checked)} />
            Autoscaling
          </label>
        </fieldset>

        <fieldset className="form-section">
          <legend>Checkpointing</legend>
          <div className="choices choices--inline">
            <label className="choice">
              <input
                type="radio"
                name="ckpt-type"
                checked={form.checkpointType === 'DEFAULT'}
                onChange={() => set('checkpointType', 'DEFAULT')}
              />
              Service default
            </label>
            <label className="choice">
              <input
                type="radio"
                name="ckpt-type"
                checked={form.checkpointType === 'CUSTOM'}
                onChange={() => set('checkpointType', 'CUSTOM')}
              />
              Custom
            </label>
          </div>
          {form.checkpointType === 'CUSTOM' ? (
            <>
              <label className="choice">
                <input
                  type="checkbox"
                  checked={form.checkpointingEnabled}
                  onChange={(e) => set('checkpointingEnabled', e.target.checked)}
                />
                Checkpointing enabled
              </label>
              <div className="form-row">
                <div className="field">
                  <label htmlFor={ids.interval}>Interval (ms)</label>
                  <input
                    id={ids.interval}
                    className="input input--number"
                    type="number"
                    min={1}
                    value={form.intervalMs}
                    onChange={(e) => set('intervalMs', e.target.valueAsNumber)}
                  />
                </div>
                <div className="field">
                  <label htmlFor={ids.pause}>Min pause (ms)</label>
                  <input
                    id={ids.pause}
                    className="input input--number"
                    type="number"
                    min={0}
                    value={form.minPauseMs}
                    onChange={(e) => set('minPauseMs', e.target.valueAsNumber)}
                  />
                </div>
              </div>
            </>
          ) : (
            <p className="muted small">Every 60 s, 5 s minimum pause (the service default).</p>
          )}
        </fieldset>

        <fieldset className="form-section">
          <legend>Snapshots and rollback</legend>
          <label className="choice">
            <input
              type="checkbox"
              checked={form.snapshotsEnabled}
              onChange={(e) => set('snapshotsEnabled', e.target.checked)}
            />
            Take snapshots on stop and update
          </label>
          <label className="choice">
            <input
              type="checkbox"
              checked={form.systemRollbackEnabled}
              onChange={(e) => set('systemRollbackEnabled', e.target.checked)}
            />
            System rollback (the service rolls back a failed update)
          </label>
          <label className="choice">
            <input
              type="checkbox"
              checked={form.allowNonRestoredState}
              onChange={(e) => set('allowNonRestoredState', e.target.checked)}
              data-testid="update-allow-non-restored"
            />
            Allow non-restored state
          </label>
        </fieldset>
      </div>

      <fieldset className="form-section">
        <legend>Runtime properties</legend>
        {form.properties.length === 0 ? <p className="muted small">No property groups.</p> : null}
        {form.properties.map((g, i) => (
          <div key={i} className="property-draft">
            <div className="form-row">
              <div className="field">
                <label htmlFor={`pg-${i}`}>Group id</label>
                <input
                  id={`pg-${i}`}
                  className="input"
                  value={g.groupId}
                  onChange={(e) =>
                    set(
                      'properties',
                      form.properties.map((p, j) => (j === i ? { ...p, groupId: e.target.value } : p)),
                    )
                  }
                />
              </div>
              <button
                type="button"
                className="button button--small"
                onClick={() =>
                  set(
                    'properties',
                    form.properties.filter((_, j) => j !== i),
                  )
                }
              >
                Remove group
              </button>
            </div>
            <div className="field">
              <label htmlFor={`pt-${i}`}>Properties (key=value, one per line)</label>
              <textarea
                id={`pt-${i}`}
                className="input textarea mono"
                rows={Math.max(3, g.text.split('\n').length)}
                value={g.text}
                onChange={(e) =>
                  set(
                    'properties',
                    form.properties.map((p, j) => (j === i ? { ...p, text: e.target.value } : p)),
                  )
                }
              />
            </div>
          </div>
        ))}
        <button
          type="button"
          className="button button--small"
          onClick={() =>
            set('properties', [...form.properties, { groupId: `group${form.properties.length + 1}`, text: '' }])
          }
        >
          Add property group
        </button>
      </fieldset>

      <div className="what-happens" data-testid="update-consequence">
        <h3 className="what-happens__title">What will happen</h3>
        {built.changes.length === 0 ? (
          <p className="muted">Nothing changed yet.</p>
        ) : (
          <>
            <p>
              Version {app.versionId + 1} is created with: {built.changes.join('; ')}.
            </p>
            {app.status === 'RUNNING' ? (
              <p>
                The running job is {app.snapshotsEnabled ? 'snapshotted, ' : ''}stopped and restarted with the new
                configuration{app.snapshotsEnabled ? ', restoring that snapshot' : ' without a snapshot'}: processing
                pauses while it restarts.
              </p>
            ) : (
              <p>The application is {app.status}: the change applies at its next start.</p>
            )}
          </>
        )}
        {built.errors.length > 0 ? (
          <ul className="inline-error" role="alert">
            {built.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <PreflightPanel query={preflightQuery} />
      <InlineError error={action.error} />
    </Dialog>
  );
}

/** The advisor's change above the form: what it sets, and whether the form still sends exactly that. */
function ProposalNote({
  proposal,
  versionId,
  edited,
}: {
  proposal: UpdateProposal;
  versionId: number;
  edited: boolean;
}) {
  const stale = proposal.update.expectedVersionId !== versionId;
  return (
    <section
      className="callout callout--info update-proposal"
      data-testid="update-proposal"
      aria-label="The advisor's change"
    >
      <strong className="callout__title">From the advisor: {proposal.title}</strong>
      <p>The form below is filled in with this change; review it, then update.</p>
      <ChangeDiff diff={proposal.diff} testId="update-proposal-diff" />
      {stale ? (
        <p className="update-proposal__stale" data-testid="update-proposal-stale">
          The advice was read at version {proposal.update.expectedVersionId}; the application is at version {versionId}{' '}
          now. Re-check the advice to be sure it still holds.
        </p>
      ) : null}
      {edited ? (
        <p className="muted small" data-testid="update-proposal-edited">
          You changed the form: it no longer sends exactly the advisor&apos;s change.
        </p>
      ) : null}
    </section>
  );
}
