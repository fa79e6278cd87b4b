import type { KeyState } from '@aws-sdk/client-kms';

export interface KmsKeyRecord {
  keyId: string;
  arn: string;
  account: string;
  region: string;
  description: string;
  state: KeyState;
  createdAt: number;
  deletionDate?: number;
  pendingWindowInDays?: number;
  policy: string;
  rotationEnabled: boolean;
  rotationPeriodInDays?: number;
  /** Rotations done, oldest first. */
  rotations: { date: number; type: 'AUTOMATIC' | 'ON_DEMAND' }[];
  tags: { TagKey: string; TagValue: string }[];
  /** A multi-Region primary key (its id starts with mrk-); it has no replicas here. */
  multiRegion?: boolean;
  /** Scheduled event that deletes the key at the end of its waiting period. */
  deletionEventId?: string;
}

export interface KmsAliasRecord {
  aliasName: string;
  aliasArn: string;
  targetKeyId: string;
  account: string;
  region: string;
  createdAt: number;
  updatedAt: number;
}
