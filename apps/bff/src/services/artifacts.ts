/**
 * Code packages in S3: what the update dialog offers, and the manifest of a package when it is one
 * (the simulation's "JAR"), to tell which operator uids hold state.
 */
import { GetObjectCommand, ListBucketsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { ArtifactsResponse } from '@mfc/contracts';
import type { AwsClients } from '../aws/clients.js';

export interface ManifestOperators {
  /** Every operator uid of the job. */
  uids: string[];
  /** Uids of operators that keep state (and so appear in snapshots). */
  stateful: string[];
}

export class ArtifactsService {
  constructor(private clients: AwsClients) {}

  async list(): Promise<ArtifactsResponse> {
    const buckets = (await this.clients.s3.send(new ListBucketsCommand({}))).Buckets ?? [];
    const artifacts: ArtifactsResponse['artifacts'] = [];
    for (const b of buckets.slice(0, 20)) {
      const r = await this.clients.s3.send(new ListObjectsV2Command({ Bucket: b.Name, MaxKeys: 200 }));
      for (const o of r.Contents ?? [])
        artifacts.push({
          bucket: b.Name!,
          key: o.Key!,
          size: o.Size ?? 0,
          lastModified: o.LastModified?.getTime() ?? 0,
        });
    }
    return { artifacts };
  }

  /** The operators of a code package, or undefined when it is not a manifest (a real JAR cannot be read). */
  async operators(
    bucketArn: string | undefined,
    key: string | undefined,
    objectVersion?: string,
  ): Promise<ManifestOperators | undefined> {
    const bucket = bucketArn?.replace(/^arn:aws[\w-]*:s3:::/, '');
    if (!bucket || !key) return undefined;
    try {
      const r = await this.clients.s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, ...(objectVersion ? { VersionId: objectVersion } : {}) }),
      );
      const text = await r.Body!.transformToString();
      const doc = JSON.parse(text) as {
        mfcManifest?: number;
        operators?: { uid?: unknown; stateMbPerSubtask?: unknown }[];
      };
      if (doc.mfcManifest !== 1 || !Array.isArray(doc.operators)) return undefined;
      const ops = doc.operators.filter(
        (o): o is { uid: string; stateMbPerSubtask?: unknown } => typeof o.uid === 'string',
      );
      return {
        uids: ops.map((o) => o.uid),
        stateful: ops.filter((o) => typeof o.stateMbPerSubtask === 'number').map((o) => o.uid),
      };
    } catch {
      return undefined;
    }
  }
}
