import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CELL_ELEMENT_LIMIT, statePaths, stateRuns, stripGeometry, SubtaskStrip } from '../src/components/SubtaskStrip';
import { countStates, describeStates } from '../src/job/states';

describe('stripGeometry', () => {
  it('is one row up to 40 subtasks and a 64-column grid beyond', () => {
    expect(stripGeometry(4, 200)).toMatchObject({ columns: 4, rows: 1 });
    expect(stripGeometry(40, 200)).toMatchObject({ columns: 40, rows: 1 });
    expect(stripGeometry(256, 200)).toMatchObject({ columns: 64, rows: 4 });
    expect(stripGeometry(4096, 200)).toMatchObject({ columns: 128, rows: 32 });
  });
});

describe('stateRuns', () => {
  it('merges equal neighbours within a row', () => {
    expect(stateRuns(['RUNNING', 'RUNNING', 'FAILED', 'RUNNING'], 64)).toEqual([
      [0, 2, 'RUNNING'],
      [2, 1, 'FAILED'],
      [3, 1, 'RUNNING'],
    ]);
    // A run never crosses a row boundary.
    expect(stateRuns(Array(6).fill('RUNNING'), 4)).toEqual([
      [0, 4, 'RUNNING'],
      [4, 2, 'RUNNING'],
    ]);
  });
});

describe('states text', () => {
  it('counts in lifecycle order', () => {
    expect(countStates(['RUNNING', 'FAILED', 'RUNNING', 'INITIALIZING'])).toEqual([
      ['INITIALIZING', 1],
      ['RUNNING', 2],
      ['FAILED', 1],
    ]);
    expect(describeStates(['RUNNING', 'RUNNING'])).toBe('2 RUNNING');
    expect(describeStates([])).toBe('no subtasks');
  });
});

describe('SubtaskStrip', () => {
  it('draws one titled cell per subtask and names the states in its label', () => {
    render(<SubtaskStrip states={['RUNNING', 'FAILED', 'RUNNING']} />);
    const strip = screen.getByRole('img');
    expect(strip.getAttribute('aria-label')).toBe('Subtasks: 2 RUNNING, 1 FAILED');
    const cells = strip.querySelectorAll('[data-testid="subtask-cell"]');
    expect(cells).toHaveLength(3);
    expect(cells[1]!.getAttribute('data-state')).toBe('FAILED');
    expect(cells[1]!.textContent).toBe('Subtask 2/3: FAILED');
  });

  it('draws 256 subtasks with a handful of elements', () => {
    const states = Array.from({ length: 256 }, (_, i) => (i === 100 ? 'FAILED' : 'RUNNING'));
    const { container } = render(<SubtaskStrip states={states} />);
    const rects = container.querySelectorAll('rect');
    expect(rects.length).toBeLessThanOrEqual(8);
    expect(container.querySelector('svg')!.getAttribute('aria-label')).toBe('Subtasks: 255 RUNNING, 1 FAILED');
  });

  it('keeps a titled cell per subtask up to the limit (e2e reads them), then one path per state', () => {
    const at = (n: number) => render(<SubtaskStrip states={Array(n).fill('RUNNING')} />).container;
    expect(at(CELL_ELEMENT_LIMIT).querySelectorAll('[data-testid="subtask-cell"][data-state="RUNNING"]')).toHaveLength(
      CELL_ELEMENT_LIMIT,
    );
    expect(at(CELL_ELEMENT_LIMIT + 1).querySelectorAll('[data-testid="subtask-cell"]')).toHaveLength(0);
  });

  it('draws a scattered restart of 256 subtasks with one path per state', () => {
    const cycle = ['CANCELING', 'CANCELED', 'CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING'];
    const states = Array.from({ length: 256 }, (_, i) => cycle[(i * 3) % cycle.length]!);
    const { container } = render(<SubtaskStrip states={states} />);
    const paths = container.querySelectorAll('path[data-state]');
    expect(paths).toHaveLength(cycle.length);
    expect([...paths].reduce((n, p) => n + Number(p.getAttribute('data-count')), 0)).toBe(256);
    expect(container.querySelectorAll('rect')).toHaveLength(0);
  });
});

describe('statePaths', () => {
  it("draws each run as one rectangle in its state's path", () => {
    const g = stripGeometry(4, 100);
    const paths = statePaths(['RUNNING', 'RUNNING', 'FAILED', 'RUNNING'], g);
    expect(paths.map((p) => [p.state, p.count])).toEqual([
      ['RUNNING', 3],
      ['FAILED', 1],
    ]);
    expect(paths[0]!.d.match(/M/g)).toHaveLength(2);
    expect(paths[1]!.d).toMatch(/^M\d/);
  });
});
