/**
 * Durations of every simulated step, per time profile. `instant` makes lifecycle transitions complete
 * on the next scheduler turn (tests); `fast` takes seconds (demos); `realistic` follows what AWS takes
 * (a start about a minute, an update a few).
 */
export type TimeProfileName = 'instant' | 'fast' | 'realistic';

export interface TimeProfile {
  name: TimeProfileName;
  /** Cluster (JobManager + TaskManagers) provisioning. */
  provisionMs: number;
  /** Code and configuration handed to the JobManager. */
  submitMs: number;
  /** main() builds the dataflow. */
  mainMs: number;
  /** Subtasks scheduled and deployed to TaskManagers. */
  deployMs: number;
  /** Subtask INITIALIZING time: base plus per MB of state restored. */
  initBaseMs: number;
  initPerMbMs: number;
  /** A savepoint (snapshot): base plus per MB of state. */
  savepointBaseMs: number;
  savepointPerMbMs: number;
  /** Tear-down of a cluster after a stop. */
  teardownMs: number;
  /** UpdateApplication on a READY application. */
  readyUpdateMs: number;
  /** Deletion. */
  deleteMs: number;
  /** Flink fixed-delay restart strategy delay (10 s in AWS, scaled). Never 0: a loop must advance time. */
  restartDelayMs: number;
  /** Time for the cancellation of running subtasks during failover. */
  cancelMs: number;
}

export const TIME_PROFILES: Record<TimeProfileName, TimeProfile> = {
  instant: {
    name: 'instant',
    provisionMs: 0,
    submitMs: 0,
    mainMs: 0,
    deployMs: 0,
    initBaseMs: 0,
    initPerMbMs: 0,
    savepointBaseMs: 0,
    savepointPerMbMs: 0,
    teardownMs: 0,
    readyUpdateMs: 0,
    deleteMs: 0,
    restartDelayMs: 1_000,
    cancelMs: 0,
  },
  fast: {
    name: 'fast',
    provisionMs: 3_000,
    submitMs: 800,
    mainMs: 700,
    deployMs: 1_000,
    initBaseMs: 600,
    initPerMbMs: 4,
    savepointBaseMs: 1_200,
    savepointPerMbMs: 2,
    teardownMs: 1_500,
    readyUpdateMs: 1_500,
    deleteMs: 1_500,
    restartDelayMs: 2_000,
    cancelMs: 300,
  },
  realistic: {
    name: 'realistic',
    provisionMs: 40_000,
    submitMs: 5_000,
    mainMs: 4_000,
    deployMs: 8_000,
    initBaseMs: 2_000,
    initPerMbMs: 20,
    savepointBaseMs: 8_000,
    savepointPerMbMs: 15,
    teardownMs: 20_000,
    readyUpdateMs: 15_000,
    deleteMs: 20_000,
    restartDelayMs: 10_000,
    cancelMs: 1_000,
  },
};

export function timeProfile(name: TimeProfileName): TimeProfile {
  return TIME_PROFILES[name];
}
