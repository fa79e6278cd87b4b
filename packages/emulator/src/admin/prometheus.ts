/**
 * `/_emulator/metrics`: the latest one-minute sample of every application metric in the Prometheus text
 * exposition format, for Grafana users who scrape the emulator.
 */
import { APP_METRICS, type Engine } from '@mfc/engine';

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function prometheusText(engine: Engine): string {
  const apps = [...engine.store.apps.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  const lines: string[] = [];
  for (const metric of APP_METRICS) {
    const name = `kinesisanalytics_${metric.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}`;
    lines.push(`# HELP ${name} AWS/KinesisAnalytics ${metric} (latest one-minute sample).`, `# TYPE ${name} gauge`);
    for (const app of apps) {
      const p = engine.telemetry.metrics.latest(app.key, metric);
      if (!p) continue;
      const labels = `application="${escape(app.name)}",account="${app.account}",region="${app.region}"`;
      lines.push(`${name}{${labels}} ${Number.isFinite(p.value) ? p.value : 0} ${p.timestamp}`);
    }
  }
  const status = 'kinesisanalytics_application_status';
  lines.push(`# HELP ${status} 1 for the application's current status.`, `# TYPE ${status} gauge`);
  for (const app of apps)
    lines.push(
      `${status}{application="${escape(app.name)}",account="${app.account}",region="${app.region}",status="${app.status}"} 1`,
    );
  return `${lines.join('\n')}\n`;
}
