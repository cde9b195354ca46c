import { CfnElement, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import {
  EcsCluster, OpsTopic, PlatformAlarms, PlatformDashboard, PlatformDashboardProps, PublicLoadBalancer, QueueWorker, RouteMatch, WebService,
} from '../../src';
import { nagFindings, testStack, testVpc } from '../util';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');

/** A platform to draw: a cluster, a load balancer, and workloads on demand. */
class Fixture {
  public readonly stack: Stack;
  public readonly vpc: ec2.Vpc;
  public readonly cluster: EcsCluster;
  public readonly loadBalancer: PublicLoadBalancer;

  constructor() {
    this.stack = testStack();
    this.vpc = testVpc(this.stack);
    this.cluster = new EcsCluster(this.stack, 'Cluster', { vpc: this.vpc });
    this.loadBalancer = new PublicLoadBalancer(this.stack, 'Lb', { vpc: this.vpc });
  }

  public dashboard(props: PlatformDashboardProps = {}): PlatformDashboard {
    return new PlatformDashboard(this.stack, 'Dashboard', props);
  }

  public webService(id = 'Api'): WebService {
    return new WebService(this.stack, id, {
      cluster: this.cluster, loadBalancer: this.loadBalancer, image: IMAGE, route: RouteMatch.pathPatterns(`/${id.toLowerCase()}/*`),
    });
  }

  public queueWorker(id = 'Worker'): QueueWorker {
    return new QueueWorker(this.stack, id, { cluster: this.cluster, image: IMAGE });
  }

  public template(): Template {
    return Template.fromStack(this.stack);
  }
}

function logicalId(construct: IConstruct): string {
  const element = (construct instanceof CfnElement ? construct : construct.node.defaultChild) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

/**
 * A CloudFormation value written as text that can stand inside a JSON string: `<Ref:Id>`, `<GetAtt:Id.Attribute>`,
 * a join as its parts, other intrinsics as JSON with single quotes.
 */
function tokenText(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, any>;
  if (node.Ref) return `<Ref:${node.Ref}>`;
  if (node['Fn::GetAtt']) return `<GetAtt:${node['Fn::GetAtt'].join('.')}>`;
  if (node['Fn::Join']) return node['Fn::Join'][1].map(tokenText).join(node['Fn::Join'][0]);
  return `<${JSON.stringify(value).replace(/"/g, "'")}>`;
}

/** The dashboard body as JSON: the literal parts of its `Fn::Join` joined, each token written by `tokenText()`. */
function dashboardBody(template: Template, dashboard: PlatformDashboard): any {
  const resource = template.toJSON().Resources[logicalId(dashboard.dashboard)];
  const body = resource.Properties.DashboardBody;
  const text = typeof body === 'string' ? body : body['Fn::Join'][1].map(tokenText).join(body['Fn::Join'][0]);
  return JSON.parse(text);
}

/** One metric line of a graph, with the dashboard's defaults (Average, 300 seconds) filled in. */
interface Line {
  readonly namespace?: string;
  readonly metricName?: string;
  readonly dimensions?: Record<string, string>;
  readonly expression?: string;
  readonly label?: string;
  readonly stat?: string;
  readonly period?: number;
  readonly yAxis: string;
}

function linesOf(widget: any): Line[] {
  return widget.properties.metrics.map((entry: any[]) => {
    const options = entry[entry.length - 1] ?? {};
    if (options.expression) return { expression: options.expression, label: options.label, yAxis: options.yAxis ?? 'left' };
    const parts = entry.slice(0, -1);
    const dimensions: Record<string, string> = {};
    for (let i = 2; i < parts.length; i += 2) dimensions[parts[i]] = parts[i + 1];
    return {
      namespace: parts[0],
      metricName: parts[1],
      dimensions,
      label: options.label,
      stat: options.stat ?? 'Average',
      period: options.period ?? 300,
      yAxis: options.yAxis ?? 'left',
    };
  });
}

describe('PlatformDashboard', () => {
  describe('defaults', () => {
    let fixture: Fixture;
    let dashboard: PlatformDashboard;
    let body: any;
    let ids: Record<string, string>;
    beforeAll(() => {
      fixture = new Fixture();
      const api = fixture.webService();
      const worker = fixture.queueWorker();
      dashboard = fixture.dashboard();
      dashboard.addCluster(fixture.cluster);
      dashboard.addLoadBalancer(fixture.loadBalancer);
      dashboard.addWebService(api);
      dashboard.addQueueWorker(worker);
      dashboard.addService(api.service);
      const template = fixture.template();
      body = dashboardBody(template, dashboard);
      const stack = fixture.stack;
      const text = (value: string) => tokenText(stack.resolve(value));
      ids = {
        cluster: text(fixture.cluster.clusterName),
        provider: text(fixture.cluster.defaultCapacity.capacityProvider.capacityProviderName),
        group: text(fixture.cluster.defaultCapacity.autoScalingGroup.autoScalingGroupName),
        lb: text(fixture.loadBalancer.loadBalancer.loadBalancerFullName),
        api: text(api.service.serviceName),
        worker: text(worker.service.serviceName),
        queue: text(worker.queue.queueName),
        dlq: text(worker.deadLetterQueue.queueName),
        targetGroup: text(api.targetGroup.targetGroupFullName),
        targetGroupLb: text(api.targetGroup.firstLoadBalancerFullName),
      };
    });

    test('creates exactly one dashboard, with no physical name, opening on the last 3 hours', () => {
      fixture.template().resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      expect(fixture.template().toJSON().Resources[logicalId(dashboard.dashboard)].Properties.DashboardName).toBeUndefined();
      expect(body.start).toBe('-PT3H');
    });

    test('makes the dashboard its default child, so it keeps a short logical id', () => {
      expect(dashboard.node.defaultChild === dashboard.dashboard).toBe(true);
      expect(logicalId(dashboard.dashboard)).toMatch(/^Dashboard[0-9A-F]{8}$/);
    });

    test('lays out one row of 6-high graphs per call, in the order of the calls', () => {
      expect(body.widgets.map((w: any) => [w.properties.title, w.x, w.y, w.width, w.height])).toEqual([
        ['Cluster: CPU and memory reservation', 0, 0, 8, 6],
        ['Cluster: capacity provider reservation', 8, 0, 8, 6],
        ['Cluster: in-service instances', 16, 0, 8, 6],
        ['Lb: requests', 0, 6, 8, 6],
        ['Lb: 5xx responses', 8, 6, 8, 6],
        ['Lb: target response time', 16, 6, 8, 6],
        ['Api: CPU and memory utilization', 0, 12, 8, 6],
        ['Api: tasks', 8, 12, 8, 6],
        ['Api: targets', 16, 12, 8, 6],
        ['Worker: CPU and memory utilization', 0, 18, 8, 6],
        ['Worker: tasks', 8, 18, 8, 6],
        ['Worker: queue', 16, 18, 8, 6],
        ['Api/Service: CPU and memory utilization', 0, 24, 8, 6],
        ['Api/Service: tasks', 8, 24, 8, 6],
      ]);
      expect(body.widgets.every((w: any) => w.type === 'metric' && w.properties.view === 'timeSeries')).toBe(true);
    });

    test('graphs the cluster\'s reservation, its capacity provider reservation and its instances with their maximum', () => {
      const [reservation, provider, instances] = body.widgets.slice(0, 3);
      expect(linesOf(reservation)).toEqual([
        { namespace: 'AWS/ECS', metricName: 'CPUReservation', dimensions: { ClusterName: ids.cluster }, label: 'CPU reservation', stat: 'Average', period: 300, yAxis: 'left' },
        { namespace: 'AWS/ECS', metricName: 'MemoryReservation', dimensions: { ClusterName: ids.cluster }, label: 'Memory reservation', stat: 'Average', period: 300, yAxis: 'left' },
      ]);
      expect(reservation.properties.yAxis).toEqual({ left: { min: 0, label: 'Percent', showUnits: false } });
      expect(linesOf(provider)).toEqual([{
        namespace: 'AWS/ECS/ManagedScaling',
        metricName: 'CapacityProviderReservation',
        dimensions: { CapacityProviderName: ids.provider, ClusterName: ids.cluster },
        label: 'Capacity',
        stat: 'Minimum',
        period: 300,
        yAxis: 'left',
      }]);
      expect(linesOf(instances)).toEqual([{
        namespace: 'AWS/AutoScaling',
        metricName: 'GroupInServiceInstances',
        dimensions: { AutoScalingGroupName: ids.group },
        label: 'Capacity',
        stat: 'Minimum',
        period: 300,
        yAxis: 'left',
      }]);
      expect(instances.properties.annotations).toEqual({ horizontal: [{ value: 10, label: 'Capacity maximum', yAxis: 'left' }] });
      expect(instances.properties.yAxis).toEqual({ left: { min: 0, label: 'Count', showUnits: false } });
    });

    test('graphs the load balancer\'s requests, 5xx responses and rate, and response time', () => {
      const [requests, errors, latency] = body.widgets.slice(3, 6);
      const lb = (metricName: string, label: string, stat: string, yAxis = 'left') => ({
        namespace: 'AWS/ApplicationELB', metricName, dimensions: { LoadBalancer: ids.lb }, label, stat, period: 300, yAxis,
      });
      expect(linesOf(requests)).toEqual([
        lb('RequestCount', 'Requests', 'Sum'),
        lb('RejectedConnectionCount', 'Rejected connections', 'Sum', 'right'),
      ]);
      expect(linesOf(errors)).toEqual([
        lb('HTTPCode_ELB_5XX_Count', 'Load balancer 5xx', 'Sum'),
        lb('HTTPCode_Target_5XX_Count', 'Target 5xx', 'Sum'),
        { expression: '100 * FILL(errors, 0) / requests', label: 'Target 5xx rate (%)', yAxis: 'right' },
        { ...lb('RequestCount', 'Requests', 'Sum'), yAxis: 'left' },
      ]);
      // the requests of the rate are computed, not drawn
      expect(errors.properties.metrics[3][errors.properties.metrics[3].length - 1]).toMatchObject({ id: 'requests', visible: false });
      expect(errors.properties.yAxis.right).toEqual({ min: 0, label: 'Percent', showUnits: false });
      expect(linesOf(latency)).toEqual([
        lb('TargetResponseTime', 'Target response time p50', 'p50'),
        lb('TargetResponseTime', 'Target response time p99', 'p99'),
      ]);
      expect(latency.properties.yAxis).toEqual({ left: { min: 0, label: 'Seconds', showUnits: false } });
    });

    test('graphs each service\'s utilization and tasks, and a web service\'s targets', () => {
      const [utilization, tasks, targets] = body.widgets.slice(6, 9);
      const dims = { ClusterName: ids.cluster, ServiceName: ids.api };
      expect(linesOf(utilization)).toEqual([
        { namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: dims, label: 'CPU utilization (average)', stat: 'Average', period: 300, yAxis: 'left' },
        { namespace: 'AWS/ECS', metricName: 'MemoryUtilization', dimensions: dims, label: 'Memory utilization (maximum)', stat: 'Maximum', period: 300, yAxis: 'left' },
      ]);
      expect(linesOf(tasks)).toEqual([
        { namespace: 'ECS/ContainerInsights', metricName: 'RunningTaskCount', dimensions: dims, label: 'Running tasks', stat: 'Average', period: 300, yAxis: 'left' },
        { namespace: 'ECS/ContainerInsights', metricName: 'DesiredTaskCount', dimensions: dims, label: 'Desired tasks', stat: 'Average', period: 300, yAxis: 'left' },
      ]);
      const hosts = { LoadBalancer: ids.targetGroupLb, TargetGroup: ids.targetGroup };
      expect(linesOf(targets)).toEqual([
        { namespace: 'AWS/ApplicationELB', metricName: 'HealthyHostCount', dimensions: hosts, label: 'Healthy targets', stat: 'Minimum', period: 300, yAxis: 'left' },
        { namespace: 'AWS/ApplicationELB', metricName: 'UnHealthyHostCount', dimensions: hosts, label: 'Unhealthy targets', stat: 'Maximum', period: 300, yAxis: 'left' },
      ]);
    });

    test('graphs a queue worker\'s queue: visible and dead-letter messages, and the age of the oldest message', () => {
      const [utilization, , queue] = body.widgets.slice(9, 12);
      expect(linesOf(utilization)[0].dimensions).toEqual({ ClusterName: ids.cluster, ServiceName: ids.worker });
      expect(linesOf(queue)).toEqual([
        { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: ids.queue }, label: 'Visible messages', stat: 'Maximum', period: 300, yAxis: 'left' },
        { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: ids.dlq }, label: 'Dead-letter messages', stat: 'Maximum', period: 300, yAxis: 'left' },
        { namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', dimensions: { QueueName: ids.queue }, label: 'Age of oldest message', stat: 'Maximum', period: 300, yAxis: 'right' },
      ]);
      expect(queue.properties.yAxis).toEqual({
        left: { min: 0, label: 'Count', showUnits: false },
        right: { min: 0, label: 'Seconds', showUnits: false },
      });
    });

    test('describes its layout as text', () => {
      expect(dashboard.describeLayout()).toEqual([
        '+---------------------------------------+---------------------------------------+---------------------------------------+',
        '| Cluster: CPU and memory reservation   | Cluster: capacity provider reserva... | Cluster: in-service instances         |',
        '+---------------------------------------+---------------------------------------+---------------------------------------+',
        '| Lb: requests                          | Lb: 5xx responses                     | Lb: target response time              |',
        '+---------------------------------------+---------------------------------------+---------------------------------------+',
        '| Api: CPU and memory utilization       | Api: tasks                            | Api: targets                          |',
        '+---------------------------------------+---------------------------------------+---------------------------------------+',
        '| Worker: CPU and memory utilization    | Worker: tasks                         | Worker: queue                         |',
        '+---------------------------------------+---------------------------------------+---------------------------------------+',
        '| Api/Service: CPU and memory utiliz... | Api/Service: tasks                    |',
        '+---------------------------------------+---------------------------------------+',
      ].join('\n'));
    });

    test('returns the widgets of each row', () => {
      const fresh = new Fixture();
      const returned = fresh.dashboard().addCluster(fresh.cluster);
      expect(returned).toHaveLength(3);
      expect(returned.every((widget) => widget instanceof cloudwatch.GraphWidget)).toBe(true);
    });
  });

  describe('configuration', () => {
    test('uses the provided name and default interval', () => {
      const fixture = new Fixture();
      const dashboard = fixture.dashboard({ dashboardName: 'ecs-platform_prod', defaultInterval: Duration.days(1) });
      dashboard.addCluster(fixture.cluster);
      const template = fixture.template();
      expect(template.toJSON().Resources[logicalId(dashboard.dashboard)].Properties.DashboardName).toBe('ecs-platform_prod');
      expect(dashboardBody(template, dashboard).start).toBe('-P1D');
    });

    test('describes an empty dashboard as empty text', () => {
      expect(new Fixture().dashboard().describeLayout()).toBe('');
    });

    test('draws one line per capacity, and each capacity\'s maximum', () => {
      const fixture = new Fixture();
      fixture.cluster.addCapacity('Spot', { maxCapacity: 4 });
      const dashboard = fixture.dashboard();
      dashboard.addCluster(fixture.cluster);
      const [, provider, instances] = dashboardBody(fixture.template(), dashboard).widgets;
      expect(linesOf(provider).map((line) => line.label)).toEqual(['Capacity', 'Spot']);
      expect(linesOf(instances).map((line) => line.label)).toEqual(['Capacity', 'Spot']);
      expect(instances.properties.annotations.horizontal.map((a: any) => [a.label, a.value])).toEqual([['Capacity maximum', 10], ['Spot maximum', 4]]);
    });

    test('adds a row for a capacity added after the cluster', () => {
      const fixture = new Fixture();
      const dashboard = fixture.dashboard();
      dashboard.addCluster(fixture.cluster);
      const arm = fixture.cluster.addCapacity('Arm', { maxCapacity: 6 });
      expect(dashboard.addCapacity(fixture.cluster, arm)).toHaveLength(2);
      const widgets = dashboardBody(fixture.template(), dashboard).widgets;
      expect(widgets.slice(3).map((w: any) => [w.properties.title, w.x, w.y, w.width])).toEqual([
        ['Cluster/Arm: capacity provider reservation', 0, 6, 8],
        ['Cluster/Arm: in-service instances', 8, 6, 8],
      ]);
      expect(linesOf(widgets[3])[0].dimensions).toEqual({
        CapacityProviderName: tokenText(fixture.stack.resolve(arm.capacityProvider.capacityProviderName)),
        ClusterName: tokenText(fixture.stack.resolve(fixture.cluster.clusterName)),
      });
      expect(widgets[4].properties.annotations.horizontal).toEqual([{ value: 6, label: 'Arm maximum', yAxis: 'left' }]);
    });

    test('keeps the order of the calls, whatever the kind of workload', () => {
      const fixture = new Fixture();
      const worker = fixture.queueWorker();
      const api = fixture.webService();
      const dashboard = fixture.dashboard();
      dashboard.addQueueWorker(worker);
      dashboard.addWebService(api);
      dashboard.addCluster(fixture.cluster);
      expect(dashboardBody(fixture.template(), dashboard).widgets.filter((w: any) => w.x === 0).map((w: any) => w.properties.title)).toEqual([
        'Worker: CPU and memory utilization', 'Api: CPU and memory utilization', 'Cluster: CPU and memory reservation',
      ]);
    });

    test('graphs exactly the metrics that the alarms evaluate at their defaults', () => {
      const fixture = new Fixture();
      const api = fixture.webService();
      const worker = fixture.queueWorker();
      const alarms = new PlatformAlarms(fixture.stack, 'Alarms', { topic: new OpsTopic(fixture.stack, 'Ops').topic });
      const dashboard = fixture.dashboard();
      for (const target of [alarms, dashboard]) {
        const monitor = target instanceof PlatformAlarms;
        if (monitor) {
          alarms.monitorCluster(fixture.cluster);
          alarms.monitorLoadBalancer(fixture.loadBalancer);
          alarms.monitorWebService(api);
          alarms.monitorQueueWorker(worker);
        } else {
          dashboard.addCluster(fixture.cluster);
          dashboard.addLoadBalancer(fixture.loadBalancer);
          dashboard.addWebService(api);
          dashboard.addQueueWorker(worker);
        }
      }
      const template = fixture.template();
      const graphed = new Set<string>(dashboardBody(template, dashboard).widgets.flatMap((w: any) => linesOf(w))
        .filter((line: Line) => line.metricName)
        .map((line: Line) => JSON.stringify([line.namespace, line.metricName, line.dimensions, line.stat, line.period])));
      const resources = template.toJSON().Resources;
      for (const alarm of alarms.alarms) {
        for (const entry of resources[logicalId(alarm)].Properties.Metrics.filter((m: any) => m.MetricStat)) {
          const stat = entry.MetricStat;
          const dimensions = Object.fromEntries(stat.Metric.Dimensions.map((d: any) => [d.Name, tokenText(d.Value)]));
          const key = JSON.stringify([stat.Metric.Namespace, stat.Metric.MetricName, sortKeys(dimensions, graphed), stat.Stat, stat.Period]);
          expect([alarm.node.path, graphed.has(key)]).toEqual([alarm.node.path, true]);
        }
      }
    });

    test('creates the same dashboard on every run', () => {
      const build = () => {
        const fixture = new Fixture();
        const dashboard = fixture.dashboard();
        dashboard.addCluster(fixture.cluster);
        dashboard.addLoadBalancer(fixture.loadBalancer);
        dashboard.addWebService(fixture.webService());
        return JSON.stringify(fixture.template().toJSON());
      };
      expect(build()).toEqual(build());
    });
  });

  describe('overviews', () => {
    /** The one line a search expression is on a graph: no label of its own, the left axis. */
    const searchLine = (expression: string): Line => ({ expression, label: undefined, yAxis: 'left' });

    let fixture: Fixture;
    let dashboard: PlatformDashboard;
    let widgets: any[];
    beforeAll(() => {
      fixture = new Fixture();
      dashboard = fixture.dashboard();
      dashboard.addServicesOverview(fixture.cluster);
      dashboard.addTargetGroupsOverview(fixture.loadBalancer);
      dashboard.addQueuesOverview('Prod-Platform');
      widgets = dashboardBody(fixture.template(), dashboard).widgets;
    });

    test('graph every service of the cluster, target group of the load balancer and queue of a stack by search expressions', () => {
      const cluster = `<Ref:${logicalId(fixture.cluster.cluster)}>`;
      const loadBalancer = `<GetAtt:${logicalId(fixture.loadBalancer.loadBalancer)}.LoadBalancerFullName>`;
      expect(widgets.map((widget) => [widget.properties.title, linesOf(widget)])).toEqual([
        ['Cluster: CPU utilization by service', [searchLine(`SEARCH('{AWS/ECS,ClusterName,ServiceName} MetricName="CPUUtilization" ClusterName="${cluster}"', 'Average', 300)`)]],
        ['Cluster: memory utilization by service', [searchLine(`SEARCH('{AWS/ECS,ClusterName,ServiceName} MetricName="MemoryUtilization" ClusterName="${cluster}"', 'Maximum', 300)`)]],
        ['Cluster: running tasks by service', [searchLine(`SEARCH('{ECS/ContainerInsights,ClusterName,ServiceName} MetricName="RunningTaskCount" ClusterName="${cluster}"', 'Average', 300)`)]],
        ['Lb: unhealthy targets by target group', [searchLine(`SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="UnHealthyHostCount" LoadBalancer="${loadBalancer}"', 'Maximum', 300)`)]],
        ['Lb: healthy targets by target group', [searchLine(`SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="HealthyHostCount" LoadBalancer="${loadBalancer}"', 'Minimum', 300)`)]],
        ['Lb: p99 response time by target group', [searchLine(`SEARCH('{AWS/ApplicationELB,LoadBalancer,TargetGroup} MetricName="TargetResponseTime" LoadBalancer="${loadBalancer}"', 'p99', 300)`)]],
        ['Queues of Prod-Platform: visible messages', [searchLine('SEARCH(\'{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" QueueName=Prod-Platform\', \'Maximum\', 300)')]],
        ['Queues of Prod-Platform: age of oldest message', [searchLine('SEARCH(\'{AWS/SQS,QueueName} MetricName="ApproximateAgeOfOldestMessage" QueueName=Prod-Platform\', \'Maximum\', 300)')]],
      ]);
    });

    test('stay the same size and refer to no service: a service added later changes nothing', () => {
      const before = JSON.stringify(widgets);
      const more = new Fixture();
      const second = more.dashboard();
      second.addServicesOverview(more.cluster);
      second.addTargetGroupsOverview(more.loadBalancer);
      second.addQueuesOverview('Prod-Platform');
      more.webService('Api');
      more.webService('Admin');
      more.queueWorker();
      expect(JSON.stringify(dashboardBody(more.template(), second).widgets)).toEqual(before);
    });

    test.each(['', 'has space', 'a"b', 'x'.repeat(81)])('fails when queueNameWord is %p', (queueNameWord) => {
      expect(() => new Fixture().dashboard().addQueuesOverview(queueNameWord))
        .toThrow(`[TestStack/Dashboard] \`queueNameWord\` must be 1 to 80 letters, digits, \`-\` and \`_\`, got: ${JSON.stringify(queueNameWord)}`);
    });
  });

  describe('validation', () => {
    let fixture: Fixture;
    beforeEach(() => {
      fixture = new Fixture();
    });

    test.each(['', 'has space', 'a/b', 'x'.repeat(256)])('fails when dashboardName is %p', (dashboardName) => {
      expect(() => fixture.dashboard({ dashboardName }))
        .toThrow(`[TestStack/Dashboard] \`dashboardName\` must be 1 to 255 letters, digits, hyphens and underscores, got: ${JSON.stringify(dashboardName)}`);
    });

    test.each([
      [Duration.minutes(4), '4 minutes'],
      [Duration.seconds(330), '5 minutes 30 seconds'],
    ])('fails when defaultInterval is %s', (defaultInterval, shown) => {
      expect(() => fixture.dashboard({ defaultInterval }))
        .toThrow(`[TestStack/Dashboard] \`defaultInterval\` must be whole minutes, at least 5 minutes, got: "${shown}"`);
    });

    test('fails when the capacity is not one of the cluster\'s', () => {
      const other = new EcsCluster(fixture.stack, 'Other', { vpc: fixture.vpc });
      expect(() => fixture.dashboard().addCapacity(fixture.cluster, other.defaultCapacity))
        .toThrow('[TestStack/Dashboard] `capacity` must be a capacity of the cluster TestStack/Cluster, got: "TestStack/Other/Capacity"');
    });

    test('skips tokens', () => {
      const dashboard = fixture.dashboard({ dashboardName: Lazy.string({ produce: () => 'late name' }) });
      expect(dashboard.dashboard).toBeDefined();
    });

    test('fails at synth when the dashboard holds more than 500 widgets', () => {
      const dashboard = fixture.dashboard();
      for (let i = 0; i < 167; i++) dashboard.addCluster(fixture.cluster);
      expect(() => fixture.template()).toThrow(
        '[TestStack/Dashboard] the dashboard must hold at most 500 widgets, got: 501 (split the workloads over several PlatformDashboards)');
    });

    test('accepts exactly 500 widgets', () => {
      const dashboard = fixture.dashboard();
      for (let i = 0; i < 166; i++) dashboard.addCluster(fixture.cluster);
      dashboard.addService(fixture.webService().service);
      expect(() => fixture.template()).not.toThrow();
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const fixture = new Fixture();
      const dashboard = fixture.dashboard();
      dashboard.addCluster(fixture.cluster);
      dashboard.addLoadBalancer(fixture.loadBalancer);
      dashboard.addWebService(fixture.webService());
      dashboard.addQueueWorker(fixture.queueWorker());
      expect(nagFindings(dashboard)).toEqual([]);
    });
  });
});

/** `dimensions` with its keys in the order of the graphed line that has the same keys, for comparison as JSON. */
function sortKeys(dimensions: Record<string, string>, graphed: Set<string>): Record<string, string> {
  for (const key of graphed) {
    const graphedDimensions = JSON.parse(key)[2] as Record<string, string>;
    const names = Object.keys(graphedDimensions);
    if (names.length === Object.keys(dimensions).length && names.every((name) => name in dimensions)) {
      return Object.fromEntries(names.map((name) => [name, dimensions[name]]));
    }
  }
  return dimensions;
}
