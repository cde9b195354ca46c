import { App, Aws, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import {
  AmiFamily, CapacityPlanning, Ec2CapacityOptions, EcsPlatform, EcsPlatformStack, EcsPlatformStackProps, ImageRepository, QueueWorker,
  RouteMatch, ScheduledTask, TaskTrigger, WebService,
} from '../src';
import { nagFindings, testStack, testVpc } from './util';

const ENV = { account: '123456789012', region: 'us-east-1' };
const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
/** A certificate ARN in the stack's own partition. */
const CERTIFICATE_ARN = `arn:${Aws.PARTITION}:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555`;

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function platformStack(props: EcsPlatformStackProps = {}): EcsPlatformStack {
  return new EcsPlatformStack(new App(), 'EcsPlatform', { env: ENV, ...props });
}

/** The CIDR blocks of the subnets in the template, public ones (as aws-cdk-lib tags them) first. */
function subnetCidrs(template: Template): { public: string[]; private: string[] } {
  const subnets = Object.values(template.findResources('AWS::EC2::Subnet')).map((subnet) => subnet.Properties);
  const isPublic = (subnet: { Tags: Array<{ Key: string; Value: string }> }) =>
    subnet.Tags.some((tag) => tag.Key === 'aws-cdk:subnet-type' && tag.Value === 'Public');
  return {
    public: subnets.filter(isPublic).map((subnet) => subnet.CidrBlock),
    private: subnets.filter((subnet) => !isPublic(subnet)).map((subnet) => subnet.CidrBlock),
  };
}

/** The ids that `Validations.of(construct).acknowledge()` recorded on the construct itself. */
function acknowledgedOn(construct: IConstruct): string[] {
  return construct.node.metadata
    .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
    .flatMap((entry) => Object.keys(entry.data).map((id) => id.replace(/^annotation::/i, '')));
}

/** The rule ids of one rule in the NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 packs. */
function compliancePacks(rule: string): string[] {
  return [`NIST.800.53.R5-${rule}`, `HIPAA.Security-${rule}`, `PCI.DSS.321-${rule}`];
}

/** The logs key's statement that lets CloudWatch Logs of this account and region use it. */
const LOGS_KEY_STATEMENT = Match.objectLike({
  Effect: 'Allow',
  Principal: { Service: Match.anyValue() },
  Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
  Condition: {
    ArnLike: {
      'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:*']] },
    },
  },
});

describe('EcsPlatform', () => {
  describe('defaults', () => {
    let stack: Stack;
    let platform: EcsPlatform;
    let template: Template;
    beforeAll(() => {
      stack = testStack();
      platform = new EcsPlatform(stack, 'Platform');
      template = Template.fromStack(stack);
    });

    test('creates a VPC with a public /24 and a private /20 subnet in each of 2 Availability Zones', () => {
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.resourceCountIs('AWS::EC2::Subnet', 4);
      expect(subnetCidrs(template)).toEqual({
        public: ['10.0.0.0/24', '10.0.1.0/24'],
        private: ['10.0.16.0/20', '10.0.32.0/20'],
      });
      expect(platform.vpc.availabilityZones).toHaveLength(2);
      expect(platform.vpc.node.path).toBe('TestStack/Platform/Vpc');
    });

    test('creates a NAT gateway in each Availability Zone', () => {
      template.resourceCountIs('AWS::EC2::NatGateway', 2);
    });

    test('keeps the default security group of the VPC as it is', () => {
      template.resourceCountIs('Custom::VpcRestrictDefaultSG', 0);
    });

    test('logs all VPC traffic to a CloudWatch log group', () => {
      const logGroup = new Capture();
      template.resourceCountIs('AWS::EC2::FlowLog', 1);
      template.hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceType: 'VPC',
        ResourceId: { Ref: logicalId(platform.vpc) },
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: { Ref: logGroup },
      });
      expect(template.toJSON().Resources[logGroup.asString()]).toMatchObject({ Type: 'AWS::Logs::LogGroup' });
    });

    test('keeps flow logs for a year and retains their log group', () => {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 365 },
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('creates one operations topic and sends the Auto Scaling notifications to it', () => {
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        NotificationConfigurations: [Match.objectLike({ TopicARN: { Ref: logicalId(platform.opsTopic.topic) } })],
      });
    });

    test('subscribes no one to the operations topic', () => {
      expect(Object.values(template.findResources('AWS::SNS::Subscription'))
        .filter((subscription) => subscription.Properties.Protocol !== 'lambda')).toEqual([]);
    });

    test('creates a cluster with Container Insights and one capacity in the VPC\'s private subnets', () => {
      template.resourceCountIs('AWS::ECS::Cluster', 1);
      template.hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
      });
      template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 1);
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        VPCZoneIdentifier: platform.vpc.privateSubnets.map((subnet) => stack.resolve(subnet.subnetId)),
      });
      expect(platform.cluster.vpc).toBe(platform.vpc);
    });

    test('creates a shared load balancer in the VPC\'s public subnets that serves HTTP only', () => {
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        Subnets: platform.vpc.publicSubnets.map((subnet) => stack.resolve(subnet.subnetId)),
      });
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    });

    test('relays AWS\'s AMI update announcements to the operations topic with a function in its VPC', () => {
      expect(platform.amiUpdateAlerts).toBeDefined();
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        TopicArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([Match.objectLike({
            Action: 'sns:Publish',
            Resource: { Ref: stack.getLogicalId(platform.opsTopic.topic.node.defaultChild as CfnElement) },
          })]),
        }),
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
      });
    });

    test('monitors the cluster and the load balancer with alarms to the operations topic, and a dashboard', () => {
      expect(platform.alarms).toBeDefined();
      expect(platform.dashboard).toBeDefined();
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      const topic = { Ref: stack.getLogicalId(platform.opsTopic.topic.node.defaultChild as CfnElement) };
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
      expect(alarms.length).toBeGreaterThanOrEqual(8);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([topic]);
        expect(alarm.Properties.OKActions).toEqual([topic]);
      }
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MetricsCollection: [{ Granularity: '1Minute' }],
      });
    });

    test('checks capacity with a warning, and without ENI trunking', () => {
      expect(platform.cluster.capacityPlanning).toEqual(CapacityPlanning.WARN);
      expect(platform.cluster.awsvpcTrunking).toBe(false);
    });

    test('assigns no public IP addresses in the public subnets', () => {
      template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    });

    test('acknowledges the internet gateway route on the public subnets\' default routes only', () => {
      for (const subnet of platform.vpc.publicSubnets) {
        expect(acknowledgedOn(subnet.node.findChild('DefaultRoute'))).toEqual(compliancePacks('VPCNoUnrestrictedRouteToIGW'));
        expect(acknowledgedOn(subnet)).toEqual([]);
      }
      for (const subnet of platform.vpc.privateSubnets) {
        expect(acknowledgedOn(subnet.node.findChild('DefaultRoute'))).toEqual([]);
      }
      expect(acknowledgedOn(platform.vpc)).toEqual([]);
    });

    test('creates a logs key, rotated yearly and retained, that CloudWatch Logs of this account and region may use', () => {
      expect(platform.logsKey).toBeInstanceOf(kms.Key);
      expect(platform.logsKey.node.path).toBe('TestStack/Platform/LogsKey');
      template.hasResource('AWS::KMS::Key', {
        Properties: { EnableKeyRotation: true, KeyPolicy: { Statement: Match.arrayWith([LOGS_KEY_STATEMENT]) } },
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('encrypts every log group of the platform with the logs key', () => {
      const key = { 'Fn::GetAtt': [logicalId(platform.logsKey as kms.Key), 'Arn'] };
      const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));
      // flow logs, the web ACL's logs, the AMI update alerts function's logs and the capacity's instance logs
      expect(logGroups).toHaveLength(4);
      template.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: key });
    });

    test('protects the internet-facing load balancer with a regional web ACL of three AWS managed rule groups', () => {
      expect(platform.webAcl).toBeDefined();
      template.resourceCountIs('AWS::WAFv2::WebACL', 1);
      const visibility = (metricName: string) => ({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: metricName });
      const group = (name: string, priority: number, ruleActionOverrides?: object[]) => ({
        Name: name,
        Priority: priority,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: name, ...ruleActionOverrides ? { RuleActionOverrides: ruleActionOverrides } : {} } },
        VisibilityConfig: visibility(name),
      });
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        VisibilityConfig: visibility('WebAcl'),
        Rules: [
          group('AWSManagedRulesAmazonIpReputationList', 10),
          group('AWSManagedRulesKnownBadInputsRuleSet', 20),
          group('AWSManagedRulesCommonRuleSet', 30, [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]),
        ],
      });
      template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        ResourceArn: { Ref: logicalId(platform.loadBalancer.loadBalancer) },
        WebACLArn: { 'Fn::GetAtt': [stack.getLogicalId(platform.webAcl!), 'Arn'] },
      });
    });

    // WAF logs only to log groups named aws-waf-logs-*, and the log group is retained: the stack's instance id in the
    // name keeps a stack created again under the same name from colliding with it ("already exists").
    // https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
    test('logs the web ACL\'s requests to a log group named aws-waf-logs-...-<stack id>, kept a year and retained', () => {
      const logGroup = platform.webAclLogGroup!;
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: {
          LogGroupName: {
            'Fn::Join': ['', [
              Match.stringLikeRegexp('^aws-waf-logs-TestStack-Platform-WebAcl-[0-9A-F]{8}-$'),
              { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
            ]],
          },
          RetentionInDays: 365,
        },
        DeletionPolicy: 'RetainExceptOnCreate',
      });
      template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: { 'Fn::GetAtt': [stack.getLogicalId(platform.webAcl!), 'Arn'] },
        LogDestinationConfigs: [{
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:', { Ref: logicalId(logGroup) }]],
        }],
      });
    });

    test('acknowledges the inline grant policy on the roles it creates only', () => {
      const roles = [
        platform.cluster.defaultCapacity.instanceRole,
        platform.amiUpdateAlerts!.function!.role!,
        platform.vpc.node.findChild('FlowLog').node.findChild('IAMRole'),
      ];
      for (const role of roles) expect(acknowledgedOn(role)).toEqual(expect.arrayContaining(compliancePacks('IAMNoInlinePolicy')));
      expect(acknowledgedOn(platform)).toEqual([]);
      expect(acknowledgedOn(platform.cluster)).toEqual([]);
    });

    test('starts with no web services and no image repositories', () => {
      expect(platform.webServices).toEqual([]);
      expect(platform.imageRepositories).toEqual([]);
      template.resourceCountIs('AWS::ECS::Service', 0);
      template.resourceCountIs('AWS::ECR::Repository', 0);
    });
  });

  describe('configuration', () => {
    let stack: Stack;
    beforeEach(() => {
      stack = testStack();
    });

    test('uses the provided vpc and creates none', () => {
      const vpc = testVpc(stack);
      const platform = new EcsPlatform(stack, 'Platform', { vpc });
      const template = Template.fromStack(stack);
      expect(platform.vpc).toBe(vpc);
      expect(platform.cluster.vpc).toBe(vpc);
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.resourceCountIs('AWS::EC2::FlowLog', 0);
      // the AMI update alerts function's, the capacity's instance logs and the web ACL's: no flow logs
      template.resourceCountIs('AWS::Logs::LogGroup', 3);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Subnets: vpc.publicSubnets.map((subnet) => stack.resolve(subnet.subnetId)),
      });
    });

    test('uses the provided maxAzs, with a NAT gateway in each', () => {
      new EcsPlatform(stack, 'Platform', { maxAzs: 3 });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::Subnet', 6);
      template.resourceCountIs('AWS::EC2::NatGateway', 3);
    });

    test('uses the provided natGateways', () => {
      new EcsPlatform(stack, 'Platform', { natGateways: 1 });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::Subnet', 4);
      template.resourceCountIs('AWS::EC2::NatGateway', 1);
    });

    test('uses the provided flowLogRetention', () => {
      new EcsPlatform(stack, 'Platform', { flowLogRetention: logs.RetentionDays.THREE_MONTHS });
      Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 90 },
        DeletionPolicy: 'RetainExceptOnCreate',
      });
    });

    test('uses the provided containerInsights', () => {
      new EcsPlatform(stack, 'Platform', { containerInsights: ecs.ContainerInsights.DISABLED });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }],
      });
    });

    test('uses the provided capacity and still notifies the operations topic', () => {
      const platform = new EcsPlatform(stack, 'Platform', {
        capacity: { instanceType: new ec2.InstanceType('m6i.xlarge'), minCapacity: 3, maxCapacity: 12 },
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ InstanceType: 'm6i.xlarge' }),
      });
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MinSize: '3',
        MaxSize: '12',
        NotificationConfigurations: [Match.objectLike({ TopicARN: { Ref: logicalId(platform.opsTopic.topic) } })],
      });
      template.resourceCountIs('AWS::SNS::Topic', 1);
    });

    test('uses the provided loadBalancer options', () => {
      new EcsPlatform(stack, 'Platform', { loadBalancer: { deletionProtection: false, idleTimeout: Duration.seconds(120) } });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'deletion_protection.enabled', Value: 'false' },
          { Key: 'idle_timeout.timeout_seconds', Value: '120' },
        ]),
      });
    });

    test('subscribes the provided opsEmailAddresses to the operations topic', () => {
      const platform = new EcsPlatform(stack, 'Platform', { opsEmailAddresses: ['oncall@example.com', 'ops@example.com'] });
      const template = Template.fromStack(stack);
      // the two addresses, and the AMI update alerts function on AWS's topic
      template.resourceCountIs('AWS::SNS::Subscription', 3);
      for (const address of ['oncall@example.com', 'ops@example.com']) {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'email',
          Endpoint: address,
          TopicArn: { Ref: logicalId(platform.opsTopic.topic) },
        });
      }
    });

    test('adds web services on its cluster, behind its load balancer, and lists them in order', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      const api = platform.addWebService('Api', { image: IMAGE, route: RouteMatch.pathPatterns('/api/*') });
      const web = platform.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/*') });
      expect(api).toBeInstanceOf(WebService);
      expect(api.node.path).toBe('TestStack/Platform/Api');
      expect(platform.webServices).toEqual([api, web]);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ECS::Service', 2);
      template.allResourcesProperties('AWS::ECS::Service', {
        Cluster: { Ref: logicalId(platform.cluster.cluster) },
        CapacityProviderStrategy: [{ CapacityProvider: stack.resolve(platform.cluster.defaultCapacity.capacityProviderName), Weight: 1 }],
      });
      template.allResourcesProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        ListenerArn: { Ref: logicalId(platform.loadBalancer.listener) },
      });
    });

    test('uses the provided logEncryptionKey for its log groups and creates no key', () => {
      const key = new kms.Key(stack, 'MyLogsKey');
      const platform = new EcsPlatform(stack, 'Platform', { logEncryptionKey: key });
      expect(platform.logsKey).toBe(key);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::KMS::Key', 2); // the provided key and the operations topic's
      template.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [logicalId(key), 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', { KeyPolicy: { Statement: Match.arrayWith([LOGS_KEY_STATEMENT]) } });
    });

    test('uses an imported logEncryptionKey as it is: its policy must already let CloudWatch Logs use it', () => {
      const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
      const platform = new EcsPlatform(stack, 'Platform', { logEncryptionKey: kms.Key.fromKeyArn(stack, 'Imported', keyArn) });
      expect(platform.logsKey.keyArn).toBe(keyArn);
      Template.fromStack(stack).allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn });
    });

    test('encrypts the instance logs of added capacities with the logs key', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      const windows = platform.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
      Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', {
        KmsKeyId: { 'Fn::GetAtt': [logicalId(platform.logsKey as kms.Key), 'Arn'] },
      });
      expect(windows.instanceLogGroup).toBeDefined();
      expect(stack.resolve((windows.instanceLogGroup!.node.defaultChild as logs.CfnLogGroup).kmsKeyId))
        .toEqual({ 'Fn::GetAtt': [logicalId(platform.logsKey as kms.Key), 'Arn'] });
    });

    test.each<[string, Ec2CapacityOptions]>([
      ['on Bottlerocket, which ships no instance logs', { amiFamily: AmiFamily.BOTTLEROCKET }],
      ['with instanceLogs off', { instanceLogs: false }],
    ])('adds a capacity without instance logs %s, and no key for them', (_name, options) => {
      const platform = new EcsPlatform(stack, 'Platform', { capacity: options });
      expect(platform.cluster.defaultCapacity.instanceLogGroup).toBeUndefined();
      const added = platform.addCapacity('More', options);
      expect(added.instanceLogGroup).toBeUndefined();
    });

    test('keeps a key given in a capacity\'s own options', () => {
      const own = new kms.Key(stack, 'CapacityKey');
      const platform = new EcsPlatform(stack, 'Platform', { capacity: { instanceLogEncryptionKey: own } });
      expect(stack.resolve((platform.cluster.defaultCapacity.instanceLogGroup!.node.defaultChild as logs.CfnLogGroup).kmsKeyId))
        .toEqual({ 'Fn::GetAtt': [logicalId(own), 'Arn'] });
    });

    test('creates no web ACL with webAcl false', () => {
      const platform = new EcsPlatform(stack, 'Platform', { webAcl: false });
      expect(platform.webAcl).toBeUndefined();
      expect(platform.webAclLogGroup).toBeUndefined();
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::WAFv2::WebACL', 0);
      template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
      template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    });

    test('creates no web ACL for an internal load balancer, unless webAcl is true', () => {
      const internal = new EcsPlatform(stack, 'Internal', { loadBalancer: { internetFacing: false } });
      expect(internal.webAcl).toBeUndefined();
      const asked = new EcsPlatform(stack, 'Asked', { loadBalancer: { internetFacing: false }, webAcl: true });
      expect(asked.webAcl).toBeDefined();
      Template.fromStack(stack).resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    });

    test('attaches the web ACL of loadBalancer.webAclArn and creates none', () => {
      const webAclArn = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/mine/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
      const platform = new EcsPlatform(stack, 'Platform', { loadBalancer: { webAclArn } });
      expect(platform.webAcl).toBeUndefined();
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::WAFv2::WebACL', 0);
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: webAclArn });
    });

    test('uses the provided webAclLogRetention', () => {
      const platform = new EcsPlatform(stack, 'Platform', { webAclLogRetention: logs.RetentionDays.THREE_MONTHS });
      expect(stack.resolve((platform.webAclLogGroup!.node.defaultChild as logs.CfnLogGroup).retentionInDays)).toBe(90);
    });

    test('encrypts the container logs of every workload it adds with the logs key', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      const workloads = [
        platform.addWebService('Api', { image: IMAGE, route: RouteMatch.pathPatterns('/api/*') }),
        platform.addQueueWorker('Worker', { image: IMAGE }),
        platform.addScheduledTask('Nightly', { image: IMAGE, trigger: TaskTrigger.cron({ minute: '0', hour: '2' }) }),
      ];
      for (const workload of workloads) {
        expect(stack.resolve((workload.logGroup.node.defaultChild as logs.CfnLogGroup).kmsKeyId))
          .toEqual({ 'Fn::GetAtt': [logicalId(platform.logsKey as kms.Key), 'Arn'] });
      }
    });

    test('keeps a workload\'s own logEncryptionKey', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      const own = new kms.Key(stack, 'ApiLogsKey');
      const service = platform.addWebService('Api', { image: IMAGE, route: RouteMatch.pathPatterns('/api/*'), logEncryptionKey: own });
      expect(stack.resolve((service.logGroup.node.defaultChild as logs.CfnLogGroup).kmsKeyId))
        .toEqual({ 'Fn::GetAtt': [logicalId(own), 'Arn'] });
    });

    test('acknowledges the inline grant policy on the roles of what it adds', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      const capacity = platform.addCapacity('More');
      const service = platform.addWebService('Api', { image: IMAGE, route: RouteMatch.pathPatterns('/api/*') });
      const worker = platform.addQueueWorker('Worker', { image: IMAGE });
      const task = platform.addScheduledTask('Nightly', { image: IMAGE, trigger: TaskTrigger.cron({ minute: '0', hour: '2' }) });
      const roles = [capacity.instanceRole, service.taskRole, service.executionRole, worker.taskRole, worker.executionRole,
        task.taskRole, task.executionRole, task.triggerRole];
      for (const role of roles) expect(acknowledgedOn(role)).toEqual(expect.arrayContaining(compliancePacks('IAMNoInlinePolicy')));
      for (const workload of [service, worker, task]) expect(acknowledgedOn(workload)).toEqual([]);
    });

    test('adds queue workers on its cluster and lists them in order', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      expect(platform.queueWorkers).toEqual([]);
      const thumbnails = platform.addQueueWorker('Thumbnails', { image: IMAGE, jobTimeout: Duration.minutes(10) });
      const mailer = platform.addQueueWorker('Mailer', { image: IMAGE, maxCapacity: 4 });
      expect(thumbnails).toBeInstanceOf(QueueWorker);
      expect(thumbnails.node.path).toBe('TestStack/Platform/Thumbnails');
      expect(platform.queueWorkers).toEqual([thumbnails, mailer]);
      expect(platform.webServices).toEqual([]);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ECS::Service', 2);
      template.allResourcesProperties('AWS::ECS::Service', {
        Cluster: { Ref: logicalId(platform.cluster.cluster) },
        CapacityProviderStrategy: [{ CapacityProvider: stack.resolve(platform.cluster.defaultCapacity.capacityProviderName), Weight: 1 }],
        LoadBalancers: Match.absent(),
      });
      // two per worker, and the dead-letter queue of the AMI update alerts function
      template.resourceCountIs('AWS::SQS::Queue', 5);
      template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 630 });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 0, MaxCapacity: 4 });
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
    });

    test('adds scheduled tasks on its cluster and lists them in order', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      expect(platform.scheduledTasks).toEqual([]);
      const nightly = platform.addScheduledTask('Nightly', { image: IMAGE, trigger: TaskTrigger.cron({ hour: '3' }) });
      const onUpload = platform.addScheduledTask('OnUpload', { image: IMAGE, trigger: TaskTrigger.onEvent({ source: ['aws.s3'] }) });
      expect(nightly).toBeInstanceOf(ScheduledTask);
      expect(nightly.node.path).toBe('TestStack/Platform/Nightly');
      expect(platform.scheduledTasks).toEqual([nightly, onUpload]);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ECS::Service', 0);
      template.resourceCountIs('AWS::Scheduler::Schedule', 1);
      // the OnUpload trigger, and the failed-run notifications of both tasks
      template.resourceCountIs('AWS::Events::Rule', 3);
      const target = Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalId(platform.cluster.cluster), 'Arn'] },
        EcsParameters: Match.objectLike({
          CapacityProviderStrategy: [{ CapacityProvider: stack.resolve(platform.cluster.defaultCapacity.capacityProviderName), Weight: 1 }],
        }),
      });
      template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 3 * * ? *)', Target: target });
      template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['aws.s3'] }, Targets: [target] });
    });

    test('returns a copy of its scheduled tasks', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      platform.addScheduledTask('Nightly', { image: IMAGE, trigger: TaskTrigger.rate(Duration.hours(1)) });
      platform.scheduledTasks.pop();
      expect(platform.scheduledTasks).toHaveLength(1);
    });

    test('returns a copy of its queue workers', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      platform.addQueueWorker('Thumbnails', { image: IMAGE });
      platform.queueWorkers.pop();
      expect(platform.queueWorkers).toHaveLength(1);
    });

    test('adds image repositories with the provided props to its images stack, and lists them in order', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      expect(platform.imagesStack).toBeUndefined();
      const api = platform.addImageRepository('ApiImages', { repositoryName: 'api' });
      const web = platform.addImageRepository('WebImages');
      expect(api).toBeInstanceOf(ImageRepository);
      expect(api.node.path).toBe('TestStack-Images/ApiImages');
      expect(platform.imagesStack!.stackName).toBe('TestStack-Images');
      expect(platform.imageRepositories).toEqual([api, web]);
      Template.fromStack(stack).resourceCountIs('AWS::ECR::Repository', 0);
      const template = Template.fromStack(platform.imagesStack!);
      template.resourceCountIs('AWS::ECR::Repository', 2);
      template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'api' });
    });

    // On the first deploy of the stack that creates a repository, the repository is empty: a service of the same
    // stack cannot pull its image (CannotPullContainerError), its circuit breaker rolls it back and the create fails.
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
    test('puts the repositories in a stack that the workloads\' stack deploys after, so images can be pushed in between', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      const images = platform.addImageRepository('ApiImages');
      platform.addWebService('Api', { image: images.image('1.0.0'), route: RouteMatch.pathPatterns('/api/*') });
      expect(stack.dependencies).toEqual([platform.imagesStack]);
      expect(platform.imagesStack!.dependencies).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('which the same stack creates'))).toEqual([]);
    });

    test('warns when a workload runs an image of a repository its own stack creates, and names the fix', () => {
      const repository = new ecr.Repository(stack, 'OwnRepository');
      const platform = new EcsPlatform(stack, 'Platform');
      platform.addWebService('Api', { image: ecs.ContainerImage.fromEcrRepository(repository, '1.0.0'), route: RouteMatch.pathPatterns('/api/*') });
      Annotations.fromStack(stack).hasWarning('/TestStack/Platform/Api',
        Match.stringLikeRegexp('`image` is an image of the repository TestStack/OwnRepository, which the same stack creates.*EcsPlatform.addImageRepository'));
    });

    test('builds no alarms and no dashboard when monitoring is false', () => {
      const platform = new EcsPlatform(stack, 'Platform', { monitoring: false });
      platform.addWebService('Api', { image: IMAGE, route: RouteMatch.pathPatterns('/api/*') });
      expect(platform.alarms).toBeUndefined();
      expect(platform.dashboard).toBeUndefined();
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    });

    test('monitors each workload it adds, with the given alarm options and the service defaults', () => {
      const platform = new EcsPlatform(stack, 'Platform', { serviceAlarmDefaults: { cpuUtilization: { threshold: 80 } } });
      const api = platform.addWebService('Api', { image: IMAGE, route: RouteMatch.pathPatterns('/api/*') },
        { memoryUtilization: { enabled: false } });
      platform.addQueueWorker('Jobs', { image: IMAGE });
      platform.addScheduledTask('Nightly', { image: IMAGE, trigger: TaskTrigger.cron({ hour: '3' }) });
      const graviton = platform.addCapacity('Graviton', { amiFamily: AmiFamily.AMAZON_LINUX_2023_ARM64 });
      const template = Template.fromStack(stack);
      const apiAlarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'))
        .filter(([id]) => id.startsWith('PlatformAlarmsPlatformApi')).map(([, alarm]) => alarm);
      expect(api.node.path).toBe('TestStack/Platform/Api');
      const metricNames = apiAlarms.map((alarm) => JSON.stringify(alarm.Properties.Metrics ?? alarm.Properties.MetricName));
      expect(metricNames.some((name) => name.includes('CPUUtilization'))).toBe(true);
      expect(metricNames.some((name) => name.includes('MemoryUtilization'))).toBe(false);
      const cpu = apiAlarms.find((alarm) => JSON.stringify(alarm.Properties).includes('CPUUtilization'));
      expect(cpu?.Properties.Threshold).toBe(80);
      expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).toContain('ApproximateAgeOfOldestMessage');
      const gravitonGroup = stack.getLogicalId(graviton.autoScalingGroup.node.defaultChild as CfnElement);
      expect(Object.values(template.findResources('AWS::CloudWatch::Alarm'))
        .filter((alarm) => JSON.stringify(alarm.Properties).includes(`"Ref":"${gravitonGroup}"`))).toHaveLength(1);
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike({ 'detail-type': ['ECS Task State Change'] }),
      });
    });

    test('builds no AMI update alerts when amiUpdateAlerts is false', () => {
      const platform = new EcsPlatform(stack, 'Platform', { amiUpdateAlerts: false });
      expect(platform.amiUpdateAlerts).toBeUndefined();
      Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 0);
    });

    test('passes awsvpcTrunking and capacityPlanning to its cluster', () => {
      const platform = new EcsPlatform(stack, 'Platform', { awsvpcTrunking: true, capacityPlanning: CapacityPlanning.STRICT });
      expect(platform.cluster.awsvpcTrunking).toBe(true);
      expect(platform.cluster.capacityPlanning).toEqual(CapacityPlanning.STRICT);
    });

    test('gives its cluster the Service Connect namespace, through which its web services call each other', () => {
      const platform = new EcsPlatform(stack, 'Platform', { serviceConnectNamespace: 'internal' });
      const orders = platform.addWebService('Orders', {
        image: IMAGE, route: RouteMatch.pathPatterns('/orders/*'), containerPort: 8080, serviceConnect: {},
      });
      platform.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/*'), serviceConnect: { clientOnly: true } });
      expect(platform.cluster.cloudMapNamespace?.namespaceName).toBe('internal');
      expect(orders.serviceConnectDnsName).toBe('orders.internal');
      const template = Template.fromStack(stack);
      template.resourcePropertiesCountIs('AWS::ServiceDiscovery::HttpNamespace', { Name: 'internal' }, 1);
      template.hasResourceProperties('AWS::ECS::Service', {
        ServiceConnectConfiguration: Match.objectLike({ Enabled: true, Services: [Match.objectLike({ DiscoveryName: 'orders' })] }),
      });
    });

    test('has no Service Connect namespace unless given one: a service asking for Service Connect fails at synth', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      expect(platform.cluster.cloudMapNamespace).toBeUndefined();
      expect(() => platform.addWebService('Orders', { image: IMAGE, route: RouteMatch.pathPatterns('/orders/*'), serviceConnect: {} }))
        .toThrow(/serviceConnectNamespace/);
    });

    test('adds capacities to its cluster that notify the operations topic', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      const graviton = platform.addCapacity('Graviton', { amiFamily: AmiFamily.AMAZON_LINUX_2023_ARM64 });
      expect(platform.cluster.capacities).toEqual([platform.cluster.defaultCapacity, graviton]);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 2);
      const topic = { Ref: stack.getLogicalId(platform.opsTopic.topic.node.defaultChild as CfnElement) };
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        LaunchTemplate: Match.objectLike({
          LaunchTemplateId: { Ref: stack.getLogicalId(graviton.launchTemplate.node.defaultChild as CfnElement) },
        }),
        NotificationConfigurations: [Match.objectLike({ TopicARN: topic })],
      });
    });

    test('returns copies of its lists', () => {
      const platform = new EcsPlatform(stack, 'Platform');
      platform.addImageRepository('ApiImages');
      platform.addWebService('Api', { image: IMAGE, route: RouteMatch.pathPatterns('/api/*') });
      platform.imageRepositories.pop();
      platform.webServices.pop();
      expect(platform.imageRepositories).toHaveLength(1);
      expect(platform.webServices).toHaveLength(1);
    });
  });

  describe('validation', () => {
    let stack: Stack;
    beforeEach(() => {
      stack = testStack();
    });

    test.each([1, 7])('fails when maxAzs is %s', (maxAzs) => {
      expect(() => new EcsPlatform(stack, 'Platform', { maxAzs }))
        .toThrow(new RegExp(`^\\[TestStack/Platform\\] \`maxAzs\` must be an integer between 2 and 6, got: ${maxAzs}$`));
    });

    test.each([
      [0, 2],
      [3, 2],
      [4, 3],
    ])('fails when natGateways is %s with maxAzs %s', (natGateways, maxAzs) => {
      expect(() => new EcsPlatform(stack, 'Platform', { natGateways, maxAzs }))
        .toThrow(new RegExp(`^\\[TestStack/Platform\\] \`natGateways\` must be an integer between 1 and ${maxAzs}, got: ${natGateways}$`));
    });

    test('ignores maxAzs and natGateways when a vpc is provided', () => {
      const vpc = testVpc(stack);
      const platform = new EcsPlatform(stack, 'Platform', { vpc, maxAzs: 1, natGateways: 0 });
      expect(platform.vpc).toBe(vpc);
    });

    test('adds nothing to the stack when validation fails', () => {
      expect(() => new EcsPlatform(stack, 'Platform', { maxAzs: 7 })).toThrow();
      expect(Template.fromStack(stack).toJSON().Resources ?? {}).toEqual({});
    });

    test('fails when webAcl is true and loadBalancer.webAclArn is given', () => {
      const webAclArn = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/mine/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
      expect(() => new EcsPlatform(stack, 'Platform', { webAcl: true, loadBalancer: { webAclArn } }))
        .toThrow(/^\[TestStack\/Platform\] `webAcl` must be false or left out when `loadBalancer.webAclArn` is given \(a load balancer has one web ACL\), got: true$/);
    });

    test('fails when an ops email address is malformed', () => {
      expect(() => new EcsPlatform(stack, 'Platform', { opsEmailAddresses: ['not-an-address'] }))
        .toThrow(/^\[TestStack\/Platform\/OpsTopic\] `emailAddresses` must be email addresses, got: "not-an-address"$/);
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const stack = testStack();
      const platform = new EcsPlatform(stack, 'Platform');
      const images = platform.addImageRepository('ApiImages');
      platform.addWebService('Api', {
        image: images.image('1.0.0'),
        route: RouteMatch.pathPatterns('/api/*'),
        environment: { LOG_LEVEL: 'info' },
        secrets: { DATABASE_PASSWORD: '/prod/api/db-password' },
      });
      expect(nagFindings(platform)).toEqual([]);
    });
  });
});

describe('EcsPlatformStack', () => {
  describe('defaults', () => {
    let stack: EcsPlatformStack;
    let template: Template;
    beforeAll(() => {
      stack = platformStack();
      template = Template.fromStack(stack);
    });

    test('builds an EcsPlatform named Platform', () => {
      expect(stack.platform).toBeInstanceOf(EcsPlatform);
      expect(stack.platform.node.path).toBe('EcsPlatform/Platform');
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.resourceCountIs('AWS::ECS::Cluster', 1);
    });

    test('outputs the load balancer\'s DNS name and the cluster\'s name', () => {
      template.hasOutput('LoadBalancerDnsName', {
        Description: 'DNS name of the shared load balancer: point your domain at it',
        Value: { 'Fn::GetAtt': [logicalId(stack.platform.loadBalancer.loadBalancer), 'DNSName'] },
      });
      template.hasOutput('ClusterName', {
        Description: 'Name of the ECS cluster',
        Value: { Ref: logicalId(stack.platform.cluster.cluster) },
      });
    });

    test('serves HTTP only without a certificate', () => {
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [Match.objectLike({ Type: 'fixed-response' })],
      });
    });
  });

  describe('configuration', () => {
    test('serves HTTPS with the certificate of certificateArn and redirects HTTP', () => {
      const stack = platformStack({ certificateArn: CERTIFICATE_ARN });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: stack.resolve(CERTIFICATE_ARN) }],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
      });
      expect(stack.platform.loadBalancer.httpsListener).toBeDefined();
    });

    test('serves HTTPS with the provided loadBalancer.certificate', () => {
      const app = new App();
      const certificates = new Stack(app, 'Certificates', { env: ENV });
      const certificate = acm.Certificate.fromCertificateArn(certificates, 'Certificate', CERTIFICATE_ARN);
      const stack = new EcsPlatformStack(app, 'EcsPlatform', { env: ENV, loadBalancer: { certificate } });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: stack.resolve(CERTIFICATE_ARN) }],
      });
    });

    test.each(['aws-cn', 'aws-us-gov'])('accepts a certificate ARN in the %s partition', (partition) => {
      const certificateArn = `arn:${partition}:acm:us-east-1:123456789012:certificate/abc-123`;
      const stack = platformStack({ certificateArn });
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Certificates: [{ CertificateArn: certificateArn }],
      });
    });

    test('passes the platform props through', () => {
      const stack = platformStack({ maxAzs: 3, opsEmailAddresses: ['oncall@example.com'] });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::NatGateway', 3);
      template.resourceCountIs('AWS::SNS::Subscription', 2);
    });

    test('passes the stack props through', () => {
      const stack = platformStack({ description: 'Test platform', stackName: 'test-platform' });
      expect(stack.stackName).toBe('test-platform');
      expect(Template.fromStack(stack).toJSON().Description).toBe('Test platform');
    });

    test('adds capacities to its platform', () => {
      const stack = platformStack();
      const spot = stack.addCapacity('Spot', { spot: {}, additionalInstanceTypes: [new ec2.InstanceType('m5.large')] });
      expect(stack.platform.cluster.capacities).toContain(spot);
      expect(spot.usesSpot).toBe(true);
    });

    test('adds queue workers to its platform', () => {
      const stack = platformStack();
      const worker = stack.addQueueWorker('Thumbnails', { image: IMAGE, targetBacklogPerTask: 20 });
      expect(stack.platform.queueWorkers).toEqual([worker]);
      expect(worker.node.path).toBe('EcsPlatform/Platform/Thumbnails');
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ECS::Service', 1);
      // the worker's two, and the dead-letter queue of the AMI update alerts function
      template.resourceCountIs('AWS::SQS::Queue', 3);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 20 }),
      });
    });

    test('adds scheduled tasks to its platform', () => {
      const stack = platformStack();
      const task = stack.addScheduledTask('Nightly', { image: IMAGE, trigger: TaskTrigger.rate(Duration.hours(6)), taskCount: 2 });
      expect(stack.platform.scheduledTasks).toEqual([task]);
      expect(task.node.path).toBe('EcsPlatform/Platform/Nightly');
      Template.fromStack(stack).hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(6 hours)',
        Target: Match.objectLike({ EcsParameters: Match.objectLike({ TaskCount: 2 }) }),
      });
    });

    test('adds web services and image repositories to its platform', () => {
      const stack = platformStack();
      const images = stack.addImageRepository('ApiImages', { maxImageCount: 30 });
      const api = stack.addWebService('Api', { image: images.image('1.0.0'), route: RouteMatch.pathPatterns('/api/*') });
      expect(stack.platform.imageRepositories).toEqual([images]);
      expect(stack.platform.webServices).toEqual([api]);
      expect(api.node.path).toBe('EcsPlatform/Platform/Api');
      Template.fromStack(stack).resourceCountIs('AWS::ECS::Service', 1);
      Template.fromStack(stack.platform.imagesStack!).resourceCountIs('AWS::ECR::Repository', 1);
    });
  });

  describe('validation', () => {
    test('fails when certificateArn and loadBalancer.certificate are both given', () => {
      const app = new App();
      const certificates = new Stack(app, 'Certificates', { env: ENV });
      const certificate = acm.Certificate.fromCertificateArn(certificates, 'Certificate', CERTIFICATE_ARN);
      expect(() => new EcsPlatformStack(app, 'EcsPlatform', { env: ENV, certificateArn: CERTIFICATE_ARN, loadBalancer: { certificate } }))
        .toThrow(/^\[EcsPlatform\] `certificateArn` must be left out when `loadBalancer\.certificate` is given, got: "arn:/);
    });

    test.each([
      ['not an ARN', 'not-an-arn'],
      ['an ARN of another service', 'arn:aws-cn:iam::123456789012:role/certificate'],
      ['an ARN without an account', 'arn:aws-cn:acm:us-east-1::certificate/abc'],
      ['an ARN without a certificate id', 'arn:aws-cn:acm:us-east-1:123456789012:certificate/'],
    ])('fails when certificateArn is %s', (_, certificateArn) => {
      expect(() => platformStack({ certificateArn }))
        .toThrow(new RegExp('^\\[EcsPlatform\\] `certificateArn` must be the ARN of an ACM certificate ' +
          `\\(arn:<partition>:acm:<region>:<account>:certificate/<id>\\), got: "${certificateArn}"$`));
    });
  });

  describe('logical ids', () => {
    // Stateful resources: a changed logical id replaces the resource (or orphans a retained one). These ids are API.
    let template: Template;
    let imagesTemplate: Template;
    beforeAll(() => {
      const stack = platformStack();
      const images = stack.addImageRepository('ApiImages');
      stack.addWebService('Api', { image: images.image('1.0.0'), route: RouteMatch.pathPatterns('/api/*') });
      template = Template.fromStack(stack);
      imagesTemplate = Template.fromStack(stack.platform.imagesStack!);
    });

    test.each([
      ['PlatformVpcB7D6B3DD', 'AWS::EC2::VPC'],
      ['PlatformFlowLogsD65C18D7', 'AWS::Logs::LogGroup'],
      ['PlatformOpsTopicKeyA903F043', 'AWS::KMS::Key'],
      ['PlatformOpsTopic9FE46EE3', 'AWS::SNS::Topic'],
      ['PlatformClusterF30B9301', 'AWS::ECS::Cluster'],
      ['PlatformClusterCapacityAutoScalingGroupASGD39382E7', 'AWS::AutoScaling::AutoScalingGroup'],
      ['PlatformClusterCapacityCapacityProviderFB8648FC', 'AWS::ECS::CapacityProvider'],
      ['PlatformLoadBalancer52D078C2', 'AWS::ElasticLoadBalancingV2::LoadBalancer'],
      ['PlatformLoadBalancerAccessLogsD9EAA5B2', 'AWS::S3::Bucket'],
      ['PlatformApiLogs583F91F7', 'AWS::Logs::LogGroup'],
      ['PlatformApiServiceB5A4ED20', 'AWS::ECS::Service'],
      ['PlatformApiTargetGroup85BCCCD6', 'AWS::ElasticLoadBalancingV2::TargetGroup'],
    ])('keeps the logical id %s of the %s', (id, type) => {
      expect(template.toJSON().Resources[id]).toMatchObject({ Type: type });
    });

    test('keeps the logical id ApiImagesAE34D3DF of the AWS::ECR::Repository in the images stack', () => {
      expect(imagesTemplate.toJSON().Resources.ApiImagesAE34D3DF).toMatchObject({ Type: 'AWS::ECR::Repository' });
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings for the whole stack', () => {
      const stack = platformStack({ certificateArn: CERTIFICATE_ARN, opsEmailAddresses: ['oncall@example.com'] });
      const images = stack.addImageRepository('ApiImages');
      stack.addWebService('Api', {
        image: images.image('1.0.0'),
        route: RouteMatch.pathPatterns('/api/*'),
        environment: { LOG_LEVEL: 'info' },
        secrets: { DATABASE_PASSWORD: '/prod/api/db-password' },
      });
      stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/*'), containerPort: 80 });
      expect(nagFindings(stack)).toEqual([]);
    });

    test('has no AwsSolutions findings for a stack with a queue worker', () => {
      const stack = platformStack();
      const images = stack.addImageRepository('WorkerImages');
      const worker = stack.addQueueWorker('Thumbnails', { image: images.image('1.0.0'), environment: { LOG_LEVEL: 'info' } });
      worker.grantSendMessages(stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/*') }).taskRole);
      expect(nagFindings(stack)).toEqual([]);
    });

    test('has no AwsSolutions findings for a stack with scheduled tasks', () => {
      const stack = platformStack();
      const images = stack.addImageRepository('ReportImages');
      stack.addScheduledTask('Nightly', {
        image: images.image('1.0.0'),
        trigger: TaskTrigger.cron({ minute: '30', hour: '2' }),
        secrets: { DATABASE_PASSWORD: '/prod/report/db-password' },
      });
      stack.addScheduledTask('OnUpload', { image: IMAGE, trigger: TaskTrigger.onEvent({ source: ['aws.s3'] }) });
      expect(nagFindings(stack)).toEqual([]);
    });

    test('has no AwsSolutions findings for an environment-agnostic stack', () => {
      const stack = new EcsPlatformStack(new App(), 'EcsPlatform');
      stack.addWebService('Web', { image: IMAGE, route: RouteMatch.pathPatterns('/*'), containerPort: 80 });
      expect(nagFindings(stack)).toEqual([]);
    });
  });
});
