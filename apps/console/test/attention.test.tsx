/** The application header's needs-attention box: each signal, its message and a link to its evidence. */
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApplicationHeader } from '../src/pages/application/ApplicationHeader';
import { appView, attention } from './fixtures';

const LOOP = attention(
  ['restart-loop', 'The job restarted 27 times in the last 5 minutes.', { tab: 'metrics' }],
  ['job-state', 'The job is RESTARTING while the application is RUNNING.', { tab: 'job' }],
  ['subtasks-failed', '1 subtask FAILED and 5 CANCELED of 6.', { tab: 'job' }],
  ['checkpoints-stale', 'No checkpoint has completed since the job started 16 minutes ago.', { tab: 'checkpoints' }],
);

const header = (over: Parameters<typeof appView>[2]) =>
  render(<ApplicationHeader app={appView('orders-enricher', 'RUNNING', over)} />);

describe('the application header', () => {
  it('lists each signal with its label, its message and a link to the tab with the evidence', () => {
    header({ attention: LOOP });
    const box = screen.getByTestId('attention-reasons');
    expect(within(box).getByText('Needs attention')).toBeTruthy();
    const items = within(box).getAllByRole('listitem');
    expect(items.map((li) => within(li).getByTestId('attention-signal').textContent)).toEqual([
      'Restart loop',
      'Job state',
      'Failed subtasks',
      'Checkpoints stale',
    ]);
    expect(items[1]!.textContent).toContain('The job is RESTARTING while the application is RUNNING.');
    expect(
      within(box)
        .getAllByTestId('attention-evidence')
        .map((a) => [a.textContent, a.getAttribute('href')]),
    ).toEqual([
      ['Metrics →', '/applications/orders-enricher/metrics'],
      ['Job graph →', '/applications/orders-enricher/job'],
      ['Job graph →', '/applications/orders-enricher/job'],
      ['Checkpoints →', '/applications/orders-enricher/checkpoints'],
    ]);
    // The flag next to the name carries every message (the fleet's journeys read it).
    expect(
      within(screen.getByTestId('application-header')).getByTestId('attention-flag').getAttribute('aria-label'),
    ).toBe(`Needs attention: ${LOOP.reasons.join(' ')}`);
  });

  it('links a failed operation to the operations tab', () => {
    header({
      status: 'READY',
      attention: attention([
        'operation-failed',
        'StartApplication failed: unable to decrypt the snapshot.',
        { tab: 'operations' },
      ]),
    });
    const link = screen.getByTestId('attention-evidence');
    expect(link.getAttribute('href')).toBe('/applications/orders-enricher/operations');
    expect(screen.getByTestId('attention-reasons').textContent).toContain(
      'StartApplication failed: unable to decrypt the snapshot.',
    );
  });

  it('says what it judged without, even when nothing is flagged', () => {
    header({
      jobHealth: {
        source: 'dashboard',
        jobStatus: 'RUNNING',
        unread: [{ facts: 'metrics', reason: 'CloudWatch has no fullRestarts datapoints in the window.' }],
      },
    });
    expect(screen.queryByTestId('attention-reasons')).toBeNull();
    expect(screen.getByTestId('health-unread').textContent).toBe(
      'Judged without CloudWatch metrics: CloudWatch has no fullRestarts datapoints in the window.',
    );
  });

  it('does not repeat an unreadable job below the signal that already says so', () => {
    const reason = 'The Flink dashboard could not be reached (fetch failed).';
    header({
      attention: attention(['job-unreadable', `Could not read the job: ${reason}`, { tab: 'job' }]),
      jobHealth: { source: 'metrics', unread: [{ facts: 'job', reason }] },
    });
    expect(screen.getByTestId('attention-signal').textContent).toBe('Job unreadable');
    expect(screen.queryByTestId('health-unread')).toBeNull();
  });

  it('shows nothing of the kind for a healthy application whose facts were all read', () => {
    header({ jobHealth: { source: 'dashboard', jobStatus: 'RUNNING' } });
    expect(screen.queryByTestId('attention-reasons')).toBeNull();
    expect(screen.queryByTestId('health-unread')).toBeNull();
    expect(screen.queryByTestId('attention-flag')).toBeNull();
  });
});
