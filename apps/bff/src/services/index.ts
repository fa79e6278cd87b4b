/** Every service the routes use, wired once. */
import type { AwsClients } from '../aws/clients.js';
import { JobProber } from '../health/prober.js';
import { AdvisorService } from '../advisor/advisor.js';
import { ActionsService } from './actions.js';
import { AlarmsService } from './alarms.js';
import { ApplicationsService, type JobSnapshot } from './applications.js';
import { ArtifactsService } from './artifacts.js';
import type { ServiceClock } from './clock.js';
import { DashboardClient } from './dashboard.js';
import { DowntimeService } from './downtime.js';
import { InsightsService } from './insights.js';
import { JobService } from './job.js';
import { KeysService } from './keys.js';
import { LogsService } from './logs.js';
import { MetricsService } from './metrics.js';
import { OperationsService } from './operations.js';
import { PreflightService } from './preflight.js';

export interface Services {
  clients: AwsClients;
  clock: ServiceClock;
  dashboard: DashboardClient;
  /** Every RUNNING application's job, read from its dashboard for the health rules. */
  prober: JobProber;
  operations: OperationsService;
  keys: KeysService;
  metrics: MetricsService;
  apps: ApplicationsService;
  job: JobService;
  actions: ActionsService;
  artifacts: ArtifactsService;
  logs: LogsService;
  downtime: DowntimeService;
  preflight: PreflightService;
  alarms: AlarmsService;
  insights: InsightsService;
  advisor: AdvisorService;
}

export function createServices(
  clients: AwsClients,
  clock: ServiceClock,
  jobSnapshots: (app: string) => JobSnapshot | undefined,
  health: { checkpointStaleMs: number },
  alarmTopicArn?: string,
): Services {
  const dashboard = new DashboardClient(clients);
  const prober = new JobProber(dashboard, clock);
  const operations = new OperationsService(clients);
  const keys = new KeysService(clients);
  const metrics = new MetricsService(clients);
  const apps = new ApplicationsService(
    clients,
    operations,
    keys,
    metrics,
    jobSnapshots,
    clock,
    prober,
    health.checkpointStaleMs,
  );
  const artifacts = new ArtifactsService(clients);
  const logs = new LogsService(clients, apps);
  return {
    clients,
    clock,
    dashboard,
    prober,
    operations,
    keys,
    metrics,
    apps,
    job: new JobService(dashboard),
    actions: new ActionsService(clients, apps),
    artifacts,
    logs,
    downtime: new DowntimeService(logs),
    preflight: new PreflightService(apps, artifacts, keys),
    alarms: new AlarmsService(clients, alarmTopicArn),
    insights: new InsightsService(clients, logs),
    advisor: new AdvisorService({ clients, apps, operations, dashboard }, clock),
  };
}
