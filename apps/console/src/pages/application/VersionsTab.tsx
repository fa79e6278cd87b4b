import { useId } from 'react';
import { useVersionDiff, useVersions } from '../../api/queries';
import { Empty, ErrorState, Loading } from '../../components/States';
import { useSearchParam } from '../../router';
import type { TabProps } from './ApplicationPage';

/** A value of a diff as text: JSON for structures, "—" when the field is absent on that side. */
export function diffValue(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v, null, 1);
}

/** The configuration path without the description boilerplate: readable in a narrow column. */
export function shortPath(path: string): string {
  return path
    .replace(/^ApplicationConfiguration(Description)?\./, '')
    .replace(/Description(?=\.|$)/g, '')
    .replace(/\./g, ' › ');
}

export default function VersionsTab({ app }: TabProps) {
  const q = useVersions(app.name);
  const [fromParam, setFrom] = useSearchParam('from');
  const [toParam, setTo] = useSearchParam('to');
  const fromId = useId();
  const toId = useId();
  const versions = q.data ? [...q.data.versions].sort((a, b) => b.versionId - a.versionId) : [];
  const current = q.data?.currentVersionId ?? app.versionId;
  const to = toParam ? Number(toParam) : current;
  const from = fromParam ? Number(fromParam) : versions.find((v) => v.versionId < to)?.versionId;
  const diff = useVersionDiff(app.name, from, to);

  if (q.isPending) return <Loading label="Listing versions…" />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <div className="versions">
      <section className="card" aria-labelledby="versions-list">
        <h2 id="versions-list" className="card__title">
          Versions
        </h2>
        <table className="table table--compact" data-testid="versions-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Compare</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr
                key={v.versionId}
                data-testid="version-row"
                data-version={v.versionId}
                data-status={v.status}
                className={v.status === 'ROLLED_BACK' ? 'row--rolled-back' : undefined}
              >
                <th scope="row">
                  v{v.versionId}
                  {v.versionId === current ? <span className="tag tag--accent">current</span> : null}
                </th>
                <td>
                  {v.status === 'ROLLED_BACK' ? (
                    <span className="tag tag--rolled-back" data-testid="rolled-back">
                      ROLLED_BACK
                    </span>
                  ) : (
                    <span className="muted">{v.status}</span>
                  )}
                </td>
                <td className="actions-cell">
                  <div className="row-actions">
                    <button
                      type="button"
                      className="button button--small"
                      aria-pressed={from === v.versionId}
                      onClick={() => setFrom(String(v.versionId))}
                    >
                      From
                    </button>
                    <button
                      type="button"
                      className="button button--small"
                      aria-pressed={to === v.versionId}
                      onClick={() => setTo(String(v.versionId))}
                    >
                      To
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="versions-diff">
        <div className="card__head">
          <h2 id="versions-diff" className="card__title">
            Differences
          </h2>
          <div className="toolbar toolbar--tight">
            <label htmlFor={fromId}>From</label>
            <select
              id={fromId}
              className="select select--compact"
              value={from ?? ''}
              onChange={(e) => setFrom(e.target.value)}
              data-testid="diff-from"
            >
              <option value="">—</option>
              {versions.map((v) => (
                <option key={v.versionId} value={v.versionId}>
                  v{v.versionId}
                </option>
              ))}
            </select>
            <label htmlFor={toId}>to</label>
            <select
              id={toId}
              className="select select--compact"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              data-testid="diff-to"
            >
              {versions.map((v) => (
                <option key={v.versionId} value={v.versionId}>
                  v{v.versionId}
                </option>
              ))}
            </select>
          </div>
        </div>
        {versions.length < 2 ? (
          <Empty title="Only one version">Every update makes a new version; compare them here.</Empty>
        ) : from === undefined || from === to ? (
          <p className="muted">Choose two different versions.</p>
        ) : diff.isPending ? (
          <Loading />
        ) : diff.isError ? (
          <ErrorState error={diff.error} onRetry={() => void diff.refetch()} />
        ) : diff.data.changes.length === 0 ? (
          <Empty title={`v${from} and v${to} have the same configuration`} />
        ) : (
          <div className="table-scroll">
            <table className="table diff" data-testid="version-diff">
              <thead>
                <tr>
                  <th scope="col">Setting</th>
                  <th scope="col">v{from}</th>
                  <th scope="col">v{to}</th>
                </tr>
              </thead>
              <tbody>
                {diff.data.changes.map((c) => (
                  <tr key={c.path} data-testid="diff-row">
                    <th scope="row" className="diff__path" title={c.path}>
                      {shortPath(c.path)}
                    </th>
                    <td className="diff__from mono break">
                      <pre>{diffValue(c.from)}</pre>
                    </td>
                    <td className="diff__to mono break">
                      <pre>{diffValue(c.to)}</pre>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
