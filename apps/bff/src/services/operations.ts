/**
 * Operations with their details, and the phases of the one in progress, inferred from what the service
 * shows (status, snapshots taken since it began, the job's subtask states) so it works against AWS too.
 */
import {
  DescribeApplicationOperationCommand,
  ListApplicationOperationsCommand,
  type ApplicationOperationInfo,
} from '@aws-sdk/client-kinesis-analytics-v2';
import type { OperationPhase, OperationView } from '@mfc/contracts';
import type { AwsClients } from '../aws/clients.js';

export class OperationsService {
  /**
   * Finished operations never change: their details are kept, per service (one BFF talks to one target),
   * by application, id and start time (a reset emulator hands out the same ids again).
   */
  private finished = new Map<string, OperationView>();

  constructor(private clients: AwsClients) {}

  async list(app: string): Promise<ApplicationOperationInfo[]> {
    const out: ApplicationOperationInfo[] = [];
    let NextToken: string | undefined;
    do {
      const r = await this.clients.kinesisAnalytics.send(
        new ListApplicationOperationsCommand({ ApplicationName: app, Limit: 50, NextToken }),
      );
      out.push(...(r.ApplicationOperationInfoList ?? []));
      NextToken = r.NextToken;
    } while (NextToken);
    return out.sort((a, b) => (a.StartTime?.getTime() ?? 0) - (b.StartTime?.getTime() ?? 0));
  }

  async details(app: string, info: ApplicationOperationInfo): Promise<OperationView> {
    const key = `${app}/${info.OperationId}/${info.StartTime?.getTime() ?? ''}`;
    const cached = this.finished.get(key);
    if (cached) return cached;
    const d = (
      await this.clients.kinesisAnalytics.send(
        new DescribeApplicationOperationCommand({ ApplicationName: app, OperationId: info.OperationId }),
      )
    ).ApplicationOperationInfoDetails!;
    const view: OperationView = {
      id: info.OperationId!,
      operation: d.Operation ?? info.Operation ?? '',
      status: (d.OperationStatus ?? info.OperationStatus ?? 'IN_PROGRESS') as OperationView['status'],
      startTime: (d.StartTime ?? info.StartTime)?.getTime() ?? 0,
      ...(d.EndTime ? { endTime: d.EndTime.getTime() } : {}),
      ...(d.ApplicationVersionChangeDetails
        ? {
            versionFrom: d.ApplicationVersionChangeDetails.ApplicationVersionUpdatedFrom,
            versionTo: d.ApplicationVersionChangeDetails.ApplicationVersionUpdatedTo,
          }
        : {}),
      ...(d.OperationFailureDetails?.ErrorInfo?.ErrorString
        ? { errorString: d.OperationFailureDetails.ErrorInfo.ErrorString }
        : {}),
      ...(d.OperationFailureDetails?.RollbackOperationId
        ? { rollbackOperationId: d.OperationFailureDetails.RollbackOperationId }
        : {}),
    };
    if (view.status !== 'IN_PROGRESS') this.finished.set(key, view);
    return view;
  }

  /** All operations with details, oldest first (details of the newest `detailed` only, for long histories). */
  async views(app: string, detailed = 50): Promise<OperationView[]> {
    const list = await this.list(app);
    return Promise.all(
      list.map((info, i) =>
        i >= list.length - detailed
          ? this.details(app, info)
          : Promise.resolve({
              id: info.OperationId!,
              operation: info.Operation ?? '',
              status: info.OperationStatus as OperationView['status'],
              startTime: info.StartTime?.getTime() ?? 0,
              ...(info.EndTime ? { endTime: info.EndTime.getTime() } : {}),
            }),
      ),
    );
  }
}

export interface PhaseFacts {
  status: string;
  /** A snapshot the service began taking after the operation started. */
  snapshot?: 'CREATING' | 'READY' | 'FAILED';
  snapshotsEnabled: boolean;
  /** Subtasks of the running job: all RUNNING, or still initializing. */
  subtasks?: { running: number; total: number };
}

/** The phases an operation goes through, as far as they apply to it. */
function phasesOf(op: OperationView, facts: PhaseFacts): OperationPhase[] {
  switch (op.operation) {
    case 'StartApplication':
      return ['provisioning', 'restoring', 'initializing', 'running'];
    case 'StopApplication':
      return facts.snapshotsEnabled ? ['snapshot', 'stopping'] : ['stopping'];
    case 'ForceStopApplication':
      return ['stopping'];
    case 'RollbackApplication':
      return ['stopping', 'restoring', 'initializing', 'running'];
    case 'DeleteApplication':
      return ['stopping'];
    default:
      return facts.snapshotsEnabled
        ? ['provisioning', 'snapshot', 'restoring', 'initializing', 'running']
        : ['provisioning', 'restoring', 'initializing', 'running'];
  }
}

/** The phase an operation in progress has reached, from what the service shows. */
function activePhase(op: OperationView, facts: PhaseFacts, phases: OperationPhase[]): OperationPhase {
  switch (op.operation) {
    case 'StartApplication':
      return 'provisioning';
    case 'StopApplication':
      return facts.snapshotsEnabled && facts.snapshot !== 'READY' ? 'snapshot' : 'stopping';
    case 'RollbackApplication':
      return 'restoring';
    case 'ForceStopApplication':
    case 'DeleteApplication':
      return 'stopping';
    default:
      if (facts.status !== 'UPDATING') return phases[0]!;
      if (facts.snapshot === 'CREATING') return 'snapshot';
      if (facts.snapshot === 'READY' || !facts.snapshotsEnabled) return 'restoring';
      return 'provisioning';
  }
}

/**
 * Phases with their state and the progress through them. A finished start, update or rollback is still
 * "initializing" until every subtask runs: the application is RUNNING before its state is restored.
 */
export function inferPhases(op: OperationView, facts: PhaseFacts): Pick<OperationView, 'phases' | 'progress'> {
  if (op.status === 'FAILED' || op.status === 'CANCELLED') return {};
  const phases = phasesOf(op, facts);
  let active: OperationPhase | undefined;
  if (op.status === 'IN_PROGRESS') active = activePhase(op, facts, phases);
  else if (phases.includes('initializing') && facts.subtasks && facts.subtasks.running < facts.subtasks.total)
    active = 'initializing';
  if (!active) return { phases: phases.map((name) => ({ name, state: 'done' })), progress: 1 };
  const index = Math.max(0, phases.indexOf(active));
  return {
    phases: phases.map((name, i) => ({ name, state: i < index ? 'done' : i === index ? 'active' : 'pending' })),
    progress: index / phases.length,
  };
}
