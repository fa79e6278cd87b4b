/** The store-unavailable banner: a 503 StoreUnavailable from the BFF shows it; the next answer that works hides it. */
import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useStoreUnavailable } from '../src/api/availability';
import { api, ApiError } from '../src/api/client';

function answer(status: number, body: unknown) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })),
  );
}
afterEach(() => vi.unstubAllGlobals());

function Probe() {
  const message = useStoreUnavailable();
  return <p data-testid="probe">{message ?? 'ok'}</p>;
}

describe('the store-unavailable state', () => {
  it('follows the BFF’s answers', async () => {
    render(<Probe />);
    expect(screen.getByTestId('probe').textContent).toBe('ok');
    answer(503, {
      error: { name: 'StoreUnavailable', message: 'The console’s database cannot be reached.', status: 503 },
    });
    await act(async () => {
      await expect(api('/applications')).rejects.toBeInstanceOf(ApiError);
    });
    expect(screen.getByTestId('probe').textContent).toBe('The console’s database cannot be reached.');
    // The next answer that works clears it.
    answer(200, { applications: [], generatedAt: 0 });
    await act(async () => {
      await api('/applications');
    });
    expect(screen.getByTestId('probe').textContent).toBe('ok');
  });
});
