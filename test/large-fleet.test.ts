/**
 * Platforms grow: `stackPerWorkload` puts each workload in a stack of its own, and synthesis fails, naming the
 * quota and the fix, before a stack would break one of CloudFormation's. Adding or removing a workload never
 * changes another workload's stack (its logical ids, listener-rule priority and imports), nor the platform's
 * exports, nor its dashboard. examples/large-fleet/ (100 web services, checked in test/integration/examples.test.ts) is the full-size case.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, NestedStack, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { EcsPlatform, EcsPlatformStack, EcsPlatformStackProps, RouteMatch, TaskTrigger } from '../src';
import { checkStackQuotas } from '../src/private/stack-limits';

const ENV = { account: '123456789012', region: 'us-east-1' };
const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');

/** The ids of `count` web services, `Svc00`, `Svc01`, ... */
function serviceIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `Svc${String(index).padStart(2, '0')}`);
}

/** A platform stack with a repository and a web service per id, a queue worker and a scheduled task. */
function fleet(ids: string[], props: EcsPlatformStackProps = {}, context: Record<string, unknown> = {}): { app: App; stack: EcsPlatformStack } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-fleet-')), context });
  const stack = new EcsPlatformStack(app, 'Fleet', { env: ENV, stackPerWorkload: true, ...props });
  for (const id of ids) {
    const images = stack.addImageRepository(`${id}Images`);
    stack.addWebService(id, { image: images.image('1.0.0'), route: RouteMatch.pathPatterns(`/${id.toLowerCase()}/*`), maxCapacity: 2 });
  }
  stack.addQueueWorker('Worker', { image: IMAGE, maxCapacity: 2 });
  stack.addScheduledTask('Job', { image: IMAGE, trigger: TaskTrigger.cron({ minute: '0', hour: '3' }) });
  return { app, stack };
}

/** Synthesizes the app and removes its output directory; returns every template's text by stack name. */
function templates(app: App): Map<string, string> {
  let assembly: CloudAssembly | undefined;
  try {
    assembly = app.synth();
    return new Map(assembly.stacks.map((artifact) =>
      [artifact.stackName, fs.readFileSync(path.join(assembly!.directory, artifact.templateFile), 'utf8')]));
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

/** The names of the exports of a template. */
function exportNames(template: string): string[] {
  const outputs = (JSON.parse(template).Outputs ?? {}) as Record<string, { Export?: { Name: string } }>;
  return Object.values(outputs).flatMap((output) => (output.Export ? [output.Export.Name] : [])).sort();
}

/** The search expressions of the dashboard in a template, with `<ref>` for each reference. */
function dashboardExpressions(template: string): string[] {
  const resources = Object.values<{ Type: string; Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } } }>(JSON.parse(template).Resources);
  const body = resources.find((resource) => resource.Type === 'AWS::CloudWatch::Dashboard')!.Properties.DashboardBody['Fn::Join'][1]
    .map((part) => (typeof part === 'string' ? part : '<ref>')).join('');
  const widgets = JSON.parse(body).widgets as Array<{ properties: { metrics?: Array<Array<{ expression?: string }>> } }>;
  return widgets.flatMap((widget) => (widget.properties.metrics ?? [])
    .flatMap((line) => line.flatMap((entry) => (entry.expression ? [entry.expression] : []))));
}

describe('stackPerWorkload', () => {
  let app: App;
  let stack: EcsPlatformStack;
  let all: Map<string, string>;
  beforeAll(() => {
    ({ app, stack } = fleet(serviceIds(6)));
    all = templates(app);
  });

  test('puts each workload in a stack of its own, and keeps the dashboard with the platform', () => {
    expect([...all.keys()].sort()).toEqual(['Fleet', 'Fleet-Images', 'Fleet-Job', ...serviceIds(6).map((id) => `Fleet-${id}`), 'Fleet-Worker'].sort());
    const web = stack.platform.webServices[0];
    expect(Stack.of(web).stackName).toBe('Fleet-Svc00');
    expect(web.node.path).toBe('Fleet-Svc00/Svc00');
    // the listener rule and the alarms live with the service: the platform's stack never refers to a workload's
    expect(web.listenerRule.node.path).toBe('Fleet-Svc00/Svc00/Route');
    const resources = JSON.parse(all.get('Fleet-Svc00')!).Resources as Record<string, { Type: string }>;
    expect(Object.keys(resources).filter((id) => resources[id].Type === 'AWS::CloudWatch::Alarm').sort())
      .toEqual([expect.stringMatching(/^Svc00AlarmsCpuUtilization/), expect.stringMatching(/^Svc00AlarmsMemoryUtilization/),
        expect.stringMatching(/^Svc00AlarmsTasksBelowDesired/), expect.stringMatching(/^Svc00AlarmsUnhealthyTargets/)]);
    // the dashboard finds the workloads by search expressions
    expect(Stack.of(stack.platform.dashboard!).stackName).toBe('Fleet');
    expect(dashboardExpressions(all.get('Fleet')!)).toEqual(expect.arrayContaining([
      'SEARCH(\'{AWS/ECS,ClusterName,ServiceName} MetricName="CPUUtilization" ClusterName="<ref>"\', \'Average\', 300)',
      'SEARCH(\'{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" QueueName=Fleet\', \'Maximum\', 300)',
    ]));
  });

  test('lets one workload be deployed, or destroyed, alone: a workload stack depends on the platform\'s (and the images stack) only, and exports nothing', () => {
    for (const workload of [...stack.platform.webServices, ...stack.platform.queueWorkers, ...stack.platform.scheduledTasks]) {
      const workloadStack = Stack.of(workload);
      const runsOwnImages = stack.platform.webServices.includes(workload as never);
      expect(workloadStack.dependencies.map((dependency) => dependency.stackName).sort())
        .toEqual(runsOwnImages ? ['Fleet', 'Fleet-Images'] : ['Fleet']);
      expect({ stack: workloadStack.stackName, outputs: JSON.parse(all.get(workloadStack.stackName)!).Outputs })
        .toEqual({ stack: workloadStack.stackName, outputs: undefined });
    }
    expect(Stack.of(stack.platform.dashboard!).dependencies).toEqual([]);
  });

  test('imports each image repository\'s ARN from the images stack, so the platform exports a fixed set of values', () => {
    const repository = stack.platform.imageRepositories[0];
    expect(Stack.of(repository).stackName).toBe('Fleet-Images');
    // CloudFormation names the repository: a retained repository with a fixed name would collide with the next deploy
    const repositories = Object.values<any>(JSON.parse(all.get('Fleet-Images')!).Resources).filter((resource) => resource.Type === 'AWS::ECR::Repository');
    expect(repositories.map((resource) => resource.Properties.RepositoryName)).toEqual(serviceIds(6).map(() => undefined));
    const service = JSON.parse(all.get('Fleet-Svc00')!);
    const container = Object.values<any>(service.Resources).find((resource) => resource.Type === 'AWS::ECS::TaskDefinition')
      .Properties.ContainerDefinitions[0];
    expect(JSON.stringify(container.Image)).toMatch(/\{"Fn::ImportValue":"Fleet-Images:Svc00Images[0-9A-F]{8}:RepositoryArn"\}/);
    // the same exports of the platform for 6 services as for 2: none is per workload
    const small = templates(fleet(serviceIds(2)).app);
    expect(exportNames(all.get('Fleet')!)).toEqual(exportNames(small.get('Fleet')!));
    expect(exportNames(all.get('Fleet')!).length).toBeLessThanOrEqual(12);
    // the images stack exports one ARN per repository
    expect(exportNames(all.get('Fleet-Images')!)).toEqual(serviceIds(6).map((id) => expect.stringMatching(new RegExp(`^Fleet-Images:${id}Images[0-9A-F]{8}:RepositoryArn$`))));
  });

  test('gives workload stacks the platform stack\'s environment and termination protection', () => {
    const protectedFleet = fleet(['Api'], { terminationProtection: true }).stack;
    const workload = Stack.of(protectedFleet.platform.webServices[0]);
    expect(workload.terminationProtection).toBe(true);
    expect([workload.account, workload.region]).toEqual([ENV.account, ENV.region]);
  });

  describe('adding or removing a workload', () => {
    const ids = serviceIds(12);
    let before: Map<string, string>;
    beforeAll(() => { before = templates(fleet(ids).app); });

    test.each([0, 5, 11])('removing service %i changes no other workload stack, and no export of the platform', (index) => {
      const after = templates(fleet(ids.filter((_, i) => i !== index)).app);
      expect(after.has(`Fleet-${ids[index]}`)).toBe(false);
      for (const [name, template] of after) {
        if (name === 'Fleet' || name === 'Fleet-Images') continue;
        // same bytes: same logical ids, same listener-rule priority, same imports
        expect({ name, same: template === before.get(name) }).toEqual({ name, same: true });
      }
      expect(exportNames(after.get('Fleet')!)).toEqual(exportNames(before.get('Fleet')!));
    });

    test('adding a service changes no other workload stack, and no export of the platform', () => {
      const after = templates(fleet([...ids, 'Newcomer']).app);
      expect(after.has('Fleet-Newcomer')).toBe(true);
      for (const [name, template] of before) {
        if (name === 'Fleet' || name === 'Fleet-Images') continue;
        expect({ name, same: template === after.get(name) }).toEqual({ name, same: true });
      }
      expect(exportNames(after.get('Fleet')!)).toEqual(exportNames(before.get('Fleet')!));
      // the platform's stack is unchanged; the images stack gains the newcomer's image repository and its export
      expect(after.get('Fleet')).toBe(before.get('Fleet'));
      const resources = (template: string) => Object.keys(JSON.parse(template).Resources);
      expect(resources(after.get('Fleet-Images')!).filter((id) => !resources(before.get('Fleet-Images')!).includes(id)))
        .toEqual([expect.stringMatching(/^NewcomerImages/)]);
      expect(exportNames(after.get('Fleet-Images')!).filter((name) => !exportNames(before.get('Fleet-Images')!).includes(name)))
        .toEqual([expect.stringMatching(/^Fleet-Images:NewcomerImages/)]);
    });
  });

  // CloudFormation refuses to delete or change an export that another stack imports ("Export ... cannot be deleted
  // as it is in use", "Cannot update export ... as it is in use"), and deploys the platform's stack before its
  // workloads': https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
  describe('exports that stay', () => {
    /**
     * The properties of the exported resource types whose change replaces the resource ("Update requires:
     * Replacement" in the CloudFormation reference), which gives the export a new value.
     */
    const REPLACING_PROPERTIES: Record<string, string[]> = {
      'AWS::EC2::VPC': ['CidrBlock', 'InstanceTenancy', 'Ipv4IpamPoolId'],
      'AWS::EC2::Subnet': ['AvailabilityZone', 'CidrBlock', 'VpcId'],
      'AWS::EC2::SecurityGroup': ['GroupDescription', 'GroupName', 'VpcId'],
      'AWS::ECS::Cluster': ['ClusterName'],
      'AWS::ECS::CapacityProvider': ['Name', 'AutoScalingGroupProvider'],
      'AWS::ElasticLoadBalancingV2::Listener': ['LoadBalancerArn'],
      'AWS::KMS::Key': ['KeySpec', 'KeyUsage', 'MultiRegion', 'Origin'],
      'AWS::SNS::Topic': ['TopicName', 'FifoTopic'],
    };

    /**
     * The platform's exports, name to value and to the replacing properties of the resource exported, of a platform
     * built with `props` and given every kind of workload.
     */
    function platformExports(props: EcsPlatformStackProps, workloads = true): Map<string, string> {
      const exportsApp = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-exports-')) });
      const platform = new EcsPlatformStack(exportsApp, 'Fleet', { env: ENV, stackPerWorkload: true, ...props });
      if (workloads) {
        platform.addWebService('Api', { image: IMAGE, route: RouteMatch.pathPatterns('/api/*') });
        platform.addQueueWorker('Worker', { image: IMAGE });
        platform.addScheduledTask('Job', { image: IMAGE, trigger: TaskTrigger.cron({ minute: '0', hour: '3' }) });
      }
      const template = JSON.parse(templates(exportsApp).get('Fleet')!);
      const outputs = template.Outputs as Record<string, { Value: { 'Ref'?: string; 'Fn::GetAtt'?: string[] }; Export?: { Name: string } }>;
      return new Map(Object.values(outputs).flatMap((output) => {
        if (!output.Export) return [];
        const resource = template.Resources[output.Value.Ref ?? output.Value['Fn::GetAtt']![0]];
        const replacing = Object.fromEntries((REPLACING_PROPERTIES[resource.Type] ?? ['?']).map((property) => [property, resource.Properties?.[property]]));
        return [[output.Export.Name, JSON.stringify({ value: output.Value, type: resource.Type, replacing })]];
      }));
    }

    test('are the same whether or not a workload imports them, so that the last workload to use a value can leave', () => {
      expect([...platformExports({}, false)]).toEqual([...platformExports({})]);
    });

    test.each<[string, EcsPlatformStackProps]>([
      ['a certificate (the routes move to the HTTPS listener)', { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555' }],
      ['ingress restricted to given ranges', { loadBalancer: { ingressCidrs: ['203.0.113.0/24'] } }],
      ['no web ACL, alarms or AMI alerts', { webAcl: false, monitoring: false, amiUpdateAlerts: false }],
      ['other instances', { capacity: { instanceType: new ec2.InstanceType('m6i.xlarge'), minCapacity: 3, maxCapacity: 20 } }],
    ])('keep their names and values across a documented change: %s', (_change, props) => {
      const before = platformExports({});
      const after = platformExports(props);
      for (const [name, value] of before) expect({ name, value: after.get(name) }).toEqual({ name, value });
    });
  });

  describe('refuses', () => {
    test('a workload id that cannot be part of a stack name', () => {
      const { stack: platform } = fleet([]);
      expect(() => platform.addWebService('Api_v2', { image: IMAGE, route: RouteMatch.pathPatterns('/v2/*') }))
        .toThrow(/`id` must be an id that makes `<platform stack name>-<id>` a stack name \(letters, digits and hyphens, at most 128 characters; "Fleet-Api_v2"\), got: "Fleet-Api_v2"/);
    });

    test('a workload id that would name the images stack', () => {
      const { stack: platform } = fleet([]);
      expect(() => platform.addWebService('Images', { image: IMAGE, route: RouteMatch.pathPatterns('/images/*') }))
        .toThrow(/`id` must be a workload id other than `Images` with `stackPerWorkload` \(`<platform stack name>-Images` is the images stack\), got: "Images"/);
    });

    test('a platform in a nested stack', () => {
      const parent = new Stack(new App(), 'Parent', { env: ENV });
      const nested = new NestedStack(parent, 'Nested');
      expect(() => new EcsPlatform(nested, 'Platform', { stackPerWorkload: true }))
        .toThrow(/`stackPerWorkload` must be false in a nested stack/);
    });
  });
});

describe('CloudFormation quotas', () => {
  test('a platform in one stack that would declare more than 500 resources fails at synth, naming stackPerWorkload', () => {
    const { app } = fleet(serviceIds(26), { stackPerWorkload: false });
    expect(() => app.synth()).toThrow(
      /the stack Fleet must declare at most 500 resources \(the CloudFormation quota per stack\), got: \d{3}\. Set `stackPerWorkload: true` on the platform Fleet\/Platform/);
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });

  test('the same platform with stackPerWorkload stays within every quota', () => {
    const { app } = fleet(serviceIds(26));
    for (const [name, template] of templates(app)) {
      const parsed = JSON.parse(template);
      expect({ name, resources: Object.keys(parsed.Resources).length <= 500 }).toEqual({ name, resources: true });
      expect({ name, outputs: Object.keys(parsed.Outputs ?? {}).length <= 200 }).toEqual({ name, outputs: true });
    }
  });

  test('honours aws-cdk-lib\'s @aws-cdk/core:stackResourceLimit context (0 lifts the checks, as in the benchmark)', () => {
    const { app } = fleet(serviceIds(26), { stackPerWorkload: false }, { '@aws-cdk/core:stackResourceLimit': 0 });
    expect(() => templates(app)).not.toThrow();
  });

  test('an images stack of more than 200 repositories fails at synth, naming the fix', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-images-')) });
    const platform = new EcsPlatformStack(app, 'Fleet', { env: ENV, monitoring: false, amiUpdateAlerts: false });
    for (let index = 0; index <= 200; index++) platform.addImageRepository(`Images${index}`);
    try {
      expect(() => app.synth()).toThrow(/the stack Fleet-Images must declare at most 200 outputs, exports included \(the CloudFormation quota per stack\), got: 201\. Each image repository/);
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });

  test('a stack of more than 200 outputs fails at synth', () => {
    const stack = new Stack(new App(), 'Outputs', { env: ENV });
    checkStackQuotas(stack, 'Export less.');
    for (let index = 0; index <= 200; index++) new CfnOutput(stack, `Output${index}`, { value: `${index}` });
    expect(() => (stack.node.root as App).synth())
      .toThrow(/the stack Outputs must declare at most 200 outputs, exports included \(the CloudFormation quota per stack\), got: 201\. Export less\./);
  });

  test('a template of the library\'s stacks over 1,000,000 bytes fails at synth', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecs-platform-size-')) });
    const stack = new EcsPlatformStack(app, 'Big', { env: ENV, monitoring: false, amiUpdateAlerts: false });
    stack.templateOptions.metadata = { Padding: 'x'.repeat(1_000_000) };
    try {
      expect(() => app.synth()).toThrow(/the template of the stack Big must be at most 1000000 bytes \(the CloudFormation quota for a template in S3\), got: \d+\./);
      const lifted = new App({ outdir: app.outdir, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
      new EcsPlatformStack(lifted, 'Big', { env: ENV, monitoring: false, amiUpdateAlerts: false }).templateOptions.metadata = { Padding: 'x'.repeat(1_000_000) };
      expect(() => lifted.synth()).not.toThrow();
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });
});
