/**
 * The page a person sees on opening the presigned URL: a small, self-contained HTML summary of the job
 * (no scripts, no external assets) that refreshes itself. It is the emulator's page, not Flink's web UI;
 * the REST API the real dashboard would call is served under the same path.
 */
import type { AppRecord } from '@mfc/engine';
import { JobView, type RestContext } from './context.js';
import { jobMetrics } from './metrics.js';
import { aggregateState, EXECUTION_STATES } from './states.js';
import { flinkVersion } from './versions.js';

const esc = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const iso = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');

function duration(ms: number): string {
  if (ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#232f3e;color:#fff;padding:12px 24px}header h1{font-size:18px;margin:0}
main{padding:16px 24px;max-width:1100px}
.note{background:#fff8e1;border:1px solid #f0d48a;padding:8px 12px;border-radius:4px;margin-bottom:16px}
section{background:#fff;border:1px solid #dde1e6;border-radius:4px;padding:12px 16px;margin-bottom:16px}
h2{font-size:15px;margin:0 0 8px}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eceff2;vertical-align:top}
.state{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:600;margin-right:4px}
.RUNNING,.FINISHED,.COMPLETED{background:#d9f2e0;color:#17692d}.FAILED,.FAILING{background:#fbdcdc;color:#9b1c1c}
.RESTARTING,.CANCELING,.CANCELLING,.CANCELED,.IN_PROGRESS{background:#fff0c2;color:#7a5b00}
.CREATED,.SCHEDULED,.DEPLOYING,.INITIALIZING,.RECONCILING{background:#e3ecfa;color:#1f4f99}
pre{white-space:pre-wrap;font-size:12px;margin:4px 0 0;color:#5b6270}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
dt{color:#5b6270}dd{margin:0}a{color:#0b61c4}`;

const badge = (state: string) => `<span class="state ${esc(state)}">${esc(state)}</span>`;

function page(title: string, body: string, refresh: boolean): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
${refresh ? '<meta http-equiv="refresh" content="5">' : ''}
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><header><h1>${esc(title)}</h1></header><main>
<p class="note">This is the Managed Flink emulator's summary page, <strong>not the Apache Flink web UI</strong>.
The Flink REST API is served under this URL, e.g. <a href="jobs/overview">jobs/overview</a>,
<a href="overview">overview</a>, <a href="config">config</a>.</p>
${body}
</main></body></html>`;
}

/** A page for a refused request (expired token, application not running). */
export function errorPage(status: number, message: string): string {
  return page(`Flink dashboard unavailable (${status})`, `<section><p>${esc(message)}</p></section>`, false);
}

function appSection(app: AppRecord): string {
  return `<section><h2>Application</h2><dl>
<dt>Name</dt><dd>${esc(app.name)}</dd>
<dt>Status</dt><dd>${badge(app.status)}</dd>
<dt>Runtime</dt><dd>${esc(app.runtime)} (Flink ${esc(flinkVersion(app))})</dd>
<dt>Version</dt><dd>${app.versionId}</dd></dl></section>`;
}

export function dashboardPage(ctx: RestContext): string {
  const { app, cluster, now } = ctx;
  const job = cluster.job;
  const sections = [appSection(app)];
  if (!job) {
    sections.push('<section><h2>Job</h2><p>No job is running on this cluster.</p></section>');
    return page(`${app.name} — Flink job`, sections.join('\n'), true);
  }
  const view = new JobView(job, cluster, now);
  const metrics = jobMetrics(job, now);
  sections.push(`<section><h2>Job</h2><dl>
<dt>Name</dt><dd>${esc(job.name)}</dd>
<dt>Job id</dt><dd><code>${esc(job.jid)}</code></dd>
<dt>Status</dt><dd>${badge(job.status)}</dd>
<dt>Started</dt><dd>${iso(job.startTime)} (${duration(now - job.startTime)} ago)</dd>
<dt>Uptime</dt><dd>${duration(Number(metrics.get('uptime')))}</dd>
<dt>Restarts</dt><dd>${job.numRestarts}</dd>
<dt>TaskManagers</dt><dd>${cluster.taskManagers.length} × ${cluster.parallelismPerKpu} slot(s)</dd></dl></section>`);

  const rows = job.vertices
    .map((v, vi) => {
      const states = v.subtasks.map((s) => s.state);
      const counts = EXECUTION_STATES.map((s) => [s, states.filter((x) => x === s).length] as const)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => `${badge(s)}×${n}`)
        .join(' ');
      const rate = view.subtaskMetrics(vi).reduce((sum, m) => sum + m.numRecordsOutPerSecond, 0);
      return `<tr><td>${esc(v.name)}</td><td>${v.parallelism}</td><td>${badge(aggregateState(states))}</td><td>${counts}</td><td>${Math.round(rate)}</td></tr>`;
    })
    .join('\n');
  sections.push(`<section><h2>Vertices</h2><table>
<tr><th>Vertex</th><th>Parallelism</th><th>Status</th><th>Subtasks</th><th>Records out/s</th></tr>
${rows}</table></section>`);

  const cp = job.checkpoints;
  const last = cp.latestCompleted;
  sections.push(
    `<section><h2>Checkpoints</h2>${
      !cp.enabled
        ? '<p>Checkpointing is disabled.</p>'
        : `<dl><dt>Completed / failed / in progress</dt><dd>${cp.counts.completed} / ${cp.counts.failed} / ${cp.counts.in_progress}</dd>
<dt>Last completed</dt><dd>${
            last
              ? `#${last.id} at ${iso(last.latestAckTimestamp)}, ${duration(last.endToEndDuration)}, ${bytes(last.checkpointedSize)} uploaded of ${bytes(last.stateSize)} state`
              : 'none yet'
          }</dd>${
            cp.latestFailed
              ? `<dt>Last failed</dt><dd>#${cp.latestFailed.id} at ${iso(cp.latestFailed.failureTimestamp ?? cp.latestFailed.latestAckTimestamp)}: ${esc(cp.latestFailed.failureMessage ?? '')}</dd>`
              : ''
          }</dl>`
    }</section>`,
  );

  const recent = [...job.exceptions].reverse().slice(0, 3);
  if (recent.length > 0)
    sections.push(`<section><h2>Recent exceptions</h2><table>
<tr><th>Time</th><th>Task</th><th>Exception</th></tr>
${recent
  .map(
    (e) =>
      `<tr><td>${iso(e.timestamp)}</td><td>${esc(e.taskName)}</td><td>${esc(e.exceptionName)}<pre>${esc(e.stacktrace.split('\n')[0] ?? '')}</pre></td></tr>`,
  )
  .join('\n')}</table></section>`);
  return page(`${app.name} — Flink job`, sections.join('\n'), true);
}
