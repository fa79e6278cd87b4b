import {
  INSIGHTS_PRESETS,
  METRIC_RANGES,
  type ApplicationView,
  type InsightsPreset,
  type InsightsStarted,
  type SavedQuery,
} from '@mfc/contracts';
import { useEffect, useRef, useState } from 'react';
import { useStartInsights, useStopInsights } from '../../../api/mutations';
import { loadPreferences, savePreferences } from '../../../api/preferences';
import { useInsightsResults } from '../../../api/queries';
import { Empty, ErrorState, InlineError } from '../../../components/States';
import { useDebounced } from '../../../hooks/useDebounced';
import { useSearchParam } from '../../../router';
import { QueryEditor } from './QueryEditor';
import { isActive, QueryStatus } from './QueryStatus';
import { ResultsTable } from './ResultsTable';
import { SubtaskTimeline } from './SubtaskTimeline';
import { hasTransitions } from './timeline';
import '../../../styles/insights.css';

type Range = (typeof METRIC_RANGES)[number];
export const DEFAULT_INSIGHTS_RANGE: Range = '1h';
const DEFAULT_PRESET = INSIGHTS_PRESETS[0]!;

/**
 * CloudWatch Logs Insights over the application's log group. The URL names the saved query, the range
 * and, once edited, the query text; a query runs when asked (on AWS every run is billed by bytes scanned).
 */
/** A query the user saved, offered beside the presets (ids `mine:<name>`). */
const asPreset = (q: SavedQuery): InsightsPreset => ({
  id: `mine:${q.name}`,
  name: q.name,
  description: 'Saved by you (kept with your preferences).',
  query: q.query,
});

export default function InsightsPanel({ app }: { app: ApplicationView }) {
  const [presetId, setPresetId] = useSearchParam('preset', DEFAULT_PRESET.id);
  const [rangeParam, setRange] = useSearchParam('range', DEFAULT_INSIGHTS_RANGE);
  const [queryParam, setQueryParam] = useSearchParam('query');
  const [mine, setMine] = useState<SavedQuery[]>([]);
  useEffect(() => {
    let cancelled = false;
    void loadPreferences().then((p) => !cancelled && setMine(p.insightsQueries ?? []));
    return () => {
      cancelled = true;
    };
  }, []);
  const presets = [...INSIGHTS_PRESETS, ...mine.map(asPreset)];
  const preset = presets.find((p) => p.id === presetId) ?? DEFAULT_PRESET;
  const range = (METRIC_RANGES as readonly string[]).includes(rangeParam)
    ? (rangeParam as Range)
    : DEFAULT_INSIGHTS_RANGE;
  const [text, setText] = useState(queryParam || preset.query);

  // The text goes in the URL once typing pauses, and only when it differs from the saved query.
  const savedQuery = useRef(preset.query);
  savedQuery.current = preset.query;
  const settled = useDebounced(text, 400);
  useEffect(() => {
    setQueryParam(settled === savedQuery.current ? '' : settled);
  }, [settled, setQueryParam]);

  const start = useStartInsights(app.name);
  const stop = useStopInsights(app.name);
  const [run, setRun] = useState<InsightsStarted>();
  const results = useInsightsResults(app.name, run?.queryId);
  const data = results.data?.queryId === run?.queryId ? results.data : undefined;
  const status = data?.status ?? 'Scheduled';
  const active = run !== undefined && isActive(status) && !results.isError;

  // A query left running when the panel closes is stopped: nobody reads its results any more.
  const running = useRef<string | undefined>(undefined);
  running.current = active ? run?.queryId : undefined;
  const stopQuery = useRef(stop.mutate);
  stopQuery.current = stop.mutate;
  useEffect(
    () => () => {
      if (running.current) stopQuery.current(running.current);
    },
    [],
  );

  const runQuery = () => {
    if (start.isPending) return;
    if (active && run) stop.mutate(run.queryId);
    start.mutate(
      { query: text, range },
      {
        onSuccess: (started) => setRun(started),
        onError: () => setRun(undefined),
      },
    );
  };

  return (
    <div className="insights" data-testid="insights-panel">
      <QueryEditor
        text={text}
        onText={(t) => {
          setText(t);
          if (start.isError) start.reset();
        }}
        preset={preset}
        presets={presets}
        onSave={(name) => {
          const next = [...mine.filter((q) => q.name !== name), { name, query: text }];
          setMine(next);
          setPresetId(`mine:${name}`);
          setQueryParam('');
          void savePreferences({ insightsQueries: next });
        }}
        onForget={(name) => {
          const next = mine.filter((q) => q.name !== name);
          setMine(next);
          setPresetId(DEFAULT_PRESET.id);
          setText(DEFAULT_PRESET.query);
          void savePreferences({ insightsQueries: next });
        }}
        onPreset={(id) => {
          const next = presets.find((p) => p.id === id) ?? DEFAULT_PRESET;
          setPresetId(next.id);
          setQueryParam('');
          setText(next.query);
          start.reset();
        }}
        range={range}
        onRange={setRange}
        onRun={runQuery}
        onStop={() => run && stop.mutate(run.queryId)}
        starting={start.isPending}
        canStop={active && !stop.isPending}
        error={start.error}
      />
      <InlineError error={stop.error} />
      {run ? (
        <>
          <QueryStatus status={status} results={data} range={run} />
          {results.isError ? (
            <ErrorState
              title="Could not read the results"
              error={results.error}
              onRetry={() => void results.refetch()}
            />
          ) : data && data.rows.length > 0 ? (
            <>
              {hasTransitions(data.fields) ? <SubtaskTimeline rows={data.rows} range={run} /> : null}
              <ResultsTable fields={data.fields} rows={data.rows} />
            </>
          ) : data && !isActive(data.status) ? (
            <Empty title="No log event matched">Widen the time range or loosen the query’s filter.</Empty>
          ) : null}
        </>
      ) : start.isError ? null : (
        <Empty title="Run the query to see its results">
          The saved query “{DEFAULT_PRESET.name}” lists every subtask state change, drawn as a timeline per subtask.
        </Empty>
      )}
    </div>
  );
}
