/**
 * Flink options a job takes from the application's runtime properties. On Managed Service for Apache Flink
 * the application code reads a property group and applies it to the Flink configuration (as the AWS samples
 * do); the simulated jobs read the group `FlinkApplicationProperties` when they are submitted, so a change
 * takes effect at the next (re)deploy: an UpdateApplication restarts the job with the new version.
 */
import type { PropertyGroup } from '@aws-sdk/client-kinesis-analytics-v2';
import type { JobOptions } from './cluster-state.js';

/** The runtime property group the simulated jobs read Flink options from. */
export const FLINK_PROPERTY_GROUP = 'FlinkApplicationProperties';
/** Unaligned checkpoints (Flink ≤ 1.19 name; deprecated alias of the next one since 1.20). */
export const UNALIGNED_CHECKPOINTS_KEY = 'execution.checkpointing.unaligned';
/** Unaligned checkpoints (Flink 1.20 / 2.x name); wins over the older name when both are set. */
export const UNALIGNED_CHECKPOINTS_ENABLED_KEY = 'execution.checkpointing.unaligned.enabled';
/** Buffer debloating. */
export const BUFFER_DEBLOAT_KEY = 'taskmanager.network.memory.buffer-debloat.enabled';

/** "true" in any case (surrounding blanks ignored) is true; any other value leaves the option off. */
function flag(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : value.trim().toLowerCase() === 'true';
}

/**
 * The options set to true in the `FlinkApplicationProperties` group, or undefined when none is (the job
 * then runs exactly as one without the group).
 */
export function jobOptionsFromProperties(groups: readonly PropertyGroup[] | undefined): JobOptions | undefined {
  const map = groups?.find((g) => g.PropertyGroupId === FLINK_PROPERTY_GROUP)?.PropertyMap;
  if (!map) return undefined;
  const unaligned = flag(map[UNALIGNED_CHECKPOINTS_ENABLED_KEY]) ?? flag(map[UNALIGNED_CHECKPOINTS_KEY]);
  const debloat = flag(map[BUFFER_DEBLOAT_KEY]);
  if (!unaligned && !debloat) return undefined;
  const options: JobOptions = {};
  if (unaligned) options.unalignedCheckpoints = true;
  if (debloat) options.bufferDebloat = true;
  return options;
}
