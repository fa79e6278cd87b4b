import type { ConfigChange } from '@mfc/contracts';
import { formatChangeValue } from '../format/advice';
import '../styles/advice.css';

/** A configuration diff: one line per path, the value it has and the one it gets. */
export function ChangeDiff({ diff, testId = 'change-diff' }: { diff: ConfigChange[]; testId?: string }) {
  return (
    <ul className="change-diff" data-testid={testId}>
      {diff.map((c) => (
        <li key={c.path} className="change-diff__line" data-testid="change-diff-line" data-path={c.path}>
          <code className="change-diff__path">{c.path}</code>
          <span className="change-diff__values">
            <span
              className={c.from === undefined ? 'change-diff__from change-diff__from--unset' : 'change-diff__from'}
              data-testid="change-diff-from"
            >
              {formatChangeValue(c.from)}
            </span>
            <span className="change-diff__arrow" aria-hidden="true">
              →
            </span>
            <span className="visually-hidden"> becomes </span>
            <span className="change-diff__to" data-testid="change-diff-to">
              {formatChangeValue(c.to)}
            </span>
          </span>
        </li>
      ))}
    </ul>
  );
}
