import { INSIGHTS_PRESETS } from '@mfc/contracts';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/client';
import { QueryEditor, type QueryEditorProps } from '../src/pages/application/insights/QueryEditor';
import { ResultsTable } from '../src/pages/application/insights/ResultsTable';
import { SubtaskTimeline, TIMELINE_ROWS } from '../src/pages/application/insights/SubtaskTimeline';

const T0 = Date.UTC(2026, 10, 21, 6, 0, 0);
const ts = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const preset = INSIGHTS_PRESETS[0]!;

function editor(over: Partial<QueryEditorProps> = {}) {
  const props: QueryEditorProps = {
    text: preset.query,
    onText: vi.fn(),
    preset,
    presets: [...INSIGHTS_PRESETS],
    onPreset: vi.fn(),
    onSave: vi.fn(),
    onForget: vi.fn(),
    range: '1h',
    onRange: vi.fn(),
    onRun: vi.fn(),
    onStop: vi.fn(),
    starting: false,
    canStop: false,
    error: undefined,
    ...over,
  };
  render(<QueryEditor {...props} />);
  return props;
}

describe('QueryEditor', () => {
  it('saves an edited query under a name, and offers to forget a saved one', () => {
    const p = editor({ text: 'fields @message | limit 5' });
    fireEvent.click(screen.getByTestId('insights-save'));
    fireEvent.change(screen.getByTestId('insights-save-name'), { target: { value: '  Last five  ' } });
    fireEvent.click(screen.getByTestId('insights-save-confirm'));
    expect(p.onSave).toHaveBeenCalledWith('Last five');
  });

  it('forgets a saved query of the user', () => {
    const mine = { id: 'mine:Last five', name: 'Last five', description: 'Saved by you.', query: 'fields @message' };
    const p = editor({ text: mine.query, preset: mine, presets: [...INSIGHTS_PRESETS, mine] });
    expect((screen.getByTestId('insights-preset') as HTMLSelectElement).value).toBe('mine:Last five');
    fireEvent.click(screen.getByTestId('insights-forget'));
    expect(p.onForget).toHaveBeenCalledWith('Last five');
  });

  it('selects the subtask-transitions preset first and runs on Ctrl/Cmd+Enter', () => {
    const p = editor();
    expect((screen.getByTestId('insights-preset') as HTMLSelectElement).value).toBe('subtask-transitions');
    const query = screen.getByTestId('insights-query');
    fireEvent.keyDown(query, { key: 'Enter' });
    expect(p.onRun).not.toHaveBeenCalled();
    fireEvent.keyDown(query, { key: 'Enter', ctrlKey: true });
    fireEvent.keyDown(query, { key: 'Enter', metaKey: true });
    expect(p.onRun).toHaveBeenCalledTimes(2);
    expect((screen.getByTestId('insights-stop') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByTestId('insights-reset')).toBeNull();
  });

  it('shows a malformed query’s message by the editor', () => {
    editor({
      text: 'fields @timestamp | frobnicate x',
      error: new ApiError('MalformedQueryException', 'unexpected symbol found frobnicate at line 1', 400),
    });
    const error = screen.getByTestId('insights-error');
    expect(error.textContent).toContain('unexpected symbol found frobnicate');
    expect(error.getAttribute('data-error')).toBe('MalformedQueryException');
    expect(screen.getByTestId('insights-query').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('insights-query').getAttribute('aria-describedby')).toContain(error.id);
    // Edited away from the preset: the saved query can be restored.
    expect(screen.getByTestId('insights-reset')).toBeTruthy();
  });
});

describe('SubtaskTimeline', () => {
  const rows: Record<string, string>[] = [];
  for (let i = 1; i <= 30; i++) {
    rows.push({
      '@timestamp': ts(T0 + 1000),
      task: `Map (${i}/30)#0 (a)`,
      fromStatus: 'INITIALIZING',
      toStatus: 'RUNNING',
    });
    if (i % 10 === 0)
      rows.push({
        '@timestamp': ts(T0 + 5000),
        task: `Map (${i}/30)#0 (a)`,
        fromStatus: 'RUNNING',
        toStatus: 'FAILED',
      });
  }
  const range = { from: T0 - 60_000, to: T0 + 60_000 };

  it('draws capped rows with their FAILED segments, and shows more on request', () => {
    render(<SubtaskTimeline rows={rows} range={range} />);
    const timeline = screen.getByTestId('subtask-timeline');
    expect(timeline.getAttribute('data-failures')).toBe('3');
    expect(screen.getAllByTestId('timeline-row')).toHaveLength(TIMELINE_ROWS);
    expect(screen.getByTestId('timeline-summary').textContent).toContain('30 subtasks of 1 operator');
    const failed = screen.getAllByTestId('timeline-segment').filter((s) => s.getAttribute('data-state') === 'FAILED');
    expect(failed).toHaveLength(2); // subtasks 10 and 20 are among the first 24
    fireEvent.click(screen.getByTestId('timeline-more'));
    expect(screen.getAllByTestId('timeline-row')).toHaveLength(30);
    expect(screen.getAllByTestId('timeline-row')[9]!.getAttribute('data-task')).toBe('Map (10/30)');
  });
});

describe('ResultsTable', () => {
  it('keeps the query’s column order, shows times locally and finds rows', () => {
    const rows = [
      { toStatus: 'FAILED', task: 'A (1/1)', '@timestamp': ts(T0) },
      { toStatus: 'RUNNING', task: 'A (1/1)', '@timestamp': ts(T0 + 1000) },
    ];
    render(<ResultsTable fields={['@timestamp', 'task', 'toStatus']} rows={rows} />);
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['@timestamp', 'task', 'toStatus']);
    const time = screen.getAllByTestId('insights-row')[0]!.querySelector('time')!;
    expect(time.getAttribute('title')).toBe(`${ts(T0)} UTC`);
    fireEvent.change(screen.getByTestId('insights-filter'), { target: { value: 'failed' } });
    expect(screen.getByTestId('insights-count').textContent).toBe('1 of 2 rows');
  });
});

describe('ResultsTable with thousands of rows', () => {
  it('renders only a window of them', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ n: String(i) }));
    render(<ResultsTable fields={['n']} rows={rows} />);
    const shown = screen.queryAllByTestId('insights-row').length;
    expect(shown).toBeLessThan(100);
    expect(screen.getByTestId('insights-count').textContent).toBe('5,000 rows');
  });
});

describe('ResultsTable cells', () => {
  it('elides the JSON document in front of a parsed task, keeping it in the title', () => {
    const task = '{"locationInformation":"x","logger":"y","message":"Map \\"a\\" (1/2)#3 (ab_0_3)';
    render(<ResultsTable fields={['task']} rows={[{ task }]} />);
    const cell = screen.getByTestId('insights-row').querySelector('td')!;
    expect(cell.textContent).toBe('{…} Map "a" (1/2)#3 (ab_0_3)');
    expect(cell.querySelector('.insights-elided')!.getAttribute('title')).toBe(task);
  });
});
