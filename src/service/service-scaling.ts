import { Duration, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * Options for `WebService.addStepScaling()`: scale the task count in steps on a CloudWatch metric.
 *
 * @see https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-step-scaling-policies.html
 */
export interface ServiceStepScalingOptions {
  /** The metric to scale on, for example `queue.metricApproximateAgeOfOldestMessage()`. */
  readonly metric: cloudwatch.IMetric;

  /**
   * The steps: metric intervals (`lower` and/or `upper` bound) and the change in tasks for each, for example
   * `[{ upper: 10, change: -1 }, { lower: 100, change: +2 }, { lower: 500, change: +5 }]`. At least two; the
   * steps below the lowest upper bound scale in, those above scale out.
   */
  readonly steps: appscaling.ScalingInterval[];

  /**
   * How `change` in the steps counts.
   *
   * @default appscaling.AdjustmentType.CHANGE_IN_CAPACITY
   */
  readonly adjustmentType?: appscaling.AdjustmentType;

  /**
   * How long after a scaling activity before the next one may start (0 to 3600 seconds).
   *
   * @default Duration.seconds(120)
   */
  readonly cooldown?: Duration;

  /**
   * How many periods of the metric (its `period`) must fall in a step before the step applies (1 to 60).
   *
   * @default 1
   */
  readonly evaluationPeriods?: number;
}

/**
 * Options for `WebService.addTargetTracking()`: keep a CloudWatch metric at a target value by adding and removing
 * tasks. The metric must change in proportion to the task count (a per-task average, say).
 *
 * @see https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking.html
 */
export interface ServiceTargetTrackingOptions {
  /** The metric to keep at `targetValue`, for example backlog per task. */
  readonly metric: cloudwatch.IMetric;

  /** The value to keep the metric at (above 0). */
  readonly targetValue: number;

  /**
   * How long after a scale-in before the next one (0 to 3600 seconds).
   *
   * @default Duration.seconds(120)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * How long after a scale-out before the next one (0 to 3600 seconds).
   *
   * @default Duration.seconds(60)
   */
  readonly scaleOutCooldown?: Duration;

  /**
   * Whether this policy only scales out. Other policies or schedules scale in.
   *
   * @default false
   */
  readonly disableScaleIn?: boolean;
}

/**
 * Options for `WebService.addScheduledScaling()`: change the task count bounds on a schedule, for example more tasks
 * for business hours. The service's `minCapacity` and `maxCapacity` hold until the first schedule applies.
 *
 * @see https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-scheduled-scaling.html
 */
export interface ServiceScheduledScalingOptions {
  /** When the new bounds apply, for example `appscaling.Schedule.cron({ hour: '8', minute: '0', weekDay: 'MON-FRI' })`. */
  readonly schedule: appscaling.Schedule;

  /**
   * The fewest tasks from then on (0 to 1000).
   *
   * @default - unchanged
   */
  readonly minCapacity?: number;

  /**
   * The most tasks from then on (1 to 1000, at least `minCapacity`).
   *
   * @default - unchanged
   */
  readonly maxCapacity?: number;

  /**
   * The time zone of a cron schedule.
   *
   * @default - UTC
   */
  readonly timeZone?: TimeZone;
}
