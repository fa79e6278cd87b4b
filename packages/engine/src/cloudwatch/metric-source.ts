/**
 * Which stored series a CloudWatch metric names: the service publishes its application metrics in
 * namespace AWS/KinesisAnalytics with the single dimension Application. Anything else names no series
 * (CloudWatch answers an empty one, not an error).
 */
import type { ServiceCore } from '../service/core.js';
import { APP_METRICS, type AppMetric } from '../telemetry/metrics.js';
import type { MetricRef } from './metric-queries.js';

export const NAMESPACE = 'AWS/KinesisAnalytics';

export function resolveMetric(
  core: ServiceCore,
  account: string,
  region: string,
  metric: MetricRef,
): { appKey: string; name: AppMetric } | undefined {
  if (metric.Namespace !== NAMESPACE || !APP_METRICS.includes(metric.MetricName as AppMetric)) return undefined;
  const dims = metric.Dimensions ?? [];
  const app = dims.find((d) => d.Name === 'Application')?.Value;
  if (!app || dims.length !== 1) return undefined;
  return { appKey: core.appKey({ account, region, principal: '' }, app), name: metric.MetricName as AppMetric };
}

/** Same metric: namespace, name and the same dimensions in any order. */
export function sameMetric(a: MetricRef, b: MetricRef): boolean {
  if (a.Namespace !== b.Namespace || a.MetricName !== b.MetricName) return false;
  const key = (m: MetricRef) =>
    (m.Dimensions ?? [])
      .map((d) => `${d.Name}=${d.Value}`)
      .sort()
      .join('\u0000');
  return key(a) === key(b);
}
