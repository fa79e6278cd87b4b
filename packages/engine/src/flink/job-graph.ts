/**
 * Builds Flink's job graph from a code package manifest: chainable operators merge into one vertex
 * named "A -> B", edges carry the ship strategy, and vertex ids are 32 hex chars derived from the head
 * operator's uid (stable across restarts, as Flink's uid hashes are).
 */
import { hex128 } from '../util/random.js';
import type { Manifest, OperatorSpec, ShipStrategy } from './manifest.js';

export interface VertexSpec {
  id: string;
  name: string;
  /** Operators in this vertex, head first. */
  operators: OperatorSpec[];
  parallelism: number;
  maxParallelism: number;
  inputs: { id: string; ship: ShipStrategy }[];
}

export interface JobGraph {
  vertices: VertexSpec[];
  /** Every operator uid of the job; snapshot compatibility is decided on these. */
  uids: string[];
}

/** Flink's default max parallelism: 128, or 1.5 × parallelism rounded up to a power of two. */
export function defaultMaxParallelism(parallelism: number): number {
  const target = Math.ceil(parallelism * 1.5);
  let p = 1;
  while (p < target) p *= 2;
  return Math.min(32768, Math.max(128, p));
}

export function buildJobGraph(manifest: Manifest, jobParallelism: number): JobGraph {
  const ops = manifest.operators;
  const byUid = new Map(ops.map((o) => [o.uid, o]));
  const consumers = new Map<string, OperatorSpec[]>();
  for (const op of ops) for (const i of op.inputs ?? []) consumers.set(i, [...(consumers.get(i) ?? []), op]);
  const parallelismOf = (op: OperatorSpec) => op.parallelism ?? jobParallelism;

  // An operator chains onto its single input when asked to, with the same parallelism and a forward edge
  // that nothing else consumes.
  const chainsOnto = (op: OperatorSpec): OperatorSpec | undefined => {
    if (!op.chain || op.inputs?.length !== 1) return undefined;
    const up = byUid.get(op.inputs[0]!)!;
    if ((consumers.get(up.uid)?.length ?? 0) !== 1) return undefined;
    if (parallelismOf(up) !== parallelismOf(op)) return undefined;
    if (op.partitioning && op.partitioning !== 'FORWARD') return undefined;
    return up;
  };

  const headOf = new Map<string, string>();
  const chains = new Map<string, OperatorSpec[]>();
  for (const op of ops) {
    const up = chainsOnto(op);
    const head = up ? headOf.get(up.uid)! : op.uid;
    headOf.set(op.uid, head);
    chains.set(head, [...(chains.get(head) ?? []), op]);
  }

  const vertices: VertexSpec[] = [];
  for (const [head, members] of chains) {
    const headOp = byUid.get(head)!;
    const parallelism = parallelismOf(headOp);
    const inputs = (headOp.inputs ?? []).map((uid) => {
      const upHead = headOf.get(uid)!;
      const upParallelism = parallelismOf(byUid.get(upHead)!);
      const ship: ShipStrategy = headOp.partitioning ?? (upParallelism === parallelism ? 'FORWARD' : 'REBALANCE');
      return { id: hex128(`vertex:${upHead}`), ship };
    });
    vertices.push({
      id: hex128(`vertex:${head}`),
      name: members.map((m) => m.name).join(' -> '),
      operators: members,
      parallelism,
      maxParallelism: defaultMaxParallelism(parallelism),
      inputs,
    });
  }
  return { vertices, uids: ops.map((o) => o.uid) };
}

/** Flink's JSON plan, as /jobs/{id}/plan and JobPlanDescription show it. */
export function planJson(jid: string, name: string, graph: JobGraph) {
  return {
    jid,
    name,
    type: 'STREAMING',
    nodes: graph.vertices.map((v) => ({
      id: v.id,
      parallelism: v.parallelism,
      operator: '',
      operator_strategy: '',
      description: v.operators.map((o) => o.name).join('<br/>+- '),
      ...(v.inputs.length > 0
        ? {
            inputs: v.inputs.map((i, num) => ({
              num,
              id: i.id,
              ship_strategy: i.ship,
              exchange: 'pipelined_bounded',
            })),
          }
        : {}),
      optimizer_properties: {},
    })),
  };
}
