/**
 * Reading a Chromium trace (Playwright's browser.startTracing / stopTracing, JSON) for the renderer's main
 * thread: each top-level task's wall time and the CPU time its thread actually had. On a shared 2-core
 * machine a task can be long on the wall clock while its thread waited for a core: the difference says
 * whether a long task is the page's work or the machine's.
 */

/** Light categories: task boundaries with thread time, and the timeline's event names; no JS sampling. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute'];

/** Adds the V8 sampling profiler (JS functions in the trace): heavier, for reading a trace by hand. */
export const TRACE_CATEGORIES_WITH_JS = [...TRACE_CATEGORIES, 'disabled-by-default-v8.cpu_profiler'];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export interface MainThreadTask {
  /** Microseconds on the trace clock. */
  ts: number;
  wallMs: number;
  /** Thread (CPU) time of the task; NaN when the trace has none. */
  cpuMs: number;
}

const TASK_NAMES = new Set(['ThreadControllerImpl::RunTask', 'RunTask']);

/** The top-level tasks of the busiest renderer main thread (the page's), in order. */
export function mainThreadTasks(trace: Buffer | string): MainThreadTask[] {
  const parsed = JSON.parse(trace.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mainThreads = new Set<string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      mainThreads.add(`${e.pid}:${e.tid}`);
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined || !TASK_NAMES.has(e.name)) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!mainThreads.has(key)) continue;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(e);
  }
  let busiest: TraceEvent[] = [];
  for (const list of byThread.values()) if (list.length > busiest.length) busiest = list;
  // Tasks nest (a RunTask inside a RunTask, e.g. a nested run loop): keep the outermost.
  busiest.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const out: MainThreadTask[] = [];
  let end = -Infinity;
  for (const e of busiest) {
    if (e.ts < end) continue;
    end = e.ts + e.dur!;
    out.push({ ts: e.ts, wallMs: e.dur! / 1000, cpuMs: e.tdur === undefined ? NaN : e.tdur / 1000 });
  }
  return out;
}
