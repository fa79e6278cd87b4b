/**
 * Opening the job graph of a big job is instant when its parts are ready: while the application page is
 * idle, the job tab's code, the layout worker, the job view and then its layout are fetched ahead, once
 * per application page. Only for a RUNNING application (others have no job to show); the job view is one
 * request, which the SSE stream then keeps current.
 */
import type { QueryClient } from '@tanstack/react-query';
import { jobQuery } from '../api/queries';
import { requestLayout, warmLayoutWorker } from './layout-client';

const idle = (fn: () => void): (() => void) => {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, { timeout: 2000 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 200);
  return () => clearTimeout(id);
};

/** Starts the prefetch at the next idle moment; returns its cancellation (for an effect's cleanup). */
export function prefetchJobGraph(qc: QueryClient, name: string, loadTab: () => Promise<unknown>): () => void {
  return idle(() => {
    void loadTab().catch(() => undefined);
    warmLayoutWorker();
    void qc.prefetchQuery(jobQuery(name)).then(() => {
      const job = qc.getQueryData(jobQuery(name).queryKey);
      if (job?.available) void requestLayout(job.vertices, job.edges).catch(() => undefined);
    });
  });
}
