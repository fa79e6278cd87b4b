import { STATE_ORDER } from '../job/states';

/** Which colour is which Flink execution state. */
export function StateLegend({ only }: { only?: readonly string[] }) {
  const states = only ? STATE_ORDER.filter((s) => only.includes(s)) : STATE_ORDER;
  return (
    <ul className="legend" aria-label="Subtask state colours" data-testid="state-legend">
      {states.map((s) => (
        <li key={s} className="legend__item">
          <svg width="12" height="12" aria-hidden="true">
            <rect className={`cell cell--${s}`} width="12" height="12" rx="2" />
          </svg>
          {s}
        </li>
      ))}
    </ul>
  );
}
