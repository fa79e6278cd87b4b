/**
 * A PutMetricAlarm request in words, read from the request itself (not restated), so what the dialog says
 * is what will be created.
 */

export interface RequestLine {
  term: string;
  detail: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

const OPERATORS: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};

const MISSING: Record<string, string> = {
  notBreaching: 'not breaching (a stopped application publishes no restarts: that is not a loop)',
  breaching: 'breaching',
  ignore: 'ignored (the alarm keeps its state)',
  missing: 'missing (the alarm looks further back)',
};

function periodWords(seconds: number): string {
  if (seconds === 60) return 'one-minute';
  if (seconds % 60 === 0) return `${seconds / 60}-minute`;
  return `${seconds}-second`;
}

function periodNoun(seconds: number): string {
  if (seconds === 60) return 'minute';
  if (seconds % 60 === 0) return `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

const topic = (arn: string) => (arn.startsWith('arn:aws:sns:') ? `SNS topic ${arn.split(':').at(-1)}` : arn);

export function describeAlarmRequest(request: Record<string, unknown>): RequestLine[] {
  const lines: RequestLine[] = [];
  const queries = arr(request.Metrics).map(obj);
  const stat = queries.map((q) => obj(q.MetricStat)).find((s) => s.Metric);
  const metric = obj(stat?.Metric);
  const period = num(stat?.Period) ?? num(request.Period) ?? 60;
  const name = str(metric.MetricName) ?? str(request.MetricName);
  if (name) {
    const dims = arr(metric.Dimensions ?? request.Dimensions)
      .map(obj)
      .map((d) => `${str(d.Name)}=${str(d.Value)}`)
      .join(', ');
    const ns = str(metric.Namespace) ?? str(request.Namespace);
    lines.push({
      term: 'Metric',
      detail: `${name} (${[ns, dims].filter(Boolean).join(', ')}), ${str(stat?.Stat) ?? str(request.Statistic) ?? '?'} per ${periodNoun(period)}`,
    });
  }
  const expression = queries.find((q) => q.ReturnData !== false && str(q.Expression));
  if (expression)
    lines.push({
      term: 'Expression',
      detail: `${str(expression.Expression)}${str(expression.Label) ? `: ${str(expression.Label)}` : ''}`,
    });
  const n = num(request.EvaluationPeriods) ?? 1;
  const m = num(request.DatapointsToAlarm) ?? n;
  const op = OPERATORS[str(request.ComparisonOperator) ?? ''] ?? str(request.ComparisonOperator) ?? '?';
  const value =
    str(expression?.Expression) ?? (name ? `${str(stat?.Stat) ?? str(request.Statistic)}(${name})` : 'the value');
  const inARow = m === n && n > 1 ? ` (${n} in a row)` : '';
  lines.push({
    term: 'Fires when',
    detail: `${value} ${op} ${num(request.Threshold) ?? '?'} in ${m} of ${n} ${periodWords(period)} periods${inARow}`,
  });
  const missing = str(request.TreatMissingData) ?? 'missing';
  lines.push({ term: 'Missing data', detail: MISSING[missing] ?? missing });
  const onAlarm = arr(request.AlarmActions).flatMap((a) => (typeof a === 'string' ? [a] : []));
  const onOk = arr(request.OKActions).flatMap((a) => (typeof a === 'string' ? [a] : []));
  lines.push({
    term: 'Actions',
    detail:
      onAlarm.length + onOk.length === 0
        ? 'none: the state shows here and on the fleet, but notifies nobody'
        : [
            onAlarm.length ? `on ALARM: ${onAlarm.map(topic).join(', ')}` : '',
            onOk.length ? `on OK: ${onOk.map(topic).join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; '),
  });
  return lines;
}
