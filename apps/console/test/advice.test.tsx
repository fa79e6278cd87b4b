/** The advisor in the console: the Advice section's findings, diff, unread facts and empty answer; the fleet badge. */
import {
  ADVISOR_RULES,
  BUFFER_DEBLOAT_KEY,
  FLINK_PROPERTY_GROUP,
  type AdviceResponse,
  type Finding,
  type FindingChange,
  type Role,
} from '@mfc/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyServerEvent } from '../src/api/cache';
import { qk } from '../src/api/keys';
import { setSessionState } from '../src/api/session';
import { buildUpdate, formFromApp, formWithUpdate, sameUpdate } from '../src/dialogs/update';
import { adviceBadge, describeChange } from '../src/format/advice';
import { FleetRow } from '../src/pages/FleetPage';
import { ActionsContext, type OpenDialog } from '../src/pages/application/ActionsContext';
import { AdviceBody, AdviceSection } from '../src/pages/application/AdviceSection';
import { appView, fleetApp } from './fixtures';

const T0 = Date.UTC(2026, 11, 6, 17, 0, 0);
const DEBLOAT_PATH = `properties.${FLINK_PROPERTY_GROUP}.${BUFFER_DEBLOAT_KEY}`;

/** The backpressured demo job's answer, as the BFF gave it. */
const debloat: Finding = {
  rule: 'buffer-debloating',
  tab: 'checkpoints',
  severity: 'warning',
  title: 'Checkpoints wait behind backpressured buffers: enable buffer debloating',
  evidence: [
    { label: 'Expired checkpoints in the history', value: '1 of 2' },
    { label: 'Checkpoint 1 (failed)', value: '600.0 s' },
    { label: 'Barrier start delay + alignment (slowest vertex)', value: '545.9 s (91%)' },
    { label: 'Highest backpressure', value: '62%' },
  ],
  recommendation: 'Turn on buffer debloating, which keeps only about a second of data in flight.',
  change: {
    kind: 'update',
    update: {
      expectedVersionId: 2,
      properties: [
        { groupId: 'app', properties: { region: 'us-east-1' } },
        { groupId: FLINK_PROPERTY_GROUP, properties: { [BUFFER_DEBLOAT_KEY]: 'true' } },
      ],
    },
    diff: [{ path: DEBLOAT_PATH, to: 'true' }],
  },
};

const loop: Finding = {
  rule: 'restart-loop-after-deploy',
  tab: 'operations',
  severity: 'critical',
  title: 'The job restarts in a loop since the update to version 2: roll back',
  evidence: [
    { label: 'fullRestarts now', value: '26' },
    { label: 'Versions', value: '1 → 2' },
  ],
  window: { from: T0 - 3_600_000, to: T0 },
  recommendation: 'Roll back to version 1.',
  change: { kind: 'rollback', toVersionId: 1 },
};

const growth: Finding = {
  rule: 'state-growth',
  tab: 'metrics',
  severity: 'warning',
  title: 'State keeps growing: check state TTL and windows',
  evidence: [{ label: 'Now', value: '412.0 MiB' }],
  recommendation: 'Give keyed state a TTL.',
};

function advice(over: Partial<AdviceResponse> = {}): AdviceResponse {
  return {
    application: 'metrics-exporter',
    generatedAt: T0,
    findings: [debloat],
    evaluated: [...ADVISOR_RULES],
    unread: [],
    ...over,
  };
}

const app = appView('metrics-exporter', 'RUNNING', {
  properties: [{ groupId: 'app', properties: { region: 'us-east-1' } }],
});

function signIn(role: Role): void {
  setSessionState({
    state: 'signed-in',
    session: { user: { name: `demo-${role}`, role }, csrfToken: 't', mode: 'demo' },
  });
}

function withActions(children: ReactNode, open: OpenDialog = vi.fn()) {
  return <ActionsContext.Provider value={{ open }}>{children}</ActionsContext.Provider>;
}

beforeEach(() => signIn('operator'));

describe('the Advice section', () => {
  it('shows a finding: severity, title, the evidence as a table, the link to its tab, the recommendation', () => {
    render(withActions(<AdviceBody advice={advice({ findings: [loop, debloat] })} app={app} />));
    const cards = screen.getAllByTestId('advice-finding');
    expect(cards.map((c) => c.getAttribute('data-rule'))).toEqual(['restart-loop-after-deploy', 'buffer-debloating']);
    const card = within(cards[1]!);
    expect(card.getByTestId('advice-severity').textContent).toBe('Warning');
    expect(card.getByRole('heading', { level: 3 }).textContent).toBe(debloat.title);
    const rows = card
      .getAllByTestId('advice-evidence-row')
      .map((r) => [r.querySelector('th')!.textContent, r.querySelector('td')!.textContent]);
    expect(rows).toEqual(debloat.evidence.map((e) => [e.label, e.value]));
    const link = card.getByTestId('advice-evidence-link');
    expect(link.textContent).toBe('Checkpoints →');
    expect(link.getAttribute('href')).toBe('/applications/metrics-exporter/checkpoints');
    expect(card.getByTestId('advice-recommendation').textContent).toBe(debloat.recommendation);
    // The loop's evidence covers a window, which is said with it.
    expect(within(cards[0]!).getByTestId('advice-window').textContent).toMatch(/–/);
    expect(within(cards[0]!).getByTestId('advice-severity').textContent).toBe('Critical');
  });

  it('shows an update as its diff, and "Review and apply" opens the update dialog with exactly that change', () => {
    const open = vi.fn();
    render(withActions(<AdviceBody advice={advice()} app={app} />, open));
    const diff = screen.getByTestId('advice-diff');
    const line = within(diff).getByTestId('change-diff-line');
    expect(line.getAttribute('data-path')).toBe(DEBLOAT_PATH);
    expect(within(line).getByTestId('change-diff-from').textContent).toBe('not set');
    expect(within(line).getByTestId('change-diff-to').textContent).toBe('true');
    expect(line.textContent).toBe(`${DEBLOAT_PATH}not set→ becomes true`);
    const apply = screen.getByTestId('action-advice-apply');
    expect(apply.getAttribute('aria-disabled')).toBe('false');
    fireEvent.click(apply);
    const change = debloat.change as Extract<FindingChange, { kind: 'update' }>;
    expect(open).toHaveBeenCalledWith('update', {
      proposal: { update: change.update, diff: change.diff, title: debloat.title },
    });
  });

  it('a rollback opens the rollback dialog; a finding without a change says so', () => {
    const open = vi.fn();
    render(withActions(<AdviceBody advice={advice({ findings: [loop, growth] })} app={app} />, open));
    fireEvent.click(screen.getByTestId('action-advice-rollback'));
    expect(open).toHaveBeenCalledWith('rollback');
    const none = screen.getAllByTestId('advice-change').find((c) => c.getAttribute('data-kind') === 'none')!;
    expect(none.textContent).toContain('No configuration change applies this');
  });

  it('a restore that dropped state opens Start with AllowNonRestoredState checked', () => {
    const open = vi.fn();
    const ready = appView('inventory-aggregator', 'READY');
    const dropped: Finding = {
      rule: 'dropped-operator-uids',
      tab: 'operations',
      severity: 'critical',
      title: 'The restore failed: the new code dropped operators that hold state',
      evidence: [{ label: 'Error', value: 'cannot be mapped' }],
      recommendation: 'Restore with AllowNonRestoredState.',
      change: { kind: 'start-allow-non-restored', snapshotName: 'before-weekend' },
    };
    render(withActions(<AdviceBody advice={advice({ findings: [dropped] })} app={ready} />, open));
    fireEvent.click(screen.getByTestId('action-advice-start'));
    expect(open).toHaveBeenCalledWith('start', { allowNonRestored: true, snapshot: 'before-weekend' });
  });

  it('a viewer sees the button disabled, with the reason', () => {
    signIn('viewer');
    const open = vi.fn();
    render(withActions(<AdviceBody advice={advice()} app={app} />, open));
    const apply = screen.getByTestId('action-advice-apply');
    expect(apply.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByTestId('action-advice-apply-reason').textContent).toBe(
      'Needs the operator role; you are signed in as demo-viewer (viewer).',
    );
    fireEvent.click(apply);
    expect(open).not.toHaveBeenCalled();
  });

  it('advice read at an older version cannot be applied before a re-check', () => {
    render(withActions(<AdviceBody advice={advice()} app={{ ...app, versionId: 3 }} />));
    expect(screen.getByTestId('action-advice-apply').getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByTestId('action-advice-apply-reason').textContent).toMatch(
      /read at version 2; the application is at version 3 now/,
    );
  });

  it('with nothing found: how many rules were judged, never "healthy"', () => {
    render(withActions(<AdviceBody advice={advice({ findings: [] })} app={app} />));
    expect(screen.getByTestId('advice-empty').textContent).toBe('No finding: 6 rules judged.');
    expect(screen.queryByTestId('advice-unread')).toBeNull();
    expect(screen.queryByTestId('advice-not-judged')).toBeNull();
    expect(document.body.textContent).not.toMatch(/healthy/i);
  });

  it('says what could not be read, and which rules were not judged because of it', () => {
    render(
      withActions(
        <AdviceBody
          advice={advice({
            findings: [],
            evaluated: ['restart-loop-after-deploy', 'state-growth', 'dropped-operator-uids'],
            unread: [{ facts: 'job', reason: 'The Flink dashboard did not answer (timeout).' }],
          })}
          app={app}
        />,
      ),
    );
    const unread = screen.getByTestId('advice-unread');
    expect(unread.textContent).toContain('Could not read: the job');
    expect(unread.textContent).toContain('The Flink dashboard did not answer (timeout).');
    expect(screen.getByTestId('advice-empty').textContent).toBe('No finding: 3 of 6 rules judged.');
    expect(screen.getByTestId('advice-not-judged').textContent).toBe(
      'Not judged: Buffer debloating, Unaligned checkpoints, Backpressure bottleneck — they need what could not be read.',
    );
  });

  it('says why rules were not judged when the job is not running', () => {
    render(
      withActions(
        <AdviceBody
          advice={advice({
            findings: [],
            evaluated: ['restart-loop-after-deploy', 'state-growth', 'dropped-operator-uids'],
          })}
          app={appView('inventory-aggregator', 'READY')}
        />,
      ),
    );
    expect(screen.getByTestId('advice-not-judged').textContent).toContain('and inventory-aggregator is READY');
  });
});

describe('the section reads the advisor and re-checks it', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads the advice, and Re-check asks for a fresh judgement', async () => {
    const answers = [advice(), advice({ findings: [], generatedAt: T0 + 60_000 })];
    const urls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        urls.push(url);
        return new Response(JSON.stringify(answers.shift()), { headers: { 'content-type': 'application/json' } });
      }),
    );
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(<QueryClientProvider client={qc}>{withActions(<AdviceSection app={app} />)}</QueryClientProvider>);
    await waitFor(() => expect(screen.getAllByTestId('advice-finding')).toHaveLength(1));
    expect(screen.getByTestId('advice-section').getAttribute('data-findings')).toBe('1');
    fireEvent.click(screen.getByTestId('advice-recheck'));
    await waitFor(() => expect(screen.getByTestId('advice-empty')).toBeTruthy());
    expect(urls).toEqual([
      '/api/applications/metrics-exporter/advice',
      '/api/applications/metrics-exporter/advice?fresh=1',
    ]);
  });
});

describe('events reach the advice', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a status change makes the kept advice stale (read fresh next); a fleet event refreshes it', async () => {
    const urls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        urls.push(url);
        return new Response(JSON.stringify(advice()), { headers: { 'content-type': 'application/json' } });
      }),
    );
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
    render(<QueryClientProvider client={qc}>{withActions(<AdviceSection app={app} />)}</QueryClientProvider>);
    await waitFor(() => expect(urls).toHaveLength(1));
    applyServerEvent(qc, { type: 'application', application: 'metrics-exporter', status: 'RUNNING', versionId: 3 });
    await waitFor(() => expect(urls).toHaveLength(2));
    applyServerEvent(qc, { type: 'fleet', changed: ['metrics-exporter'] });
    await waitFor(() => expect(urls).toHaveLength(3));
    expect(urls).toEqual([
      '/api/applications/metrics-exporter/advice',
      '/api/applications/metrics-exporter/advice?fresh=1',
      '/api/applications/metrics-exporter/advice',
    ]);
    expect(qc.getQueryData(qk.advice('metrics-exporter'))).toBeDefined();
  });
});

describe('the update dialog prefilled with the advice', () => {
  it('sends exactly the advised update when the operator changes nothing', () => {
    const { update } = debloat.change as Extract<FindingChange, { kind: 'update' }>;
    const built = buildUpdate(app, formWithUpdate(formFromApp(app), update));
    expect(built.errors).toEqual([]);
    expect(built.request).toEqual(update);
    expect(sameUpdate(built.request, update)).toBe(true);
  });

  it('writes scaling, snapshots and allow-non-restored proposals into the form', () => {
    const scale = { expectedVersionId: 2, parallelism: { parallelism: 6, parallelismPerKpu: 1, autoScaling: false } };
    expect(buildUpdate(app, formWithUpdate(formFromApp(app), scale)).request).toEqual(scale);
    const allow = { expectedVersionId: 2, allowNonRestoredState: true };
    const form = formWithUpdate(formFromApp(app), allow);
    expect(form.allowNonRestoredState).toBe(true);
    expect(sameUpdate({ ...scale, expectedVersionId: 3 }, scale)).toBe(true);
    expect(sameUpdate(scale, allow)).toBe(false);
  });

  it('describes a diff line in words', () => {
    expect(describeChange({ path: 'parallelism.parallelism', from: 2, to: 6 })).toBe('parallelism.parallelism: 2 → 6');
    expect(describeChange({ path: DEBLOAT_PATH, to: 'true' })).toBe(`${DEBLOAT_PATH}: not set → true`);
  });
});

describe('the fleet badge', () => {
  const summary = { findings: 2, rules: ['buffer-debloating', 'backpressure-bottleneck'] as const, generatedAt: T0 };

  it('counts the findings and names the rules in its title', () => {
    expect(adviceBadge({ ...summary, rules: [...summary.rules] })).toEqual({
      text: '2 advice',
      title: 'Advisor: Buffer debloating, Backpressure bottleneck. Open the advice.',
    });
    expect(adviceBadge({ findings: 0, rules: [], generatedAt: T0 })).toBeUndefined();
    expect(adviceBadge(undefined)).toBeUndefined();
  });

  it('links a RUNNING row with findings to its Advice section; none on other rows', () => {
    const row = (a: ReturnType<typeof fleetApp>) =>
      render(<FleetRow app={a} now={T0} generatedAt={T0} index={0} top={0} />);
    row(fleetApp('metrics-exporter', { advice: { ...summary, rules: [...summary.rules] } }));
    const badge = screen.getByTestId('fleet-advice');
    expect(badge.textContent).toBe('2 advice');
    expect(badge.getAttribute('href')).toBe('/applications/metrics-exporter#advice');
    expect(badge.getAttribute('title')).toContain('Buffer debloating');
    row(fleetApp('quiet', { advice: { findings: 0, rules: [], generatedAt: T0 } }));
    row(fleetApp('stopped', { status: 'READY', advice: { ...summary, rules: [...summary.rules] } }));
    expect(screen.getAllByTestId('fleet-advice')).toHaveLength(1);
  });
});
