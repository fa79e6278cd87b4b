/**
 * The AWS SDK clients every route uses, pointed at the embedded emulator, a remote emulator
 * (MFC_ENDPOINT) or real AWS (the SDK's default endpoints and credential chain).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { KinesisAnalyticsV2Client } from '@aws-sdk/client-kinesis-analytics-v2';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';

export interface AwsClients {
  kinesisAnalytics: KinesisAnalyticsV2Client;
  kms: KMSClient;
  cloudWatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  s3: S3Client;
  region: string;
  endpoint?: string;
  destroy(): void;
}

export function createClients(
  region: string,
  endpoint?: string,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): AwsClients {
  const config = {
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    maxAttempts: 2,
  };
  const clients = {
    kinesisAnalytics: new KinesisAnalyticsV2Client(config),
    kms: new KMSClient(config),
    cloudWatch: new CloudWatchClient(config),
    logs: new CloudWatchLogsClient(config),
    // Path-style when talking to an emulator (no bucket DNS names on 127.0.0.1).
    s3: new S3Client({ ...config, forcePathStyle: endpoint !== undefined }),
  };
  return {
    ...clients,
    region,
    endpoint,
    destroy() {
      for (const c of Object.values(clients)) c.destroy();
    },
  };
}
