import { CfnElement, CfnParameter, Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { AmiFamily, Ec2Capacity, EcsCluster, ScheduledTask, ScheduledTaskOptions, TaskCronOptions, TaskTrigger } from '../../src';
import { nagFindings, testStack, testVpc } from '../util';

const IMAGE_NAME = 'public.ecr.aws/docker/library/busybox:1.36';
const IMAGE = ecs.ContainerImage.fromRegistry(IMAGE_NAME);
const DAILY = TaskTrigger.cron({ hour: '3' });
const ON_UPLOAD = TaskTrigger.onEvent({ source: ['aws.s3'], detailType: ['Object Created'] });

/** A stack with a VPC and a cluster: what every `ScheduledTask` needs. */
class Fixture {
  public readonly stack: Stack;
  public readonly vpc: ec2.Vpc;
  public readonly cluster: EcsCluster;

  constructor() {
    this.stack = testStack();
    this.vpc = testVpc(this.stack);
    this.cluster = new EcsCluster(this.stack, 'Cluster', { vpc: this.vpc });
  }

  /** Adds a task with the given options on top of a public image and a daily trigger at 03:00 UTC. */
  public addTask(options: Partial<ScheduledTaskOptions> = {}, id = 'Nightly'): ScheduledTask {
    return new ScheduledTask(this.stack, id, { cluster: this.cluster, image: IMAGE, trigger: DAILY, ...options });
  }

  public template(): Template {
    return Template.fromStack(this.stack);
  }

  /** The properties of the only schedule. */
  public scheduleProperties(): any {
    return onlyResource(this.template(), 'AWS::Scheduler::Schedule').Properties;
  }
}

function onlyResource(template: Template, type: string): any {
  const resources = Object.values(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

function logicalId(construct: IConstruct): string {
  const element = (construct instanceof CfnElement ? construct : construct.node.defaultChild) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

function getAttArn(construct: IConstruct): { 'Fn::GetAtt': string[] } {
  return { 'Fn::GetAtt': [logicalId(construct), 'Arn'] };
}

/** Every statement of every identity policy attached to `role`. */
function statementsOf(template: Template, role: iam.Role): unknown[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(role) }] } });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** An anchored regex for exactly this validation message. */
function exactly(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** `arn:<partition>:<rest>` as the template writes it. */
function arn(rest: string, ...more: unknown[]): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest, ...more]] };
}

/** The statements that let a trigger role run `task` and nothing else. */
function runTaskStatements(task: ScheduledTask, cluster: EcsCluster): unknown[] {
  return [
    {
      Action: 'ecs:RunTask',
      Effect: 'Allow',
      Resource: arn(`:ecs:us-east-1:123456789012:task-definition/${task.taskDefinition.family}:*`),
      Condition: { ArnEquals: { 'ecs:cluster': getAttArn(cluster.cluster) } },
    },
    {
      Action: 'ecs:TagResource',
      Effect: 'Allow',
      Resource: arn(':ecs:us-east-1:123456789012:task/', { Ref: logicalId(cluster.cluster) }, '/*'),
      Condition: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
    },
    {
      Action: 'iam:PassRole',
      Effect: 'Allow',
      Resource: [getAttArn(task.taskRole), getAttArn(task.executionRole)],
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
  ];
}

describe('ScheduledTask', () => {
  describe('defaults', () => {
    let fixture: Fixture;
    let task: ScheduledTask;
    let template: Template;
    let schedule: any;
    beforeAll(() => {
      fixture = new Fixture();
      task = fixture.addTask();
      template = fixture.template();
      schedule = fixture.scheduleProperties();
    });

    test('creates exactly one schedule, task definition, log group and dead-letter queue, and no rule or service', () => {
      template.resourceCountIs('AWS::Scheduler::Schedule', 1);
      template.resourceCountIs('AWS::ECS::TaskDefinition', 1);
      // the cluster may have log groups of its own (instance logs): count the workload's
      expect(task.node.findAll().filter((construct) => construct instanceof logs.CfnLogGroup)).toHaveLength(1);
      template.resourceCountIs('AWS::SQS::Queue', 1);
      template.resourceCountIs('AWS::Events::Rule', 0);
      template.resourceCountIs('AWS::ECS::Service', 0);
    });

    test('exposes the L2s it creates under stable construct ids', () => {
      expect(task.schedule).toBeInstanceOf(scheduler.CfnSchedule);
      expect(task.rule).toBeUndefined();
      expect(task.deadLetterQueue).toBeInstanceOf(sqs.Queue);
      expect(task.triggerRole).toBeInstanceOf(iam.Role);
      expect(task.logGroup).toBeInstanceOf(logs.LogGroup);
      expect(task.container.containerName).toBe('app');
      expect(task.container.taskDefinition).toBe(task.taskDefinition);
      expect([task.schedule!, task.deadLetterQueue, task.triggerRole, task.logGroup, task.taskDefinition, task.securityGroup,
        task.taskRole, task.executionRole].map((construct) => construct.node.path)).toEqual([
        'TestStack/Nightly/Schedule',
        'TestStack/Nightly/DeadLetterQueue',
        'TestStack/Nightly/TriggerRole',
        'TestStack/Nightly/Logs',
        'TestStack/Nightly/TaskDefinition',
        'TestStack/Nightly/SecurityGroup',
        'TestStack/Nightly/Roles/TaskRole',
        'TestStack/Nightly/Roles/ExecutionRole',
      ]);
    });

    test('defines an awsvpc task for EC2 with 256 CPU units and 512 MiB and its own roles', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['EC2'],
        Cpu: '256',
        Memory: '512',
        TaskRoleArn: getAttArn(task.taskRole),
        ExecutionRoleArn: getAttArn(task.executionRole),
      });
    });

    test('runs one essential container named app, without ports, with a read-only root filesystem', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Name: 'app',
          Image: IMAGE_NAME,
          Essential: true,
          ReadonlyRootFilesystem: true,
          PortMappings: Match.absent(),
          Environment: Match.absent(),
          Secrets: Match.absent(),
        })],
      });
    });

    test('keeps container logs for one month and retains the log group', () => {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 30 },
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('schedules with EventBridge Scheduler in UTC, without a flexible time window, enabled', () => {
      expect(schedule).toMatchObject({
        ScheduleExpression: 'cron(0 3 * * ? *)',
        ScheduleExpressionTimezone: 'Etc/UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Description: 'Runs TestStack/Nightly on its ECS cluster',
      });
      expect(schedule.FlexibleTimeWindow.MaximumWindowInMinutes).toBeUndefined();
      expect(schedule.GroupName).toBeUndefined();
      expect(schedule.Name).toBeUndefined();
    });

    test('calls RunTask on the cluster for one task of the task definition, as the trigger role', () => {
      expect(schedule.Target).toMatchObject({
        Arn: getAttArn(fixture.cluster.cluster),
        RoleArn: getAttArn(task.triggerRole),
      });
      expect(schedule.Target.EcsParameters).toMatchObject({
        TaskDefinitionArn: { Ref: logicalId(task.taskDefinition) },
        TaskCount: 1,
      });
      expect(schedule.Target.EcsParameters.LaunchType).toBeUndefined();
      expect(schedule.Target.Input).toBeUndefined();
    });

    test('runs the task in the private subnets with its own security group, which admits nothing', () => {
      expect(schedule.Target.EcsParameters.NetworkConfiguration).toEqual({
        AwsvpcConfiguration: {
          Subnets: fixture.vpc.privateSubnets.map((subnet) => ({ Ref: logicalId(subnet.node.defaultChild as CfnElement) })),
          SecurityGroups: [{ 'Fn::GetAtt': [logicalId(task.securityGroup), 'GroupId'] }],
        },
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Tasks of Nightly: no inbound traffic',
        SecurityGroupIngress: Match.absent(),
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    test('uses the cluster\'s default capacity strategy, Linux instances and binpacking by memory', () => {
      expect(schedule.Target.EcsParameters).toMatchObject({
        CapacityProviderStrategy: [{ CapacityProvider: fixture.stack.resolve(fixture.cluster.defaultCapacity.capacityProviderName), Weight: 1 }],
        PlacementConstraints: [{ Type: 'memberOf', Expression: 'attribute:ecs.os-type == linux' }],
        PlacementStrategy: [{ Type: 'binpack', Field: 'memory' }],
      });
    });

    test('propagates the task definition\'s tags and adds ECS managed tags', () => {
      expect(schedule.Target.EcsParameters).toMatchObject({ PropagateTags: 'TASK_DEFINITION', EnableECSManagedTags: true });
    });

    test('retries a failed invocation twice, for up to one hour, then sends it to the dead-letter queue', () => {
      expect(schedule.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
      expect(schedule.Target.DeadLetterConfig).toEqual({ Arn: getAttArn(task.deadLetterQueue) });
    });

    test('creates a dead-letter queue encrypted with SQS-managed keys that keeps messages 14 days and is retained', () => {
      template.hasResource('AWS::SQS::Queue', {
        Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600, KmsMasterKeyId: Match.absent() },
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('refuses every request to the dead-letter queue that is not over TLS', () => {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(task.deadLetterQueue) }],
        PolicyDocument: {
          Statement: [{
            Action: 'sqs:*',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Resource: getAttArn(task.deadLetterQueue),
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }],
        },
      });
    });

    test('creates the schedule after the trigger role\'s policy and the cluster\'s capacity provider associations', () => {
      const schedules = template.findResources('AWS::Scheduler::Schedule');
      const dependsOn: string[] = Object.values(schedules)[0].DependsOn;
      const policy = Object.keys(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(task.triggerRole) }] } }));
      const associations = Object.keys(template.findResources('AWS::ECS::ClusterCapacityProviderAssociations'));
      expect(dependsOn).toEqual(expect.arrayContaining([...policy, ...associations]));
    });

    test('does not list the trigger role or the cluster, which it refers to already, in DependsOn (cfn-lint W3005)', () => {
      const [resource] = Object.values(template.findResources('AWS::Scheduler::Schedule'));
      const [cluster] = Object.keys(template.findResources('AWS::ECS::Cluster'));
      expect(resource.Properties.Target.RoleArn).toEqual(getAttArn(task.triggerRole));
      expect(resource.Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [cluster, 'Arn'] });
      expect(resource.DependsOn).not.toContain(logicalId(task.triggerRole));
      expect(resource.DependsOn).not.toContain(cluster);
    });

    test('registers one task with the cluster\'s capacity check', () => {
      // one m6i.large instance holds one task of 2048 CPU units, not two
      const stack = testStack();
      const cluster = new EcsCluster(stack, 'Cluster', { vpc: testVpc(stack), capacity: { minCapacity: 1, maxCapacity: 1 } });
      new ScheduledTask(stack, 'One', { cluster, image: IMAGE, trigger: DAILY, cpu: 2048, memoryLimitMiB: 4096 });
      new ScheduledTask(stack, 'Two', { cluster, image: IMAGE, trigger: DAILY, cpu: 2048, memoryLimitMiB: 4096, taskCount: 2 });
      const annotations = Annotations.fromStack(stack);
      expect(annotations.findWarning('/TestStack/One', Match.anyValue())).toHaveLength(0);
      expect(annotations.findWarning('/TestStack/Two', Match.stringLikeRegexp('maxTasks 2'))).toHaveLength(1);
    });
  });

  describe('configuration', () => {
    let fixture: Fixture;
    beforeEach(() => {
      fixture = new Fixture();
    });

    test.each<[string, TaskCronOptions, string]>([
      ['nothing: hourly', {}, '0 * * * ? *'],
      ['an hour: daily', { hour: '3' }, '0 3 * * ? *'],
      ['a minute: hourly', { minute: '30' }, '30 * * * ? *'],
      ['week days', { minute: '15', hour: '8', weekDay: 'MON-FRI' }, '15 8 ? * MON-FRI *'],
      ['a day of the month: at midnight', { day: '1' }, '0 0 1 * ? *'],
      ['a month and a day', { month: 'JAN', day: '1', hour: '6' }, '0 6 1 JAN ? *'],
      ['a week day alone: at midnight', { weekDay: 'SUN' }, '0 0 ? * SUN *'],
      ['a year', { year: '2030' }, '0 0 * * ? 2030'],
    ])('renders TaskTrigger.cron() of %s', (_, options, expression) => {
      fixture.addTask({ trigger: TaskTrigger.cron(options) });
      expect(fixture.scheduleProperties().ScheduleExpression).toBe(`cron(${expression})`);
    });

    test.each([
      '0 3 * * ? *',
      '0/15 8-17 ? * MON-FRI *',
      '*/5 * * * ? *',
      '0 0 1,15 * ? *',
      '0 12 L * ? *',
      '0 12 LW * ? *',
      '0 12 15W * ? *',
      '0 9 ? * 2#1 *',
      '0 9 ? * 6L *',
      '0 9 ? * L *',
      '0 9 ? * mon,wed,fri *',
      '0 8 ? JAN-MAR,OCT * 2026-2030',
      '59 23 31 12 ? 2199',
      '0 0 1/2 * ? 1970/5',
    ])('accepts the cron expression "%s"', (fields) => {
      fixture.addTask({ trigger: TaskTrigger.cronExpression(fields) });
      expect(fixture.scheduleProperties().ScheduleExpression).toBe(`cron(${fields})`);
    });

    test('takes a whole cron(...) expression in TaskTrigger.cronExpression()', () => {
      fixture.addTask({ trigger: TaskTrigger.cronExpression('cron(0 3 * * ? *)') });
      expect(fixture.scheduleProperties().ScheduleExpression).toBe('cron(0 3 * * ? *)');
    });

    test.each<[string, Duration, string]>([
      ['1 minute', Duration.minutes(1), 'rate(1 minute)'],
      ['120 seconds', Duration.seconds(120), 'rate(2 minutes)'],
      ['90 minutes', Duration.minutes(90), 'rate(90 minutes)'],
      ['1 hour', Duration.hours(1), 'rate(1 hour)'],
      ['12 hours', Duration.hours(12), 'rate(12 hours)'],
      ['48 hours', Duration.hours(48), 'rate(2 days)'],
      ['1 day', Duration.days(1), 'rate(1 day)'],
      ['7 days', Duration.days(7), 'rate(7 days)'],
    ])('renders TaskTrigger.rate() of %s in the largest whole unit', (_, interval, expression) => {
      fixture.addTask({ trigger: TaskTrigger.rate(interval) });
      const schedule = fixture.scheduleProperties();
      expect(schedule.ScheduleExpression).toBe(expression);
      // a rate does not depend on the time of day
      expect(schedule.ScheduleExpressionTimezone).toBeUndefined();
    });

    test.each([
      'rate(1 minute)',
      'rate(5 minutes)',
      'rate(1 hour)',
      'rate(12 hours)',
      'rate(1 day)',
      'rate(7 days)',
      'cron(0 3 * * ? *)',
      'at(2026-01-01T00:00:00)',
    ])('accepts the schedule expression "%s"', (expression) => {
      fixture.addTask({ trigger: TaskTrigger.expression(expression) });
      expect(fixture.scheduleProperties().ScheduleExpression).toBe(expression);
    });

    test('runs once at a local date and time in the time zone with TaskTrigger.at()', () => {
      fixture.addTask({ trigger: TaskTrigger.at('2026-03-29T02:30:00'), timeZone: TimeZone.EUROPE_BERLIN });
      expect(fixture.scheduleProperties()).toMatchObject({
        ScheduleExpression: 'at(2026-03-29T02:30:00)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
      });
    });

    test.each([
      ['a TimeZone constant', TimeZone.AMERICA_NEW_YORK, 'America/New_York'],
      ['a zone that TimeZone has no constant for', TimeZone.of('Europe/Amsterdam'), 'Europe/Amsterdam'],
      ['UTC', TimeZone.of('UTC'), 'UTC'],
      ['a link name', TimeZone.of('Asia/Calcutta'), 'Asia/Calcutta'],
      ['an Etc zone', TimeZone.of('Etc/GMT+5'), 'Etc/GMT+5'],
    ])('uses the provided timeZone: %s', (_, timeZone, name) => {
      fixture.addTask({ timeZone });
      expect(fixture.scheduleProperties().ScheduleExpressionTimezone).toBe(name);
    });

    test.each<[Duration, number]>([
      [Duration.minutes(1), 1],
      [Duration.minutes(15), 15],
      [Duration.hours(24), 1440],
    ])('uses the provided flexibleTimeWindow of %s', (flexibleTimeWindow, minutes) => {
      fixture.addTask({ flexibleTimeWindow });
      expect(fixture.scheduleProperties().FlexibleTimeWindow).toEqual({ Mode: 'FLEXIBLE', MaximumWindowInMinutes: minutes });
    });

    test('uses the provided taskCount, and registers it with the cluster\'s capacity check', () => {
      // one m6i.large instance has network interfaces for two awsvpc tasks
      const stack = testStack();
      const cluster = new EcsCluster(stack, 'Cluster', { vpc: testVpc(stack), capacity: { minCapacity: 1, maxCapacity: 1 } });
      new ScheduledTask(stack, 'Nightly', { cluster, image: IMAGE, trigger: DAILY, taskCount: 10 });
      expect(Annotations.fromStack(stack).findWarning('/TestStack/Nightly', Match.stringLikeRegexp('maxTasks 10'))).toHaveLength(1);
      const schedule = onlyResource(Template.fromStack(stack), 'AWS::Scheduler::Schedule').Properties;
      expect(schedule.Target.EcsParameters.TaskCount).toBe(10);
    });

    test('uses the provided maxRetries and maxEventAge', () => {
      fixture.addTask({ maxRetries: 0, maxEventAge: Duration.hours(24) });
      expect(fixture.scheduleProperties().Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 86400 });
    });

    test('disables the schedule when enabled is false', () => {
      fixture.addTask({ enabled: false });
      expect(fixture.scheduleProperties().State).toBe('DISABLED');
    });

    test('applies the provided removalPolicy to the log group and the dead-letter queue', () => {
      fixture.addTask({ removalPolicy: RemovalPolicy.DESTROY });
      const template = fixture.template();
      template.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Delete' });
      template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
    });

    test('uses the provided task settings: size, environment, secrets and log retention', () => {
      fixture.addTask({
        cpu: 512,
        memoryLimitMiB: 1024,
        environment: { REPORT_BUCKET: 'reports' },
        secrets: { DATABASE_PASSWORD: '/prod/report/db-password' },
        logRetention: logs.RetentionDays.ONE_WEEK,
      });
      const template = fixture.template();
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '512',
        Memory: '1024',
        ContainerDefinitions: [Match.objectLike({
          Environment: [{ Name: 'REPORT_BUCKET', Value: 'reports' }],
          Secrets: [Match.objectLike({ Name: 'DATABASE_PASSWORD' })],
        })],
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    });

    test('leaves values known only at deploy time to CloudFormation', () => {
      const minutes = new CfnParameter(fixture.stack, 'Minutes', { type: 'Number' }).valueAsNumber;
      const zone = new CfnParameter(fixture.stack, 'Zone').valueAsString;
      const expression = new CfnParameter(fixture.stack, 'Expression').valueAsString;
      fixture.addTask({
        trigger: TaskTrigger.expression(expression),
        timeZone: TimeZone.of(zone),
        flexibleTimeWindow: Duration.minutes(minutes),
        maxEventAge: Duration.seconds(minutes),
        taskCount: minutes,
        maxRetries: minutes,
      }, 'Deferred');
      fixture.addTask({ trigger: TaskTrigger.rate(Duration.minutes(minutes)) }, 'Rate');
      fixture.addTask({ trigger: TaskTrigger.cronExpression(expression) }, 'Cron');
      const schedules = Object.values(fixture.template().findResources('AWS::Scheduler::Schedule')).map((schedule) => schedule.Properties);
      expect(schedules[0]).toMatchObject({
        ScheduleExpression: { Ref: 'Expression' },
        ScheduleExpressionTimezone: { Ref: 'Zone' },
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: { Ref: 'Minutes' } },
        Target: {
          EcsParameters: { TaskCount: { Ref: 'Minutes' } },
          RetryPolicy: { MaximumRetryAttempts: { Ref: 'Minutes' }, MaximumEventAgeInSeconds: { Ref: 'Minutes' } },
        },
      });
      expect(schedules[1].ScheduleExpression).toEqual({ 'Fn::Join': ['', ['rate(', { Ref: 'Minutes' }, ' minutes)']] });
      expect(schedules[2].ScheduleExpression).toEqual({ 'Fn::Join': ['', ['cron(', { Ref: 'Expression' }, ')']] });
    });

    describe('capacityStrategy', () => {
      let cluster: EcsCluster;
      let spot: Ec2Capacity;
      beforeEach(() => {
        cluster = fixture.cluster;
        spot = cluster.addCapacity('Spot', { spot: {} });
      });

      function provider(capacity: Ec2Capacity): unknown {
        return fixture.stack.resolve(capacity.capacityProviderName);
      }

      test('uses the provided capacityStrategy', () => {
        fixture.addTask({ capacityStrategy: [{ capacity: spot, weight: 2, base: 1 }, { capacity: cluster.defaultCapacity }] });
        expect(fixture.scheduleProperties().Target.EcsParameters.CapacityProviderStrategy).toEqual([
          { CapacityProvider: provider(spot), Base: 1, Weight: 2 },
          { CapacityProvider: provider(cluster.defaultCapacity), Weight: 1 },
        ]);
      });

      test('takes the default strategy that the cluster has when the task is created', () => {
        cluster.configureDefaultCapacityStrategy([{ capacity: spot }]);
        fixture.addTask();
        expect(fixture.scheduleProperties().Target.EcsParameters.CapacityProviderStrategy).toEqual([{ CapacityProvider: provider(spot), Weight: 1 }]);
      });

      test('places the tasks of a Windows strategy on Windows instances', () => {
        const windows = cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
        fixture.addTask({ capacityStrategy: [{ capacity: windows }], cpu: 1024, memoryLimitMiB: 2048 });
        expect(fixture.scheduleProperties().Target.EcsParameters).toMatchObject({
          CapacityProviderStrategy: [{ CapacityProvider: provider(windows), Weight: 1 }],
          PlacementConstraints: [{ Type: 'memberOf', Expression: 'attribute:ecs.os-type == windows' }],
        });
      });
    });

    describe('event trigger', () => {
      let task: ScheduledTask;
      let template: Template;
      let rule: any;
      beforeEach(() => {
        task = fixture.addTask({ trigger: ON_UPLOAD }, 'Thumbnails');
        template = fixture.template();
        rule = onlyResource(template, 'AWS::Events::Rule').Properties;
      });

      test('creates an EventBridge rule on the default bus instead of a schedule', () => {
        template.resourceCountIs('AWS::Scheduler::Schedule', 0);
        expect(task.schedule).toBeUndefined();
        expect(task.rule).toBeInstanceOf(events.Rule);
        expect(task.rule!.node.path).toBe('TestStack/Thumbnails/Rule');
        expect(rule).toMatchObject({
          EventPattern: { 'source': ['aws.s3'], 'detail-type': ['Object Created'] },
          State: 'ENABLED',
          Description: 'Runs TestStack/Thumbnails on its ECS cluster',
        });
        expect(rule.EventBusName).toBeUndefined();
        expect(rule.ScheduleExpression).toBeUndefined();
      });

      test('targets the cluster with RunTask, the same network, placement, tags, retries and dead-letter queue', () => {
        expect(rule.Targets).toEqual([{
          Id: 'Target0',
          Arn: getAttArn(fixture.cluster.cluster),
          RoleArn: getAttArn(task.triggerRole),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: getAttArn(task.deadLetterQueue) },
          EcsParameters: {
            TaskDefinitionArn: { Ref: logicalId(task.taskDefinition) },
            TaskCount: 1,
            CapacityProviderStrategy: [{ CapacityProvider: fixture.stack.resolve(fixture.cluster.defaultCapacity.capacityProviderName), Weight: 1 }],
            NetworkConfiguration: {
              AwsVpcConfiguration: {
                Subnets: fixture.vpc.privateSubnets.map((subnet) => ({ Ref: logicalId(subnet.node.defaultChild as CfnElement) })),
                SecurityGroups: [{ 'Fn::GetAtt': [logicalId(task.securityGroup), 'GroupId'] }],
              },
            },
            PlacementConstraints: [{ Type: 'memberOf', Expression: 'attribute:ecs.os-type == linux' }],
            PlacementStrategies: [{ Type: 'binpack', Field: 'memory' }],
            PropagateTags: 'TASK_DEFINITION',
            EnableECSManagedTags: true,
          },
        }]);
      });

      test('lets only this rule send to the dead-letter queue, over TLS', () => {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: logicalId(task.deadLetterQueue) }],
          PolicyDocument: {
            Statement: [
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
              {
                Sid: 'AllowRuleDeadLetters',
                Action: 'sqs:SendMessage',
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Resource: getAttArn(task.deadLetterQueue),
                Condition: { ArnEquals: { 'aws:SourceArn': getAttArn(task.rule!) } },
              },
            ],
          },
        });
      });

      test('creates the rule after the trigger role\'s policy and the cluster\'s capacity provider associations', () => {
        const dependsOn: string[] = Object.values(template.findResources('AWS::Events::Rule'))[0].DependsOn;
        const associations = Object.keys(template.findResources('AWS::ECS::ClusterCapacityProviderAssociations'));
        expect(dependsOn).toEqual(expect.arrayContaining(associations));
        expect(dependsOn.some((id) => id.startsWith('ThumbnailsTriggerRoleDefaultPolicy'))).toBe(true);
        // the rule refers to both already (cfn-lint W3005)
        expect(dependsOn).not.toContain(logicalId(task.triggerRole));
        expect(dependsOn).not.toContain(Object.keys(template.findResources('AWS::ECS::Cluster'))[0]);
      });
    });

    test('listens on the provided event bus', () => {
      const bus = new events.EventBus(fixture.stack, 'Bus');
      fixture.addTask({ trigger: TaskTrigger.onEvent({ source: ['my.app'] }, bus) });
      expect(onlyResource(fixture.template(), 'AWS::Events::Rule').Properties.EventBusName).toEqual({ Ref: logicalId(bus) });
    });

    test('uses the provided taskCount, maxRetries, maxEventAge and enabled for an event trigger', () => {
      fixture.addTask({ trigger: ON_UPLOAD, taskCount: 3, maxRetries: 185, maxEventAge: Duration.seconds(60), enabled: false });
      const rule = onlyResource(fixture.template(), 'AWS::Events::Rule').Properties;
      expect(rule.State).toBe('DISABLED');
      expect(rule.Targets[0].EcsParameters.TaskCount).toBe(3);
      expect(rule.Targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 60 });
    });
  });

  describe('validation', () => {
    let fixture: Fixture;
    beforeEach(() => {
      fixture = new Fixture();
    });

    const SIX_FIELDS = 'a cron expression of six fields separated by single spaces '
      + '(minutes hours day-of-month month day-of-week year)';
    const ONE_QUESTION_MARK = 'a cron expression with `?` in exactly one of day-of-month and day-of-week';
    const FIELD = {
      minutes: 'a cron expression whose minutes field is 0-59 with `, - * /`',
      hours: 'a cron expression whose hours field is 0-23 with `, - * /`',
      dayOfMonth: 'a cron expression whose day-of-month field is 1-31 with `, - * /`, or `?`, `L`, `LW`, `<day>W`',
      month: 'a cron expression whose month field is 1-12 or JAN-DEC with `, - * /`',
      dayOfWeek: 'a cron expression whose day-of-week field is 1-7 or SUN-SAT with `, - *`, or `?`, `L`, `<day>L`, `<day>#<1-5>`',
      year: 'a cron expression whose year field is 1970-2199 with `, - * /`',
    };

    test.each<[string, string, string]>([
      ['five fields', '0 3 * * ?', SIX_FIELDS],
      ['seven fields', '0 0 3 * * ? *', SIX_FIELDS],
      ['two spaces', '0 3  * * ? *', SIX_FIELDS],
      ['a Unix cron', '0 3 * * *', SIX_FIELDS],
      ['minute 60', '60 3 * * ? *', FIELD.minutes],
      ['a negative minute', '-1 3 * * ? *', FIELD.minutes],
      ['a minute step of 0', '0/0 3 * * ? *', FIELD.minutes],
      ['a minute step of 60', '0/60 3 * * ? *', FIELD.minutes],
      ['a star in a list', '*,5 3 * * ? *', FIELD.minutes],
      ['L in minutes', 'L 3 * * ? *', FIELD.minutes],
      ['hour 24', '0 24 * * ? *', FIELD.hours],
      ['an open range', '0 8- * * ? *', FIELD.hours],
      ['day 0', '0 3 0 * ? *', FIELD.dayOfMonth],
      ['day 32', '0 3 32 * ? *', FIELD.dayOfMonth],
      ['32W', '0 3 32W * ? *', FIELD.dayOfMonth],
      ['# in day-of-month', '0 3 1#2 * ? *', FIELD.dayOfMonth],
      ['month 13', '0 3 1 13 ? *', FIELD.month],
      ['an unknown month name', '0 3 1 JANUARY ? *', FIELD.month],
      ['day-of-week 8', '0 3 ? * 8 *', FIELD.dayOfWeek],
      ['day-of-week 0', '0 3 ? * 0 *', FIELD.dayOfWeek],
      ['a day-of-week step', '0 3 ? * 1/2 *', FIELD.dayOfWeek],
      ['the sixth week', '0 3 ? * MON#6 *', FIELD.dayOfWeek],
      ['W in day-of-week', '0 3 ? * 2W *', FIELD.dayOfWeek],
      ['year 1969', '0 3 * * ? 1969', FIELD.year],
      ['year 2200', '0 3 * * ? 2200', FIELD.year],
      ['? in both day fields', '0 3 ? * ? *', ONE_QUESTION_MARK],
      ['? in neither day field', '0 3 * * * *', ONE_QUESTION_MARK],
      ['a day of the month and of the week', '0 3 1 * MON *', ONE_QUESTION_MARK],
    ])('fails on a cron expression with %s', (_, fields, allowed) => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.cronExpression(fields) }))
        .toThrow(exactly(`[TestStack/Nightly] \`trigger\` must be ${allowed}, got: "${fields}"`));
    });

    test.each([
      ['0 3 31 2 ? *', '31', '2', 29],
      ['0 3 30 FEB ? *', '30', 'FEB', 29],
      ['0 3 31 4,6,9,11 ? *', '31', '4,6,9,11', 30],
      ['0 3 31W 2 ? *', '31W', '2', 29],
      ['0 3 30-31 2 ? 2030', '30-31', '2', 29],
    ])('fails on a cron expression that can never fire: %j', (fields, days, months, longest) => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.cronExpression(fields) }))
        .toThrow(exactly(`[TestStack/Nightly] \`trigger\` must be a cron expression that can fire (day-of-month \`${days}\` falls in `
          + `none of the months \`${months}\`, the longest of which has ${longest} days), got: "${fields}"`));
    });

    test('fails when TaskTrigger.cron() names a day that its month never has', () => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.cron({ day: '31', month: '2' }) })).toThrow(/`trigger` must be a cron expression that can fire/);
    });

    test.each(['0 3 29 2 ? *', '0 3 30 1-2 ? *', '0 3 31 */2 ? *', '0 3 L 2 ? *'])('accepts a cron expression that fires on some day: %j', (fields) => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.cronExpression(fields) })).not.toThrow();
    });

    test('fails when TaskTrigger.cron() is given both day and weekDay', () => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.cron({ day: '1', weekDay: 'MON' }) }))
        .toThrow(exactly(`[TestStack/Nightly] \`trigger\` must be ${ONE_QUESTION_MARK}, got: "0 0 1 * MON *"`));
    });

    test('fails on an invalid field given to TaskTrigger.cron(), showing the whole expression', () => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.cron({ hour: '25' }) }))
        .toThrow(exactly(`[TestStack/Nightly] \`trigger\` must be ${FIELD.hours}, got: "0 25 * * ? *"`));
    });

    const RATE = 'a rate expression `rate(<n> <unit>)` with a whole n of at least 1 and the unit minute(s), hour(s) or day(s), '
      + 'singular exactly when n is 1';
    test.each([
      'rate(0 minutes)',
      'rate(1 minutes)',
      'rate(5 minute)',
      'rate(2 hour)',
      'rate(1 days)',
      'rate(5 weeks)',
      'rate(1.5 hours)',
      'rate(5  minutes)',
      'rate(-5 minutes)',
      'rate(5 Minutes)',
    ])('fails on the rate expression "%s"', (expression) => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.expression(expression) }))
        .toThrow(exactly(`[TestStack/Nightly] \`trigger\` must be ${RATE}, got: "${expression}"`));
    });

    test.each<[Duration, string]>([
      [Duration.seconds(30), '30 seconds'],
      [Duration.seconds(90), '1 minute 30 seconds'],
      [Duration.minutes(0), '0 minutes'],
    ])('fails on TaskTrigger.rate() of %s', (interval, shown) => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.rate(interval) }))
        .toThrow(exactly(`[TestStack/Nightly] \`trigger\` must be a rate of whole minutes, at least one, got: "${shown}"`));
    });

    const AT = 'a one-time expression `at(yyyy-mm-ddThh:mm:ss)` with a date and time that exist';
    test.each([
      'at(2026-02-30T00:00:00)',
      'at(2026-13-01T00:00:00)',
      'at(2026-01-01T24:00:00)',
      'at(2026-01-01 00:00:00)',
      'at(2026-01-01T00:00)',
      'at(2026-01-01T00:00:00Z)',
    ])('fails on the one-time expression "%s"', (expression) => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.expression(expression) }))
        .toThrow(exactly(`[TestStack/Nightly] \`trigger\` must be ${AT}, got: "${expression}"`));
    });

    test('fails on TaskTrigger.at() of a date that does not exist', () => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.at('2027-02-29T12:00:00') }))
        .toThrow(exactly(`[TestStack/Nightly] \`trigger\` must be ${AT}, got: "at(2027-02-29T12:00:00)"`));
    });

    test.each(['every 5 minutes', '0 3 * * ? *', 'cron(0 3 * * ? *'])('fails on the schedule expression "%s"', (expression) => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.expression(expression) }))
        .toThrow(exactly('[TestStack/Nightly] `trigger` must be a schedule expression `cron(<fields>)`, `rate(<n> <unit>)` '
          + `or \`at(yyyy-mm-ddThh:mm:ss)\`, got: "${expression}"`));
    });

    test('fails on an event pattern without fields', () => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.onEvent({}) }))
        .toThrow(exactly('[TestStack/Nightly] `trigger` must be an event pattern with at least one field (for example `source` '
          + 'or `detailType`), got: "{}"'));
    });

    test.each(['Europe/Berln', 'Mars/Olympus', 'CEST', 'utc', 'US/Eastern', ''])('fails on the time zone "%s"', (name) => {
      expect(() => fixture.addTask({ timeZone: TimeZone.of(name) }))
        .toThrow(exactly('[TestStack/Nightly] `timeZone` must be an IANA time zone name such as "Europe/Berlin" or '
          + `"America/New_York", got: "${name}"`));
    });

    test('fails when a timeZone is given for a rate', () => {
      expect(() => fixture.addTask({ trigger: TaskTrigger.rate(Duration.hours(1)), timeZone: TimeZone.EUROPE_BERLIN }))
        .toThrow(exactly('[TestStack/Nightly] `timeZone` must be left out for a rate trigger (it applies to cron and `at` '
          + 'schedules only), got: "Europe/Berlin"'));
    });

    test('fails when a timeZone is given for an event trigger', () => {
      expect(() => fixture.addTask({ trigger: ON_UPLOAD, timeZone: TimeZone.ETC_UTC }))
        .toThrow(exactly('[TestStack/Nightly] `timeZone` must be left out for an event trigger (it applies to cron and `at` '
          + 'schedules only), got: "Etc/UTC"'));
    });

    test.each<[Duration, string]>([
      [Duration.seconds(30), '30 seconds'],
      [Duration.seconds(90), '1 minute 30 seconds'],
      [Duration.minutes(1441), '1 day 1 minute'],
    ])('fails when flexibleTimeWindow is %s', (flexibleTimeWindow, shown) => {
      expect(() => fixture.addTask({ flexibleTimeWindow }))
        .toThrow(exactly(`[TestStack/Nightly] \`flexibleTimeWindow\` must be whole minutes from 1 minute to 24 hours, got: "${shown}"`));
    });

    test('fails when a flexibleTimeWindow is given for an event trigger', () => {
      expect(() => fixture.addTask({ trigger: ON_UPLOAD, flexibleTimeWindow: Duration.minutes(5) }))
        .toThrow(exactly('[TestStack/Nightly] `flexibleTimeWindow` must be left out for an event trigger (it applies to '
          + 'schedules only), got: "5 minutes"'));
    });

    test.each([0, 11, 1.5])('fails when taskCount is %s', (taskCount) => {
      expect(() => fixture.addTask({ taskCount }))
        .toThrow(exactly(`[TestStack/Nightly] \`taskCount\` must be an integer between 1 and 10, got: ${taskCount}`));
    });

    test.each([-1, 186])('fails when maxRetries is %s', (maxRetries) => {
      expect(() => fixture.addTask({ maxRetries }))
        .toThrow(exactly(`[TestStack/Nightly] \`maxRetries\` must be an integer between 0 and 185, got: ${maxRetries}`));
    });

    test.each<[Duration, string]>([
      [Duration.seconds(59), '59 seconds'],
      [Duration.hours(25), '1 day 1 hour'],
      [Duration.millis(60500), '1 minute 500 millis'],
    ])('fails when maxEventAge is %s', (maxEventAge, shown) => {
      expect(() => fixture.addTask({ maxEventAge }))
        .toThrow(exactly(`[TestStack/Nightly] \`maxEventAge\` must be whole seconds from 60 seconds to 24 hours, got: "${shown}"`));
    });

    test('fails on the shared task settings as every workload does', () => {
      expect(() => fixture.addTask({ cpu: 64 }))
        .toThrow(exactly('[TestStack/Nightly] `cpu` must be an integer between 128 and 196608, got: 64'));
    });

    test.each<[string, Partial<ScheduledTaskOptions>]>([
      ['the trigger', { trigger: TaskTrigger.cronExpression('0 3 * * * *') }],
      ['the time zone', { timeZone: TimeZone.of('Mars/Olympus') }],
      ['the retries', { maxRetries: 200 }],
      ['the task settings', { memoryLimitMiB: 64 }],
    ])('adds nothing to the stack when %s is invalid', (_, options) => {
      expect(() => fixture.addTask(options)).toThrow();
      expect(fixture.stack.node.findChild('Nightly').node.children).toEqual([]);
      // the same resources as a fixture that never saw the task
      expect(Object.keys(fixture.template().toJSON().Resources)).toEqual(Object.keys(new Fixture().template().toJSON().Resources));
    });
  });

  describe('permissions', () => {
    test('lets only EventBridge Scheduler of this account and its default group assume the trigger role', () => {
      const fixture = new Fixture();
      const task = fixture.addTask();
      fixture.template().hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnEquals: { 'aws:SourceArn': arn(':scheduler:us-east-1:123456789012:schedule-group/default') },
            },
          }],
        },
        Description: 'Role of the schedule of Nightly: RunTask of its task definition only',
        ManagedPolicyArns: Match.absent(),
        Policies: Match.absent(),
      });
      expect(logicalId(task.triggerRole)).toMatch(/^NightlyTriggerRole/);
    });

    test('lets the scheduler role run exactly this task definition family in this cluster, pass the task\'s roles and send to the dead-letter queue', () => {
      const fixture = new Fixture();
      const task = fixture.addTask();
      expect(statementsOf(fixture.template(), task.triggerRole)).toEqual([
        ...runTaskStatements(task, fixture.cluster),
        { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: getAttArn(task.deadLetterQueue) },
      ]);
    });

    test('lets EventBridge assume the rule\'s role, which may run the task and pass its roles, and nothing else', () => {
      const fixture = new Fixture();
      const task = fixture.addTask({ trigger: ON_UPLOAD });
      const template = fixture.template();
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } }],
        },
        Description: 'Role of the rule of Nightly: RunTask of its task definition only',
      });
      expect(statementsOf(template, task.triggerRole)).toEqual(runTaskStatements(task, fixture.cluster));
    });

    test('gives the task role no permissions and the execution role only its log group', () => {
      const fixture = new Fixture();
      const task = fixture.addTask();
      const template = fixture.template();
      expect(statementsOf(template, task.taskRole)).toEqual([]);
      expect(statementsOf(template, task.executionRole)).toEqual([{
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: getAttArn(task.logGroup),
      }]);
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings for a schedule', () => {
      const fixture = new Fixture();
      const task = fixture.addTask({
        environment: { REPORT_BUCKET: 'reports' },
        secrets: { DATABASE_PASSWORD: '/prod/report/db-password' },
        timeZone: TimeZone.EUROPE_BERLIN,
        flexibleTimeWindow: Duration.minutes(15),
      });
      expect(nagFindings(task)).toEqual([]);
    });

    test('has no AwsSolutions findings for an event trigger', () => {
      const fixture = new Fixture();
      const task = fixture.addTask({ trigger: ON_UPLOAD });
      expect(nagFindings(task)).toEqual([]);
    });

    test('has no AwsSolutions findings in an environment-agnostic stack', () => {
      const stack = new Stack();
      const cluster = new EcsCluster(stack, 'Cluster', { vpc: testVpc(stack) });
      const task = new ScheduledTask(stack, 'Nightly', { cluster, image: IMAGE, trigger: DAILY });
      expect(nagFindings(task)).toEqual([]);
    });
  });
});
