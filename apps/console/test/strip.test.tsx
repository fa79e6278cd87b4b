import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { stateRuns, stripGeometry, SubtaskStrip } from '../src/components/SubtaskStrip';
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
});
