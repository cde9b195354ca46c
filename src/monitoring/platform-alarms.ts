import { Annotations, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import {
  CapacityAlarmOptions, ClusterAlarmOptions, LoadBalancerAlarmOptions, QueueAlarmOptions, QueueWorkerAlarmOptions, ScheduledTaskAlarmOptions,
  ServiceAlarmOptions, WebServiceAlarmOptions,
} from './alarm-options';
import { assertAlarmOptions, describeAlarm, PlannedAlarm, PlannedNotification, ResolvedAlarm, resolveAlarm } from './private/alarm-plan';
import { capacityAlarms, clusterAlarms } from './private/cluster-alarms';
import { loadBalancerAlarms } from './private/load-balancer-alarms';
import * as metrics from './private/platform-metrics';
import { queueAlarms } from './private/queue-alarms';
import { scheduledTaskAlarms } from './private/scheduled-task-alarms';
import { serviceAlarmEntries, serviceAlarms, unhealthyTargetsAlarm } from './private/service-alarms';
import { Ec2Capacity } from '../cluster/ec2-capacity';
import { EcsCluster } from '../cluster/ecs-cluster';
import { PublicLoadBalancer } from '../service/public-load-balancer';
import { QueueWorker } from '../service/queue-worker';
import { ScheduledTask } from '../service/scheduled-task';
import { WebService } from '../service/web-service';
import { validationError } from '../shared/validate';

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
 * import { Stack } from 'aws-cdk-lib';
 * import { EcsCluster, OpsTopic, PlatformAlarms, PublicLoadBalancer, WebService } from 'cdk-ecs-platform';
 *
 * declare const stack: Stack;
 * declare const ops: OpsTopic;
 * declare const cluster: EcsCluster;
 * declare const loadBalancer: PublicLoadBalancer;
 * declare const api: WebService;
 * const alarms = new PlatformAlarms(stack, 'Alarms', { topic: ops.topic });
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
    const subject = this.subject(cluster);
    const builds = [
      this.prepare(cluster, 'cluster', subject, clusterAlarms(cluster, options)),
      ...cluster.capacities.map((capacity) => {
        const capacitySubject = this.subject(capacity);
        return this.prepare(capacity, 'capacity', capacitySubject, capacityAlarms(cluster, capacity, capacitySubject, options));
      }),
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
    const subject = this.subject(capacity);
    return this.prepare(capacity, 'capacity', subject, capacityAlarms(cluster, capacity, subject, options))();
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
    return this.prepare(loadBalancer, 'loadBalancer', this.subject(loadBalancer), loadBalancerAlarms(loadBalancer, options))();
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
    const planned = serviceAlarms(subject, service, this.serviceDefaults, options);
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
    const planned = serviceAlarms(subject, service.service, this.serviceDefaults, options);
    return this.prepare(service, 'service', subject, [...planned.alarms, unhealthyTargetsAlarm(service, options)], planned.notifications)();
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
    const planned = serviceAlarms(subject, worker.service, this.serviceDefaults, options);
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
    const planned = scheduledTaskAlarms(task, subject, options);
    return this.prepare(task, 'task', subject, planned.alarms, planned.notifications)();
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
      alarmDescription: describeAlarm(subject, resolved),
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
