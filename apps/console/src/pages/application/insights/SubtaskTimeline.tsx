import { memo, useId, useMemo, useState } from 'react';
import { StateLegend } from '../../../components/StateLegend';
import { formatDuration, formatTime, plural } from '../../../format/format';
import {
  buildTimeline,
  capRows,
  formatTick,
  statePaths,
  timeTicks,
  type SubtaskTimeline as Subtask,
  type Timeline,
} from './timeline';

/** Subtasks drawn before "show more": enough for a few operators, few enough to read at a glance. */
export const TIMELINE_ROWS = 24;
const BAR_WIDTH = 1000;

type Axis = 'range' | 'transitions';
interface Window {
  from: number;
  to: number;
}

/** Zoomed to the transitions: from just before the first one to the end of the query's range. */
function transitionsWindow(t: Timeline): Window {
  const pad = Math.max((t.to - t.firstAt) * 0.02, 1000);
  return { from: Math.max(t.from, t.firstAt - pad), to: t.to };
}

/**
 * One row per subtask, grouped by operator, with the state it was in between its transitions on a
 * shared time axis: a subtask cycling RUNNING → FAILED → CANCELED → … → RUNNING reads as a striped bar.
 */
export function SubtaskTimeline({
  rows,
  range,
}: {
  rows: readonly Record<string, string>[];
  range: { from: number; to: number };
}) {
  const timeline = useMemo(() => buildTimeline(rows, range), [rows, range]);
  const uncertain = useMemo(
    () => timeline.groups.some((g) => g.subtasks.some((s) => s.segments.some((x) => x.inferred))),
    [timeline],
  );
  const headingId = useId();
  const [limit, setLimit] = useState(TIMELINE_ROWS);
  // The transitions of a demo or a fresh job fill a sliver of a long range: start zoomed to them then.
  const sliver = timeline.firstAt - timeline.from > (2 / 3) * (timeline.to - timeline.from);
  const [axis, setAxis] = useState<Axis>(sliver ? 'transitions' : 'range');
  const window = axis === 'transitions' ? transitionsWindow(timeline) : { from: timeline.from, to: timeline.to };
  const { groups, hidden } = capRows(timeline.groups, limit);
  const { ticks, step } = timeTicks(window.from, window.to, 7);
  const x = (t: number) => `${(((t - window.from) / (window.to - window.from)) * 100).toFixed(3)}%`;

  return (
    <section
      className="subtask-timeline"
      aria-labelledby={headingId}
      data-testid="subtask-timeline"
      data-failures={timeline.failures}
    >
      <div className="subtask-timeline__head">
        <div>
          <h3 id={headingId} className="subtask-timeline__title">
            Subtask timeline
          </h3>
          <p className="muted small" data-testid="timeline-summary">
            {plural(timeline.subtasks, 'subtask')} of {plural(timeline.groups.length, 'operator')},{' '}
            {plural(timeline.transitions, 'transition')},{' '}
            <span className={timeline.failures > 0 ? 'subtask-timeline__failures' : undefined}>
              {plural(timeline.failures, 'failure')}
            </span>
          </p>
        </div>
        <div className="segmented" role="group" aria-label="Time axis">
          {(['range', 'transitions'] as const).map((a) => (
            <button
              key={a}
              type="button"
              className={`segmented__item${axis === a ? ' segmented__item--on' : ''}`}
              aria-pressed={axis === a}
              onClick={() => setAxis(a)}
              data-testid={`timeline-axis-${a}`}
            >
              {a === 'range' ? 'Query range' : 'Zoom to transitions'}
            </button>
          ))}
        </div>
      </div>
      <div className="subtask-timeline__key">
        <StateLegend only={timeline.states} />
        {uncertain ? (
          <p className="muted small">
            Faded: a state the results do not pin down, before the first transition read or before transitions the query
            did not match (Flink ends its “to FAILED” line with the failure cause, not a period).
          </p>
        ) : null}
      </div>
      <div className="subtask-timeline__body">
        <div className="subtask-timeline__axis" aria-hidden="true">
          <span />
          <div className="subtask-timeline__ticks">
            {ticks.map((t) => (
              <span key={t} className="subtask-timeline__tick" style={{ left: x(t) }}>
                {formatTick(t, step)}
              </span>
            ))}
          </div>
          <span />
        </div>
        <div className="subtask-timeline__grid" aria-hidden="true">
          {ticks.map((t) => (
            <span key={t} className="subtask-timeline__gridline" style={{ left: x(t) }} />
          ))}
        </div>
        {groups.map((g) => (
          <div key={g.vertex} className="subtask-timeline__group" data-testid="timeline-group" data-vertex={g.vertex}>
            <h4 className="subtask-timeline__vertex">
              {g.vertex}
              <span className="subtask-timeline__vertex-meta">
                {' '}
                · {plural(g.size, 'subtask')}
                {g.failures > 0 ? ` · ${plural(g.failures, 'failure')}` : ''}
              </span>
            </h4>
            <ul className="subtask-timeline__rows">
              {g.subtasks.map((s) => (
                <TimelineRow key={s.key} subtask={s} window={window} />
              ))}
            </ul>
          </div>
        ))}
      </div>
      <p className="muted small subtask-timeline__range">
        {formatTime(window.from)} – {formatTime(window.to)}
      </p>
      {hidden > 0 ? (
        <div className="subtask-timeline__more">
          <button
            type="button"
            className="button button--small"
            onClick={() => setLimit((n) => n + TIMELINE_ROWS)}
            data-testid="timeline-more"
          >
            Show {Math.min(hidden, TIMELINE_ROWS)} more subtasks
          </button>
          <button type="button" className="button button--small" onClick={() => setLimit(Infinity)}>
            Show all {timeline.subtasks}
          </button>
        </div>
      ) : null}
    </section>
  );
}

const TimelineRow = memo(function TimelineRow({ subtask: s, window }: { subtask: Subtask; window: Window }) {
  const paths = statePaths(s.segments, window, BAR_WIDTH);
  const short = s.index !== undefined ? `${s.index}/${s.parallelism}` : s.key;
  const label = `${s.key}: ${plural(s.transitions, 'transition')}, ${plural(s.failures, 'failure')}, now ${s.current}`;
  return (
    <li className="subtask-timeline__row" data-testid="timeline-row" data-task={s.key} data-failures={s.failures}>
      <span className="subtask-timeline__label" title={s.key}>
        {short}
      </span>
      <svg
        className="subtask-timeline__bar"
        viewBox={`0 0 ${BAR_WIDTH} 1`}
        preserveAspectRatio="none"
        role="img"
        aria-label={label}
      >
        {paths.map((p) => {
          const state = p.state.replace(/~$/, '');
          const inferred = p.state.endsWith('~');
          return (
            <path
              key={p.state}
              className={`cell cell--${state}${inferred ? ' subtask-timeline__inferred' : ''}`}
              d={p.d}
              data-testid="timeline-segment"
              data-state={state}
              data-count={p.count}
            >
              <title>
                {inferred
                  ? `${state}, uncertain: transitions around it are not in the results`
                  : `${state}: ${p.count === 1 ? 'once' : `${p.count} times`}${p.ms >= 1000 ? `, ${formatDuration(p.ms)} in all` : ''}`}
              </title>
            </path>
          );
        })}
      </svg>
      <span className={`subtask-timeline__count${s.failures > 0 ? ' subtask-timeline__failures' : ''}`}>
        {s.failures > 0 ? `${s.failures}× FAILED` : s.current}
      </span>
    </li>
  );
});
