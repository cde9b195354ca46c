import { CfnElement, Duration, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import {
  AmiFamily, Ec2CapacityOptions, EcsCluster, EcsClusterProps, ImageRepository, QueueWorker, QueueWorkerOptions,
} from '../../src';
import { nagFindings, testStack, testVpc } from '../util';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const CONSUME_ACTIONS = ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
const SEND_ACTIONS = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];
const SSM_READ_ACTIONS = ['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory'];

/** A stack with a VPC and a cluster: what every `QueueWorker` needs. */
class Fixture {
  public readonly stack: Stack;
  public readonly vpc: ec2.Vpc;
  public readonly cluster: EcsCluster;

  constructor(capacity?: Ec2CapacityOptions, clusterProps: Partial<EcsClusterProps> = {}) {
    this.stack = testStack();
    this.vpc = testVpc(this.stack);
    this.cluster = new EcsCluster(this.stack, 'Cluster', { vpc: this.vpc, capacity, ...clusterProps });
  }

  /** Adds a worker with the given options on top of a public image. */
  public addWorker(options: Partial<QueueWorkerOptions> = {}, id = 'Worker'): QueueWorker {
    return new QueueWorker(this.stack, id, { cluster: this.cluster, image: IMAGE, ...options });
  }

  public template(): Template {
    return Template.fromStack(this.stack);
  }
}

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function getAttArn(construct: IConstruct): { 'Fn::GetAtt': string[] } {
  return { 'Fn::GetAtt': [logicalId(construct), 'Arn'] };
}

function parameterArn(name: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:us-east-1:123456789012:parameter${name}`]] };
}

/** Every statement of every identity policy attached to `role`. */
function statementsOf(template: Template, role: iam.IRole): unknown[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(role) }] } });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** An anchored regex for exactly this validation message. */
function exactly(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/** The Container Insights dimensions of `worker`'s service, as the template writes them. */
function serviceDimensions(fixture: Fixture, worker: QueueWorker): unknown[] {
  return [
    { Name: 'ClusterName', Value: { Ref: logicalId(fixture.cluster.cluster) } },
    { Name: 'ServiceName', Value: { 'Fn::GetAtt': [logicalId(worker.service), 'Name'] } },
  ];
}

function queueNameDimension(worker: QueueWorker): unknown[] {
  return [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(worker.queue), 'QueueName'] } }];
}

describe('QueueWorker', () => {
  describe('defaults', () => {
    let fixture: Fixture;
    let worker: QueueWorker;
    let template: Template;
    beforeAll(() => {
      fixture = new Fixture();
      worker = fixture.addWorker();
      template = fixture.template();
    });

    test('creates exactly one service, task definition, log group, queue and dead-letter queue', () => {
      template.resourceCountIs('AWS::ECS::Service', 1);
      template.resourceCountIs('AWS::ECS::TaskDefinition', 1);
      // the cluster may have log groups of its own (instance logs): count the workload's
      expect(worker.node.findAll().filter((construct) => construct instanceof logs.CfnLogGroup)).toHaveLength(1);
      template.resourceCountIs('AWS::SQS::Queue', 2);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 0);
      expect(worker.queue.node.path).toBe('TestStack/Worker/Queue');
      expect(worker.deadLetterQueue.node.path).toBe('TestStack/Worker/DeadLetterQueue');
      expect(worker.service.node.path).toBe('TestStack/Worker/Service');
    });

    test('encrypts the queue with SQS-managed keys, long-polls for 20 seconds and keeps messages for 4 days', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        KmsMasterKeyId: Match.absent(),
        ReceiveMessageWaitTimeSeconds: 20,
        MessageRetentionPeriod: 345600,
        FifoQueue: Match.absent(),
        QueueName: Match.absent(),
      });
    });

    test('hides a received message for 5 minutes and 30 seconds: the default jobTimeout plus 30 seconds', () => {
      expect(template.toJSON().Resources[logicalId(worker.queue)].Properties.VisibilityTimeout).toBe(330);
    });

    test('moves a message to the dead-letter queue after 3 receives', () => {
      expect(template.toJSON().Resources[logicalId(worker.queue)].Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: getAttArn(worker.deadLetterQueue),
        maxReceiveCount: 3,
      });
    });

    test('keeps dead letters for 14 days in an encrypted queue without a redrive policy of its own', () => {
      expect(template.toJSON().Resources[logicalId(worker.deadLetterQueue)].Properties).toEqual({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1209600,
      });
    });

    test('retains both queues', () => {
      for (const queue of [worker.queue, worker.deadLetterQueue]) {
        expect(template.toJSON().Resources[logicalId(queue)]).toMatchObject({ DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
      }
    });

    test('denies every request to either queue that does not use TLS', () => {
      for (const queue of [worker.queue, worker.deadLetterQueue]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: logicalId(queue) }],
          PolicyDocument: {
            Statement: [{
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Resource: getAttArn(queue),
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }],
            Version: '2012-10-17',
          },
        });
      }
    });

    test('defines an awsvpc task for EC2 with 256 CPU units and 512 MiB and its own two roles', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['EC2'],
        Cpu: '256',
        Memory: '512',
        TaskRoleArn: getAttArn(worker.taskRole),
        ExecutionRoleArn: getAttArn(worker.executionRole),
      });
      expect(worker.taskRole.node.path).toBe('TestStack/Worker/Roles/TaskRole');
      expect(worker.executionRole.node.path).toBe('TestStack/Worker/Roles/ExecutionRole');
    });

    test('runs one essential container named app, with no port, a read-only root filesystem and the queue in its environment', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Name: 'app',
          Image: 'public.ecr.aws/nginx/nginx:1.27',
          Essential: true,
          Memory: 512,
          PortMappings: Match.absent(),
          ReadonlyRootFilesystem: true,
          Environment: [
            { Name: 'QUEUE_URL', Value: { Ref: logicalId(worker.queue) } },
            { Name: 'JOB_TIMEOUT_SECONDS', Value: '300' },
          ],
          Secrets: Match.absent(),
        })],
      });
      expect(worker.container.containerName).toBe('app');
    });

    test('sends container logs to its own log group, kept for 30 days and retained', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: {
              'awslogs-group': { Ref: logicalId(worker.logGroup) },
              'awslogs-stream-prefix': 'Worker',
              'awslogs-region': 'us-east-1',
              'mode': 'non-blocking',
            },
          },
        })],
      });
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 30 },
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('places tasks on the default capacity provider of the cluster, on Linux instances', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        Cluster: { Ref: logicalId(fixture.cluster.cluster) },
        CapacityProviderStrategy: [{
          CapacityProvider: fixture.stack.resolve(fixture.cluster.defaultCapacity.capacityProviderName),
          Weight: 1,
        }],
        LaunchType: Match.absent(),
        PlacementConstraints: [{ Type: 'memberOf', Expression: 'attribute:ecs.os-type == linux' }],
      });
    });

    test('takes no load balancer and has no health check grace period', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        LoadBalancers: Match.absent(),
        HealthCheckGracePeriodSeconds: Match.absent(),
      });
    });

    test('rolls back failed deployments and keeps full capacity while deploying', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        DeploymentConfiguration: Match.objectLike({
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
        }),
      });
    });

    test('spreads tasks across Availability Zones, then packs them by memory', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        PlacementStrategies: [
          { Type: 'spread', Field: 'attribute:ecs.availability-zone' },
          { Type: 'binpack', Field: 'MEMORY' },
        ],
      });
    });

    test('leaves the desired count to autoscaling, and the service name to CloudFormation', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        DesiredCount: Match.absent(),
        ServiceName: Match.absent(),
        EnableECSManagedTags: true,
        PropagateTags: 'SERVICE',
      });
    });

    test('runs the tasks in the private subnets with their own security group and no public IP', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            AssignPublicIp: 'DISABLED',
            SecurityGroups: [{ 'Fn::GetAtt': [logicalId(worker.securityGroup), 'GroupId'] }],
            Subnets: fixture.vpc.privateSubnets.map((subnet) => fixture.stack.resolve(subnet.subnetId)),
          },
        },
      });
    });

    test('admits no inbound traffic to the tasks', () => {
      const taskGroup = { 'Fn::GetAtt': [logicalId(worker.securityGroup), 'GroupId'] };
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Tasks of Worker: no inbound traffic',
        SecurityGroupIngress: Match.absent(),
      });
      expect(template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: taskGroup } })).toEqual({});
      expect(worker.securityGroup.connections.securityGroups).toEqual([worker.securityGroup]);
    });

    test('depends on the cluster\'s capacity provider associations, not on the cluster it refers to (cfn-lint W3005)', () => {
      const association = Object.keys(template.findResources('AWS::ECS::ClusterCapacityProviderAssociations'));
      expect(association).toHaveLength(1);
      template.hasResource('AWS::ECS::Service', { DependsOn: Match.arrayWith(association) });
      const [cluster] = Object.keys(template.findResources('AWS::ECS::Cluster'));
      template.hasResourceProperties('AWS::ECS::Service', { Cluster: { Ref: cluster } });
      for (const resource of Object.values(template.toJSON().Resources) as Array<{ DependsOn?: string[] }>) {
        expect(resource.DependsOn ?? []).not.toContain(cluster);
      }
    });

    test('scales between 0 and 10 tasks', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 0,
        MaxCapacity: 10,
        ScalableDimension: 'ecs:service:DesiredCount',
        ServiceNamespace: 'ecs',
        ResourceId: { 'Fn::Join': ['', ['service/', { Ref: logicalId(fixture.cluster.cluster) }, '/', { 'Fn::GetAtt': [logicalId(worker.service), 'Name'] }]] },
      });
      expect(worker.scalableTaskCount.node.path).toBe('TestStack/Worker/Service/TaskCount');
    });

    test('tracks 10 visible messages per running task with metric math, and no CPU policy', () => {
      const target = Object.keys(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'));
      const policies = template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { PolicyType: 'TargetTrackingScaling' } });
      expect(Object.values(policies).map((policy) => policy.Properties)).toEqual([{
        PolicyName: 'TestStackWorker8E12EF1EBacklogPerTask',
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: { Ref: target[0] },
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 10,
          ScaleOutCooldown: 120,
          ScaleInCooldown: 300,
          CustomizedMetricSpecification: {
            Metrics: [
              {
                Id: 'messages',
                Label: 'Messages waiting in the queue',
                ReturnData: false,
                MetricStat: {
                  Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: queueNameDimension(worker) },
                  Stat: 'Maximum',
                },
              },
              {
                Id: 'tasks',
                Label: 'Running tasks of the service',
                ReturnData: false,
                MetricStat: {
                  Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount', Dimensions: serviceDimensions(fixture, worker) },
                  Stat: 'Average',
                },
              },
              { Id: 'backlogPerTask', Label: 'Messages waiting per running task', Expression: 'messages / tasks', ReturnData: true },
            ],
          },
        },
      }]);
      expect(Object.keys(policies)[0]).toBe(fixture.stack.getLogicalId(
        worker.scalableTaskCount.node.findChild('BacklogPerTaskScaling') as CfnElement));
    });

    test('adds one task when messages wait and the service wants none', () => {
      const target = Object.keys(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'));
      const policies = template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { PolicyType: 'StepScaling' } });
      expect(Object.values(policies).map((policy) => policy.Properties)).toEqual([{
        PolicyName: expect.stringMatching(/ScaleFromZeroUpperPolicy/),
        PolicyType: 'StepScaling',
        ScalingTargetId: { Ref: target[0] },
        StepScalingPolicyConfiguration: {
          AdjustmentType: 'ChangeInCapacity',
          Cooldown: 300,
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
        },
      }]);
      const alarms = template.findResources('AWS::CloudWatch::Alarm');
      expect(Object.values(alarms).map((alarm) => alarm.Properties)).toEqual([{
        AlarmActions: [{ Ref: Object.keys(policies)[0] }],
        AlarmDescription: 'Upper threshold scaling alarm',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        Threshold: 1,
        Metrics: [
          {
            Id: 'expr_1',
            Expression: 'IF(FILL(desired, 0) == 0, messages, 0)',
            Label: 'Messages waiting for a service with no desired task',
            ReturnData: true,
          },
          {
            Id: 'messages',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: queueNameDimension(worker) },
              Period: 60,
              Stat: 'Maximum',
            },
          },
          {
            Id: 'desired',
            ReturnData: false,
            MetricStat: {
              Metric: { Namespace: 'ECS/ContainerInsights', MetricName: 'DesiredTaskCount', Dimensions: serviceDimensions(fixture, worker) },
              Period: 60,
              Stat: 'Average',
            },
          },
        ],
      }]);
    });

    test('names the task role after the worker and gives it a description', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: 'Task role of Worker: what its containers may call',
        Tags: [{ Key: 'cdk-ecs-platform:workload', Value: 'Worker' }],
      });
    });

    test('measures the backlog and the dead letters as the maximum of visible messages over 5 minutes', () => {
      const cases: [QueueWorker['queue'], () => ReturnType<QueueWorker['metricBacklog']>][] = [
        [worker.queue, () => worker.metricBacklog()],
        [worker.deadLetterQueue, () => worker.metricDeadLetterMessages()],
      ];
      for (const [queue, metric] of cases) {
        const stat = metric().toMetricConfig().metricStat!;
        expect(stat).toMatchObject({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum' });
        expect(stat.period.toSeconds()).toBe(300);
        expect(fixture.stack.resolve(stat.dimensions)).toEqual([{ name: 'QueueName', value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } }]);
      }
    });
  });

  describe('configuration', () => {
    let fixture: Fixture;
    beforeEach(() => {
      fixture = new Fixture();
    });

    test.each([
      [Duration.seconds(1), 31, '1'],
      [Duration.minutes(10), 630, '600'],
      [Duration.hours(2), 7230, '7200'],
      [Duration.seconds(43170), 43200, '43170'],
    ])('derives the visibility timeout and JOB_TIMEOUT_SECONDS from jobTimeout %s', (jobTimeout, visibility, seconds) => {
      const worker = fixture.addWorker({ jobTimeout });
      const template = fixture.template();
      expect(template.toJSON().Resources[logicalId(worker.queue)].Properties.VisibilityTimeout).toBe(visibility);
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'JOB_TIMEOUT_SECONDS', Value: seconds }]) })],
      });
    });

    test('uses the provided maxReceiveCount', () => {
      fixture.addWorker({ maxReceiveCount: 10 });
      fixture.template().hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 10 }) });
    });

    test('uses the provided targetBacklogPerTask', () => {
      fixture.addWorker({ targetBacklogPerTask: 250 });
      fixture.template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 250 }),
      });
    });

    test('uses the provided minCapacity and maxCapacity, and registers maxCapacity with the capacity check', () => {
      fixture.addWorker({ minCapacity: 0, maxCapacity: 1000 });
      expect(Annotations.fromStack(fixture.stack).findWarning('/TestStack/Worker', Match.stringLikeRegexp('maxTasks 1000'))).toHaveLength(1);
      fixture.template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 1000 });
    });

    test('keeps tasks running with a minCapacity of 1 or more, and adds no scale-from-zero policy', () => {
      const worker = fixture.addWorker({ minCapacity: 2, maxCapacity: 4 });
      const template = fixture.template();
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 4 });
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 1);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', { PolicyType: 'TargetTrackingScaling' });
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      expect(worker.scalableTaskCount.node.tryFindChild('BacklogPerTaskScaling')).toBeDefined();
    });

    test('accepts minCapacity equal to maxCapacity', () => {
      fixture.addWorker({ minCapacity: 3, maxCapacity: 3 });
      fixture.template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 3 });
    });

    test('uses the provided serviceName', () => {
      fixture.addWorker({ serviceName: 'thumbnails' });
      fixture.template().hasResourceProperties('AWS::ECS::Service', { ServiceName: 'thumbnails' });
    });

    test('uses the provided cpu and memoryLimitMiB for the task and the container', () => {
      fixture.addWorker({ cpu: 1024, memoryLimitMiB: 2048 });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '1024',
        Memory: '2048',
        ContainerDefinitions: [Match.objectLike({ Memory: 2048 })],
      });
    });

    test('passes the provided environment to the container, before the queue\'s variables', () => {
      const worker = fixture.addWorker({ environment: { LOG_LEVEL: 'info', BATCH_SIZE: '10' } });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Environment: [
            { Name: 'LOG_LEVEL', Value: 'info' },
            { Name: 'BATCH_SIZE', Value: '10' },
            { Name: 'QUEUE_URL', Value: { Ref: logicalId(worker.queue) } },
            { Name: 'JOB_TIMEOUT_SECONDS', Value: '300' },
          ],
        })],
      });
    });

    test('injects the provided secrets from their SSM parameters', () => {
      fixture.addWorker({ secrets: { DATABASE_PASSWORD: '/prod/worker/db-password' } });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Secrets: [{ Name: 'DATABASE_PASSWORD', ValueFrom: parameterArn('/prod/worker/db-password') }],
        })],
      });
    });

    test('uses the provided readonlyRootFilesystem', () => {
      fixture.addWorker({ readonlyRootFilesystem: false });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ ReadonlyRootFilesystem: false })],
      });
    });

    test('uses the provided logRetention', () => {
      fixture.addWorker({ logRetention: logs.RetentionDays.ONE_WEEK });
      fixture.template().hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    });

    test('uses the provided removalPolicy for the log group only, and still retains the queues', () => {
      const worker = fixture.addWorker({ removalPolicy: RemovalPolicy.DESTROY });
      const template = fixture.template();
      template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
      expect(template.toJSON().Resources[logicalId(worker.queue)].DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(template.toJSON().Resources[logicalId(worker.deadLetterQueue)].DeletionPolicy).toBe('RetainExceptOnCreate');
    });

    test('lets the queues be removed with the stack through the exposed L2s', () => {
      const worker = fixture.addWorker();
      worker.queue.applyRemovalPolicy(RemovalPolicy.DESTROY);
      worker.deadLetterQueue.applyRemovalPolicy(RemovalPolicy.DESTROY);
      fixture.template().allResources('AWS::SQS::Queue', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    });

    test('uses the provided capacityStrategy', () => {
      const spot = fixture.cluster.addCapacity('Spot', { spot: {} });
      fixture.addWorker({ capacityStrategy: [{ capacity: spot, weight: 3 }, { capacity: fixture.cluster.defaultCapacity, base: 1 }] });
      fixture.template().hasResourceProperties('AWS::ECS::Service', {
        CapacityProviderStrategy: [
          { CapacityProvider: fixture.stack.resolve(spot.capacityProviderName), Weight: 3, Base: Match.absent() },
          { CapacityProvider: fixture.stack.resolve(fixture.cluster.defaultCapacity.capacityProviderName), Weight: 1, Base: 1 },
        ],
      });
    });

    test('places the tasks of a Windows strategy on Windows instances, with a writable root filesystem', () => {
      const windows = fixture.cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
      fixture.addWorker({ capacityStrategy: [{ capacity: windows }] });
      const template = fixture.template();
      template.hasResourceProperties('AWS::ECS::Service', {
        PlacementConstraints: [{ Type: 'memberOf', Expression: 'attribute:ecs.os-type == windows' }],
      });
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ ReadonlyRootFilesystem: false, Cpu: 256 })],
      });
    });

    test('runs on a cluster with enhanced Container Insights', () => {
      const enhanced = new Fixture(undefined, { containerInsights: ecs.ContainerInsights.ENHANCED });
      enhanced.addWorker();
      enhanced.template().resourceCountIs('AWS::ECS::Service', 1);
    });

    test('uses the worker id as the log stream prefix and in the security group description', () => {
      fixture.addWorker({}, 'Thumbnails');
      const template = fixture.template();
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          LogConfiguration: Match.objectLike({ Options: Match.objectLike({ 'awslogs-stream-prefix': 'Thumbnails' }) }),
        })],
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', { GroupDescription: 'Tasks of Thumbnails: no inbound traffic' });
    });

    test('gives every worker its own queues, roles and policies', () => {
      const a = fixture.addWorker({}, 'A');
      const b = fixture.addWorker({}, 'B');
      const template = fixture.template();
      template.resourceCountIs('AWS::SQS::Queue', 4);
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 4);
      expect(new Set([a.queue, b.queue, a.deadLetterQueue, b.deadLetterQueue].map(logicalId)).size).toBe(4);
      expect(statementsOf(template, a.taskRole)).toEqual([{ Effect: 'Allow', Action: CONSUME_ACTIONS, Resource: getAttArn(a.queue) }]);
      expect(statementsOf(template, b.taskRole)).toEqual([{ Effect: 'Allow', Action: CONSUME_ACTIONS, Resource: getAttArn(b.queue) }]);
    });

    test('uses the provided options of the backlog metrics', () => {
      const worker = fixture.addWorker();
      const options = { period: Duration.minutes(1), statistic: 'Average' };
      expect(worker.metricBacklog(options).toMetricConfig().metricStat).toMatchObject({ period: Duration.minutes(1), statistic: 'Average' });
      expect(worker.metricDeadLetterMessages(options).toMetricConfig().metricStat).toMatchObject({ period: Duration.minutes(1), statistic: 'Average' });
    });
  });

  describe('validation', () => {
    let fixture: Fixture;
    beforeEach(() => {
      fixture = new Fixture();
    });

    const JOB_TIMEOUT_RULE = 'a whole number of seconds between 1 and 43170 (the queue\'s visibility timeout, jobTimeout + 30 seconds, is at most 12 hours)';

    test.each([
      [Duration.seconds(0), 0],
      [Duration.seconds(43171), 43171],
      [Duration.hours(12), 43200],
      [Duration.millis(1500), 1.5],
      [Duration.millis(500), 0.5],
    ])('fails when jobTimeout is %s', (jobTimeout, seconds) => {
      expect(() => fixture.addWorker({ jobTimeout }))
        .toThrow(exactly(`[TestStack/Worker] \`jobTimeout\` must be ${JOB_TIMEOUT_RULE}, got: ${seconds}`));
    });

    test('fails when the visibility timeout would end before a stopping task lets go of its message', () => {
      expect(() => fixture.addWorker({ jobTimeout: Duration.seconds(10), stopTimeout: Duration.seconds(120) }))
        .toThrow(exactly('[TestStack/Worker] `jobTimeout` must be at least 90 seconds with a `stopTimeout` of 120 seconds (the queue\'s '
          + 'visibility timeout, jobTimeout + 30 = 40 seconds, would end while a stopping task may still hold the message for 120 seconds, '
          + 'and the message would be delivered twice; or lower `stopTimeout`), got: "10 seconds"'));
    });

    test.each([[90, 120], [1, 30], [10, 2]])('accepts jobTimeout %s seconds with stopTimeout %s seconds', (job, stop) => {
      expect(() => fixture.addWorker({ jobTimeout: Duration.seconds(job), stopTimeout: Duration.seconds(stop) })).not.toThrow();
    });

    test.each(['', ' ', 'has space', 'a.b', 'x'.repeat(256)])('fails when serviceName is %j', (serviceName) => {
      expect(() => fixture.addWorker({ serviceName }))
        .toThrow(exactly(`[TestStack/Worker] \`serviceName\` must be 1 to 255 letters, digits, hyphens and underscores, got: ${JSON.stringify(serviceName)}`));
    });

    test('fails when jobTimeout is not known at synth time', () => {
      const jobTimeout = Duration.seconds(Lazy.number({ produce: () => 60 }));
      expect(() => fixture.addWorker({ jobTimeout }))
        .toThrow(/^\[TestStack\/Worker\] `jobTimeout` must be a duration known at synth time \(the visibility timeout is computed from it\), got: "/);
    });

    test.each([0, 1001, 2.5])('fails when maxReceiveCount is %s', (maxReceiveCount) => {
      expect(() => fixture.addWorker({ maxReceiveCount }))
        .toThrow(exactly(`[TestStack/Worker] \`maxReceiveCount\` must be an integer between 1 and 1000, got: ${maxReceiveCount}`));
    });

    test.each([1, 1000])('accepts maxReceiveCount %s', (maxReceiveCount) => {
      fixture.addWorker({ maxReceiveCount });
      fixture.template().hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount }) });
    });

    test.each([0, 10001, 0.5])('fails when targetBacklogPerTask is %s', (targetBacklogPerTask) => {
      expect(() => fixture.addWorker({ targetBacklogPerTask }))
        .toThrow(exactly(`[TestStack/Worker] \`targetBacklogPerTask\` must be an integer between 1 and 10000, got: ${targetBacklogPerTask}`));
    });

    test.each([-1, 1001])('fails when minCapacity is %s', (minCapacity) => {
      expect(() => fixture.addWorker({ minCapacity, maxCapacity: 1000 }))
        .toThrow(exactly(`[TestStack/Worker] \`minCapacity\` must be an integer between 0 and 1000, got: ${minCapacity}`));
    });

    test.each([0, 1001])('fails when maxCapacity is %s', (maxCapacity) => {
      expect(() => fixture.addWorker({ maxCapacity }))
        .toThrow(exactly(`[TestStack/Worker] \`maxCapacity\` must be an integer between 1 and 1000, got: ${maxCapacity}`));
    });

    test('fails when maxCapacity is below minCapacity', () => {
      expect(() => fixture.addWorker({ minCapacity: 5, maxCapacity: 3 }))
        .toThrow(exactly('[TestStack/Worker] `maxCapacity` must be at least `minCapacity` (5), got: 3'));
    });

    test('fails when minCapacity is above the default maxCapacity', () => {
      expect(() => fixture.addWorker({ minCapacity: 11 }))
        .toThrow(exactly('[TestStack/Worker] `maxCapacity` must be at least `minCapacity` (11), got: 10'));
    });

    test.each([
      ['environment', 'QUEUE_URL', { environment: { QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/other' } }],
      ['environment', 'JOB_TIMEOUT_SECONDS', { environment: { JOB_TIMEOUT_SECONDS: '60' } }],
      ['secrets', 'QUEUE_URL', { secrets: { QUEUE_URL: '/prod/worker/queue-url' } }],
      ['secrets', 'JOB_TIMEOUT_SECONDS', { secrets: { JOB_TIMEOUT_SECONDS: '/prod/worker/timeout' } }],
    ])('fails when %s sets %s', (prop, name, options: Partial<QueueWorkerOptions>) => {
      const given = (options as Record<string, Record<string, string>>)[prop][name];
      expect(() => fixture.addWorker(options))
        .toThrow(exactly(`[TestStack/Worker] \`${prop}.${name}\` must be left out: the worker sets ${name} itself, got: ${JSON.stringify(given)}`));
    });

    test('fails when the cluster has Container Insights disabled', () => {
      const disabled = new Fixture(undefined, { containerInsights: ecs.ContainerInsights.DISABLED });
      expect(() => disabled.addWorker())
        .toThrow(exactly('[TestStack/Worker] `cluster` must be a cluster with Container Insights enabled '
          + '(autoscaling reads the service\'s task counts from it), got: "a cluster with Container Insights disabled"'));
    });

    test('fails when the task needs more memory than one m6i.large offers', () => {
      expect(() => fixture.addWorker({ memoryLimitMiB: 16384 }))
        .toThrow(exactly('[TestStack/Worker] `memoryLimitMiB` must be at most 7946 MiB, what one m6i.large of capacity "Capacity" offers to tasks, got: 16384'));
    });

    test('fails when a plain environment variable looks like a secret', () => {
      expect(() => fixture.addWorker({ environment: { DB_PASSWORD: 'hunter2' } }))
        .toThrow(/^\[TestStack\/Worker\] `environment\.DB_PASSWORD` looks like a secret, /);
    });

    test.each([
      ['a job timeout over the limit', { jobTimeout: Duration.hours(12) }],
      ['a memory limit that does not fit', { memoryLimitMiB: 16384 }],
      ['the queue URL in environment', { environment: { QUEUE_URL: 'x' } }],
      ['min above max', { minCapacity: 4, maxCapacity: 2 }],
    ])('adds nothing to the stack when it fails for %s', (_, options: Partial<QueueWorkerOptions>) => {
      expect(() => fixture.addWorker(options)).toThrow();
      expect(fixture.stack.node.findChild('Worker').node.children).toEqual([]);
      const template = fixture.template();
      template.resourceCountIs('AWS::SQS::Queue', 0);
      template.resourceCountIs('AWS::ECS::Service', 0);
      template.resourceCountIs('AWS::ECS::TaskDefinition', 0);
      expect(Object.keys(template.toJSON().Resources)).toEqual(Object.keys(new Fixture().template().toJSON().Resources));
    });
  });

  describe('permissions', () => {
    let fixture: Fixture;
    beforeEach(() => {
      fixture = new Fixture();
    });

    test('lets the task role consume exactly its queue, and nothing else', () => {
      const worker = fixture.addWorker();
      expect(statementsOf(fixture.template(), worker.taskRole)).toEqual([{
        Effect: 'Allow',
        Action: CONSUME_ACTIONS,
        Resource: getAttArn(worker.queue),
      }]);
      fixture.template().hasResourceProperties('AWS::IAM::Role', {
        Description: 'Task role of Worker: what its containers may call',
        ManagedPolicyArns: Match.absent(),
        Policies: Match.absent(),
      });
    });

    test('lets the execution role write to the worker\'s log group only', () => {
      const worker = fixture.addWorker();
      expect(statementsOf(fixture.template(), worker.executionRole)).toEqual([{
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: getAttArn(worker.logGroup),
      }]);
    });

    test('lets the execution role read exactly the worker\'s secret parameters', () => {
      const worker = fixture.addWorker({ secrets: { DATABASE_PASSWORD: '/prod/worker/db-password' } });
      expect(statementsOf(fixture.template(), worker.executionRole)).toEqual(expect.arrayContaining([
        { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: parameterArn('/prod/worker/db-password') },
      ]));
    });

    test('grants a producer exactly sending to the queue', () => {
      const worker = fixture.addWorker();
      const producer = new iam.Role(fixture.stack, 'Producer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const grant = worker.grantSendMessages(producer);
      expect(grant.success).toBe(true);
      const template = fixture.template();
      expect(statementsOf(template, producer)).toEqual([{ Effect: 'Allow', Action: SEND_ACTIONS, Resource: getAttArn(worker.queue) }]);
      expect(statementsOf(template, worker.taskRole)).toEqual([{ Effect: 'Allow', Action: CONSUME_ACTIONS, Resource: getAttArn(worker.queue) }]);
    });

    test('lets the jobs be granted more through the task role', () => {
      const worker = fixture.addWorker();
      worker.logGroup.grantWrite(worker.taskRole);
      expect(statementsOf(fixture.template(), worker.taskRole)).toHaveLength(2);
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const fixture = new Fixture();
      const worker = fixture.addWorker();
      expect(nagFindings(worker)).toEqual([]);
    });

    test('has no AwsSolutions findings with an ECR image, plain environment, secrets and a minimum of tasks', () => {
      const fixture = new Fixture();
      const repository = new ImageRepository(fixture.stack, 'Repo');
      const worker = fixture.addWorker({
        image: repository.image('1.0.0'),
        environment: { LOG_LEVEL: 'info' },
        secrets: { DATABASE_PASSWORD: '/prod/worker/db-password' },
        minCapacity: 1,
      });
      expect(nagFindings(worker)).toEqual([]);
    });

    test('has no AwsSolutions findings on a Windows capacity strategy', () => {
      const fixture = new Fixture();
      const windows = fixture.cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
      const worker = fixture.addWorker({ capacityStrategy: [{ capacity: windows }] });
      expect(nagFindings(worker)).toEqual([]);
    });
  });
});
