/** The parts of the Flink REST API's responses the BFF reads (the wire forms, per resource). */
export interface FlinkJobsList {
  jobs: { id: string; status: string }[];
}

/** `/jobs/overview`: `tasks` counts subtasks over the whole job, by lowercase state name, plus `total`. */
export interface FlinkJobsOverview {
  jobs: {
    jid: string;
    name: string;
    state: string;
    'start-time': number;
    'end-time': number;
    /** The latest change of the job's or any subtask's state. */
    'last-modification': number;
    tasks: Record<string, number>;
  }[];
}

export interface FlinkPlanNode {
  id: string;
  inputs?: { id: string; ship_strategy: string }[];
}

export interface FlinkJobDetails {
  jid: string;
  name: string;
  state: string;
  'start-time': number;
  duration: number;
  now: number;
  vertices: { id: string; name: string; parallelism: number; status: string; tasks: Record<string, number> }[];
  plan: { nodes: FlinkPlanNode[] };
}

export interface FlinkSubtask {
  subtask: number;
  status: string;
  attempt: number;
  endpoint: string;
  'taskmanager-id': string;
  'start-time': number;
  duration: number;
  metrics: { 'read-records': number; 'write-records': number };
}

export interface FlinkVertexDetails {
  id: string;
  name: string;
  subtasks: FlinkSubtask[];
}

export type FlinkAggregatedMetrics = { id: string; min: number; max: number; avg: number; sum: number }[];
export type FlinkMetricValues = { id: string; value: string }[];

export interface FlinkExceptions {
  exceptionHistory: {
    truncated: boolean;
    entries: {
      exceptionName: string;
      stacktrace: string;
      timestamp: number;
      taskName?: string;
      taskManagerId?: string;
    }[];
  };
}

export interface FlinkCheckpointStats {
  id: number;
  status: string;
  checkpoint_type: string;
  trigger_timestamp: number;
  latest_ack_timestamp?: number;
  /** Failed checkpoints: when they failed. */
  failure_timestamp?: number;
  end_to_end_duration: number;
  state_size: number;
  checkpointed_size: number;
  alignment_buffered?: number;
  failure_message?: string;
}

export interface FlinkCheckpoints {
  counts: { restored: number; total: number; in_progress: number; completed: number; failed: number };
  latest: { completed?: FlinkCheckpointStats | null; failed?: FlinkCheckpointStats | null };
  history: FlinkCheckpointStats[];
}

export interface FlinkCheckpointConfig {
  mode: string;
  interval: number;
  timeout: number;
  min_pause: number;
}
