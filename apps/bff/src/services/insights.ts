/**
 * CloudWatch Logs Insights over an application's log group (StartQuery, GetQueryResults, StopQuery), the
 * same calls against the emulator and AWS. The BFF remembers which application started a query, so a
 * browser can read only the results of queries over the application it names.
 */
import { GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { InsightsResults, InsightsStarted, InsightsStatus } from '@mfc/contracts';
import type { AwsClients } from '../aws/clients.js';
import { HttpError } from '../http/errors.js';
import type { LogsService } from './logs.js';

const RANGE_MS: Record<string, number> = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '3h': 3 * 60 * 60_000,
  '12h': 12 * 60 * 60_000,
  '24h': 24 * 60 * 60_000,
};
/** Queries remembered (CloudWatch keeps results for 7 days; the console needs the last few). */
const REMEMBERED = 500;

export class InsightsService {
  private owners = new Map<string, string>();

  constructor(
    private clients: AwsClients,
    private logs: LogsService,
  ) {}

  async start(app: string, query: string, range: string, now: number): Promise<InsightsStarted> {
    const { group } = await this.logs.target(app);
    const to = now;
    const from = now - (RANGE_MS[range] ?? RANGE_MS['1h']!);
    const r = await this.clients.logs.send(
      new StartQueryCommand({
        logGroupName: group,
        queryString: query,
        startTime: Math.floor(from / 1000),
        endTime: Math.ceil(to / 1000),
      }),
    );
    const queryId = r.queryId!;
    this.owners.set(queryId, app);
    if (this.owners.size > REMEMBERED) this.owners.delete(this.owners.keys().next().value!);
    return { queryId, from, to };
  }

  private check(app: string, queryId: string): void {
    if (this.owners.get(queryId) !== app)
      throw new HttpError(404, 'QueryNotFound', `No Logs Insights query ${queryId} was started here for ${app}.`);
  }

  async results(app: string, queryId: string): Promise<InsightsResults> {
    this.check(app, queryId);
    const r = await this.clients.logs.send(new GetQueryResultsCommand({ queryId }));
    const fields: string[] = [];
    const rows = (r.results ?? []).map((row) => {
      const out: Record<string, string> = {};
      for (const c of row) {
        if (!c.field || c.field === '@ptr') continue;
        if (!fields.includes(c.field)) fields.push(c.field);
        out[c.field] = c.value ?? '';
      }
      return out;
    });
    return {
      queryId,
      status: (r.status ?? 'Unknown') as InsightsStatus,
      fields,
      rows,
      statistics: {
        recordsMatched: r.statistics?.recordsMatched ?? 0,
        recordsScanned: r.statistics?.recordsScanned ?? 0,
        bytesScanned: r.statistics?.bytesScanned ?? 0,
      },
    };
  }

  async stop(app: string, queryId: string): Promise<void> {
    this.check(app, queryId);
    await this.clients.logs.send(new StopQueryCommand({ queryId }));
  }
}
