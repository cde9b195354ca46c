import { CfnElement, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import {
  AmiFamily, Ec2Capacity, Ec2CapacityOptions, EcsCluster, ImageRepository, PublicLoadBalancer, RouteMatch, WebService, WebServiceOptions,
} from '../../src';
import { nagFindings, testStack, testVpc } from '../util';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const SSM_READ_ACTIONS = ['ssm:DescribeParameters', 'ssm:GetParameters', 'ssm:GetParameter', 'ssm:GetParameterHistory'];
const ECR_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];

/** A stack with a VPC, a cluster and a load balancer: what every `WebService` needs. */
class Fixture {
  public readonly stack: Stack;
  public readonly vpc: ec2.Vpc;
  public readonly cluster: EcsCluster;
  public readonly loadBalancer: PublicLoadBalancer;

  constructor(capacity?: Ec2CapacityOptions) {
    this.stack = testStack();
    this.vpc = testVpc(this.stack);
    this.cluster = new EcsCluster(this.stack, 'Cluster', { vpc: this.vpc, capacity });
    this.loadBalancer = new PublicLoadBalancer(this.stack, 'Lb', { vpc: this.vpc });
  }

  /** Adds a service with the given options on top of a public image and the route `/api/*`. */
  public addService(options: Partial<WebServiceOptions> = {}, id = 'Api'): WebService {
    return new WebService(this.stack, id, {
      cluster: this.cluster,
      loadBalancer: this.loadBalancer,
      image: IMAGE,
      route: RouteMatch.pathPatterns('/api/*'),
      ...options,
    });
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
function statementsOf(template: Template, role: iam.Role): unknown[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: logicalId(role) }] } });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** An anchored regex for exactly this validation message. */
function exactly(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

describe('WebService', () => {
  describe('defaults', () => {
    let fixture: Fixture;
    let service: WebService;
    let template: Template;
    beforeAll(() => {
      fixture = new Fixture();
      service = fixture.addService();
      template = fixture.template();
    });

    test('creates exactly one service, task definition, target group, listener rule and log group', () => {
      template.resourceCountIs('AWS::ECS::Service', 1);
      template.resourceCountIs('AWS::ECS::TaskDefinition', 1);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
      // the cluster may have log groups of its own (instance logs): count the workload's
      expect(service.node.findAll().filter((construct) => construct instanceof logs.CfnLogGroup)).toHaveLength(1);
    });

    test('defines an awsvpc task for EC2 with 256 CPU units and 512 MiB', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['EC2'],
        Cpu: '256',
        Memory: '512',
      });
    });

    test('gives the task its own task role and execution role', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        TaskRoleArn: getAttArn(service.taskRole),
        ExecutionRoleArn: getAttArn(service.executionRole),
      });
      expect(logicalId(service.taskRole)).not.toEqual(logicalId(service.executionRole));
      expect(service.taskRole.node.path).toBe('TestStack/Api/Roles/TaskRole');
      expect(service.executionRole.node.path).toBe('TestStack/Api/Roles/ExecutionRole');
    });

    test('runs one essential container named app on port 8080 with a read-only root filesystem', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Name: 'app',
          Image: 'public.ecr.aws/nginx/nginx:1.27',
          Essential: true,
          Memory: 512,
          PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
          ReadonlyRootFilesystem: true,
          Environment: Match.absent(),
          Secrets: Match.absent(),
        })],
      });
      expect(service.container.containerName).toBe('app');
    });

    test('sends container logs to its own log group with the awslogs driver in non-blocking mode', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          LogConfiguration: {
            LogDriver: 'awslogs',
            Options: {
              'awslogs-group': { Ref: logicalId(service.logGroup) },
              'awslogs-stream-prefix': 'Api',
              'awslogs-region': 'us-east-1',
              'mode': 'non-blocking',
            },
          },
        })],
      });
    });

    test('keeps logs for 30 days and retains the log group', () => {
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: { RetentionInDays: 30 },
        DeletionPolicy: 'RetainExceptOnCreate',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('places tasks on the default capacity provider of the cluster', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        Cluster: { Ref: logicalId(fixture.cluster.cluster) },
        CapacityProviderStrategy: [{
          CapacityProvider: fixture.stack.resolve(fixture.cluster.defaultCapacity.capacityProviderName),
          Weight: 1,
        }],
        LaunchType: Match.absent(),
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

    test('gives new tasks a 60 second health check grace period', () => {
      template.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 60 });
    });

    test('spreads tasks across Availability Zones, then packs them by memory', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        PlacementStrategies: [
          { Type: 'spread', Field: 'attribute:ecs.availability-zone' },
          { Type: 'binpack', Field: 'MEMORY' },
        ],
      });
    });

    test('leaves the desired count to autoscaling', () => {
      template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: Match.absent() });
    });

    test('tags tasks with ECS managed tags and the service tags', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        EnableECSManagedTags: true,
        PropagateTags: 'SERVICE',
        ServiceName: Match.absent(),
      });
    });

    test('runs the tasks in the private subnets with their own security group and no public IP', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: {
          AwsvpcConfiguration: {
            AssignPublicIp: 'DISABLED',
            SecurityGroups: [{ 'Fn::GetAtt': [logicalId(service.securityGroup!), 'GroupId'] }],
            Subnets: fixture.vpc.privateSubnets.map((subnet) => fixture.stack.resolve(subnet.subnetId)),
          },
        },
      });
    });

    test('registers the app container with an IP target group on port 8080', () => {
      template.hasResourceProperties('AWS::ECS::Service', {
        LoadBalancers: [{ ContainerName: 'app', ContainerPort: 8080, TargetGroupArn: { Ref: logicalId(service.targetGroup) } }],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'ip',
        Protocol: 'HTTP',
        Port: 8080,
        VpcId: { Ref: logicalId(fixture.vpc) },
      });
    });

    test('health-checks / every 15 seconds and accepts 200-399', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckPath: '/',
        Matcher: { HttpCode: '200-399' },
        HealthCheckIntervalSeconds: 15,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
      });
    });

    test('deregisters targets after 30 seconds', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
      });
    });

    test('admits only the load balancer, on the container port only', () => {
      const taskGroup = { 'Fn::GetAtt': [logicalId(service.securityGroup!), 'GroupId'] };
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Tasks of Api: the load balancer on the container port only',
        SecurityGroupIngress: Match.absent(),
      });
      const ingress = template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: taskGroup } });
      expect(Object.values(ingress).map((resource) => resource.Properties)).toEqual([{
        Description: 'Load balancer to Api tasks',
        IpProtocol: 'tcp',
        FromPort: 8080,
        ToPort: 8080,
        GroupId: taskGroup,
        SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(fixture.loadBalancer.securityGroup), 'GroupId'] },
      }]);
    });

    test('lets the load balancer reach the tasks on the container port', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: { 'Fn::GetAtt': [logicalId(fixture.loadBalancer.securityGroup), 'GroupId'] },
        DestinationSecurityGroupId: { 'Fn::GetAtt': [logicalId(service.securityGroup!), 'GroupId'] },
        IpProtocol: 'tcp',
        FromPort: 8080,
        ToPort: 8080,
      });
    });

    test('forwards the route\'s path pattern to its target group with a derived priority', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        ListenerArn: { Ref: logicalId(fixture.loadBalancer.listener) },
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: logicalId(service.targetGroup) } }],
        Priority: fixture.loadBalancer.priorityOf('Api'),
      });
      expect(service.listenerRule.node.path).toBe('TestStack/Lb/ApiRoute');
    });

    test('scales between 2 and 10 tasks', () => {
      const serviceId = new Capture();
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 2,
        MaxCapacity: 10,
        ScalableDimension: 'ecs:service:DesiredCount',
        ServiceNamespace: 'ecs',
        ResourceId: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [serviceId, 'Name'] }])] },
      });
      expect(serviceId.asString()).toBe(logicalId(service.service));
    });

    test('tracks 70 % average CPU utilization', () => {
      const target = template.findResources('AWS::ApplicationAutoScaling::ScalableTarget');
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: { Ref: Object.keys(target)[0] },
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 70,
          ScaleInCooldown: 120,
          ScaleOutCooldown: 60,
        },
      });
    });

    test('gives every service its own two roles', () => {
      const twoServices = new Fixture();
      twoServices.addService({}, 'Api');
      twoServices.addService({ route: RouteMatch.pathPatterns('/web/*') }, 'Web');
      const taskDefinitions = Object.values(twoServices.template().findResources('AWS::ECS::TaskDefinition'));
      const roles = taskDefinitions.flatMap((taskDefinition) => [
        taskDefinition.Properties.TaskRoleArn['Fn::GetAtt'][0],
        taskDefinition.Properties.ExecutionRoleArn['Fn::GetAtt'][0],
      ]);
      expect(roles).toHaveLength(4);
      expect(new Set(roles).size).toBe(4);
      const iamRoles = twoServices.template().findResources('AWS::IAM::Role');
      for (const role of roles) expect(iamRoles[role]).toBeDefined();
    });
  });

  describe('configuration', () => {
    let fixture: Fixture;
    beforeEach(() => {
      fixture = new Fixture();
    });

    test('uses the provided containerPort for the container, target group, load balancer target and ingress', () => {
      const service = fixture.addService({ containerPort: 3000 });
      const template = fixture.template();
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ PortMappings: [{ ContainerPort: 3000, Protocol: 'tcp' }] })],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 3000 });
      template.hasResourceProperties('AWS::ECS::Service', {
        LoadBalancers: [Match.objectLike({ ContainerName: 'app', ContainerPort: 3000 })],
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [logicalId(service.securityGroup!), 'GroupId'] },
        FromPort: 3000,
        ToPort: 3000,
      });
    });

    test('uses the provided cpu and memoryLimitMiB for the task and the container', () => {
      fixture.addService({ cpu: 1024, memoryLimitMiB: 2048 });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '1024',
        Memory: '2048',
        ContainerDefinitions: [Match.objectLike({ Memory: 2048 })],
      });
    });

    test('accepts the largest task that fits on one instance', () => {
      fixture.addService({ cpu: 2048, memoryLimitMiB: 7946 });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '2048', Memory: '7946' });
    });

    test('accepts a larger task on a larger instance type', () => {
      const large = new Fixture({ instanceType: new ec2.InstanceType('m6i.xlarge') });
      large.addService({ cpu: 4096, memoryLimitMiB: 15892 });
      large.template().hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '4096', Memory: '15892' });
    });

    test('skips the fit check for an instance type it has no facts for (one known only at deploy time)', () => {
      const unknown = new Fixture({ instanceType: new ec2.InstanceType(Token.asString({ Ref: 'InstanceType' })) });
      unknown.addService({ cpu: 4096, memoryLimitMiB: 16384 });
      unknown.template().hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '4096', Memory: '16384' });
    });

    test('uses the provided minCapacity and maxCapacity', () => {
      fixture.addService({ minCapacity: 3, maxCapacity: 30 });
      fixture.template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 30 });
    });

    test('leaves DesiredCount out with a raised minCapacity: the scalable target, which refers to the service, raises the count to it', () => {
      const service = fixture.addService({ minCapacity: 4, maxCapacity: 8 });
      const template = fixture.template();
      template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: Match.absent() });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 4,
        MaxCapacity: 8,
        ResourceId: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [logicalId(service.service), 'Name'] }])] },
      });
    });

    test('writes the provided desiredCount into the template', () => {
      fixture.addService({ desiredCount: 4 });
      fixture.template().hasResourceProperties('AWS::ECS::Service', { DesiredCount: 4 });
    });

    test.each([2, 10])('accepts desiredCount %s at the edge of the default range', (desiredCount) => {
      fixture.addService({ desiredCount });
      fixture.template().hasResourceProperties('AWS::ECS::Service', { DesiredCount: desiredCount });
    });

    test('uses the provided targetCpuUtilizationPercent', () => {
      fixture.addService({ targetCpuUtilizationPercent: 50 });
      fixture.template().hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 50 }),
      });
    });

    test('uses the provided healthCheckPath and healthCheckHealthyHttpCodes', () => {
      fixture.addService({ healthCheckPath: '/api/health', healthCheckHealthyHttpCodes: '200,204' });
      fixture.template().hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckPath: '/api/health',
        Matcher: { HttpCode: '200,204' },
      });
    });

    test('uses the provided healthCheckGracePeriod', () => {
      fixture.addService({ healthCheckGracePeriod: Duration.minutes(5) });
      fixture.template().hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 300 });
    });

    test('passes the provided environment to the container', () => {
      fixture.addService({ environment: { LOG_LEVEL: 'info', PORT: '8080' } });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Environment: [{ Name: 'LOG_LEVEL', Value: 'info' }, { Name: 'PORT', Value: '8080' }],
        })],
      });
    });

    test('accepts a secret-looking environment variable that is listed in allowPlainEnvironment', () => {
      fixture.addService({ environment: { TOKEN_ENDPOINT_URL: 'https://auth.example.com/token' }, allowPlainEnvironment: ['TOKEN_ENDPOINT_URL'] });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Environment: [{ Name: 'TOKEN_ENDPOINT_URL', Value: 'https://auth.example.com/token' }],
        })],
      });
    });

    test('injects the provided secrets from their SSM parameters', () => {
      fixture.addService({ secrets: { DATABASE_PASSWORD: '/prod/api/db-password', API_KEY: '/prod/api/key' } });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Secrets: [
            { Name: 'API_KEY', ValueFrom: parameterArn('/prod/api/key') },
            { Name: 'DATABASE_PASSWORD', ValueFrom: parameterArn('/prod/api/db-password') },
          ],
          Environment: Match.absent(),
        })],
      });
    });

    test('uses the provided readonlyRootFilesystem', () => {
      fixture.addService({ readonlyRootFilesystem: false });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ ReadonlyRootFilesystem: false })],
      });
    });

    test('uses the provided logRetention', () => {
      fixture.addService({ logRetention: logs.RetentionDays.ONE_WEEK });
      fixture.template().hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    });

    test('uses the provided removalPolicy for the log group', () => {
      fixture.addService({ removalPolicy: RemovalPolicy.DESTROY });
      fixture.template().hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    });

    test('uses the provided serviceName', () => {
      fixture.addService({ serviceName: 'api' });
      fixture.template().hasResourceProperties('AWS::ECS::Service', { ServiceName: 'api' });
    });

    test('uses the provided routePriority', () => {
      fixture.addService({ routePriority: 7 });
      fixture.template().hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 7 });
    });

    test('uses the provided route for the listener rule', () => {
      fixture.addService({ route: RouteMatch.hostHeaders('api.example.com').and(RouteMatch.pathPatterns('/v1/*')) });
      fixture.template().hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Conditions: [
          { Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } },
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/v1/*'] } },
        ],
      });
    });

    test('uses the service id as the log stream prefix and in the role descriptions', () => {
      const service = fixture.addService({}, 'Orders');
      const template = fixture.template();
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          LogConfiguration: Match.objectLike({ Options: Match.objectLike({ 'awslogs-stream-prefix': 'Orders' }) }),
        })],
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: Match.stringLikeRegexp('^Task role of Orders'),
        Tags: [{ Key: 'cdk-ecs-platform:workload', Value: 'Orders' }],
      });
      expect(service.listenerRule.node.id).toBe('OrdersRoute');
    });
  });

  describe('capacityStrategy', () => {
    let fixture: Fixture;
    let cluster: EcsCluster;
    let spot: Ec2Capacity;
    beforeEach(() => {
      fixture = new Fixture();
      cluster = fixture.cluster;
      spot = cluster.addCapacity('Spot', { spot: {} });
    });

    function provider(capacity: Ec2Capacity): unknown {
      return fixture.stack.resolve(capacity.capacityProviderName);
    }

    function windowsCapacity(): Ec2Capacity {
      return cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
    }

    test('takes the default strategy that the cluster has when the service is created', () => {
      cluster.configureDefaultCapacityStrategy([{ capacity: cluster.defaultCapacity, base: 2, weight: 1 }, { capacity: spot, weight: 3 }]);
      fixture.addService();
      fixture.template().hasResourceProperties('AWS::ECS::Service', {
        CapacityProviderStrategy: [
          { CapacityProvider: provider(cluster.defaultCapacity), Base: 2, Weight: 1 },
          { CapacityProvider: provider(spot), Base: Match.absent(), Weight: 3 },
        ],
        LaunchType: Match.absent(),
      });
    });

    test('uses the provided capacityStrategy, and leaves the cluster default as it is', () => {
      fixture.addService({ capacityStrategy: [{ capacity: spot, weight: 2, base: 1 }, { capacity: cluster.defaultCapacity }] });
      const template = fixture.template();
      template.hasResourceProperties('AWS::ECS::Service', {
        CapacityProviderStrategy: [
          { CapacityProvider: provider(spot), Base: 1, Weight: 2 },
          { CapacityProvider: provider(cluster.defaultCapacity), Base: Match.absent(), Weight: 1 },
        ],
      });
      template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        DefaultCapacityProviderStrategy: [{ CapacityProvider: provider(cluster.defaultCapacity), Weight: 1 }],
      });
    });

    test('depends on the cluster\'s capacity provider associations, not on the cluster it refers to (cfn-lint W3005)', () => {
      fixture.addService({ capacityStrategy: [{ capacity: spot }] });
      const template = fixture.template();
      const association = Object.keys(template.findResources('AWS::ECS::ClusterCapacityProviderAssociations'));
      expect(association).toHaveLength(1);
      template.hasResource('AWS::ECS::Service', { DependsOn: Match.arrayWith(association) });
      const clusterId = logicalId(fixture.cluster.cluster);
      template.hasResourceProperties('AWS::ECS::Service', { Cluster: { Ref: clusterId } });
      for (const resource of Object.values(template.toJSON().Resources) as Array<{ DependsOn?: string[] }>) {
        expect(resource.DependsOn ?? []).not.toContain(clusterId);
      }
    });

    test('places the tasks of a Linux strategy on Linux instances, with a read-only root filesystem and task-level CPU only', () => {
      fixture.addService({ capacityStrategy: [{ capacity: spot }], cpu: 512 });
      const template = fixture.template();
      template.hasResourceProperties('AWS::ECS::Service', {
        PlacementConstraints: [{ Type: 'memberOf', Expression: 'attribute:ecs.os-type == linux' }],
      });
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '512',
        ContainerDefinitions: [Match.objectLike({ ReadonlyRootFilesystem: true, Cpu: Match.absent() })],
      });
    });

    test('places the tasks of a Windows strategy on Windows instances, with a writable root filesystem and container-level CPU', () => {
      const windows = windowsCapacity();
      fixture.addService({ capacityStrategy: [{ capacity: windows }], cpu: 1024, memoryLimitMiB: 2048 });
      const template = fixture.template();
      template.hasResourceProperties('AWS::ECS::Service', {
        CapacityProviderStrategy: [{ CapacityProvider: provider(windows), Weight: 1 }],
        PlacementConstraints: [{ Type: 'memberOf', Expression: 'attribute:ecs.os-type == windows' }],
      });
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: '1024',
        Memory: '2048',
        ContainerDefinitions: [Match.objectLike({ ReadonlyRootFilesystem: false, Cpu: 1024, Memory: 2048 })],
      });
    });

    test('runs a Windows service on a Windows default strategy', () => {
      const windows = windowsCapacity();
      cluster.configureDefaultCapacityStrategy([{ capacity: windows }]);
      fixture.addService();
      const template = fixture.template();
      template.hasResourceProperties('AWS::ECS::Service', {
        CapacityProviderStrategy: [{ CapacityProvider: provider(windows), Weight: 1 }],
        PlacementConstraints: [{ Type: 'memberOf', Expression: 'attribute:ecs.os-type == windows' }],
      });
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ ReadonlyRootFilesystem: false, Cpu: 256 })],
      });
    });

    test('gives a Windows service a 10 minute health check grace period, and the same load balancer health check', () => {
      fixture.addService({ capacityStrategy: [{ capacity: windowsCapacity() }] });
      const template = fixture.template();
      template.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 600 });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckIntervalSeconds: 15,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
      });
    });

    test('gives a service on a Windows default strategy the Windows grace period', () => {
      cluster.configureDefaultCapacityStrategy([{ capacity: windowsCapacity() }]);
      fixture.addService();
      fixture.template().hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 600 });
    });

    test('uses the provided healthCheckGracePeriod on Windows', () => {
      fixture.addService({ capacityStrategy: [{ capacity: windowsCapacity() }], healthCheckGracePeriod: Duration.seconds(90) });
      fixture.template().hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 90 });
    });

    test('accepts readonlyRootFilesystem false on Windows', () => {
      fixture.addService({ capacityStrategy: [{ capacity: windowsCapacity() }], readonlyRootFilesystem: false });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ ReadonlyRootFilesystem: false })],
      });
    });

    test('checks the task against the capacities of its strategy, not the default capacity', () => {
      const large = cluster.addCapacity('Large', { instanceType: new ec2.InstanceType('r6i.xlarge') });
      fixture.addService({ capacityStrategy: [{ capacity: large }], cpu: 4096, memoryLimitMiB: 31784 });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '4096', Memory: '31784' });
    });

    test('checks the task against every instance type of its strategy', () => {
      const mixed = cluster.addCapacity('Mixed', {
        instanceType: new ec2.InstanceType('m6i.large'),
        additionalInstanceTypes: [new ec2.InstanceType('c6i.2xlarge')],
      });
      fixture.addService({ capacityStrategy: [{ capacity: mixed }], cpu: 8192 });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '8192' });
    });

    describe('validation', () => {
      test('fails when readonlyRootFilesystem is true on a Windows strategy', () => {
        expect(() => fixture.addService({ capacityStrategy: [{ capacity: windowsCapacity() }], readonlyRootFilesystem: true }))
          .toThrow(exactly('[TestStack/Api] `readonlyRootFilesystem` must be false for a Windows workload '
            + '(Windows containers have no read-only root filesystem), got: true'));
      });

      test('fails when capacityStrategy mixes Linux and Windows capacities', () => {
        const windows = windowsCapacity();
        expect(() => fixture.addService({ capacityStrategy: [{ capacity: spot }, { capacity: windows }] }))
          .toThrow(exactly('[TestStack/Api] `capacityStrategy` must be capacities of one operating system (a task runs on Linux or on Windows), '
            + 'got: ["Spot (linux)", "Windows (windows)"]'));
      });

      test('fails when capacityStrategy names a capacity of another cluster', () => {
        const other = new EcsCluster(fixture.stack, 'Other', { vpc: fixture.vpc });
        expect(() => fixture.addService({ capacityStrategy: [{ capacity: other.defaultCapacity }] }))
          .toThrow(exactly('[TestStack/Api] `capacityStrategy[0].capacity` must be a capacity of the cluster TestStack/Cluster, '
            + 'got: "TestStack/Other/Capacity"'));
      });

      test('fails when capacityStrategy is empty', () => {
        expect(() => fixture.addService({ capacityStrategy: [] }))
          .toThrow(/^\[TestStack\/Api\] `capacityStrategy` must be at least one capacity, got: "?\[\]"?$/);
      });

      test('fails when capacityStrategy names a capacity twice', () => {
        expect(() => fixture.addService({ capacityStrategy: [{ capacity: spot }, { capacity: spot }] }))
          .toThrow(exactly('[TestStack/Api] `capacityStrategy[1].capacity` must be a capacity that appears once in the strategy, '
            + 'got: "TestStack/Cluster/Spot"'));
      });

      test.each([
        ['weight', { weight: 1001 }, '`capacityStrategy[0].weight` must be an integer between 0 and 1000, got: 1001'],
        ['base', { base: 100001 }, '`capacityStrategy[0].base` must be an integer between 0 and 100000, got: 100001'],
        ['weight', { weight: 0 }, '`capacityStrategy` must be a strategy with at least one weight above 0, got: [0]'],
      ])('fails when a share has an invalid %s (%j)', (_, share, message) => {
        expect(() => fixture.addService({ capacityStrategy: [{ capacity: spot, ...share }] }))
          .toThrow(exactly(`[TestStack/Api] ${message}`));
      });

      test('fails when capacityStrategy gives two shares a base', () => {
        expect(() => fixture.addService({ capacityStrategy: [{ capacity: spot, base: 1 }, { capacity: cluster.defaultCapacity, base: 1 }] }))
          .toThrow(exactly('[TestStack/Api] `capacityStrategy` must be a strategy with at most one base, got: ["Spot", "Capacity"]'));
      });

      test('fails when the task needs more CPU than any instance type of its strategy offers, naming the largest', () => {
        const large = cluster.addCapacity('Large', { instanceType: new ec2.InstanceType('r6i.xlarge') });
        expect(() => fixture.addService({ capacityStrategy: [{ capacity: cluster.defaultCapacity }, { capacity: large }], cpu: 8192 }))
          .toThrow(exactly('[TestStack/Api] `cpu` must be at most 4096 CPU units, what one r6i.xlarge of capacity "Large" offers to tasks, got: 8192'));
      });

      test('fails when the task needs more memory than any instance type of its strategy offers, naming the largest', () => {
        const mixed = cluster.addCapacity('Mixed', {
          instanceType: new ec2.InstanceType('c6i.2xlarge'),
          additionalInstanceTypes: [new ec2.InstanceType('m6i.large')],
        });
        expect(() => fixture.addService({ capacityStrategy: [{ capacity: spot }, { capacity: mixed }], memoryLimitMiB: 16000 }))
          .toThrow(exactly('[TestStack/Api] `memoryLimitMiB` must be at most 15892 MiB, what one c6i.2xlarge of capacity "Mixed" offers to tasks, got: 16000'));
      });

      test('fails when the task does not fit the strategy although it fits the default capacity', () => {
        const small = cluster.addCapacity('Small', { instanceType: new ec2.InstanceType('t3.small') });
        expect(() => fixture.addService({ capacityStrategy: [{ capacity: small }], memoryLimitMiB: 2048 }))
          .toThrow(exactly('[TestStack/Api] `memoryLimitMiB` must be at most 1986 MiB, what one t3.small of capacity "Small" offers to tasks, got: 2048'));
      });

      test('counts the memory that the capacity reserves for the agent', () => {
        const reserved = cluster.addCapacity('Reserved', { agentSettings: { reservedMemoryMiB: 1024 } });
        expect(() => fixture.addService({ capacityStrategy: [{ capacity: reserved }], memoryLimitMiB: 6923 }))
          .toThrow(exactly('[TestStack/Api] `memoryLimitMiB` must be at most 6922 MiB, what one m6i.large of capacity "Reserved" offers to tasks, got: 6923'));
        fixture.addService({ capacityStrategy: [{ capacity: reserved }], memoryLimitMiB: 6922 }, 'Fits');
        fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', { Memory: '6922' });
      });

      test('adds nothing of the service to the stack when capacityStrategy is invalid', () => {
        const windows = windowsCapacity();
        expect(() => fixture.addService({ capacityStrategy: [{ capacity: spot }, { capacity: windows }] })).toThrow();
        expect(fixture.stack.node.findChild('Api').node.children).toEqual([]);
        const template = fixture.template();
        template.resourceCountIs('AWS::ECS::Service', 0);
        template.resourceCountIs('AWS::ECS::TaskDefinition', 0);
        template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
      });
    });
  });

  describe('permissions', () => {
    let fixture: Fixture;
    beforeEach(() => {
      fixture = new Fixture();
    });

    test('lets the execution role write to the service\'s log group only', () => {
      const service = fixture.addService();
      expect(statementsOf(fixture.template(), service.executionRole)).toEqual([{
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: getAttArn(service.logGroup),
      }]);
    });

    test('lets the execution role pull from the image\'s repository only', () => {
      const repository = new ImageRepository(fixture.stack, 'Repo');
      const service = fixture.addService({ image: repository.image('1.0.0') });
      expect(statementsOf(fixture.template(), service.executionRole)).toEqual([
        { Effect: 'Allow', Action: ECR_PULL_ACTIONS, Resource: getAttArn(repository.repository) },
        { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAttArn(service.logGroup) },
      ]);
    });

    test('runs the tagged image of the repository', () => {
      const repository = new ImageRepository(fixture.stack, 'Repo');
      fixture.addService({ image: repository.image('1.4.2') });
      fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({
          Image: { 'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(repository.repository) }, ':1.4.2'])] },
        })],
      });
    });

    test('lets the execution role read exactly the service\'s secret parameters', () => {
      const service = fixture.addService({ secrets: { DATABASE_PASSWORD: '/prod/api/db-password', API_KEY: 'api-key' } });
      const statements = statementsOf(fixture.template(), service.executionRole);
      expect(statements).toHaveLength(3);
      expect(statements).toEqual(expect.arrayContaining([
        { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: parameterArn('/api-key') },
        { Effect: 'Allow', Action: SSM_READ_ACTIONS, Resource: parameterArn('/prod/api/db-password') },
      ]));
    });

    test('gives the task role no permissions', () => {
      const service = fixture.addService({ secrets: { DATABASE_PASSWORD: '/prod/api/db-password' } });
      const template = fixture.template();
      expect(statementsOf(template, service.taskRole)).toEqual([]);
      template.hasResourceProperties('AWS::IAM::Role', {
        Description: 'Task role of Api: what its containers may call',
        ManagedPolicyArns: Match.absent(),
        Policies: Match.absent(),
      });
    });

    test('lets the application be granted permissions through the task role', () => {
      const service = fixture.addService();
      service.logGroup.grantRead(service.taskRole);
      const statements = statementsOf(fixture.template(), service.taskRole);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatchObject({ Effect: 'Allow', Resource: expect.arrayContaining([getAttArn(service.logGroup)]) });
    });
  });

  describe('validation', () => {
    let fixture: Fixture;
    beforeEach(() => {
      fixture = new Fixture();
    });

    test.each([0, 65536, 80.5])('fails when containerPort is %s', (containerPort) => {
      expect(() => fixture.addService({ containerPort }))
        .toThrow(exactly(`[TestStack/Api] \`containerPort\` must be an integer between 1 and 65535, got: ${containerPort}`));
    });

    test.each([64, 127, 196609])('fails when cpu is %s', (cpu) => {
      expect(() => fixture.addService({ cpu }))
        .toThrow(exactly(`[TestStack/Api] \`cpu\` must be an integer between 128 and 196608, got: ${cpu}`));
    });

    test.each([64, 127, 786433])('fails when memoryLimitMiB is %s', (memoryLimitMiB) => {
      expect(() => fixture.addService({ memoryLimitMiB }))
        .toThrow(exactly(`[TestStack/Api] \`memoryLimitMiB\` must be an integer between 128 and 786432, got: ${memoryLimitMiB}`));
    });

    test.each([0, 1001])('fails when minCapacity is %s', (minCapacity) => {
      expect(() => fixture.addService({ minCapacity, maxCapacity: 1000 }))
        .toThrow(exactly(`[TestStack/Api] \`minCapacity\` must be an integer between 1 and 1000, got: ${minCapacity}`));
    });

    test.each([0, 1001])('fails when maxCapacity is %s', (maxCapacity) => {
      expect(() => fixture.addService({ minCapacity: 1, maxCapacity }))
        .toThrow(exactly(`[TestStack/Api] \`maxCapacity\` must be an integer between 1 and 1000, got: ${maxCapacity}`));
    });

    test('fails when maxCapacity is below minCapacity', () => {
      expect(() => fixture.addService({ minCapacity: 5, maxCapacity: 3 }))
        .toThrow(exactly('[TestStack/Api] `maxCapacity` must be at least `minCapacity` (5), got: 3'));
    });

    test('fails when maxCapacity is below the default minCapacity', () => {
      expect(() => fixture.addService({ maxCapacity: 1 }))
        .toThrow(exactly('[TestStack/Api] `maxCapacity` must be at least `minCapacity` (2), got: 1'));
    });

    test.each([
      [0, {}, 2, 10],
      [1, {}, 2, 10],
      [11, {}, 2, 10],
      [4, { minCapacity: 5, maxCapacity: 8 }, 5, 8],
      [9, { minCapacity: 5, maxCapacity: 8 }, 5, 8],
    ])('fails when desiredCount is %s, out of range for %j', (desiredCount, capacities, min, max) => {
      expect(() => fixture.addService({ desiredCount, ...capacities }))
        .toThrow(exactly(`[TestStack/Api] \`desiredCount\` must be an integer between ${min} and ${max}, got: ${desiredCount}`));
    });

    test.each([5, 9, 91, 95])('fails when targetCpuUtilizationPercent is %s', (targetCpuUtilizationPercent) => {
      expect(() => fixture.addService({ targetCpuUtilizationPercent }))
        .toThrow(exactly(`[TestStack/Api] \`targetCpuUtilizationPercent\` must be an integer between 10 and 90, got: ${targetCpuUtilizationPercent}`));
    });

    test('fails when healthCheckGracePeriod is longer than 7200 seconds', () => {
      expect(() => fixture.addService({ healthCheckGracePeriod: Duration.seconds(7201) }))
        .toThrow(exactly('[TestStack/Api] `healthCheckGracePeriod` must be an integer between 0 and 7200, got: 7201'));
    });

    test.each([
      ['without a leading /', 'health'],
      ['empty', ''],
      ['with a space', '/has space'],
      ['longer than 1024 characters', `/${'a'.repeat(1024)}`],
    ])('fails when healthCheckPath is %s', (_, healthCheckPath) => {
      expect(() => fixture.addService({ healthCheckPath }))
        .toThrow(exactly(`[TestStack/Api] \`healthCheckPath\` must be a path that starts with \`/\` (at most 1024 characters), got: ${JSON.stringify(healthCheckPath)}`));
    });

    test.each(['abc', '200-', '2000', '200,', '200 - 299', '600', '299-200', '100-999', '199', '200,500', '200-500'])(
      'fails when healthCheckHealthyHttpCodes is %j', (healthCheckHealthyHttpCodes) => {
        expect(() => fixture.addService({ healthCheckHealthyHttpCodes }))
          .toThrow(exactly('[TestStack/Api] `healthCheckHealthyHttpCodes` must be HTTP codes between 200 and 499 such as `200`, `200,204` or '
            + `\`200-299\` (a range low to high), got: ${JSON.stringify(healthCheckHealthyHttpCodes)}`));
      });

    test.each(['200', '499', '200-499', '200,204,301-302', '404-404'])('accepts healthCheckHealthyHttpCodes %j', (healthCheckHealthyHttpCodes) => {
      expect(() => fixture.addService({ healthCheckHealthyHttpCodes })).not.toThrow();
    });

    test.each(['', ' ', 'has space', 'api/v1', 'x'.repeat(256)])('fails when serviceName is %j', (serviceName) => {
      expect(() => fixture.addService({ serviceName }))
        .toThrow(exactly(`[TestStack/Api] \`serviceName\` must be 1 to 255 letters, digits, hyphens and underscores, got: ${JSON.stringify(serviceName)}`));
    });

    test.each([0, 50001])('fails when routePriority is %s', (routePriority) => {
      expect(() => fixture.addService({ routePriority }))
        .toThrow(exactly(`[TestStack/Api] \`routePriority\` must be an integer between 1 and 50000, got: ${routePriority}`));
    });

    test('fails when a route path pattern does not start with /', () => {
      expect(() => fixture.addService({ route: RouteMatch.pathPatterns('api/*') }))
        .toThrow(/^\[TestStack\/Api\] `route\.pathPatterns` must be path patterns that start with `\/` .*, got: "api\/\*"$/);
    });

    test('fails when the route has no condition', () => {
      expect(() => fixture.addService({ route: RouteMatch.pathPatterns() }))
        .toThrow(/^\[TestStack\/Api\] `route` must be a match with at least one path pattern or host header, got: /);
    });

    test('fails when two services claim the same route, naming both', () => {
      fixture.addService({}, 'Api');
      expect(() => fixture.addService({}, 'Web'))
        .toThrow(exactly('[TestStack/Web] routes "Api" and "Web" both claim path /api/*; each match can be routed to one target only'));
    });

    test('fails when the task needs more memory than one m6i.large offers', () => {
      expect(() => fixture.addService({ memoryLimitMiB: 16384 }))
        .toThrow(exactly('[TestStack/Api] `memoryLimitMiB` must be at most 7946 MiB, what one m6i.large of capacity "Capacity" offers to tasks, got: 16384'));
    });

    test('fails when the task needs one MiB more than one m6i.large offers', () => {
      expect(() => fixture.addService({ memoryLimitMiB: 7947 })).toThrow(/`memoryLimitMiB` must be at most 7946 MiB, .*, got: 7947$/);
    });

    test('fails when the task needs more CPU than one m6i.large offers', () => {
      expect(() => fixture.addService({ cpu: 4096 }))
        .toThrow(exactly('[TestStack/Api] `cpu` must be at most 2048 CPU units, what one m6i.large of capacity "Capacity" offers to tasks, got: 4096'));
    });

    test('fails when a plain environment variable looks like a secret', () => {
      expect(() => fixture.addService({ environment: { DB_PASSWORD: 'hunter2' } }))
        .toThrow(/^\[TestStack\/Api\] `environment\.DB_PASSWORD` looks like a secret, .*pass it in `secrets` instead .*list it in `allowPlainEnvironment`\.$/);
    });

    test('fails when a secret-looking variable is allowed under another name only', () => {
      expect(() => fixture.addService({ environment: { DB_PASSWORD: 'hunter2' }, allowPlainEnvironment: ['DB_PASSWORD_URL'] }))
        .toThrow(/`environment\.DB_PASSWORD` looks like a secret/);
    });

    test('fails when a name is both in environment and in secrets', () => {
      expect(() => fixture.addService({ environment: { LOG_LEVEL: 'info' }, secrets: { LOG_LEVEL: '/prod/api/log-level' } }))
        .toThrow(exactly('[TestStack/Api] `secrets.LOG_LEVEL` must be a name that is not also in `environment`, got: "LOG_LEVEL"'));
    });

    test.each([
      ['a memory limit that does not fit', { memoryLimitMiB: 16384 }],
      ['an out-of-range desired count', { desiredCount: 11 }],
      ['a secret in plain environment', { environment: { DB_PASSWORD: 'hunter2' } }],
    ])('adds nothing to the stack when it fails for %s', (_, options: Partial<WebServiceOptions>) => {
      expect(() => fixture.addService(options)).toThrow();
      const template = fixture.template();
      template.resourceCountIs('AWS::ECS::Service', 0);
      template.resourceCountIs('AWS::ECS::TaskDefinition', 0);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 0);
      // the same resources as a fixture that never saw the service
      expect(Object.keys(template.toJSON().Resources)).toEqual(Object.keys(new Fixture().template().toJSON().Resources));
    });
  });

  describe('a route another service already claims', () => {
    test('adds nothing of the second service to the stack', () => {
      const fixture = new Fixture();
      fixture.addService({}, 'Api');
      expect(() => fixture.addService({}, 'Web')).toThrow(/both claim path \/api\/\*/);
      const template = fixture.template();
      template.resourceCountIs('AWS::ECS::Service', 1);
      template.resourceCountIs('AWS::ECS::TaskDefinition', 1);
      template.resourceCountIs('AWS::ElasticLoadBalancingV2::ListenerRule', 1);
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const fixture = new Fixture();
      const service = fixture.addService();
      expect(nagFindings(service)).toEqual([]);
    });

    test('has no AwsSolutions findings on a Windows capacity strategy', () => {
      const fixture = new Fixture();
      const windows = fixture.cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
      const service = fixture.addService({ capacityStrategy: [{ capacity: windows }] });
      expect(nagFindings(service)).toEqual([]);
    });

    test('has no AwsSolutions findings with an ECR image, plain environment and secrets', () => {
      const fixture = new Fixture();
      const repository = new ImageRepository(fixture.stack, 'Repo');
      const service = fixture.addService({
        image: repository.image('1.0.0'),
        environment: { LOG_LEVEL: 'info' },
        secrets: { DATABASE_PASSWORD: '/prod/api/db-password' },
      });
      expect(nagFindings(service)).toEqual([]);
    });
  });
});
