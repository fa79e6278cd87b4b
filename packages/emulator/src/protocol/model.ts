/** AWS service models (botocore's service-2.json), loaded from the package's `models` folder. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface MemberRef {
  shape: string;
  location?: string;
  locationName?: string;
}

export interface Shape {
  type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'boolean'
    | 'timestamp'
    | 'blob'
    | 'double'
    | 'float';
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  exception?: boolean;
  sensitive?: boolean;
}

export interface Operation {
  name: string;
  input?: MemberRef;
  output?: MemberRef;
  errors?: MemberRef[];
}

export interface ServiceModel {
  metadata: {
    targetPrefix?: string;
    jsonVersion?: string;
    serviceId?: string;
    signingName?: string;
    awsQueryCompatible?: Record<string, never>;
  };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

const cache = new Map<string, ServiceModel>();

export function loadModel(name: 'kinesisanalyticsv2' | 'kms' | 'cloudwatch' | 'logs' | 'iam' | 'sts'): ServiceModel {
  let model = cache.get(name);
  if (!model) {
    // models/ sits next to src/ and dist/.
    const file = fileURLToPath(new URL(`../../models/${name}.json`, import.meta.url));
    model = JSON.parse(readFileSync(file, 'utf8')) as ServiceModel;
    cache.set(name, model);
  }
  return model;
}

/** The error shapes an operation models. */
export function operationErrors(model: ServiceModel, op: string): string[] {
  return (model.operations[op]?.errors ?? []).map((e) => e.shape);
}
