import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { Ec2Capacity } from '../cluster/ec2-capacity';
import { EcsCluster } from '../cluster/ecs-cluster';
import * as metrics from './private/platform-metrics';
import { PublicLoadBalancer } from '../service/public-load-balancer';
import { QueueWorker } from '../service/queue-worker';
import { ScheduledTask } from '../service/scheduled-task';
import { WebService } from '../service/web-service';
import { validationError } from '../shared/validate';

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

/** Properties for `PlatformAlarms`. */
export interface PlatformAlarmsProps {
  /**
   * The topic every alarm (on alarm and back to OK) and every notification goes to, usually `OpsTopic.topic`.
   * EventBridge rules publish the deployment and run notifications: on a topic of this app, this construct lets
   * `events.amazonaws.com` of this account publish to it and use its KMS key; an imported topic must allow that
   * itself (a synth warning says so).
   */
  readonly topic: sns.ITopic;

  /**
   * Alarm settings for every service that is monitored (`monitorService()`, `monitorWebService()`,
   * `monitorQueueWorker()`). Each call's own options take precedence, field by field.
   *
   * @default - each alarm's own defaults
   */
  readonly serviceDefaults?: ServiceAlarmOptions;
}

/** One alarm: what it watches, its defaults and how to describe it. */
interface AlarmDefinition {
  /** Construct id of the alarm, in the scope of the monitored construct. */
  readonly id: string;
  /** The option that tunes it, as the user writes it (for messages). */
  readonly prop: string;
  readonly metric: (period: Duration) => cloudwatch.IMetric;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  /** What is compared, for the description: "average CPU reservation". */
  readonly condition: string;
  /** The unit after the threshold, for the description: " %". */
  readonly unit: string;
  /** What it means and where to look. */
  readonly advice: string;
  /** A synth warning for the alarm, when something it needs is missing. */
  readonly warning?: { readonly id: string; readonly message: string };
}

/** One alarm to create, with the user's options. */
interface PlannedAlarm {
  readonly definition: AlarmDefinition;
  readonly options?: AlarmOptions;
}

/** One EventBridge rule that sends a message to the topic. */
interface PlannedNotification {
  readonly id: string;
  readonly description: string;
  readonly pattern: events.EventPattern;
  readonly message: events.RuleTargetInput;
}

/** An alarm definition with its settings resolved and checked. */
interface ResolvedAlarm {
  readonly definition: AlarmDefinition;
  readonly threshold: number;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

const DEFAULT_PERIOD = metrics.DEFAULT_PERIOD;
const MAX_EVALUATION_SECONDS = 86400;
const COMPARISON_TEXT: Record<string, string> = {
  [cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD]: '>=',
  [cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD]: '>',
};

/**
 * CloudWatch alarms for an ECS platform, each with actions to one topic when it goes off and when it is OK again,
 * and EventBridge notifications for failed deployments and failed scheduled runs.
 *
 * Add what to watch one by one: the cluster (`monitorCluster`, or `monitorCapacity` for a capacity added later),
 * the load balancer (`monitorLoadBalancer`), and each workload (`monitorWebService`, `monitorQueueWorker`,
 * `monitorScheduledTask`, or `monitorService` and `monitorQueue` for resources built otherwise). Every alarm has a
 * documented default threshold, period and number of evaluated periods, a deliberate treatment of missing data, and
 * can be tuned or turned off per call (and for all services through `serviceDefaults`). The alarms read the same
 * metric definitions that `PlatformDashboard` graphs. Each monitored construct gets a child of this construct named
 * after its path (`Api`, `Cluster-Capacity`), and is monitored once; a call with bad options builds nothing.
 *
 * A hundred services bring several hundred alarms: for a large fleet, build the alarms in a stack of their own
 * (CloudFormation takes 500 resources per stack).
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cloudwatch-metrics.html
 * @example
 * declare const ops: OpsTopic;
 * declare const cluster: EcsCluster;
 * declare const loadBalancer: PublicLoadBalancer;
 * declare const api: WebService;
 * const alarms = new PlatformAlarms(this, 'Alarms', { topic: ops.topic });
 * alarms.monitorCluster(cluster);
 * alarms.monitorLoadBalancer(loadBalancer);
 * alarms.monitorWebService(api, { cpuUtilization: { threshold: 80 }, memoryUtilization: { enabled: false } });
 */
export class PlatformAlarms extends Construct {
  /** The topic of every alarm and notification. */
  public readonly topic: sns.ITopic;

  private readonly serviceDefaults: ServiceAlarmOptions;
  private readonly action: cloudwatchActions.SnsAction;
  private readonly _alarms: cloudwatch.Alarm[] = [];
  private readonly _rules: events.Rule[] = [];
  private eventsMayPublish = false;

  constructor(scope: Construct, id: string, props: PlatformAlarmsProps) {
    super(scope, id);

    // Resolve
    this.serviceDefaults = props.serviceDefaults ?? {};

    // Validate
    for (const [prop, options] of serviceAlarmEntries(this.serviceDefaults)) {
      assertAlarmOptions(this, `serviceDefaults.${prop}`, options ?? {});
    }

    // Build
    this.topic = props.topic;
    this.action = new cloudwatchActions.SnsAction(this.topic);
  }

  /** Every alarm created so far, in the order they were created. */
  public get alarms(): cloudwatch.Alarm[] {
    return [...this._alarms];
  }

  /** Every EventBridge rule that notifies the topic (failed deployments and runs), in the order they were created. */
  public get notificationRules(): events.Rule[] {
    return [...this._rules];
  }

  /**
   * Alarms on the cluster's CPU and memory reservation, and those of `monitorCapacity()` for each of its capacities
   * as of this call (add a later capacity with `monitorCapacity()`).
   *
   * @param cluster the cluster
   * @param options tuning of each alarm, where the capacity options apply to every capacity
   * @returns the alarms created
   */
  public monitorCluster(cluster: EcsCluster, options: ClusterAlarmOptions = {}): cloudwatch.Alarm[] {
    const clusterName = cluster.clusterName;
    const subject = this.subject(cluster);
    const reservation = (resource: 'CPU' | 'Memory'): PlannedAlarm => ({
      definition: {
        id: `${resource === 'CPU' ? 'Cpu' : 'Memory'}Reservation`,
        prop: resource === 'CPU' ? 'cpuReservation' : 'memoryReservation',
        metric: (period) => metrics.clusterReservation(resource, clusterName, period),
        threshold: 90,
        evaluationPeriods: 3,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        condition: `average ${resource} reservation`,
        unit: ' %',
        advice: `Tasks reserve nearly all ${resource} of the container instances: check that managed scaling can add instances (maxCapacity).`,
      },
      options: resource === 'CPU' ? options.cpuReservation : options.memoryReservation,
    });
    const builds = [
      this.prepare(cluster, 'cluster', subject, [reservation('CPU'), reservation('Memory')]),
      ...cluster.capacities.map((capacity) => this.prepare(capacity, 'capacity', this.subject(capacity),
        this.capacityAlarms(cluster, capacity, options))),
    ];
    return builds.flatMap((build) => build());
  }

  /**
   * Alarms on one capacity of a cluster: tasks waiting for instances, and the Auto Scaling group at its maximum.
   * `monitorCluster()` includes these for the capacities the cluster has when it is called.
   *
   * @param cluster the cluster of the capacity
   * @param capacity the capacity
   * @param options tuning of each alarm
   * @returns the alarms created
   */
  public monitorCapacity(cluster: EcsCluster, capacity: Ec2Capacity, options: CapacityAlarmOptions = {}): cloudwatch.Alarm[] {
    if (!cluster.capacities.includes(capacity)) {
      validationError(this, 'capacity', `a capacity of the cluster ${cluster.node.path}`, capacity.node.path);
    }
    return this.prepare(capacity, 'capacity', this.subject(capacity), this.capacityAlarms(cluster, capacity, options))();
  }

  /**
   * Alarms on the load balancer: its own 5xx answers, the targets' 5xx rate, the p99 response time and rejected
   * connections.
   *
   * @param loadBalancer the load balancer
   * @param options tuning of each alarm
   * @returns the alarms created
   */
  public monitorLoadBalancer(loadBalancer: PublicLoadBalancer, options: LoadBalancerAlarmOptions = {}): cloudwatch.Alarm[] {
    const fullName = loadBalancer.loadBalancer.loadBalancerFullName;
    const count = (prop: 'elb5xxCount' | 'rejectedConnections', id: string, metricName: metrics.LoadBalancerCount, threshold: number,
      condition: string, advice: string): PlannedAlarm => ({
      definition: {
        id,
        prop,
        metric: (period) => metrics.loadBalancerCount(metricName, fullName, period),
        threshold,
        evaluationPeriods: 1,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        condition,
        unit: '',
        advice,
      },
      options: options[prop],
    });
    return this.prepare(loadBalancer, 'loadBalancer', this.subject(loadBalancer), [
      count('elb5xxCount', 'Elb5xxCount', 'HTTPCode_ELB_5XX_Count', 10, 'load balancer 5xx responses',
        'The load balancer itself answers with 5xx: no healthy target, target timeouts or connection errors.'),
      {
        definition: {
          id: 'Target5xxRate',
          prop: 'target5xxRate',
          metric: (period) => metrics.target5xxRate(fullName, period),
          threshold: 5,
          evaluationPeriods: 3,
          comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          condition: 'target 5xx responses in percent of requests',
          unit: ' %',
          advice: 'The services behind the load balancer answer with server errors: check their logs.',
        },
        options: options.target5xxRate,
      },
      {
        definition: {
          id: 'TargetResponseTime',
          prop: 'targetResponseTime',
          metric: (period) => metrics.targetResponseTime(fullName, 'p99', period),
          threshold: 2,
          evaluationPeriods: 3,
          comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          condition: 'p99 target response time',
          unit: ' s',
          advice: 'The slowest 1 % of requests are slow: check the services\' CPU, their dependencies and their logs.',
        },
        options: options.targetResponseTime,
      },
      count('rejectedConnections', 'RejectedConnections', 'RejectedConnectionCount', 1, 'rejected connections',
        'The load balancer refused connections because it reached its maximum number of connections.'),
    ])();
  }

  /**
   * Alarms on any ECS service: CPU and memory utilization and tasks below the desired count, and a notification
   * for each failed deployment. `monitorWebService()` and `monitorQueueWorker()` include these.
   *
   * @param service the service
   * @param options tuning of each alarm, over `serviceDefaults`
   * @returns the alarms created
   */
  public monitorService(service: ecs.BaseService, options: ServiceAlarmOptions = {}): cloudwatch.Alarm[] {
    const subject = this.subject(service);
    const planned = this.serviceAlarms(subject, service, options);
    return this.prepare(service, 'service', subject, planned.alarms, planned.notifications)();
  }

  /**
   * Alarms on a web service: those of `monitorService()` for its ECS service, and unhealthy targets in its target
   * group.
   *
   * @param service the web service
   * @param options tuning of each alarm, over `serviceDefaults`
   * @returns the alarms created
   */
  public monitorWebService(service: WebService, options: WebServiceAlarmOptions = {}): cloudwatch.Alarm[] {
    const subject = this.subject(service);
    const planned = this.serviceAlarms(subject, service.service, options);
    const targetGroup = service.targetGroup;
    return this.prepare(service, 'service', subject, [...planned.alarms, {
      definition: {
        id: 'UnhealthyTargets',
        prop: 'unhealthyTargets',
        metric: (period) => metrics.targetGroupHosts('UnHealthy', targetGroup.firstLoadBalancerFullName, targetGroup.targetGroupFullName, period),
        threshold: 1,
        evaluationPeriods: 3,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        condition: 'maximum unhealthy targets',
        unit: '',
        advice: 'Targets fail the load balancer health check: check the health check path and the service\'s logs.',
      },
      options: options.unhealthyTargets,
    }], planned.notifications)();
  }

  /**
   * Alarms on an SQS queue (the age of its oldest message) and, when given, its dead-letter queue (not empty).
   * `monitorQueueWorker()` includes these.
   *
   * @param queue the queue
   * @param deadLetterQueue the queue's dead-letter queue
   * @param options tuning of each alarm
   * @returns the alarms created
   */
  public monitorQueue(queue: sqs.IQueue, deadLetterQueue?: sqs.IQueue, options: QueueAlarmOptions = {}): cloudwatch.Alarm[] {
    return this.prepare(queue, 'queue', this.subject(queue), queueAlarms(queue, deadLetterQueue, options))();
  }

  /**
   * Alarms on a queue worker: those of `monitorService()` for its ECS service, and those of `monitorQueue()` for its
   * queue and dead-letter queue.
   *
   * @param worker the queue worker
   * @param options tuning of each alarm, over `serviceDefaults` for the service's alarms
   * @returns the alarms created
   */
  public monitorQueueWorker(worker: QueueWorker, options: QueueWorkerAlarmOptions = {}): cloudwatch.Alarm[] {
    const subject = this.subject(worker);
    const planned = this.serviceAlarms(subject, worker.service, options);
    return this.prepare(worker, 'worker', subject, [
      ...planned.alarms,
      ...queueAlarms(worker.queue, worker.deadLetterQueue, options),
    ], planned.notifications)();
  }

  /**
   * A notification for each failed run of a scheduled task, and an alarm on runs that could not be started.
   *
   * @param task the scheduled task
   * @param options what to turn off or tune
   * @returns the alarms created
   */
  public monitorScheduledTask(task: ScheduledTask, options: ScheduledTaskAlarmOptions = {}): cloudwatch.Alarm[] {
    const subject = this.subject(task);
    const notifications: PlannedNotification[] = [];
    if (options.notifyFailedRuns ?? true) {
      const family = task.taskDefinition.family;
      const familyArnPrefix = Stack.of(task).formatArn({ service: 'ecs', resource: 'task-definition', resourceName: `${family}:` });
      notifications.push({
        id: 'FailedRuns',
        description: `Failed runs of ${subject} (ECS task state changes) to the alarm topic`,
        pattern: {
          source: ['aws.ecs'],
          detailType: ['ECS Task State Change'],
          detail: {
            lastStatus: ['STOPPED'],
            taskDefinitionArn: [{ prefix: familyArnPrefix }],
            $or: [
              { stopCode: ['TaskFailedToStart'] },
              { containers: { exitCode: [{ 'anything-but': 0 }] } },
            ],
          },
        },
        message: events.RuleTargetInput.fromText(`Scheduled task ${subject} failed: task ${events.EventField.fromPath('$.detail.taskArn')} `
          + `stopped with ${events.EventField.fromPath('$.detail.stopCode')}: ${events.EventField.fromPath('$.detail.stoppedReason')}. `
          + 'Check the exit codes of its containers and its logs.'),
      });
    }
    const deadLetterQueueName = task.deadLetterQueue.queueName;
    return this.prepare(task, 'task', subject, [{
      definition: {
        id: 'FailedInvocations',
        prop: 'failedInvocations',
        metric: (period) => metrics.visibleMessages(deadLetterQueueName, 'Failed invocations', period),
        threshold: 0,
        evaluationPeriods: 1,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        condition: 'maximum messages in the dead-letter queue of the trigger',
        unit: '',
        advice: 'Runs could not be started (RunTask failed after its retries): read the messages of the dead-letter queue, then purge it.',
      },
      options: options.failedInvocations,
    }], notifications)();
  }

  private capacityAlarms(cluster: EcsCluster, capacity: Ec2Capacity, options: CapacityAlarmOptions): PlannedAlarm[] {
    const clusterName = cluster.clusterName;
    const subject = this.subject(capacity);
    return [
      {
        definition: {
          id: 'ProviderReservation',
          prop: 'capacityProviderReservation',
          metric: (period) => metrics.capacityProviderReservation(clusterName, capacity.capacityProvider.capacityProviderName,
            capacity.node.id, period),
          threshold: 100,
          evaluationPeriods: 3,
          comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          condition: 'minimum capacity provider reservation',
          unit: ' %',
          advice: 'Tasks are waiting for container instances that do not arrive: check the Auto Scaling group\'s activity '
            + '(maxCapacity, launch failures, Spot capacity).',
        },
        options: options.capacityProviderReservation,
      },
      {
        definition: {
          id: 'InstancesAtMaximum',
          prop: 'instancesAtMaximum',
          metric: (period) => metrics.groupInServiceInstances(capacity.autoScalingGroup.autoScalingGroupName, capacity.node.id, period),
          threshold: capacity.maxCapacity,
          evaluationPeriods: 3,
          comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.MISSING,
          condition: 'minimum in-service instances',
          unit: '',
          advice: 'The Auto Scaling group runs its maximum number of instances: raise maxCapacity before tasks cannot be placed.',
          warning: collectsInServiceInstances(capacity.autoScalingGroup) ? undefined : {
            id: 'groupMetrics',
            message: `the Auto Scaling group of ${subject} does not collect group metrics: the instancesAtMaximum alarm gets no data `
              + '(enable GroupInServiceInstances in its metrics collection, or turn the alarm off)',
          },
        },
        options: options.instancesAtMaximum,
      },
    ];
  }

  private serviceAlarms(subject: string, service: ecs.BaseService, options: ServiceAlarmOptions):
  { alarms: PlannedAlarm[]; notifications: PlannedNotification[] } {
    const clusterName = service.cluster.clusterName;
    const serviceName = service.serviceName;
    const merged = mergeServiceOptions(this.serviceDefaults, options);
    const utilization = (resource: 'CPU' | 'Memory'): PlannedAlarm => ({
      definition: {
        id: `${resource === 'CPU' ? 'Cpu' : 'Memory'}Utilization`,
        prop: resource === 'CPU' ? 'cpuUtilization' : 'memoryUtilization',
        metric: (period) => metrics.serviceUtilization(resource, clusterName, serviceName, period),
        threshold: 90,
        evaluationPeriods: 3,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        condition: resource === 'CPU' ? 'average CPU utilization' : 'maximum memory utilization',
        unit: ' %',
        advice: resource === 'CPU'
          ? 'The tasks use nearly all the CPU they reserve: check autoscaling (maxCapacity) and the task\'s cpu.'
          : 'A task is close to its memory limit and may be stopped with OutOfMemoryError: check for leaks or raise memoryLimitMiB.',
      },
      options: resource === 'CPU' ? merged.cpuUtilization : merged.memoryUtilization,
    });
    const insightsOff = containerInsightsOf(service.cluster) === ecs.ContainerInsights.DISABLED;
    const alarms: PlannedAlarm[] = [utilization('CPU'), utilization('Memory'), {
      definition: {
        id: 'TasksBelowDesired',
        prop: 'tasksBelowDesired',
        metric: (period) => metrics.missingTasks(clusterName, serviceName, period),
        threshold: 1,
        evaluationPeriods: 3,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
        condition: 'desired minus running tasks (averages)',
        unit: '',
        advice: 'Tasks fail to start or to stay up: check the service\'s events and its stopped tasks.',
        warning: insightsOff ? {
          id: 'containerInsights',
          message: `the cluster of ${subject} has Container Insights disabled: the tasksBelowDesired alarm gets no data `
            + '(enable Container Insights, or turn the alarm off)',
        } : undefined,
      },
      options: merged.tasksBelowDesired,
    }];
    const notifications: PlannedNotification[] = !(merged.notifyFailedDeployments ?? true) ? [] : [{
      id: 'FailedDeployments',
      description: `Failed deployments of ${subject} (rolled back by the circuit breaker) to the alarm topic`,
      pattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Deployment State Change'],
        resources: [service.serviceArn],
        detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
      },
      message: events.RuleTargetInput.fromText(`Deployment ${events.EventField.fromPath('$.detail.deploymentId')} of ${subject} failed `
        + `and is rolled back: ${events.EventField.fromPath('$.detail.reason')}. Check the service's events and its stopped tasks.`),
    }];
    return { alarms, notifications };
  }

  /**
   * Checks everything about monitoring `construct` (not monitored yet, every alarm's settings) and returns the
   * function that builds its alarms and rules, so that a call can check all its constructs before it builds any.
   */
  private prepare(construct: IConstruct, prop: string, subject: string, planned: PlannedAlarm[],
    notifications: PlannedNotification[] = []): () => cloudwatch.Alarm[] {
    // alarms of a construct in another stack live in that stack, under `<construct>/Alarms`: this stack then never
    // refers to the construct's (which refers to the topic here), and the alarms deploy with what they watch
    const elsewhere = Stack.of(construct) !== Stack.of(this);
    const [parent, id] = elsewhere ? [construct, 'Alarms'] : [this, metrics.displayPath(construct, this).replace(/\//g, '-')];
    if (parent.node.tryFindChild(id)) {
      validationError(this, prop, 'a construct that these alarms do not monitor yet', construct.node.path);
    }
    const resolved = planned
      .filter((entry) => entry.options?.enabled ?? true)
      .map((entry) => resolveAlarm(this, entry));
    return () => {
      const scope = new Construct(parent, id);
      const alarms = resolved.map((alarm) => this.buildAlarm(scope, subject, alarm));
      for (const notification of notifications) this.buildNotification(scope, notification);
      return alarms;
    };
  }

  private buildAlarm(scope: Construct, subject: string, resolved: ResolvedAlarm): cloudwatch.Alarm {
    const { definition, threshold, period, evaluationPeriods, datapointsToAlarm } = resolved;
    const alarm = new cloudwatch.Alarm(scope, definition.id, {
      metric: definition.metric(period),
      threshold,
      evaluationPeriods,
      datapointsToAlarm,
      comparisonOperator: definition.comparison,
      treatMissingData: definition.treatMissingData,
      actionsEnabled: true,
      alarmDescription: `${subject}: ${definition.condition} ${COMPARISON_TEXT[definition.comparison]} ${threshold}${definition.unit} `
        + `in ${datapointsToAlarm} of ${evaluationPeriods} periods of ${period.toHumanString()}. ${definition.advice}`,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    if (definition.warning) {
      Annotations.of(alarm).addWarningV2(`cdk-ecs-platform:PlatformAlarms.${definition.warning.id}`, definition.warning.message);
    }
    this._alarms.push(alarm);
    return alarm;
  }

  private buildNotification(scope: Construct, notification: PlannedNotification): void {
    this.allowEventsToPublish();
    const topic = this.topic;
    const message = notification.message;
    this._rules.push(new events.Rule(scope, notification.id, {
      description: notification.description,
      eventPattern: notification.pattern,
      targets: [{ bind: () => ({ arn: topic.topicArn, input: message, targetResource: topic }) }],
    }));
  }

  /** Lets EventBridge rules of this account publish to the topic and use its key, once. */
  private allowEventsToPublish(): void {
    if (this.eventsMayPublish) return;
    this.eventsMayPublish = true;
    const principal = new iam.ServicePrincipal('events.amazonaws.com');
    const topicPolicy = this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeRules',
      principals: [principal],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
    const keyPolicy = this.topic.masterKey?.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeRules',
      principals: [principal],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }));
    if (!topicPolicy.statementAdded || (keyPolicy && !keyPolicy.statementAdded)) {
      Annotations.of(this).addWarningV2('cdk-ecs-platform:PlatformAlarms.importedTopic',
        'the topic (or its KMS key) is imported: let events.amazonaws.com publish to it (sns:Publish) and use its key '
        + '(kms:Decrypt, kms:GenerateDataKey*), or the failed deployment and run notifications are lost');
    }
  }

  private subject(construct: IConstruct): string {
    return metrics.displayPath(construct, this);
  }
}

/** The alarms of a queue and its dead-letter queue. */
function queueAlarms(queue: sqs.IQueue, deadLetterQueue: sqs.IQueue | undefined, options: QueueAlarmOptions): PlannedAlarm[] {
  const queueName = queue.queueName;
  const alarms: PlannedAlarm[] = [{
    definition: {
      id: 'OldestMessageAge',
      prop: 'oldestMessageAge',
      metric: (period) => metrics.oldestMessageAge(queueName, period),
      threshold: 900,
      evaluationPeriods: 2,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      condition: 'maximum age of the oldest message',
      unit: ' s',
      advice: 'Jobs wait too long: the workers do not keep up (maxCapacity) or fail on the jobs.',
    },
    options: options.oldestMessageAge,
  }];
  if (deadLetterQueue) {
    const deadLetterQueueName = deadLetterQueue.queueName;
    alarms.push({
      definition: {
        id: 'DeadLetterMessages',
        prop: 'deadLetterMessages',
        metric: (period) => metrics.visibleMessages(deadLetterQueueName, 'Dead-letter messages', period),
        threshold: 0,
        evaluationPeriods: 1,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        condition: 'maximum messages in the dead-letter queue',
        unit: '',
        advice: 'Jobs failed maxReceiveCount times and moved to the dead-letter queue: inspect them, fix the cause and redrive them.',
      },
      options: options.deadLetterMessages,
    });
  }
  return alarms;
}

/** An alarm's settings: the user's options over the alarm's defaults, checked. */
function resolveAlarm(scope: IConstruct, planned: PlannedAlarm): ResolvedAlarm {
  const { definition, options = {} } = planned;
  const threshold = options.threshold ?? definition.threshold;
  const period = options.period ?? DEFAULT_PERIOD;
  const evaluationPeriods = options.evaluationPeriods ?? definition.evaluationPeriods;
  const datapointsToAlarm = options.datapointsToAlarm ?? evaluationPeriods;
  assertAlarmOptions(scope, definition.prop, { threshold, period, evaluationPeriods, datapointsToAlarm });
  return { definition, threshold, period, evaluationPeriods, datapointsToAlarm };
}

/** The alarm options of a `ServiceAlarmOptions`, by prop name. */
function serviceAlarmEntries(options: ServiceAlarmOptions): [string, AlarmOptions | undefined][] {
  return [
    ['cpuUtilization', options.cpuUtilization],
    ['memoryUtilization', options.memoryUtilization],
    ['tasksBelowDesired', options.tasksBelowDesired],
  ];
}

/** `options` over `defaults`, field by field; a field left undefined keeps the default's. */
function mergeServiceOptions(defaults: ServiceAlarmOptions, options: ServiceAlarmOptions): ServiceAlarmOptions {
  return {
    cpuUtilization: mergeAlarmOptions(defaults.cpuUtilization, options.cpuUtilization),
    memoryUtilization: mergeAlarmOptions(defaults.memoryUtilization, options.memoryUtilization),
    tasksBelowDesired: mergeAlarmOptions(defaults.tasksBelowDesired, options.tasksBelowDesired),
    notifyFailedDeployments: options.notifyFailedDeployments ?? defaults.notifyFailedDeployments,
  };
}

function mergeAlarmOptions(defaults: AlarmOptions = {}, options: AlarmOptions = {}): AlarmOptions {
  return {
    enabled: options.enabled ?? defaults.enabled,
    threshold: options.threshold ?? defaults.threshold,
    period: options.period ?? defaults.period,
    evaluationPeriods: options.evaluationPeriods ?? defaults.evaluationPeriods,
    datapointsToAlarm: options.datapointsToAlarm ?? defaults.datapointsToAlarm,
  };
}

/** Checks the settings of one alarm; a setting left undefined (in `serviceDefaults`) is not checked. */
function assertAlarmOptions(scope: IConstruct, prop: string, options: AlarmOptions): void {
  const { threshold, period, evaluationPeriods, datapointsToAlarm } = options;
  if (threshold !== undefined && !Token.isUnresolved(threshold) && !(Number.isFinite(threshold) && threshold >= 0)) {
    validationError(scope, `${prop}.threshold`, 'a number of at least 0', threshold);
  }
  const seconds = period && !period.isUnresolved() ? period.toSeconds({ integral: false }) : undefined;
  if (seconds !== undefined && !(Number.isInteger(seconds / 60) && seconds >= 60 && seconds <= MAX_EVALUATION_SECONDS)) {
    validationError(scope, `${prop}.period`, 'whole minutes from 1 minute to 1 day', period!.toHumanString());
  }
  const maxPeriods = Math.floor(MAX_EVALUATION_SECONDS / (seconds ?? DEFAULT_PERIOD.toSeconds()));
  if (evaluationPeriods !== undefined && !Token.isUnresolved(evaluationPeriods)
    && !(Number.isInteger(evaluationPeriods) && evaluationPeriods >= 1 && evaluationPeriods <= maxPeriods)) {
    validationError(scope, `${prop}.evaluationPeriods`,
      `an integer between 1 and ${maxPeriods} (evaluationPeriods × period at most one day)`, evaluationPeriods);
  }
  if (datapointsToAlarm !== undefined && !Token.isUnresolved(datapointsToAlarm)) {
    const most = evaluationPeriods !== undefined && !Token.isUnresolved(evaluationPeriods) ? evaluationPeriods : undefined;
    if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || (most !== undefined && datapointsToAlarm > most)) {
      validationError(scope, `${prop}.datapointsToAlarm`,
        most !== undefined ? `an integer between 1 and \`${prop}.evaluationPeriods\` (${most})` : 'an integer of at least 1', datapointsToAlarm);
    }
  }
}

/** Whether the group collects `GroupInServiceInstances` (a collection without a metric list collects all). */
function collectsInServiceInstances(group: autoscaling.AutoScalingGroup): boolean {
  const cfnGroup = group.node.defaultChild as autoscaling.CfnAutoScalingGroup;
  const collections = Stack.of(group).resolve(cfnGroup.metricsCollection) as { metrics?: string[] }[] | undefined;
  return (collections ?? []).some((collection) => !collection.metrics || collection.metrics.includes('GroupInServiceInstances'));
}

/** The Container Insights setting of a cluster this app defines; undefined for an imported cluster or the account default. */
function containerInsightsOf(cluster: ecs.ICluster): string | undefined {
  const cfnCluster = cluster.node.defaultChild;
  if (!(cfnCluster instanceof ecs.CfnCluster)) return undefined;
  const settings = Stack.of(cluster).resolve(cfnCluster.clusterSettings) as { name?: string; value?: string }[] | undefined;
  return settings?.find((setting) => setting.name === 'containerInsights')?.value;
}
