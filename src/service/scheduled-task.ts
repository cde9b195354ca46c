import { Aws, Duration, Stack, TimeZone, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TaskTrigger } from './task-trigger';
import { WorkloadTaskOptions } from './workload-task-options';
import { EcsCluster } from '../cluster/ecs-cluster';
import { newDeadLetterQueue } from '../shared/dead-letter-queue';
import { restOfSubtree } from '../shared/dependencies';
import { acknowledgeNagRule, resourceFindingSuffix } from '../shared/nag';
import { KEEP_STATEFUL } from '../shared/removal';
import { isKnownTimeZone } from './private/schedule-expression';
import { assertInRange, validationError } from '../shared/validate';
import { WorkloadTask } from './private/workload-task';

/** Options for a `ScheduledTask`: everything but the cluster it runs in. */
export interface ScheduledTaskOptions extends WorkloadTaskOptions {
  /**
   * What starts the task: a schedule, for example `TaskTrigger.cron({ hour: '3' })` or
   * `TaskTrigger.rate(Duration.hours(6))`, or matching events, `TaskTrigger.onEvent({ source: ['my.app'] })`.
   */
  readonly trigger: TaskTrigger;

  /**
   * The time zone of a cron or one-time (`at`) schedule, an IANA name such as `TimeZone.EUROPE_BERLIN` or
   * `TimeZone.of('Europe/Amsterdam')`. Cron schedules follow its daylight saving time changes. Only for cron and
   * `at` triggers: a rate and an event pattern do not depend on the time of day.
   *
   * @default TimeZone.ETC_UTC
   */
  readonly timeZone?: TimeZone;

  /**
   * A window after each scheduled time in which EventBridge Scheduler may start the task (1 to 1440 whole minutes),
   * to spread the load of many schedules. Only for schedule triggers.
   *
   * @default - off: the task starts at the scheduled time
   */
  readonly flexibleTimeWindow?: Duration;

  /**
   * How many tasks each run starts (1 to 10). The cluster's capacity check counts this many tasks.
   *
   * @default 1
   */
  readonly taskCount?: number;

  /**
   * How many times a failed RunTask call is retried (0 to 185) before the invocation goes to the dead-letter queue.
   *
   * @default 2
   */
  readonly maxRetries?: number;

  /**
   * How long after its scheduled time (or its event) an invocation may still be retried (60 seconds to 24 hours,
   * whole seconds). Older ones go to the dead-letter queue.
   *
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;

  /**
   * Whether the schedule or rule is enabled. A disabled one starts no tasks, but keeps its settings.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/** Properties for a `ScheduledTask`. */
export interface ScheduledTaskProps extends ScheduledTaskOptions {
  /** The cluster to run in. Tasks are placed on its default capacity strategy unless `capacityStrategy` is given. */
  readonly cluster: EcsCluster;
}

/**
 * A task that runs to completion on the cluster's EC2 capacity, started on a schedule by EventBridge Scheduler
 * (cron with a time zone, rate, or one time), or by an EventBridge rule whenever matching events arrive.
 *
 * Each run calls RunTask for the task definition: awsvpc networking in the private subnets with the task's own
 * security group (no inbound rules), the capacity provider strategy, the OS placement constraint, binpacking by
 * memory, and tags propagated from the task definition. Failed invocations are retried, then kept in an encrypted,
 * TLS-only dead-letter queue. The role that EventBridge assumes may run only this task definition family in this
 * cluster and pass only the task's own two roles.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/tasks-scheduled-eventbridge-scheduler.html
 * @example
 * import { Stack, TimeZone } from 'aws-cdk-lib';
 * import { EcsCluster, ImageRepository, ScheduledTask, TaskTrigger } from 'cdk-ecs-platform';
 *
 * declare const stack: Stack;
 * declare const cluster: EcsCluster;
 * declare const repository: ImageRepository;
 * new ScheduledTask(stack, 'NightlyReport', {
 *   cluster,
 *   image: repository.image('2.0.1'),
 *   trigger: TaskTrigger.cron({ minute: '30', hour: '2' }),
 *   timeZone: TimeZone.EUROPE_BERLIN,
 *   secrets: { DATABASE_PASSWORD: '/prod/report/db-password' },
 * });
 */
export class ScheduledTask extends Construct {
  /** The task definition. */
  public readonly taskDefinition: ecs.TaskDefinition;
  /** The application container. */
  public readonly container: ecs.ContainerDefinition;
  /** The role the application's containers run as: grant it what the application needs. */
  public readonly taskRole: iam.Role;
  /** The role ECS uses to start the tasks: image pull, secrets, logs. */
  public readonly executionRole: iam.Role;
  /** The log group of the task's containers. */
  public readonly logGroup: logs.LogGroup;
  /** The security group of the tasks: no inbound rules. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Invocations that failed after their retries: alarm on its messages. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The role that EventBridge Scheduler (or the rule) assumes to start the tasks. */
  public readonly triggerRole: iam.Role;
  /**
   * The EventBridge Scheduler schedule, for a schedule trigger. An L1: aws-cdk-lib's `Schedule` checks its time
   * window and retry policy in ways that break on values known only at deploy time, and writes a time zone even for
   * a rate, so this construct writes the schedule itself.
   */
  public readonly schedule?: scheduler.CfnSchedule;
  /** The EventBridge rule, for an event trigger. */
  public readonly rule?: events.Rule;

  constructor(scope: Construct, id: string, props: ScheduledTaskProps) {
    super(scope, id);

    // Resolve
    const trigger = props.trigger;
    const taskCount = props.taskCount ?? 1;
    const maxRetries = props.maxRetries ?? 2;
    const maxEventAge = props.maxEventAge ?? Duration.hours(1);
    const timeZone = props.timeZone ?? TimeZone.ETC_UTC;
    const enabled = props.enabled ?? true;
    const removalPolicy = props.removalPolicy ?? KEEP_STATEFUL;
    const schedule = trigger._schedule();
    const event = trigger._event();

    // Validate: everything before the first resource, so bad input builds nothing
    const task = this.validate(props, { taskCount, maxRetries, maxEventAge, timeZone, schedule });

    // Build
    const built = task.build({ securityGroupDescription: `Tasks of ${id}: no inbound traffic` });
    this.taskRole = built.taskRole;
    this.executionRole = built.executionRole;
    this.logGroup = built.logGroup;
    this.taskDefinition = built.taskDefinition;
    this.container = built.container;
    this.securityGroup = built.securityGroup;
    task.registerDemand(taskCount);

    this.deadLetterQueue = newDeadLetterQueue(this, 'DeadLetterQueue', removalPolicy);
    acknowledgeNagRule(this.deadLetterQueue, 'SCHEDULED_TASK_DEAD_LETTER_QUEUE');

    const runTask = this.runTaskParameters(props.cluster, task, taskCount);
    const retryPolicy = { maximumRetryAttempts: maxRetries, maximumEventAgeInSeconds: maxEventAge.toSeconds() };
    const description = `Runs ${this.node.path} on its ECS cluster`;

    this.triggerRole = this.buildTriggerRole(id, schedule !== undefined);
    this.grantRunTask(this.triggerRole, props.cluster);
    if (schedule) {
      this.schedule = this.buildSchedule(props, schedule, { runTask, retryPolicy, description, timeZone, enabled });
    } else {
      this.rule = this.buildRule(props, event!, { runTask, retryPolicy, description, enabled });
    }
  }
  /** Checks every prop and the task, before the first resource, so that bad input builds nothing. */
  private validate(props: ScheduledTaskProps, settings: {
    taskCount: number;
    maxRetries: number;
    maxEventAge: Duration;
    timeZone: TimeZone;
    schedule: TriggerSchedule | undefined;
  }): WorkloadTask {
    const { taskCount, maxRetries, maxEventAge, timeZone, schedule } = settings;
    const task = WorkloadTask.resolve(this, props.cluster, props);
    props.trigger._validate(this, 'trigger');
    assertInRange(this, 'taskCount', taskCount, 1, 10);
    assertInRange(this, 'maxRetries', maxRetries, 0, 185);
    if (!maxEventAge.isUnresolved() && !isWhole(maxEventAge.toSeconds({ integral: false }), 60, 86400)) {
      validationError(this, 'maxEventAge', 'whole seconds from 60 seconds to 24 hours', maxEventAge.toHumanString());
    }
    if (props.timeZone !== undefined && !schedule?.usesTimeZone) {
      validationError(this, 'timeZone', `left out for ${schedule ? 'a rate' : 'an event'} trigger (it applies to cron and \`at\` schedules only)`,
        props.timeZone.timezoneName);
    }
    if (!Token.isUnresolved(timeZone.timezoneName) && !isKnownTimeZone(timeZone.timezoneName)) {
      validationError(this, 'timeZone', 'an IANA time zone name such as "Europe/Berlin" or "America/New_York"', timeZone.timezoneName);
    }
    if (props.flexibleTimeWindow !== undefined) {
      if (!schedule) validationError(this, 'flexibleTimeWindow', 'left out for an event trigger (it applies to schedules only)', props.flexibleTimeWindow.toHumanString());
      if (!props.flexibleTimeWindow.isUnresolved() && !isWhole(props.flexibleTimeWindow.toSeconds({ integral: false }) / 60, 1, 1440)) {
        validationError(this, 'flexibleTimeWindow', 'whole minutes from 1 minute to 24 hours', props.flexibleTimeWindow.toHumanString());
      }
    }
    return task;
  }

  /** What the schedule or the rule asks of RunTask: the task definition, capacity strategy, network and placement. */
  private runTaskParameters(cluster: EcsCluster, task: WorkloadTask, taskCount: number): RunTaskParameters {
    return {
      taskDefinitionArn: this.taskDefinition.taskDefinitionArn,
      taskCount,
      capacityProviderStrategy: cluster._renderStrategy(task.strategy),
      subnets: cluster.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds,
      securityGroups: [this.securityGroup.securityGroupId],
      placementConstraints: task.osConstraint().toJson().map(({ type, expression }) => ({ type, expression })),
      // RunTask's documented spelling of the field; aws-cdk-lib's services write MEMORY
      placementStrategy: [{ type: 'binpack', field: 'memory' }],
      propagateTags: 'TASK_DEFINITION',
      enableEcsManagedTags: true,
    };
  }

  /** The role the schedule or the rule runs the task with. */
  private buildTriggerRole(id: string, isSchedule: boolean): iam.Role {
    const stack = Stack.of(this);
    return new iam.Role(this, 'TriggerRole', {
      description: `Role of the ${isSchedule ? 'schedule' : 'rule'} of ${id}: RunTask of its task definition only`,
      assumedBy: isSchedule
        ? new iam.ServicePrincipal('scheduler.amazonaws.com').withConditions({
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnEquals: { 'aws:SourceArn': stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }) },
        })
        : new iam.ServicePrincipal('events.amazonaws.com'),
    });
  }

  /** The EventBridge Scheduler schedule that runs the task, and its permission to send to the dead-letter queue. */
  private buildSchedule(props: ScheduledTaskProps, schedule: TriggerSchedule, target: TriggerTarget & { timeZone: TimeZone }):
  scheduler.CfnSchedule {
    const { runTask, retryPolicy, description, timeZone, enabled } = target;
    const cluster = props.cluster.cluster;
    this.triggerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['sqs:SendMessage'],
      resources: [this.deadLetterQueue.queueArn],
    }));
    const window = props.flexibleTimeWindow;
    const cfnSchedule = new scheduler.CfnSchedule(this, 'Schedule', {
      scheduleExpression: schedule.expression,
      scheduleExpressionTimezone: schedule.usesTimeZone ? timeZone.timezoneName : undefined,
      flexibleTimeWindow: window ? { mode: 'FLEXIBLE', maximumWindowInMinutes: window.toMinutes() } : { mode: 'OFF' },
      state: enabled ? 'ENABLED' : 'DISABLED',
      description,
      target: {
        arn: cluster.clusterArn,
        roleArn: this.triggerRole.roleArn,
        retryPolicy,
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        ecsParameters: {
          taskDefinitionArn: runTask.taskDefinitionArn,
          taskCount: runTask.taskCount,
          capacityProviderStrategy: runTask.capacityProviderStrategy,
          networkConfiguration: { awsvpcConfiguration: { subnets: runTask.subnets, securityGroups: runTask.securityGroups } },
          placementConstraints: runTask.placementConstraints,
          placementStrategy: runTask.placementStrategy,
          propagateTags: runTask.propagateTags,
          enableEcsManagedTags: runTask.enableEcsManagedTags,
        },
      },
    });
    // The role's policy must be in place before the first run, and the capacity providers associated with the
    // cluster; the role and the cluster themselves are referred to already
    cfnSchedule.node.addDependency(restOfSubtree(this.triggerRole), restOfSubtree(cluster));
    return cfnSchedule;
  }

  /** The EventBridge rule that runs the task on its events, and the dead-letter queue's policy for it. */
  private buildRule(props: ScheduledTaskProps, event: TriggerEvent, target: TriggerTarget): events.Rule {
    const { runTask, retryPolicy, description, enabled } = target;
    const cluster = props.cluster.cluster;
    const { pattern, eventBus } = event;
    const rule = new events.Rule(this, 'Rule', {
      eventPattern: pattern,
      eventBus,
      enabled,
      description,
      targets: [{
        bind: () => ({
          arn: cluster.clusterArn,
          role: this.triggerRole,
          retryPolicy,
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
          targetResource: cluster,
          ecsParameters: {
            taskDefinitionArn: runTask.taskDefinitionArn,
            taskCount: runTask.taskCount,
            capacityProviderStrategy: runTask.capacityProviderStrategy,
            networkConfiguration: { awsVpcConfiguration: { subnets: runTask.subnets, securityGroups: runTask.securityGroups } },
            placementConstraints: runTask.placementConstraints,
            placementStrategies: runTask.placementStrategy,
            propagateTags: runTask.propagateTags,
            enableEcsManagedTags: runTask.enableEcsManagedTags,
          },
        }),
      }],
    });
    rule.node.addDependency(restOfSubtree(this.triggerRole), restOfSubtree(cluster));
    // EventBridge rules deliver to a dead-letter queue under the queue's policy, not the target role
    this.deadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowRuleDeadLetters',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [this.deadLetterQueue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
    }));
    return rule;
  }


  /**
   * Lets `role` run this task definition family in the cluster, tag the tasks it starts, and pass the task's roles
   * to ECS tasks, and nothing else.
   */
  private grantRunTask(role: iam.Role, cluster: EcsCluster): void {
    const stack = Stack.of(this);
    const family = stack.formatArn({
      service: 'ecs',
      resource: 'task-definition',
      resourceName: `${this.taskDefinition.family}:*`,
    });
    // the cluster of another stack by its export, taken here: the acknowledgement below then names the value
    // cdk-nag reads, before and after aws-cdk-lib turns cross-stack references into imports
    const clusterStack = Stack.of(cluster);
    const clusterName = clusterStack === stack ? cluster.clusterName : clusterStack.exportValue(cluster.clusterName);
    const tasks = stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${clusterName}/*` });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ecs:RunTask'],
      resources: [family],
      conditions: { ArnEquals: { 'ecs:cluster': cluster.cluster.clusterArn } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ecs:TagResource'],
      resources: [tasks],
      conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [this.taskRole.roleArn, this.executionRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }));
    acknowledgeNagRule(role, 'SCHEDULED_TASK_FAMILY_REVISIONS', resourceFindingSuffix(role, family));
    acknowledgeNagRule(role, 'SCHEDULED_TASK_TAGGING', resourceFindingSuffix(role, tasks));
  }
}


/** What the schedule or the rule asks of RunTask. */
interface RunTaskParameters {
  readonly taskDefinitionArn: string;
  readonly taskCount: number;
  readonly capacityProviderStrategy: ecs.CapacityProviderStrategy[];
  readonly subnets: string[];
  readonly securityGroups: string[];
  readonly placementConstraints: { type: string; expression?: string }[];
  readonly placementStrategy: { type: string; field: string }[];
  readonly propagateTags: string;
  readonly enableEcsManagedTags: boolean;
}

/** What the schedule and the rule have in common: the RunTask call, its retries, the description and the state. */
interface TriggerTarget {
  readonly runTask: RunTaskParameters;
  readonly retryPolicy: { readonly maximumRetryAttempts: number; readonly maximumEventAgeInSeconds: number };
  readonly description: string;
  readonly enabled: boolean;
}

/** The schedule of a trigger: its expression and whether a time zone applies to it. */
type TriggerSchedule = NonNullable<ReturnType<TaskTrigger['_schedule']>>;

/** The events of a trigger: their pattern and bus. */
type TriggerEvent = NonNullable<ReturnType<TaskTrigger['_event']>>;

/** Whether `value` is an integer in [min, max]. */
function isWhole(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
