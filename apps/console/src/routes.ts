/** Every view is a URL: these are the console's routes, matched and built in one place. */

export const APP_TABS = [
  'overview',
  'job',
  'checkpoints',
  'snapshots',
  'operations',
  'versions',
  'encryption',
  'metrics',
  'logs',
] as const;
export type AppTab = (typeof APP_TABS)[number];

export const TAB_LABELS: Record<AppTab, string> = {
  overview: 'Overview',
  job: 'Job graph',
  checkpoints: 'Checkpoints',
  snapshots: 'Snapshots',
  operations: 'Operations',
  versions: 'Versions',
  encryption: 'Encryption',
  metrics: 'Metrics',
  logs: 'Logs',
};

export type Route =
  | { page: 'fleet' }
  | { page: 'application'; name: string; tab: AppTab }
  | { page: 'keys' }
  | { page: 'audit' }
  | { page: 'not-found'; path: string };

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { page: 'fleet' };
  if (path === '/keys') return { page: 'keys' };
  if (path === '/audit') return { page: 'audit' };
  const m = /^\/applications\/([^/]+)(?:\/([^/]+))?$/.exec(path);
  if (m) {
    let name: string;
    try {
      name = decodeURIComponent(m[1]!);
    } catch {
      return { page: 'not-found', path };
    }
    const tab = (m[2] ?? 'overview') as AppTab;
    if (!APP_TABS.includes(tab)) return { page: 'not-found', path };
    return { page: 'application', name, tab };
  }
  return { page: 'not-found', path };
}

export function appPath(name: string, tab: AppTab = 'overview'): string {
  const base = `/applications/${encodeURIComponent(name)}`;
  return tab === 'overview' ? base : `${base}/${tab}`;
}
