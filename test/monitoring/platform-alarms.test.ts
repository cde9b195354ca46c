import { App, CfnElement, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import {
  AlarmOptions, EcsCluster, EcsClusterProps, OpsTopic, PlatformAlarms, PlatformAlarmsProps, PublicLoadBalancer, QueueWorker,
  RouteMatch, ScheduledTask, TaskTrigger, WebService,
} from '../../src';
import { nagFindings, testStack, testVpc } from '../util';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const GTE = 'GreaterThanOrEqualToThreshold';
const GT = 'GreaterThanThreshold';

/** A platform to watch: a cluster, a load balancer, an ops topic, and workloads on demand. */
class Fixture {
  public readonly stack: Stack;
  public readonly vpc: ec2.Vpc;
  public readonly cluster: EcsCluster;
  public readonly loadBalancer: PublicLoadBalancer;
  public readonly ops: OpsTopic;
  private cached?: Template;

  constructor(clusterProps: Partial<EcsClusterProps> = {}) {
    this.stack = testStack();
    this.vpc = testVpc(this.stack);
    this.cluster = new EcsCluster(this.stack, 'Cluster', { vpc: this.vpc, ...clusterProps });
    this.loadBalancer = new PublicLoadBalancer(this.stack, 'Lb', { vpc: this.vpc });
    this.ops = new OpsTopic(this.stack, 'Ops');
  }

  public alarms(props: Partial<PlatformAlarmsProps> = {}, id = 'Alarms'): PlatformAlarms {
    return new PlatformAlarms(this.stack, id, { topic: this.ops.topic, ...props });
  }

  public webService(id = 'Api', path = '/api/*'): WebService {
    return new WebService(this.stack, id, {
      cluster: this.cluster, loadBalancer: this.loadBalancer, image: IMAGE, route: RouteMatch.pathPatterns(path),
    });
  }

  public queueWorker(id = 'Worker'): QueueWorker {
    return new QueueWorker(this.stack, id, { cluster: this.cluster, image: IMAGE });
  }

  public scheduledTask(id = 'Nightly'): ScheduledTask {
    return new ScheduledTask(this.stack, id, { cluster: this.cluster, image: IMAGE, trigger: TaskTrigger.cron({ hour: '3' }) });
  }

  public template(): Template {
    this.cached ??= Template.fromStack(this.stack);
    return this.cached;
  }

  /** The CloudFormation properties of `construct`'s resource. */
  public properties(construct: IConstruct): any {
    return this.template().toJSON().Resources[logicalId(construct)].Properties;
  }

  public resolve(value: unknown): any {
    return this.stack.resolve(value);
  }
}

function logicalId(construct: IConstruct): string {
  const element = (construct instanceof CfnElement ? construct : construct.node.defaultChild) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

/** The alarm at `path` below `alarms`, such as `Api/CpuUtilization`. */
function alarmAt(alarms: PlatformAlarms, path: string): cloudwatch.Alarm {
  const found = path.split('/').reduce<IConstruct | undefined>((scope, id) => scope?.node.tryFindChild(id), alarms);
  if (!(found instanceof cloudwatch.Alarm)) throw new Error(`no alarm at ${path}`);
  return found;
}

function hasChild(alarms: PlatformAlarms, path: string): boolean {
  return path.split('/').reduce<IConstruct | undefined>((scope, id) => scope?.node.tryFindChild(id), alarms) !== undefined;
}

/** One metric of an alarm, as CloudFormation gets it. */
interface MetricSummary {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, unknown>;
  readonly stat: string;
  readonly period: number;
}

/** Everything an alarm decides, in a comparable shape. */
interface AlarmSummary {
  readonly metrics: Record<string, MetricSummary>;
  readonly expression?: string;
  readonly threshold: number;
  readonly comparison: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: string;
  readonly alarmActions: unknown[];
  readonly okActions: unknown[];
  readonly actionsEnabled: boolean;
}

function summarize(properties: any): AlarmSummary {
  const metrics: Record<string, MetricSummary> = {};
  for (const entry of properties.Metrics ?? []) {
    if (!entry.MetricStat) continue;
    const stat = entry.MetricStat.Metric;
    metrics[entry.Id] = {
      namespace: stat.Namespace,
      metricName: stat.MetricName,
      dimensions: Object.fromEntries((stat.Dimensions ?? []).map((d: any) => [d.Name, d.Value])),
      stat: entry.MetricStat.Stat,
      period: entry.MetricStat.Period,
    };
  }
  return {
    metrics,
    expression: (properties.Metrics ?? []).find((entry: any) => entry.Expression)?.Expression,
    threshold: properties.Threshold,
    comparison: properties.ComparisonOperator,
    evaluationPeriods: properties.EvaluationPeriods,
    datapointsToAlarm: properties.DatapointsToAlarm,
    treatMissingData: properties.TreatMissingData,
    alarmActions: properties.AlarmActions,
    okActions: properties.OKActions,
    actionsEnabled: properties.ActionsEnabled,
  };
}

function metric(namespace: string, metricName: string, dimensions: Record<string, unknown>, stat: string, period = 300): MetricSummary {
  return { namespace, metricName, dimensions, stat, period };
}

/** The warning messages added to `construct` (read from its metadata, so the stack is synthesized at most once). */
function warningsOf(construct: IConstruct): string[] {
  return construct.node.metadata.filter((entry) => entry.type === 'aws:cdk:warning').map((entry) => String(entry.data));
}

/** An anchored regex for exactly this validation message. */
function exactly(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

describe('PlatformAlarms', () => {
  describe('defaults', () => {
    let fixture: Fixture;
    let alarms: PlatformAlarms;
    let api: WebService;
    let worker: QueueWorker;
    let task: ScheduledTask;
    let returned: Record<string, cloudwatch.Alarm[]>;
    beforeAll(() => {
      fixture = new Fixture();
      api = fixture.webService();
      worker = fixture.queueWorker();
      task = fixture.scheduledTask();
      alarms = fixture.alarms();
      returned = {
        cluster: alarms.monitorCluster(fixture.cluster),
        loadBalancer: alarms.monitorLoadBalancer(fixture.loadBalancer),
        webService: alarms.monitorWebService(api),
        queueWorker: alarms.monitorQueueWorker(worker),
        scheduledTask: alarms.monitorScheduledTask(task),
      };
    });

    /** Every alarm with every setting it has by default. */
    const EXPECTED: [string, (f: Fixture) => Omit<AlarmSummary, 'alarmActions' | 'okActions' | 'actionsEnabled'>][] = [
      ['Cluster/CpuReservation', (f) => ({
        metrics: { m1: metric('AWS/ECS', 'CPUReservation', { ClusterName: f.resolve(f.cluster.clusterName) }, 'Average') },
        expression: undefined,
        threshold: 90,
        comparison: GTE,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: 'notBreaching',
      })],
      ['Cluster/MemoryReservation', (f) => ({
        metrics: { m1: metric('AWS/ECS', 'MemoryReservation', { ClusterName: f.resolve(f.cluster.clusterName) }, 'Average') },
        expression: undefined,
        threshold: 90,
        comparison: GTE,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: 'notBreaching',
      })],
      ['Cluster-Capacity/ProviderReservation', (f) => ({
        metrics: {
          m1: metric('AWS/ECS/ManagedScaling', 'CapacityProviderReservation', {
            ClusterName: f.resolve(f.cluster.clusterName),
            CapacityProviderName: f.resolve(f.cluster.defaultCapacity.capacityProvider.capacityProviderName),
          }, 'Minimum'),
        },
        expression: undefined,
        threshold: 100,
        comparison: GT,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: 'notBreaching',
      })],
      ['Cluster-Capacity/InstancesAtMaximum', (f) => ({
        metrics: {
          m1: metric('AWS/AutoScaling', 'GroupInServiceInstances', {
            AutoScalingGroupName: f.resolve(f.cluster.defaultCapacity.autoScalingGroup.autoScalingGroupName),
          }, 'Minimum'),
        },
        expression: undefined,
        threshold: 10,
        comparison: GTE,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: 'missing',
      })],
      ['Lb/Elb5xxCount', (f) => ({
        metrics: {
          m1: metric('AWS/ApplicationELB', 'HTTPCode_ELB_5XX_Count',
            { LoadBalancer: f.resolve(f.loadBalancer.loadBalancer.loadBalancerFullName) }, 'Sum'),
        },
        expression: undefined,
        threshold: 10,
        comparison: GTE,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: 'notBreaching',
      })],
      ['Lb/Target5xxRate', (f) => ({
        metrics: {
          errors: metric('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count',
            { LoadBalancer: f.resolve(f.loadBalancer.loadBalancer.loadBalancerFullName) }, 'Sum'),
          requests: metric('AWS/ApplicationELB', 'RequestCount',
            { LoadBalancer: f.resolve(f.loadBalancer.loadBalancer.loadBalancerFullName) }, 'Sum'),
        },
        expression: '100 * FILL(errors, 0) / requests',
        threshold: 5,
        comparison: GTE,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: 'notBreaching',
      })],
      ['Lb/TargetResponseTime', (f) => ({
        metrics: {
          m1: metric('AWS/ApplicationELB', 'TargetResponseTime',
            { LoadBalancer: f.resolve(f.loadBalancer.loadBalancer.loadBalancerFullName) }, 'p99'),
        },
        expression: undefined,
        threshold: 2,
        comparison: GTE,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: 'notBreaching',
      })],
      ['Lb/RejectedConnections', (f) => ({
        metrics: {
          m1: metric('AWS/ApplicationELB', 'RejectedConnectionCount',
            { LoadBalancer: f.resolve(f.loadBalancer.loadBalancer.loadBalancerFullName) }, 'Sum'),
        },
        expression: undefined,
        threshold: 1,
        comparison: GTE,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: 'notBreaching',
      })],
      ...(['Api', 'Worker'] as const).flatMap((id): [string, (f: Fixture) => any][] => {
        const service = (f: Fixture) => (f.stack.node.findChild(id) as WebService | QueueWorker).service;
        const dimensions = (f: Fixture) => ({
          ClusterName: f.resolve(f.cluster.clusterName),
          ServiceName: f.resolve(service(f).serviceName),
        });
        return [
          [`${id}/CpuUtilization`, (f) => ({
            metrics: { m1: metric('AWS/ECS', 'CPUUtilization', dimensions(f), 'Average') },
            expression: undefined,
            threshold: 90,
            comparison: GTE,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            treatMissingData: 'notBreaching',
          })],
          [`${id}/MemoryUtilization`, (f) => ({
            metrics: { m1: metric('AWS/ECS', 'MemoryUtilization', dimensions(f), 'Maximum') },
            expression: undefined,
            threshold: 90,
            comparison: GTE,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            treatMissingData: 'notBreaching',
          })],
          [`${id}/TasksBelowDesired`, (f) => ({
            metrics: {
              desired: metric('ECS/ContainerInsights', 'DesiredTaskCount', dimensions(f), 'Average'),
              running: metric('ECS/ContainerInsights', 'RunningTaskCount', dimensions(f), 'Average'),
            },
            expression: 'desired - running',
            threshold: 1,
            comparison: GTE,
            evaluationPeriods: 3,
            datapointsToAlarm: 3,
            treatMissingData: 'missing',
          })],
        ];
      }),
      ['Api/UnhealthyTargets', (f) => {
        const targetGroup = (f.stack.node.findChild('Api') as WebService).targetGroup;
        return {
          metrics: {
            m1: metric('AWS/ApplicationELB', 'UnHealthyHostCount', {
              LoadBalancer: f.resolve(targetGroup.firstLoadBalancerFullName),
              TargetGroup: f.resolve(targetGroup.targetGroupFullName),
            }, 'Maximum'),
          },
          expression: undefined,
          threshold: 1,
          comparison: GTE,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          treatMissingData: 'notBreaching',
        };
      }],
      ['Worker/OldestMessageAge', (f) => ({
        metrics: {
          m1: metric('AWS/SQS', 'ApproximateAgeOfOldestMessage',
            { QueueName: f.resolve((f.stack.node.findChild('Worker') as QueueWorker).queue.queueName) }, 'Maximum'),
        },
        expression: undefined,
        threshold: 900,
        comparison: GTE,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: 'notBreaching',
      })],
      ['Worker/DeadLetterMessages', (f) => ({
        metrics: {
          m1: metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible',
            { QueueName: f.resolve((f.stack.node.findChild('Worker') as QueueWorker).deadLetterQueue.queueName) }, 'Maximum'),
        },
        expression: undefined,
        threshold: 0,
        comparison: GT,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: 'notBreaching',
      })],
      ['Nightly/FailedInvocations', (f) => ({
        metrics: {
          m1: metric('AWS/SQS', 'ApproximateNumberOfMessagesVisible',
            { QueueName: f.resolve((f.stack.node.findChild('Nightly') as ScheduledTask).deadLetterQueue.queueName) }, 'Maximum'),
        },
        expression: undefined,
        threshold: 0,
        comparison: GT,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: 'notBreaching',
      })],
    ];

    test.each(EXPECTED)('creates the alarm %s with its default settings', (path, expected) => {
      const summary = summarize(fixture.properties(alarmAt(alarms, path)));
      const { alarmActions, okActions, actionsEnabled, ...settings } = summary;
      expect(settings).toEqual(expected(fixture));
    });

    test('creates exactly these alarms, in this order', () => {
      expect(alarms.alarms.map((alarm) => alarm.node.path.replace('TestStack/Alarms/', ''))).toEqual([
        'Cluster/CpuReservation', 'Cluster/MemoryReservation', 'Cluster-Capacity/ProviderReservation', 'Cluster-Capacity/InstancesAtMaximum',
        'Lb/Elb5xxCount', 'Lb/Target5xxRate', 'Lb/TargetResponseTime', 'Lb/RejectedConnections',
        'Api/CpuUtilization', 'Api/MemoryUtilization', 'Api/TasksBelowDesired', 'Api/UnhealthyTargets',
        'Worker/CpuUtilization', 'Worker/MemoryUtilization', 'Worker/TasksBelowDesired', 'Worker/OldestMessageAge', 'Worker/DeadLetterMessages',
        'Nightly/FailedInvocations',
      ]);
      expect(EXPECTED.map(([path]) => path).sort()).toEqual(alarms.alarms.map((alarm) => alarm.node.path.replace('TestStack/Alarms/', '')).sort());
    });

    test('returns the alarms each call created', () => {
      expect(Object.fromEntries(Object.entries(returned).map(([key, list]) => [key, list.map((alarm) => alarm.node.id)]))).toEqual({
        cluster: ['CpuReservation', 'MemoryReservation', 'ProviderReservation', 'InstancesAtMaximum'],
        loadBalancer: ['Elb5xxCount', 'Target5xxRate', 'TargetResponseTime', 'RejectedConnections'],
        webService: ['CpuUtilization', 'MemoryUtilization', 'TasksBelowDesired', 'UnhealthyTargets'],
        queueWorker: ['CpuUtilization', 'MemoryUtilization', 'TasksBelowDesired', 'OldestMessageAge', 'DeadLetterMessages'],
        scheduledTask: ['FailedInvocations'],
      });
    });

    test('sends every alarm to the topic when it goes off and when it is OK again', () => {
      const topic = fixture.resolve(fixture.ops.topic.topicArn);
      for (const alarm of alarms.alarms) {
        const summary = summarize(fixture.properties(alarm));
        expect([alarm.node.path, summary.actionsEnabled, summary.alarmActions, summary.okActions])
          .toEqual([alarm.node.path, true, [topic], [topic]]);
      }
    });

    test('describes each alarm with what it watches, its condition and what to check', () => {
      expect(fixture.properties(alarmAt(alarms, 'Api/CpuUtilization')).AlarmDescription).toEqual(
        'Api: average CPU utilization >= 90 % in 3 of 3 periods of 5 minutes. '
        + 'The tasks use nearly all the CPU they reserve: check autoscaling (maxCapacity) and the task\'s cpu.');
      expect(fixture.properties(alarmAt(alarms, 'Cluster-Capacity/ProviderReservation')).AlarmDescription).toEqual(
        'Cluster/Capacity: minimum capacity provider reservation > 100 % in 3 of 3 periods of 5 minutes. '
        + 'Tasks are waiting for container instances that do not arrive: check the Auto Scaling group\'s activity '
        + '(maxCapacity, launch failures, Spot capacity).');
      expect(fixture.properties(alarmAt(alarms, 'Lb/TargetResponseTime')).AlarmDescription).toMatch(
        /^Lb: p99 target response time >= 2 s in 3 of 3 periods of 5 minutes\. /);
      expect(fixture.properties(alarmAt(alarms, 'Worker/OldestMessageAge')).AlarmDescription).toMatch(
        /^Worker: maximum age of the oldest message >= 900 s in 2 of 2 periods of 5 minutes\. /);
    });

    test('gives no alarm a physical name', () => {
      for (const alarm of alarms.alarms) expect(fixture.properties(alarm).AlarmName).toBeUndefined();
    });

    test('notifies the topic of each failed deployment of the web service and the worker', () => {
      for (const workload of [api, worker]) {
        const rule = alarms.node.findChild(workload.node.id).node.findChild('FailedDeployments') as events.Rule;
        expect(fixture.properties(rule)).toEqual({
          Description: `Failed deployments of ${workload.node.id} (rolled back by the circuit breaker) to the alarm topic`,
          State: 'ENABLED',
          EventPattern: {
            'source': ['aws.ecs'],
            'detail-type': ['ECS Deployment State Change'],
            'resources': [fixture.resolve(workload.service.serviceArn)],
            'detail': { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
          },
          Targets: [{
            Arn: fixture.resolve(fixture.ops.topic.topicArn),
            Id: 'Target0',
            InputTransformer: {
              InputPathsMap: { 'detail-deploymentId': '$.detail.deploymentId', 'detail-reason': '$.detail.reason' },
              InputTemplate: `"Deployment <detail-deploymentId> of ${workload.node.id} failed and is rolled back: <detail-reason>. `
                + 'Check the service\'s events and its stopped tasks."',
            },
          }],
        });
      }
    });

    test('notifies the topic of each failed run of the scheduled task: failed to start, or a container exit code other than 0', () => {
      const rule = alarms.node.findChild('Nightly').node.findChild('FailedRuns') as events.Rule;
      expect(fixture.properties(rule)).toEqual({
        Description: 'Failed runs of Nightly (ECS task state changes) to the alarm topic',
        State: 'ENABLED',
        EventPattern: {
          'source': ['aws.ecs'],
          'detail-type': ['ECS Task State Change'],
          'detail': {
            lastStatus: ['STOPPED'],
            taskDefinitionArn: [{
              prefix: {
                'Fn::Join': ['', [
                  'arn:', { Ref: 'AWS::Partition' }, `:ecs:us-east-1:123456789012:task-definition/${task.taskDefinition.family}:`,
                ]],
              },
            }],
            $or: [
              { stopCode: ['TaskFailedToStart'] },
              { containers: { exitCode: [{ 'anything-but': 0 }] } },
            ],
          },
        },
        Targets: [{
          Arn: fixture.resolve(fixture.ops.topic.topicArn),
          Id: 'Target0',
          InputTransformer: {
            InputPathsMap: {
              'detail-taskArn': '$.detail.taskArn',
              'detail-stopCode': '$.detail.stopCode',
              'detail-stoppedReason': '$.detail.stoppedReason',
            },
            InputTemplate: '"Scheduled task Nightly failed: task <detail-taskArn> stopped with <detail-stopCode>: <detail-stoppedReason>. '
              + 'Check the exit codes of its containers and its logs."',
          },
        }],
      });
    });

    test('lists the notification rules in the order they were created', () => {
      expect(alarms.notificationRules.map((rule) => rule.node.path)).toEqual([
        'TestStack/Alarms/Api/FailedDeployments', 'TestStack/Alarms/Worker/FailedDeployments', 'TestStack/Alarms/Nightly/FailedRuns',
      ]);
      fixture.template().resourceCountIs('AWS::Events::Rule', 3 + 0 /* the scheduled task uses EventBridge Scheduler */);
    });

    test('lets EventBridge rules of this account publish to the topic, once', () => {
      const topicArn = fixture.resolve(fixture.ops.topic.topicArn);
      const policy = Object.values(fixture.template().findResources('AWS::SNS::TopicPolicy', {
        Properties: { Topics: [topicArn] },
      }))[0] as any;
      const statements = policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Sid === 'AllowEventBridgeRules');
      expect(statements).toEqual([{
        Sid: 'AllowEventBridgeRules',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      }]);
    });

    test('lets EventBridge use the topic\'s KMS key, once', () => {
      const statements = fixture.properties(fixture.ops.key).KeyPolicy.Statement.filter((s: any) => s.Sid === 'AllowEventBridgeRules');
      expect(statements).toEqual([{
        Sid: 'AllowEventBridgeRules',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
      }]);
    });

    test('warns that the capacity does not collect group metrics, on the alarm that needs them', () => {
      const cfnGroup = fixture.cluster.defaultCapacity.autoScalingGroup.node.defaultChild as autoscaling.CfnAutoScalingGroup;
      // so that the test keeps its meaning whether Ec2Capacity collects group metrics or not
      const collects = (fixture.resolve(cfnGroup.metricsCollection) ?? []).length > 0;
      expect(warningsOf(alarmAt(alarms, 'Cluster-Capacity/InstancesAtMaximum'))).toEqual(collects ? [] : [
        'the Auto Scaling group of Cluster/Capacity does not collect group metrics: the instancesAtMaximum alarm gets no data '
        + '(enable GroupInServiceInstances in its metrics collection, or turn the alarm off) '
        + '[ack: cdk-ecs-platform:PlatformAlarms.groupMetrics]',
      ]);
    });

    test('adds no other warning', () => {
      for (const construct of alarms.node.findAll()) {
        if (construct.node.id !== 'InstancesAtMaximum') expect([construct.node.path, warningsOf(construct)]).toEqual([construct.node.path, []]);
      }
    });
  });

  describe('configuration', () => {
    test('uses the provided threshold, period, evaluation periods and datapoints', () => {
      const fixture = new Fixture();
      const alarms = fixture.alarms();
      alarms.monitorCluster(fixture.cluster, {
        cpuReservation: { threshold: 75, period: Duration.minutes(1), evaluationPeriods: 10, datapointsToAlarm: 8 },
      });
      const summary = summarize(fixture.properties(alarmAt(alarms, 'Cluster/CpuReservation')));
      expect([summary.threshold, summary.metrics.m1.period, summary.evaluationPeriods, summary.datapointsToAlarm]).toEqual([75, 60, 10, 8]);
      expect(fixture.properties(alarmAt(alarms, 'Cluster/CpuReservation')).AlarmDescription)
        .toMatch(/^Cluster: average CPU reservation >= 75 % in 8 of 10 periods of 1 minute\. /);
    });

    test('applies the period to every metric of a metric math alarm', () => {
      const fixture = new Fixture();
      const alarms = fixture.alarms();
      alarms.monitorLoadBalancer(fixture.loadBalancer, { target5xxRate: { period: Duration.minutes(1) } });
      const summary = summarize(fixture.properties(alarmAt(alarms, 'Lb/Target5xxRate')));
      expect(Object.values(summary.metrics).map((m) => m.period)).toEqual([60, 60]);
    });

    test('counts datapoints to alarm as all evaluated periods when only evaluationPeriods is given', () => {
      const fixture = new Fixture();
      const alarms = fixture.alarms();
      alarms.monitorLoadBalancer(fixture.loadBalancer, { elb5xxCount: { evaluationPeriods: 4 } });
      const summary = summarize(fixture.properties(alarmAt(alarms, 'Lb/Elb5xxCount')));
      expect([summary.evaluationPeriods, summary.datapointsToAlarm]).toEqual([4, 4]);
    });

    test('uses the provided threshold for the instances at maximum, and the capacity\'s maxCapacity by default', () => {
      const fixture = new Fixture({ capacity: { maxCapacity: 25 } });
      const extra = fixture.cluster.addCapacity('Spot', { maxCapacity: 4 });
      const alarms = fixture.alarms();
      alarms.monitorCluster(fixture.cluster);
      expect(summarize(fixture.properties(alarmAt(alarms, 'Cluster-Capacity/InstancesAtMaximum'))).threshold).toBe(25);
      expect(summarize(fixture.properties(alarmAt(alarms, 'Cluster-Spot/InstancesAtMaximum'))).threshold).toBe(4);
      expect(summarize(fixture.properties(alarmAt(alarms, 'Cluster-Spot/ProviderReservation'))).metrics.m1.dimensions).toEqual({
        ClusterName: fixture.resolve(fixture.cluster.clusterName),
        CapacityProviderName: fixture.resolve(extra.capacityProvider.capacityProviderName),
      });

      const other = new Fixture();
      const tuned = other.alarms();
      tuned.monitorCluster(other.cluster, { instancesAtMaximum: { threshold: 8 } });
      expect(summarize(other.properties(alarmAt(tuned, 'Cluster-Capacity/InstancesAtMaximum'))).threshold).toBe(8);
    });

    test('monitors a capacity added after monitorCluster() with monitorCapacity()', () => {
      const fixture = new Fixture();
      const alarms = fixture.alarms();
      alarms.monitorCluster(fixture.cluster);
      const later = fixture.cluster.addCapacity('Arm', { maxCapacity: 6 });
      const created = alarms.monitorCapacity(fixture.cluster, later, { capacityProviderReservation: { evaluationPeriods: 6 } });
      expect(created.map((alarm) => alarm.node.path)).toEqual([
        'TestStack/Alarms/Cluster-Arm/ProviderReservation', 'TestStack/Alarms/Cluster-Arm/InstancesAtMaximum',
      ]);
      expect(summarize(fixture.properties(created[0])).evaluationPeriods).toBe(6);
      expect(summarize(fixture.properties(created[1])).threshold).toBe(6);
      expect(fixture.properties(created[1]).AlarmDescription).toMatch(/^Cluster\/Arm: minimum in-service instances >= 6 in 3 of 3 periods /);
    });

    const DISABLE: [string, (alarms: PlatformAlarms, f: Fixture, off: AlarmOptions) => void, string][] = [
      ['cpuReservation', (a, f, off) => a.monitorCluster(f.cluster, { cpuReservation: off }), 'Cluster/CpuReservation'],
      ['memoryReservation', (a, f, off) => a.monitorCluster(f.cluster, { memoryReservation: off }), 'Cluster/MemoryReservation'],
      ['capacityProviderReservation', (a, f, off) => a.monitorCluster(f.cluster, { capacityProviderReservation: off }), 'Cluster-Capacity/ProviderReservation'],
      ['capacityProviderReservation (one capacity)', (a, f, off) => a.monitorCapacity(f.cluster, f.cluster.defaultCapacity,
        { capacityProviderReservation: off }), 'Cluster-Capacity/ProviderReservation'],
      ['instancesAtMaximum', (a, f, off) => a.monitorCluster(f.cluster, { instancesAtMaximum: off }), 'Cluster-Capacity/InstancesAtMaximum'],
      ['elb5xxCount', (a, f, off) => a.monitorLoadBalancer(f.loadBalancer, { elb5xxCount: off }), 'Lb/Elb5xxCount'],
      ['target5xxRate', (a, f, off) => a.monitorLoadBalancer(f.loadBalancer, { target5xxRate: off }), 'Lb/Target5xxRate'],
      ['targetResponseTime', (a, f, off) => a.monitorLoadBalancer(f.loadBalancer, { targetResponseTime: off }), 'Lb/TargetResponseTime'],
      ['rejectedConnections', (a, f, off) => a.monitorLoadBalancer(f.loadBalancer, { rejectedConnections: off }), 'Lb/RejectedConnections'],
      ['cpuUtilization', (a, f, off) => a.monitorWebService(f.webService(), { cpuUtilization: off }), 'Api/CpuUtilization'],
      ['memoryUtilization', (a, f, off) => a.monitorWebService(f.webService(), { memoryUtilization: off }), 'Api/MemoryUtilization'],
      ['tasksBelowDesired', (a, f, off) => a.monitorWebService(f.webService(), { tasksBelowDesired: off }), 'Api/TasksBelowDesired'],
      ['unhealthyTargets', (a, f, off) => a.monitorWebService(f.webService(), { unhealthyTargets: off }), 'Api/UnhealthyTargets'],
      ['oldestMessageAge', (a, f, off) => a.monitorQueueWorker(f.queueWorker(), { oldestMessageAge: off }), 'Worker/OldestMessageAge'],
      ['deadLetterMessages', (a, f, off) => a.monitorQueueWorker(f.queueWorker(), { deadLetterMessages: off }), 'Worker/DeadLetterMessages'],
      ['failedInvocations', (a, f, off) => a.monitorScheduledTask(f.scheduledTask(), { failedInvocations: off }), 'Nightly/FailedInvocations'],
    ];

    test.each(DISABLE)('turns off the %s alarm, and only that one', (_prop, monitor, path) => {
      const paths = (off: AlarmOptions) => {
        const fixture = new Fixture();
        const alarms = fixture.alarms();
        monitor(alarms, fixture, off);
        return alarms.alarms.map((alarm) => alarm.node.path.replace('TestStack/Alarms/', ''));
      };
      const on = paths({});
      expect(on).toContain(path);
      expect(paths({ enabled: false })).toEqual(on.filter((p) => p !== path));
    });

    test('keeps an alarm on when enabled is true', () => {
      const fixture = new Fixture();
      const alarms = fixture.alarms();
      alarms.monitorCluster(fixture.cluster, { cpuReservation: { enabled: true } });
      expect(hasChild(alarms, 'Cluster/CpuReservation')).toBe(true);
    });

    test('turns off the failed deployment notification', () => {
      const fixture = new Fixture();
      const alarms = fixture.alarms();
      alarms.monitorWebService(fixture.webService(), { notifyFailedDeployments: false });
      expect(alarms.notificationRules).toEqual([]);
      fixture.template().resourceCountIs('AWS::Events::Rule', 0);
    });

    test('turns off the failed run notification', () => {
      const fixture = new Fixture();
      const alarms = fixture.alarms();
      alarms.monitorScheduledTask(fixture.scheduledTask(), { notifyFailedRuns: false });
      expect(alarms.notificationRules).toEqual([]);
      expect(hasChild(alarms, 'Nightly/FailedRuns')).toBe(false);
    });

    test('adds no EventBridge permission to the topic when nothing notifies', () => {
      const fixture = new Fixture();
      const alarms = fixture.alarms();
      alarms.monitorCluster(fixture.cluster);
      expect(JSON.stringify(fixture.template().toJSON())).not.toContain('AllowEventBridgeRules');
    });

    test('applies serviceDefaults to every service, with each call\'s options taking precedence field by field', () => {
      const fixture = new Fixture();
      const alarms = fixture.alarms({
        serviceDefaults: {
          cpuUtilization: { threshold: 80, evaluationPeriods: 6 },
          memoryUtilization: { enabled: false },
          notifyFailedDeployments: false,
        },
      });
      alarms.monitorWebService(fixture.webService(), { cpuUtilization: { threshold: 70 } });
      alarms.monitorQueueWorker(fixture.queueWorker(), { memoryUtilization: { enabled: true }, notifyFailedDeployments: true });
      const api = summarize(fixture.properties(alarmAt(alarms, 'Api/CpuUtilization')));
      const worker = summarize(fixture.properties(alarmAt(alarms, 'Worker/CpuUtilization')));
      expect([api.threshold, api.evaluationPeriods, api.datapointsToAlarm]).toEqual([70, 6, 6]);
      expect([worker.threshold, worker.evaluationPeriods]).toEqual([80, 6]);
      expect(hasChild(alarms, 'Api/MemoryUtilization')).toBe(false);
      expect(hasChild(alarms, 'Worker/MemoryUtilization')).toBe(true);
      expect(alarms.notificationRules.map((rule) => rule.node.path)).toEqual(['TestStack/Alarms/Worker/FailedDeployments']);
    });

    test('monitors any ECS service with monitorService()', () => {
      const fixture = new Fixture();
      const api = fixture.webService();
      const alarms = fixture.alarms();
      const created = alarms.monitorService(api.service, { tasksBelowDesired: { threshold: 2 } });
      expect(created.map((alarm) => alarm.node.path)).toEqual([
        'TestStack/Alarms/Api-Service/CpuUtilization',
        'TestStack/Alarms/Api-Service/MemoryUtilization',
        'TestStack/Alarms/Api-Service/TasksBelowDesired',
      ]);
      expect(summarize(fixture.properties(created[2])).threshold).toBe(2);
      expect(alarms.notificationRules.map((rule) => rule.node.path)).toEqual(['TestStack/Alarms/Api-Service/FailedDeployments']);
      expect(fixture.properties(created[0]).AlarmDescription).toMatch(/^Api\/Service: /);
    });

    test('monitors any queue, with or without a dead-letter queue, with monitorQueue()', () => {
      const fixture = new Fixture();
      const deadLetters = new sqs.Queue(fixture.stack, 'Failed', { enforceSSL: true });
      const jobs = new sqs.Queue(fixture.stack, 'Jobs', { enforceSSL: true, deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 } });
      const plain = new sqs.Queue(fixture.stack, 'Events', { enforceSSL: true });
      const alarms = fixture.alarms();
      const withDlq = alarms.monitorQueue(jobs, deadLetters, { oldestMessageAge: { threshold: 60 } });
      const without = alarms.monitorQueue(plain);
      expect(withDlq.map((alarm) => alarm.node.path)).toEqual(['TestStack/Alarms/Jobs/OldestMessageAge', 'TestStack/Alarms/Jobs/DeadLetterMessages']);
      expect(without.map((alarm) => alarm.node.path)).toEqual(['TestStack/Alarms/Events/OldestMessageAge']);
      expect(summarize(fixture.properties(withDlq[0])).threshold).toBe(60);
      expect(summarize(fixture.properties(withDlq[1])).metrics.m1.dimensions).toEqual({ QueueName: fixture.resolve(deadLetters.queueName) });
    });

    test('names each monitored construct by its path, and puts the alarms of another stack\'s construct in that stack', () => {
      const fixture = new Fixture();
      const other = new Stack(fixture.stack.node.root, 'Queues', { env: { account: '123456789012', region: 'us-east-1' } });
      const queue = new sqs.Queue(other, 'Jobs', { enforceSSL: true });
      const local = new sqs.Queue(fixture.stack, 'Jobs', { enforceSSL: true });
      const alarms = fixture.alarms();
      alarms.monitorQueue(local);
      alarms.monitorQueue(queue);
      // a construct of another stack keeps its full path, and its alarms live under it: the alarms' stack (which
      // refers to the topic) would otherwise refer to the queue's stack too
      expect(alarms.alarms.map((alarm) => alarm.node.path)).toEqual([
        'TestStack/Alarms/Jobs/OldestMessageAge', 'Queues/Jobs/Alarms/OldestMessageAge',
      ]);
      expect((alarms.alarms[1].node.defaultChild as cloudwatch.CfnAlarm).alarmDescription).toMatch(/^Queues\/Jobs: /);
      expect(() => alarms.monitorQueue(queue)).toThrow(/`queue` must be a construct that these alarms do not monitor yet, got: "Queues\/Jobs"/);
      expect(() => (fixture.stack.node.root as App).synth()).not.toThrow();
    });

    test('uses an imported topic, and warns that it must allow EventBridge itself', () => {
      const fixture = new Fixture();
      const topic = sns.Topic.fromTopicArn(fixture.stack, 'Imported', 'arn:aws:sns:us-east-1:123456789012:ops');
      const alarms = fixture.alarms({ topic });
      const [cpu] = alarms.monitorWebService(fixture.webService());
      expect(alarms.topic).toBe(topic);
      expect(summarize(fixture.properties(cpu)).alarmActions).toEqual(['arn:aws:sns:us-east-1:123456789012:ops']);
      expect(warningsOf(alarms)).toEqual([
        'the topic (or its KMS key) is imported: let events.amazonaws.com publish to it (sns:Publish) and use its key '
        + '(kms:Decrypt, kms:GenerateDataKey*), or the failed deployment and run notifications are lost '
        + '[ack: cdk-ecs-platform:PlatformAlarms.importedTopic]',
      ]);
    });

    test('warns when the key of an owned topic is imported', () => {
      const fixture = new Fixture();
      const key = kms.Key.fromKeyArn(fixture.stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
      const topic = new sns.Topic(fixture.stack, 'Own', { masterKey: key, enforceSSL: true });
      const alarms = fixture.alarms({ topic });
      alarms.monitorWebService(fixture.webService());
      expect(warningsOf(alarms)).toEqual([expect.stringMatching(/^the topic \(or its KMS key\) is imported: /)]);
    });

    test('does not warn for a topic of this app without a key', () => {
      const fixture = new Fixture();
      const topic = new sns.Topic(fixture.stack, 'Plain', { enforceSSL: true });
      const alarms = fixture.alarms({ topic });
      alarms.monitorWebService(fixture.webService());
      expect(warningsOf(alarms)).toEqual([]);
    });

    test('warns about group metrics only when the group does not collect GroupInServiceInstances', () => {
      const warningsFor = (collection: autoscaling.CfnAutoScalingGroup.MetricsCollectionProperty[] | undefined) => {
        const fixture = new Fixture();
        const cfnGroup = fixture.cluster.defaultCapacity.autoScalingGroup.node.defaultChild as autoscaling.CfnAutoScalingGroup;
        cfnGroup.metricsCollection = collection;
        const alarms = fixture.alarms();
        alarms.monitorCluster(fixture.cluster);
        return warningsOf(alarmAt(alarms, 'Cluster-Capacity/InstancesAtMaximum')).length;
      };
      expect(warningsFor(undefined)).toBe(1);
      expect(warningsFor([{ granularity: '1Minute', metrics: ['GroupDesiredCapacity'] }])).toBe(1);
      expect(warningsFor([{ granularity: '1Minute' }])).toBe(0);
      expect(warningsFor([{ granularity: '1Minute', metrics: ['GroupDesiredCapacity', 'GroupInServiceInstances'] }])).toBe(0);
    });

    test('warns on the tasks-below-desired alarm when the cluster has Container Insights disabled', () => {
      const fixture = new Fixture({ containerInsights: ecs.ContainerInsights.DISABLED });
      const alarms = fixture.alarms();
      alarms.monitorWebService(fixture.webService());
      expect(warningsOf(alarmAt(alarms, 'Api/TasksBelowDesired'))).toEqual([
        'the cluster of Api has Container Insights disabled: the tasksBelowDesired alarm gets no data (enable Container Insights, '
        + 'or turn the alarm off) [ack: cdk-ecs-platform:PlatformAlarms.containerInsights]',
      ]);
    });

    test('does not warn about Container Insights for an imported cluster', () => {
      const fixture = new Fixture();
      const cluster = ecs.Cluster.fromClusterAttributes(fixture.stack, 'Other', { clusterName: 'other', vpc: fixture.vpc });
      const taskDefinition = new ecs.Ec2TaskDefinition(fixture.stack, 'TaskDef');
      taskDefinition.addContainer('app', { image: IMAGE, memoryLimitMiB: 256 });
      const service = new ecs.Ec2Service(fixture.stack, 'Legacy', { cluster, taskDefinition });
      const alarms = fixture.alarms();
      alarms.monitorService(service);
      expect(warningsOf(alarmAt(alarms, 'Legacy/TasksBelowDesired'))).toEqual([]);
      expect(summarize(fixture.properties(alarmAt(alarms, 'Legacy/CpuUtilization'))).metrics.m1.dimensions.ClusterName).toBe('other');
    });

    test('creates the same template on every run', () => {
      const build = () => {
        const fixture = new Fixture();
        const alarms = fixture.alarms();
        alarms.monitorCluster(fixture.cluster);
        alarms.monitorLoadBalancer(fixture.loadBalancer);
        alarms.monitorWebService(fixture.webService());
        alarms.monitorScheduledTask(fixture.scheduledTask());
        return JSON.stringify(fixture.template().toJSON());
      };
      expect(build()).toEqual(build());
    });
  });

  describe('validation', () => {
    let fixture: Fixture;
    beforeEach(() => {
      fixture = new Fixture();
    });

    test.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('fails when a threshold is %p', (threshold) => {
      expect(() => fixture.alarms().monitorLoadBalancer(fixture.loadBalancer, { targetResponseTime: { threshold } }))
        .toThrow(exactly(`[TestStack/Alarms] \`targetResponseTime.threshold\` must be a number of at least 0, got: ${threshold}`));
    });

    test.each([
      [Duration.seconds(30), '30 seconds'],
      [Duration.seconds(90), '1 minute 30 seconds'],
      [Duration.days(2), '2 days'],
    ])('fails when a period is %s', (period, shown) => {
      expect(() => fixture.alarms().monitorCluster(fixture.cluster, { memoryReservation: { period } }))
        .toThrow(exactly(`[TestStack/Alarms] \`memoryReservation.period\` must be whole minutes from 1 minute to 1 day, got: "${shown}"`));
    });

    test.each([0, 1.5, 289])('fails when evaluationPeriods is %p with 5-minute periods', (evaluationPeriods) => {
      expect(() => fixture.alarms().monitorCluster(fixture.cluster, { cpuReservation: { evaluationPeriods } }))
        .toThrow(exactly('[TestStack/Alarms] `cpuReservation.evaluationPeriods` must be an integer between 1 and 288 '
          + `(evaluationPeriods × period at most one day), got: ${evaluationPeriods}`));
    });

    test('bounds evaluationPeriods by the period: one day in all', () => {
      expect(() => fixture.alarms().monitorCluster(fixture.cluster, { cpuReservation: { period: Duration.hours(1), evaluationPeriods: 25 } }))
        .toThrow(/`cpuReservation.evaluationPeriods` must be an integer between 1 and 24 /);
    });

    test('accepts an evaluation of exactly one day', () => {
      const alarms = fixture.alarms();
      alarms.monitorCluster(fixture.cluster, { cpuReservation: { period: Duration.days(1), evaluationPeriods: 1 } });
      expect(summarize(fixture.properties(alarmAt(alarms, 'Cluster/CpuReservation'))).metrics.m1.period).toBe(86400);
    });

    test.each([0, 4, 2.5])('fails when datapointsToAlarm is %p for 3 evaluated periods', (datapointsToAlarm) => {
      expect(() => fixture.alarms().monitorWebService(fixture.webService(), { unhealthyTargets: { datapointsToAlarm } }))
        .toThrow(exactly('[TestStack/Alarms] `unhealthyTargets.datapointsToAlarm` must be an integer between 1 and '
          + `\`unhealthyTargets.evaluationPeriods\` (3), got: ${datapointsToAlarm}`));
    });

    test('fails when serviceDefaults hold a bad setting, naming the prop', () => {
      expect(() => fixture.alarms({ serviceDefaults: { memoryUtilization: { threshold: -5 } } }))
        .toThrow(exactly('[TestStack/Alarms] `serviceDefaults.memoryUtilization.threshold` must be a number of at least 0, got: -5'));
      expect(() => fixture.alarms({ serviceDefaults: { tasksBelowDesired: { datapointsToAlarm: 0 } } }, 'Other'))
        .toThrow(exactly('[TestStack/Other] `serviceDefaults.tasksBelowDesired.datapointsToAlarm` must be an integer of at least 1, got: 0'));
      expect(() => fixture.alarms({ serviceDefaults: { cpuUtilization: { evaluationPeriods: 2, datapointsToAlarm: 3 } } }, 'Third'))
        .toThrow(exactly('[TestStack/Third] `serviceDefaults.cpuUtilization.datapointsToAlarm` must be an integer between 1 and '
          + '`serviceDefaults.cpuUtilization.evaluationPeriods` (2), got: 3'));
    });

    test('fails when serviceDefaults and a call\'s options together contradict each other', () => {
      const alarms = fixture.alarms({ serviceDefaults: { cpuUtilization: { datapointsToAlarm: 5 } } });
      expect(() => alarms.monitorWebService(fixture.webService(), { cpuUtilization: { evaluationPeriods: 4 } }))
        .toThrow(exactly('[TestStack/Alarms] `cpuUtilization.datapointsToAlarm` must be an integer between 1 and '
          + '`cpuUtilization.evaluationPeriods` (4), got: 5'));
    });

    test('fails when a construct is monitored twice', () => {
      const alarms = fixture.alarms();
      const api = fixture.webService();
      alarms.monitorWebService(api);
      expect(() => alarms.monitorWebService(api))
        .toThrow(exactly('[TestStack/Alarms] `service` must be a construct that these alarms do not monitor yet, got: "TestStack/Api"'));
      alarms.monitorCluster(fixture.cluster);
      expect(() => alarms.monitorCluster(fixture.cluster))
        .toThrow(exactly('[TestStack/Alarms] `cluster` must be a construct that these alarms do not monitor yet, got: "TestStack/Cluster"'));
    });

    test('builds nothing when the options are bad', () => {
      const alarms = fixture.alarms();
      expect(() => alarms.monitorLoadBalancer(fixture.loadBalancer, { rejectedConnections: { threshold: -1 } })).toThrow();
      expect(() => alarms.monitorCluster(fixture.cluster, { instancesAtMaximum: { evaluationPeriods: 0 } })).toThrow();
      expect(alarms.alarms).toEqual([]);
      expect(alarms.node.children).toEqual([]);
      // and the constructs can be monitored once the options are fixed
      expect(alarms.monitorLoadBalancer(fixture.loadBalancer)).toHaveLength(4);
    });

    test('fails when the capacity is not one of the cluster\'s', () => {
      const other = new EcsCluster(fixture.stack, 'Other', { vpc: fixture.vpc });
      expect(() => fixture.alarms().monitorCapacity(fixture.cluster, other.defaultCapacity))
        .toThrow(exactly('[TestStack/Alarms] `capacity` must be a capacity of the cluster TestStack/Cluster, got: "TestStack/Other/Capacity"'));
    });

    test('fails when a capacity that monitorCluster() watches is monitored again', () => {
      const alarms = fixture.alarms();
      alarms.monitorCluster(fixture.cluster);
      expect(() => alarms.monitorCapacity(fixture.cluster, fixture.cluster.defaultCapacity))
        .toThrow(exactly('[TestStack/Alarms] `capacity` must be a construct that these alarms do not monitor yet, got: "TestStack/Cluster/Capacity"'));
    });

    test('skips tokens', () => {
      const alarms = fixture.alarms();
      alarms.monitorCluster(fixture.cluster, {
        cpuReservation: { threshold: Lazy.number({ produce: () => -1 }), datapointsToAlarm: Lazy.number({ produce: () => 7 }) },
      });
      const summary = summarize(fixture.properties(alarmAt(alarms, 'Cluster/CpuReservation')));
      expect([summary.threshold, summary.datapointsToAlarm]).toEqual([-1, 7]);
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const fixture = new Fixture();
      const alarms = fixture.alarms();
      alarms.monitorCluster(fixture.cluster);
      alarms.monitorLoadBalancer(fixture.loadBalancer);
      alarms.monitorWebService(fixture.webService());
      alarms.monitorQueueWorker(fixture.queueWorker());
      alarms.monitorScheduledTask(fixture.scheduledTask());
      expect(nagFindings(alarms)).toEqual([]);
      expect(nagFindings(fixture.ops)).toEqual([]);
    });

    test('gives every alarm an action, as NIST 800-53 R5 CloudWatchAlarmAction asks', () => {
      const fixture = new Fixture();
      const alarms = fixture.alarms();
      alarms.monitorCluster(fixture.cluster);
      alarms.monitorLoadBalancer(fixture.loadBalancer);
      alarms.monitorWebService(fixture.webService());
      const report = new NIST80053R5Checks(undefined, { verbose: false }).validateScope(alarms);
      expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    });
  });
});
