/**
 * /taskmanagers and /taskmanagers/{id}: one TaskManager per KPU (1 vCPU, 4 GiB), its slots used by the
 * job through slot sharing, and its memory model as Flink derives it from a 4 GiB process.
 */
import type { ClusterState, TaskManagerState } from '@mfc/engine';
import { rpcScheme } from './versions.js';
import type { RestContext } from './context.js';
import { notFound } from './errors.js';
import { metricValues, processMetrics, type MetricId, type MetricValue } from './metrics.js';
import { isGloballyTerminal } from './states.js';

// ---- wire types ------------------------------------------------------------------------------------

export interface ResourceProfileInfo {
  cpuCores: number;
  /** MiB, as Flink reports resource profiles. */
  taskHeapMemory: number;
  taskOffHeapMemory: number;
  managedMemory: number;
  networkMemory: number;
  extendedResources: Record<string, number>;
}

export interface MemoryConfiguration {
  frameworkHeap: number;
  taskHeap: number;
  frameworkOffHeap: number;
  taskOffHeap: number;
  networkMemory: number;
  managedMemory: number;
  jvmMetaspace: number;
  jvmOverhead: number;
  totalFlinkMemory: number;
  totalProcessMemory: number;
}

export interface TaskManagerInfo {
  id: string;
  path: string;
  dataPort: number;
  jmxPort: number;
  /** An epoch-ms timestamp of the last heartbeat, despite the name. */
  timeSinceLastHeartbeat: number;
  slotsNumber: number;
  freeSlots: number;
  totalResource: ResourceProfileInfo;
  freeResource: ResourceProfileInfo;
  hardware: { cpuCores: number; physicalMemory: number; freeMemory: number; managedMemory: number };
  memoryConfiguration: MemoryConfiguration;
  blocked: boolean;
}

export interface TaskManagerMetrics {
  heapUsed: number;
  heapCommitted: number;
  heapMax: number;
  nonHeapUsed: number;
  nonHeapCommitted: number;
  nonHeapMax: number;
  directCount: number;
  directUsed: number;
  directMax: number;
  mappedCount: number;
  mappedUsed: number;
  mappedMax: number;
  nettyShuffleMemorySegmentsAvailable: number;
  nettyShuffleMemorySegmentsUsed: number;
  nettyShuffleMemorySegmentsTotal: number;
  nettyShuffleMemoryAvailable: number;
  nettyShuffleMemoryUsed: number;
  nettyShuffleMemoryTotal: number;
  garbageCollectors: { name: string; count: number; time: number }[];
}

export interface TaskManagerDetails extends TaskManagerInfo {
  metrics: TaskManagerMetrics;
  allocatedSlots: { jobId: string; resource: ResourceProfileInfo }[];
}

// ---- the memory model ------------------------------------------------------------------------------

const MIB = 1024 * 1024;

/** Flink's TaskExecutor memory breakdown of a 4 GiB process with its default fractions. */
const MEMORY: MemoryConfiguration = (() => {
  const process = 4096 * MIB;
  const jvmOverhead = Math.round(process * 0.1);
  const jvmMetaspace = 256 * MIB;
  const totalFlinkMemory = process - jvmOverhead - jvmMetaspace;
  const networkMemory = Math.round(totalFlinkMemory * 0.1);
  const managedMemory = Math.round(totalFlinkMemory * 0.4);
  const frameworkHeap = 128 * MIB;
  const frameworkOffHeap = 128 * MIB;
  return {
    frameworkHeap,
    taskHeap: totalFlinkMemory - networkMemory - managedMemory - frameworkHeap - frameworkOffHeap,
    frameworkOffHeap,
    taskOffHeap: 0,
    networkMemory,
    managedMemory,
    jvmMetaspace,
    jvmOverhead,
    totalFlinkMemory,
    totalProcessMemory: process,
  };
})();

const SEGMENT = 32 * 1024;

function resources(slots: number, of: number): ResourceProfileInfo {
  const share = of > 0 ? slots / of : 0;
  return {
    cpuCores: share,
    taskHeapMemory: Math.floor((MEMORY.taskHeap * share) / MIB),
    taskOffHeapMemory: 0,
    managedMemory: Math.floor((MEMORY.managedMemory * share) / MIB),
    networkMemory: Math.floor((MEMORY.networkMemory * share) / MIB),
    extendedResources: {},
  };
}

/** Slots of TaskManager `n` the job holds: with slot sharing, one per subtask index placed there. */
export function usedSlots(cluster: ClusterState, n: number): number {
  const job = cluster.job;
  if (!job || isGloballyTerminal(job.status)) return 0;
  return Math.max(0, ...job.vertices.map((v) => v.subtasks.filter((s) => s.tm === n).length));
}

function taskManagerInfo(ctx: RestContext, tm: TaskManagerState, n: number): TaskManagerInfo {
  const used = Math.min(tm.slots, usedSlots(ctx.cluster, n));
  const free = tm.slots - used;
  return {
    id: tm.id,
    path: `${rpcScheme(ctx.app)}.tcp://flink@${tm.host}:6122/user/rpc/taskmanager_0`,
    dataPort: tm.dataPort,
    jmxPort: -1,
    // Heartbeats every 10 s.
    timeSinceLastHeartbeat: ctx.now - (ctx.now % 10_000),
    slotsNumber: tm.slots,
    freeSlots: free,
    totalResource: resources(tm.slots, tm.slots),
    freeResource: resources(free, tm.slots),
    hardware: {
      cpuCores: 1,
      physicalMemory: 4096 * MIB,
      freeMemory: MEMORY.frameworkHeap + MEMORY.taskHeap,
      managedMemory: MEMORY.managedMemory,
    },
    memoryConfiguration: { ...MEMORY },
    blocked: false,
  };
}

function requireTaskManager(ctx: RestContext): { tm: TaskManagerState; n: number } {
  const n = ctx.cluster.taskManagers.findIndex((tm) => tm.id === ctx.params.taskmanagerid);
  if (n < 0) throw notFound(`Could not find TaskExecutor ${ctx.params.taskmanagerid ?? ''}.`);
  return { tm: ctx.cluster.taskManagers[n]!, n };
}

// ---- handlers --------------------------------------------------------------------------------------

export function taskManagers(ctx: RestContext): { taskmanagers: TaskManagerInfo[] } {
  return { taskmanagers: ctx.cluster.taskManagers.map((tm, n) => taskManagerInfo(ctx, tm, n)) };
}

export function taskManagerDetails(ctx: RestContext): TaskManagerDetails {
  const { tm, n } = requireTaskManager(ctx);
  const info = taskManagerInfo(ctx, tm, n);
  const m = processMetrics(tm.id, MEMORY.frameworkHeap + MEMORY.taskHeap, ctx.now);
  const num = (key: string) => Number(m.get(key) ?? 0);
  const segments = Math.floor(MEMORY.networkMemory / SEGMENT);
  const usedSegments = Math.round((segments * 0.2 * (tm.slots - info.freeSlots)) / Math.max(1, tm.slots));
  const job = ctx.cluster.job;
  return {
    ...info,
    metrics: {
      heapUsed: num('Status.JVM.Memory.Heap.Used'),
      heapCommitted: num('Status.JVM.Memory.Heap.Committed'),
      heapMax: num('Status.JVM.Memory.Heap.Max'),
      nonHeapUsed: num('Status.JVM.Memory.NonHeap.Used'),
      nonHeapCommitted: num('Status.JVM.Memory.NonHeap.Committed'),
      nonHeapMax: num('Status.JVM.Memory.NonHeap.Max'),
      directCount: num('Status.JVM.Memory.Direct.Count'),
      directUsed: num('Status.JVM.Memory.Direct.MemoryUsed'),
      directMax: num('Status.JVM.Memory.Direct.TotalCapacity'),
      mappedCount: 0,
      mappedUsed: 0,
      mappedMax: 0,
      nettyShuffleMemorySegmentsAvailable: segments - usedSegments,
      nettyShuffleMemorySegmentsUsed: usedSegments,
      nettyShuffleMemorySegmentsTotal: segments,
      nettyShuffleMemoryAvailable: (segments - usedSegments) * SEGMENT,
      nettyShuffleMemoryUsed: usedSegments * SEGMENT,
      nettyShuffleMemoryTotal: segments * SEGMENT,
      garbageCollectors: [
        {
          name: 'G1_Young_Generation',
          count: num('Status.JVM.GarbageCollector.G1_Young_Generation.Count'),
          time: num('Status.JVM.GarbageCollector.G1_Young_Generation.Time'),
        },
        { name: 'G1_Old_Generation', count: 0, time: 0 },
      ],
    },
    allocatedSlots:
      job && info.slotsNumber > info.freeSlots
        ? Array.from({ length: info.slotsNumber - info.freeSlots }, () => ({
            jobId: job.jid,
            resource: resources(1, tm.slots),
          }))
        : [],
  };
}

export function taskManagerMetrics(ctx: RestContext): MetricId[] | MetricValue[] {
  const { tm } = requireTaskManager(ctx);
  return metricValues(ctx, processMetrics(tm.id, MEMORY.frameworkHeap + MEMORY.taskHeap, ctx.now));
}
