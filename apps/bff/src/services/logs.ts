/** The application's log (the subtask transitions among it), read through CloudWatch Logs FilterLogEvents. */
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsResponse } from '@mfc/contracts';
import type { AwsClients } from '../aws/clients.js';
import type { ApplicationsService } from './applications.js';

export class LogsService {
  constructor(
    private clients: AwsClients,
    private apps: ApplicationsService,
  ) {}

  /** The log group and stream of an application: its logging option's, else the service's default group. */
  async target(name: string): Promise<{ group: string; stream?: string }> {
    const detail = await this.apps.describe(name);
    const arn = detail.CloudWatchLoggingOptionDescriptions?.[0]?.LogStreamARN;
    const m = arn ? /:log-group:([^:]+):log-stream:(.+)$/.exec(arn) : null;
    return { group: m?.[1] ?? `/aws/kinesis-analytics/${name}`, ...(m?.[2] ? { stream: m[2] } : {}) };
  }

  async lines(
    name: string,
    opts: { filter?: string; limit: number; nextToken?: string; since?: number; until?: number },
  ): Promise<LogsResponse> {
    const { group, stream } = await this.target(name);
    // The filter is a phrase: quote it so CloudWatch matches it as written.
    const phrase = opts.filter?.trim();
    const r = await this.clients.logs.send(
      new FilterLogEventsCommand({
        logGroupName: group,
        ...(stream ? { logStreamNames: [stream] } : {}),
        ...(phrase ? { filterPattern: `"${phrase.replace(/"/g, '')}"` } : {}),
        ...(opts.since ? { startTime: opts.since } : {}),
        ...(opts.until ? { endTime: opts.until } : {}),
        limit: opts.limit,
        ...(opts.nextToken ? { nextToken: opts.nextToken } : {}),
      }),
    );
    return {
      lines: (r.events ?? []).map((e) => {
        try {
          const doc = JSON.parse(e.message ?? '') as { message?: string; messageType?: string };
          return {
            timestamp: e.timestamp ?? 0,
            level: doc.messageType ?? 'INFO',
            message: doc.message ?? e.message ?? '',
          };
        } catch {
          return { timestamp: e.timestamp ?? 0, level: 'INFO', message: e.message ?? '' };
        }
      }),
      ...(r.nextToken ? { nextToken: r.nextToken } : {}),
    };
  }
}
