import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { describeError } from '../api/client';
import { useDemoClock, useDemoReset, useDemoScenario } from '../api/mutations';
import { useFleet, useScenarios } from '../api/queries';
import { hasRole } from '../api/session';
import { toast } from '../components/Toaster';
import { useSession } from '../hooks/useSession';
import type { Route } from '../routes';
import '../styles/demo.css';

const SPEEDS = [1, 10, 60];
const JUMPS = [
  { label: '+1 min', ms: 60_000 },
  { label: '+10 min', ms: 600_000 },
];

/**
 * The demo controls (only against an emulator): the virtual clock's speed, jumps ahead, fault scenarios
 * to rehearse on an application, and a reset of the demo fleet.
 */
export default function DemoPanel({
  speed,
  timeProfile,
  route,
  onClose,
}: {
  speed: number;
  timeProfile: string;
  route: Route;
  onClose: () => void;
}) {
  const session = useSession();
  const qc = useQueryClient();
  const clock = useDemoClock();
  const scenario = useDemoScenario();
  const reset = useDemoReset();
  const scenarios = useScenarios(true);
  const fleet = useFleet();
  const [target, setTarget] = useState(route.page === 'application' ? route.name : '');
  const targetId = useId();
  const operator = hasRole(session, 'operator');
  const admin = hasRole(session, 'admin');
  const fail = (e: unknown) => toast(`${describeError(e).message} (${describeError(e).name})`, 'error');
  const appName = target || (route.page === 'application' ? route.name : '');

  return (
    <aside id="demo-panel" className="demo" aria-label="Demo controls" data-testid="demo-panel">
      <div className="demo__group">
        <span className="demo__label">Time</span>
        <div className="segmented" role="group" aria-label="Time speed">
          {SPEEDS.map((s) => (
            <button
              key={s}
              type="button"
              className={`segmented__item${speed === s ? ' segmented__item--on' : ''}`}
              aria-pressed={speed === s}
              disabled={!operator || clock.isPending}
              onClick={() => clock.mutate({ speed: s }, { onError: fail })}
              data-testid={`speed-${s}`}
            >
              {s}×
            </button>
          ))}
        </div>
        {JUMPS.map((j) => (
          <button
            key={j.label}
            type="button"
            className="button button--small"
            disabled={!operator || clock.isPending}
            onClick={() =>
              clock.mutate(
                { advanceMs: j.ms },
                {
                  onSuccess: () => {
                    toast(`Jumped ${j.label.slice(1)} ahead.`, 'success');
                    void qc.invalidateQueries();
                  },
                  onError: fail,
                },
              )
            }
          >
            {j.label}
          </button>
        ))}
        <span className="muted small">profile {timeProfile}</span>
      </div>
      <div className="demo__group">
        <label className="demo__label" htmlFor={targetId}>
          Scenario on
        </label>
        <select
          id={targetId}
          className="select select--compact"
          value={appName}
          onChange={(e) => setTarget(e.target.value)}
        >
          <option value="">Choose an application…</option>
          {fleet.data?.applications.map((a) => (
            <option key={a.name} value={a.name}>
              {a.name}
            </option>
          ))}
        </select>
        {scenarios.data?.scenarios
          .filter((s) => s.params.includes('application'))
          .map((s) => (
            <button
              key={s.name}
              type="button"
              className="button button--small"
              title={s.description}
              disabled={!operator || !appName || scenario.isPending}
              onClick={() =>
                scenario.mutate(
                  { scenario: s.name, application: appName },
                  { onSuccess: () => toast(`${s.description} (${appName})`, 'success'), onError: fail },
                )
              }
              data-testid={`scenario-${s.name}`}
            >
              {s.name}
            </button>
          ))}
        {scenarios.isError ? <span className="text-danger small">{describeError(scenarios.error).message}</span> : null}
      </div>
      <div className="demo__group demo__group--end">
        <button
          type="button"
          className="button button--small button--danger"
          disabled={!admin || reset.isPending}
          title={admin ? 'Reset the emulator and reseed the demo fleet' : 'Reset needs the admin role'}
          onClick={() =>
            reset.mutate(undefined, {
              onSuccess: () => toast('The demo fleet was reset.', 'success'),
              onError: fail,
            })
          }
          data-testid="demo-reset"
        >
          Reset demo
        </button>
        {!operator ? <span className="muted small">Viewers watch only.</span> : null}
        <button type="button" className="icon-button" aria-label="Close demo controls" onClick={onClose}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
        </button>
      </div>
    </aside>
  );
}
