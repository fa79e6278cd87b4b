import type { ApplicationView } from '@mfc/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ComponentType } from 'react';
import { ApiError } from '../../api/client';
import { useApplication } from '../../api/queries';
import { useWatch } from '../../api/watch';
import { ErrorBoundary } from '../../components/ErrorBoundary';
import { Empty, ErrorState, Loading } from '../../components/States';
import { usePageTitle } from '../../hooks/usePageTitle';
import { prefetchJobGraph } from '../../job/prefetch';
import { preloadable } from '../../preloadable';
import { Link } from '../../router';
import { APP_TABS, appPath, TAB_LABELS, type AppTab } from '../../routes';
import { ActionsContext, type OpenDialog } from './ActionsContext';
import { ApplicationHeader } from './ApplicationHeader';
import type { DialogKind, DialogOptions } from './actions';
import '../../styles/application.css';

export interface TabProps {
  app: ApplicationView;
}

// Each tab is its own chunk: the job graph brings dagre, the charts bring recharts, only when opened
// (the job tab's is fetched ahead while the page is idle, see prefetchJobGraph).
const JobTab = preloadable(() => import('./JobTab'));
const TABS: Record<AppTab, ComponentType<TabProps>> = {
  overview: lazy(() => import('./OverviewTab')),
  job: JobTab,
  checkpoints: lazy(() => import('./CheckpointsTab')),
  snapshots: lazy(() => import('./SnapshotsTab')),
  operations: lazy(() => import('./OperationsTab')),
  versions: lazy(() => import('./VersionsTab')),
  encryption: lazy(() => import('./EncryptionTab')),
  metrics: lazy(() => import('./MetricsTab')),
  logs: lazy(() => import('./LogsTab')),
};

const ActionDialogs = lazy(() => import('../../dialogs/ActionDialogs'));

export default function ApplicationPage({ name, tab }: { name: string; tab: AppTab }) {
  usePageTitle(`${name} · ${TAB_LABELS[tab]}`);
  // The application on screen is watched first: its operations, snapshots and subtasks arrive live.
  useWatch([name], 10);
  const query = useApplication(name);
  const [dialog, setDialog] = useState<{ kind: DialogKind } & DialogOptions>();
  const open = useCallback<OpenDialog>((kind, options) => setDialog({ kind, ...options }), []);
  const actions = useMemo(() => ({ open }), [open]);
  const qc = useQueryClient();
  const running = query.data?.status === 'RUNNING';
  useEffect(() => (running ? prefetchJobGraph(qc, name, JobTab.preload) : undefined), [qc, name, running]);

  if (query.isPending) return <Loading label={`Loading ${name}…`} />;
  if (query.isError) {
    const gone = query.error instanceof ApiError && query.error.status === 404;
    return (
      <div className="page">
        <Breadcrumb name={name} />
        {gone ? (
          <Empty title={`There is no application named ${name}`}>
            It may have been deleted. <Link to="/">Back to the fleet</Link>
          </Empty>
        ) : (
          <ErrorState title={`Could not load ${name}`} error={query.error} onRetry={() => void query.refetch()} />
        )}
      </div>
    );
  }
  const app = query.data;
  const Tab = TABS[tab];
  return (
    <ActionsContext.Provider value={actions}>
      <div className="page application" data-testid="application-page" data-app={app.name}>
        <Breadcrumb name={name} />
        <ApplicationHeader app={app} />
        <nav className="tabs" aria-label="Application sections" data-testid="app-tabs">
          {APP_TABS.map((t) => (
            <Link
              key={t}
              to={appPath(name, t)}
              className="tabs__tab"
              aria-current={t === tab ? 'page' : undefined}
              data-testid={`tab-${t}`}
            >
              {TAB_LABELS[t]}
            </Link>
          ))}
        </nav>
        <section className="tab-panel" aria-label={TAB_LABELS[tab]} data-testid={`panel-${tab}`}>
          <ErrorBoundary resetKey={tab}>
            <Suspense fallback={<Loading />}>
              <Tab app={app} />
            </Suspense>
          </ErrorBoundary>
        </section>
      </div>
      {dialog ? (
        <Suspense fallback={null}>
          <ActionDialogs app={app} dialog={dialog} onClose={() => setDialog(undefined)} />
        </Suspense>
      ) : null}
    </ActionsContext.Provider>
  );
}

function Breadcrumb({ name }: { name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <Link to="/">Fleet</Link>
      <span aria-hidden="true">/</span>
      <span aria-current="page">{name}</span>
    </nav>
  );
}
