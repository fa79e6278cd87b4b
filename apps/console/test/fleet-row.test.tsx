import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FleetRow } from '../src/pages/FleetPage';
import { fleetApp } from './fixtures';

const row = (app: ReturnType<typeof fleetApp>) =>
  render(<FleetRow app={app} now={100_000} generatedAt={100_000} index={0} top={0} />);

describe('a fleet row', () => {
  it('says its details are being read while the BFF has not read them (a cold start over a big fleet)', () => {
    row(
      fleetApp('cold-001', {
        status: 'READY',
        kpus: null,
        parallelism: null,
        encryption: undefined,
        lastOperation: undefined,
        detailsPending: true,
      }),
    );
    expect(screen.getByTestId('fleet-details-pending').textContent).toBe('reading details…');
    expect(screen.getByTestId('fleet-row').getAttribute('data-status')).toBe('READY');
    expect(screen.getAllByRole('cell').map((c) => c.textContent)).toContain('…');
    expect(screen.queryByText('no operations yet')).toBeNull();
  });

  it('shows KPUs, the key and the newest operation once read', () => {
    row(fleetApp('warm', { kpus: 3, encryption: { keyType: 'CUSTOMER_MANAGED_KEY', keyId: 'k-1' } }));
    expect(screen.queryByTestId('fleet-details-pending')).toBeNull();
    expect(screen.getByText('CMK')).toBeTruthy();
    expect(screen.getAllByRole('cell').map((c) => c.textContent)).toContain('3');
  });
});
