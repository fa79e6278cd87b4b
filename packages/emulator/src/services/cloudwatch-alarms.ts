/** CloudWatch's alarm operations, one handler each, on the engine's AlarmService. */
import type { Engine, PutMetricAlarmInput } from '@mfc/engine';
import type { Handler } from '../protocol/json-rpc.js';

type Input = Record<string, unknown>;

export function alarmHandlers(engine: () => Engine): Record<string, Handler> {
  const alarms = () => engine().alarms;
  return {
    PutMetricAlarm: (ctx, input) => alarms().putMetricAlarm(ctx, input as unknown as PutMetricAlarmInput),
    DescribeAlarms: (ctx, input) => alarms().describeAlarms(ctx, input),
    DescribeAlarmsForMetric: (ctx, input) =>
      alarms().describeAlarmsForMetric(
        ctx,
        input as Parameters<ReturnType<typeof alarms>['describeAlarmsForMetric']>[1],
      ),
    DescribeAlarmHistory: (ctx, input) => alarms().describeAlarmHistory(ctx, input),
    DeleteAlarms: (ctx, input) => alarms().deleteAlarms(ctx, (input as Input).AlarmNames as string[]),
    SetAlarmState: (ctx, input) =>
      alarms().setAlarmState(ctx, input as unknown as Parameters<ReturnType<typeof alarms>['setAlarmState']>[1]),
    EnableAlarmActions: (ctx, input) => alarms().setActionsEnabled(ctx, (input as Input).AlarmNames as string[], true),
    DisableAlarmActions: (ctx, input) =>
      alarms().setActionsEnabled(ctx, (input as Input).AlarmNames as string[], false),
    TagResource: (ctx, input) => {
      alarms().tag(ctx, input.ResourceARN as string, input.Tags as { Key: string; Value: string }[]);
      return {};
    },
    UntagResource: (ctx, input) => {
      alarms().untag(ctx, input.ResourceARN as string, input.TagKeys as string[]);
      return {};
    },
    ListTagsForResource: (ctx, input) => ({ Tags: alarms().byArn(ctx, input.ResourceARN as string).tags }),
  };
}
