import { Duration } from 'aws-cdk-lib';

/**
 * How one alarm is tuned or turned off. Every field falls back to the alarm's own default, listed with the alarm.
 */
export interface AlarmOptions {
  /**
   * Whether the alarm is created.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The value the metric is compared with, in the alarm's unit (percent, seconds, a count), at least 0.
   *
   * @default - the alarm's own threshold
   */
  readonly threshold?: number;

  /**
   * The length of one evaluated period, in whole minutes (1 minute to 1 day).
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * How many of the most recent periods are evaluated (at least 1, and `evaluationPeriods` × `period` at most one day).
   *
   * @default - the alarm's own number
   */
  readonly evaluationPeriods?: number;

  /**
   * How many of the evaluated periods must breach for the alarm to go off (1 to `evaluationPeriods`).
   *
   * @default - all evaluated periods (`evaluationPeriods`)
   */
  readonly datapointsToAlarm?: number;
}

/** The alarms of one capacity of a cluster, for `PlatformAlarms.monitorCapacity()`. */
export interface CapacityAlarmOptions {
  /**
   * Tasks wait for instances that do not arrive: minimum `AWS/ECS/ManagedScaling` `CapacityProviderReservation`
   * > 100 % in 3 of 3 periods of 5 minutes. At the default target capacity of 100 %, the metric rests at exactly
   * 100 when every instance is in use; above 100, tasks are provisioning. Missing data is not breaching.
   *
   * @default - on, with the values above
   */
  readonly capacityProviderReservation?: AlarmOptions;

  /**
   * The Auto Scaling group runs its maximum number of instances: minimum `AWS/AutoScaling`
   * `GroupInServiceInstances` ≥ the capacity's `maxCapacity` in 3 of 3 periods of 5 minutes. The group must
   * collect group metrics; missing data is treated as missing, so without them the alarm shows
   * `INSUFFICIENT_DATA` rather than a false `OK` (and a synth warning says so).
   *
   * @default - on, with the values above (the threshold is the capacity's `maxCapacity`)
   */
  readonly instancesAtMaximum?: AlarmOptions;
}

/** The alarms of a cluster and its capacities, for `PlatformAlarms.monitorCluster()`. */
export interface ClusterAlarmOptions extends CapacityAlarmOptions {
  /**
   * Tasks reserve most of the cluster's CPU: average `AWS/ECS` `CPUReservation` ≥ 90 % in 3 of 3 periods of
   * 5 minutes. Missing data is not breaching: it stops only when no instance is registered.
   *
   * @default - on, with the values above
   */
  readonly cpuReservation?: AlarmOptions;

  /**
   * Tasks reserve most of the cluster's memory: average `AWS/ECS` `MemoryReservation` ≥ 90 % in 3 of 3 periods of
   * 5 minutes. Missing data is not breaching: it stops only when no instance is registered.
   *
   * @default - on, with the values above
   */
  readonly memoryReservation?: AlarmOptions;
}

/** The alarms of a load balancer, for `PlatformAlarms.monitorLoadBalancer()`. */
export interface LoadBalancerAlarmOptions {
  /**
   * The load balancer itself answers with 5xx (no healthy target, timeouts, connection errors): sum of
   * `HTTPCode_ELB_5XX_Count` ≥ 10 in 1 of 1 period of 5 minutes. Missing data is not breaching: the count is
   * published only when it is not 0.
   *
   * @default - on, with the values above
   */
  readonly elb5xxCount?: AlarmOptions;

  /**
   * The targets answer with 5xx: `100 * HTTPCode_Target_5XX_Count / RequestCount` ≥ 5 (percent) in 3 of 3
   * periods of 5 minutes. Missing data (no requests) is not breaching.
   *
   * @default - on, with the values above
   */
  readonly target5xxRate?: AlarmOptions;

  /**
   * The slowest 1 % of requests are slow: p99 of `TargetResponseTime` ≥ 2 (seconds) in 3 of 3 periods of
   * 5 minutes. Missing data (no requests) is not breaching.
   *
   * @default - on, with the values above
   */
  readonly targetResponseTime?: AlarmOptions;

  /**
   * The load balancer refused connections at its connection limit: sum of `RejectedConnectionCount` ≥ 1 in 1 of 1
   * period of 5 minutes. Missing data is not breaching: the count is published only when it is not 0.
   *
   * @default - on, with the values above
   */
  readonly rejectedConnections?: AlarmOptions;
}

/** The alarms and notifications of any ECS service, for `PlatformAlarms.monitorService()`. */
export interface ServiceAlarmOptions {
  /**
   * The tasks use most of the CPU they reserve: average `AWS/ECS` `CPUUtilization` ≥ 90 % in 3 of 3 periods of
   * 5 minutes. Missing data is not breaching: it stops when no task runs, which `tasksBelowDesired` reports.
   *
   * @default - on, with the values above
   */
  readonly cpuUtilization?: AlarmOptions;

  /**
   * A task is close to its memory limit: maximum `AWS/ECS` `MemoryUtilization` ≥ 90 % in 3 of 3 periods of
   * 5 minutes. Missing data is not breaching: it stops when no task runs, which `tasksBelowDesired` reports.
   *
   * @default - on, with the values above
   */
  readonly memoryUtilization?: AlarmOptions;

  /**
   * Tasks fail to start or stay up: Container Insights `DesiredTaskCount - RunningTaskCount` (averages) ≥ 1 in
   * 3 of 3 periods of 5 minutes, so a task missing for a whole 15 minutes. It needs Container Insights on the
   * cluster; missing data is treated as missing, so without it the alarm shows `INSUFFICIENT_DATA`.
   *
   * @default - on, with the values above
   */
  readonly tasksBelowDesired?: AlarmOptions;

  /**
   * Sends each failed deployment (`SERVICE_DEPLOYMENT_FAILED`, after which the circuit breaker rolls back) to the
   * topic as it happens, from an EventBridge rule: the service, the deployment and ECS's reason.
   *
   * @default true
   */
  readonly notifyFailedDeployments?: boolean;
}

/** The alarms of a `WebService`, for `PlatformAlarms.monitorWebService()`. */
export interface WebServiceAlarmOptions extends ServiceAlarmOptions {
  /**
   * Targets fail the load balancer's health check: maximum `UnHealthyHostCount` of the service's target group
   * ≥ 1 in 3 of 3 periods of 5 minutes. Missing data is not breaching.
   *
   * @default - on, with the values above
   */
  readonly unhealthyTargets?: AlarmOptions;
}

/** The alarms of an SQS queue and its dead-letter queue, for `PlatformAlarms.monitorQueue()`. */
export interface QueueAlarmOptions {
  /**
   * Jobs wait too long: maximum `ApproximateAgeOfOldestMessage` ≥ 900 (seconds) in 2 of 2 periods of 5 minutes.
   * Missing data is not breaching: SQS stops publishing for a queue that is empty and unused for 6 hours.
   *
   * @default - on, with the values above
   */
  readonly oldestMessageAge?: AlarmOptions;

  /**
   * Jobs failed for good: maximum `ApproximateNumberOfMessagesVisible` of the dead-letter queue > 0 in 1 of 1
   * period of 5 minutes. Missing data is not breaching. Only with a dead-letter queue.
   *
   * @default - on, with the values above
   */
  readonly deadLetterMessages?: AlarmOptions;
}

/** The alarms of a `QueueWorker`: its service and its queues. For `PlatformAlarms.monitorQueueWorker()`. */
export interface QueueWorkerAlarmOptions extends ServiceAlarmOptions, QueueAlarmOptions {
}

/** The alarm and notifications of a `ScheduledTask`, for `PlatformAlarms.monitorScheduledTask()`. */
export interface ScheduledTaskAlarmOptions {
  /**
   * Sends each failed run to the topic as it happens, from an EventBridge rule on the ECS "Task State Change"
   * events of the task definition family: a task that stopped after failing to start, or with a container that
   * exited with a code other than 0 (so sidecars should exit 0 on SIGTERM). The message names the task, its stop
   * code and ECS's reason.
   *
   * @default true
   */
  readonly notifyFailedRuns?: boolean;

  /**
   * Runs that could not be started at all (RunTask failed after its retries): maximum
   * `ApproximateNumberOfMessagesVisible` of the task's dead-letter queue > 0 in 1 of 1 period of 5 minutes.
   * Missing data is not breaching.
   *
   * @default - on, with the values above
   */
  readonly failedInvocations?: AlarmOptions;
}
