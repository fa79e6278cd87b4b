import { METRIC_RANGES, type InsightsPreset } from '@mfc/contracts';
import { useId, useState, type KeyboardEvent } from 'react';
import { describeError } from '../../../api/client';

const MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);
export const RUN_SHORTCUT = MAC ? '⌘ + Enter' : 'Ctrl + Enter';

export interface QueryEditorProps {
  text: string;
  onText: (text: string) => void;
  preset: InsightsPreset;
  /** The presets, then the user's saved queries. */
  presets: InsightsPreset[];
  onPreset: (id: string) => void;
  /** Saves the text under a name with the user's preferences (replacing one of that name). */
  onSave: (name: string) => void;
  /** Forgets one of the user's saved queries. */
  onForget: (name: string) => void;
  range: string;
  onRange: (range: string) => void;
  onRun: () => void;
  onStop: () => void;
  starting: boolean;
  canStop: boolean;
  /** Why the last start was refused (MalformedQueryException names the construct). */
  error: unknown;
}

/** The query, the saved queries, the range, Run and Stop. Ctrl/Cmd+Enter in the query runs it. */
export function QueryEditor(p: QueryEditorProps) {
  const id = useId();
  const edited = p.text !== p.preset.query;
  const lines = p.text.split('\n').length;
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      p.onRun();
    }
  };
  return (
    <div className="insights-editor">
      <div className="toolbar insights-editor__bar">
        <div className="field field--inline">
          <label htmlFor={`${id}-preset`}>Saved query</label>
          <select
            id={`${id}-preset`}
            className="select"
            value={p.preset.id}
            onChange={(e) => p.onPreset(e.target.value)}
            aria-describedby={`${id}-preset-desc`}
            data-testid="insights-preset"
          >
            {p.presets.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
                {edited && q.id === p.preset.id ? ' (edited)' : ''}
              </option>
            ))}
          </select>
        </div>
        {edited ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => p.onText(p.preset.query)}
            data-testid="insights-reset"
          >
            Restore saved query
          </button>
        ) : null}
        <SaveQuery preset={p.preset} edited={edited} onSave={p.onSave} onForget={p.onForget} />
        <fieldset className="segmented">
          <legend className="visually-hidden">Time range</legend>
          {METRIC_RANGES.map((r) => (
            <label key={r} className={`segmented__item${r === p.range ? ' segmented__item--on' : ''}`}>
              <input
                type="radio"
                name={`${id}-range`}
                value={r}
                checked={r === p.range}
                onChange={() => p.onRange(r)}
                data-testid={`insights-range-${r}`}
              />
              {r}
            </label>
          ))}
        </fieldset>
      </div>
      <p id={`${id}-preset-desc`} className="muted small insights-editor__desc">
        {p.preset.description}
      </p>
      <label htmlFor={`${id}-query`} className="visually-hidden">
        Logs Insights query
      </label>
      <textarea
        id={`${id}-query`}
        className="input textarea insights-editor__query"
        value={p.text}
        rows={Math.min(Math.max(lines + 1, 4), 14)}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        onChange={(e) => p.onText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={`${id}-hint${p.error ? ` ${id}-error` : ''}`}
        data-testid="insights-query"
      />
      {p.error ? <QueryError id={`${id}-error`} error={p.error} /> : null}
      <div className="insights-editor__actions">
        <button
          type="button"
          className="button button--primary"
          onClick={p.onRun}
          disabled={p.starting}
          data-testid="insights-run"
        >
          {p.starting ? 'Starting…' : 'Run query'}
        </button>
        <button type="button" className="button" onClick={p.onStop} disabled={!p.canStop} data-testid="insights-stop">
          Stop
        </button>
        <span id={`${id}-hint`} className="muted small">
          {RUN_SHORTCUT} runs the query
        </span>
      </div>
    </div>
  );
}

/** "Save as…": a name, then the query is kept with the user's preferences; a saved one can be forgotten. */
function SaveQuery(p: {
  preset: InsightsPreset;
  edited: boolean;
  onSave: (name: string) => void;
  onForget: (name: string) => void;
}) {
  const id = useId();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const mine = p.preset.id.startsWith('mine:');
  if (naming)
    return (
      <form
        className="insights-save"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) return;
          p.onSave(name.trim().slice(0, 80));
          setNaming(false);
          setName('');
        }}
      >
        <label htmlFor={`${id}-name`} className="visually-hidden">
          Name of the saved query
        </label>
        <input
          id={`${id}-name`}
          className="input input--small"
          value={name}
          maxLength={80}
          placeholder="Name"
          autoFocus
          onChange={(e) => setName(e.target.value)}
          data-testid="insights-save-name"
        />
        <button type="submit" className="button button--small button--primary" data-testid="insights-save-confirm">
          Save
        </button>
        <button type="button" className="button button--small" onClick={() => setNaming(false)}>
          Cancel
        </button>
      </form>
    );
  return (
    <>
      {p.edited || mine ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            setName(mine && !p.edited ? p.preset.name : '');
            setNaming(true);
          }}
          data-testid="insights-save"
        >
          Save as…
        </button>
      ) : null}
      {mine && !p.edited ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => p.onForget(p.preset.name)}
          data-testid="insights-forget"
        >
          Forget saved query
        </button>
      ) : null}
    </>
  );
}

function QueryError({ id, error }: { id: string; error: unknown }) {
  const { name, message } = describeError(error);
  const malformed = name === 'MalformedQueryException';
  return (
    <div
      id={id}
      className="callout callout--danger insights-error"
      role="alert"
      data-testid="insights-error"
      data-error={name}
    >
      <strong className="callout__title">{malformed ? 'The query is not valid' : 'The query could not start'}</strong>
      <p>
        {message} <code className="state__name">{name}</code>
      </p>
    </div>
  );
}
