import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AmiFamily, ServiceNetworkMode, WebService, WebServiceOptions } from '../../src';
import { nagFindings } from '../util';
import { exactly, getAttArn, groupId, logicalId, onlyProperties, statementsOf, WebServiceFixture } from './web-service.fixtures';

const SERVICE_CONNECT = { serviceConnectNamespace: 'internal' };
const EXEC_CHANNEL_ACTIONS = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
];

/** The KMS keys of ECS Exec audits in the template. */
function execKeys(fixture: WebServiceFixture): string[] {
  return Object.keys(fixture.template().findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('^ECS Exec ') } }));
}

function ecsService(fixture: WebServiceFixture, service: WebService): any {
  return fixture.template().toJSON().Resources[logicalId(service.service)];
}

/** The ingress rules of a security group, as their properties. */
function ingressOf(fixture: WebServiceFixture, group: ec2.ISecurityGroup): any[] {
  const rules = fixture.template().findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: groupId(group) } });
  return Object.values(rules).map((rule) => rule.Properties);
}

describe('WebService networking', () => {
  describe('Service Connect', () => {
    let fixture: WebServiceFixture;
    beforeEach(() => {
      fixture = new WebServiceFixture(undefined, SERVICE_CONNECT);
    });

    describe('defaults', () => {
      test('is not in Service Connect, and names no port', () => {
        const service = fixture.addService();
        const template = fixture.template();
        template.hasResourceProperties('AWS::ECS::Service', { ServiceConnectConfiguration: Match.absent() });
        template.hasResourceProperties('AWS::ECS::TaskDefinition', {
          ContainerDefinitions: [Match.objectLike({ PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }] })],
        });
        expect(service.serviceConnectDnsName).toBeUndefined();
      });
    });

    describe('configuration', () => {
      test('publishes the container port as <id in lower case>.<namespace> with the proxy logging to the service\'s log group', () => {
        const service = fixture.addService({ serviceConnect: {} });
        const template = fixture.template();
        template.hasResourceProperties('AWS::ECS::Service', {
          ServiceConnectConfiguration: {
            Enabled: true,
            Namespace: 'internal',
            Services: [{ PortName: 'http', DiscoveryName: 'api', ClientAliases: [{ DnsName: 'api.internal', Port: 8080 }] }],
            LogConfiguration: {
              LogDriver: 'awslogs',
              Options: {
                'awslogs-group': { Ref: logicalId(service.logGroup) },
                'awslogs-stream-prefix': 'Api-service-connect',
                'awslogs-region': 'us-east-1',
                'mode': 'non-blocking',
              },
            },
          },
        });
        template.hasResourceProperties('AWS::ECS::TaskDefinition', {
          ContainerDefinitions: [Match.objectLike({
            PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp', Name: 'http', AppProtocol: 'http' }],
          })],
        });
        expect(service.serviceConnectDnsName).toBe('api.internal');
      });

      test('uses the provided discoveryName and port', () => {
        const service = fixture.addService({ serviceConnect: { discoveryName: 'orders', port: 80 } });
        fixture.template().hasResourceProperties('AWS::ECS::Service', {
          ServiceConnectConfiguration: Match.objectLike({
            Services: [{ PortName: 'http', DiscoveryName: 'orders', ClientAliases: [{ DnsName: 'orders.internal', Port: 80 }] }],
          }),
        });
        expect(service.serviceConnectDnsName).toBe('orders.internal');
      });

      test('joins the namespace as a client only, publishing nothing', () => {
        const service = fixture.addService({ serviceConnect: { clientOnly: true } });
        const properties = ecsService(fixture, service).Properties;
        expect(properties.ServiceConnectConfiguration).toMatchObject({ Enabled: true, Namespace: 'internal' });
        expect(properties.ServiceConnectConfiguration.Services).toBeUndefined();
        expect(service.serviceConnectDnsName).toBeUndefined();
      });

      test('publishes in a bridge-mode service too', () => {
        fixture.addService({ serviceConnect: {}, networkMode: ServiceNetworkMode.BRIDGE });
        fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
          NetworkMode: 'bridge',
          ContainerDefinitions: [Match.objectLike({
            PortMappings: [{ ContainerPort: 8080, HostPort: 0, Protocol: 'tcp', Name: 'http', AppProtocol: 'http' }],
          })],
        });
      });

      test('opens the server\'s container port to a client with allowFrom()', () => {
        const api = fixture.addService({ serviceConnect: {} }, 'Api');
        const web = fixture.addService({ serviceConnect: { clientOnly: true } }, 'Web');
        api.allowFrom(web);
        expect(ingressOf(fixture, api.securityGroup!)).toEqual(expect.arrayContaining([{
          Description: 'Web to Api tasks',
          IpProtocol: 'tcp',
          FromPort: 8080,
          ToPort: 8080,
          GroupId: groupId(api.securityGroup!),
          SourceSecurityGroupId: groupId(web.securityGroup!),
        }]));
      });

      test('uses the provided allowFrom() description and takes any security group', () => {
        const api = fixture.addService({ serviceConnect: {} });
        const bastion = new ec2.SecurityGroup(fixture.stack, 'Bastion', { vpc: fixture.vpc });
        api.allowFrom(bastion, 'Bastion to the API');
        expect(ingressOf(fixture, api.securityGroup!)).toEqual(expect.arrayContaining([
          expect.objectContaining({ Description: 'Bastion to the API', SourceSecurityGroupId: groupId(bastion), FromPort: 8080 }),
        ]));
      });

      test('exposes the tasks\' security group and container port as connections', () => {
        const api = fixture.addService({ containerPort: 3000 });
        expect(api.connections.securityGroups).toEqual([api.securityGroup]);
        expect(api.connections.defaultPort?.toString()).toBe('3000');
      });
    });

    describe('validation', () => {
      test('fails when the cluster has no Service Connect namespace', () => {
        const plain = new WebServiceFixture();
        expect(() => plain.addService({ serviceConnect: {} }))
          .toThrow(exactly('[TestStack/Api] `serviceConnect` must be used in a cluster that has a `serviceConnectNamespace`, '
            + 'got: "a cluster without one (TestStack/Cluster)"'));
      });

      test('fails on a Windows strategy', () => {
        const windows = fixture.cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
        expect(() => fixture.addService({ serviceConnect: {}, capacityStrategy: [{ capacity: windows }] }))
          .toThrow(exactly('[TestStack/Api] `serviceConnect` must be unset for a Windows workload (Service Connect runs on Linux only), got: "Windows"'));
      });

      // "The Bottlerocket AMIs also don't support the following services and features: … Service Connect": the agent
      // offers the Service Connect capability only with the AppNet agent image that the Amazon Linux AMIs ship, so the
      // tasks would stay PROVISIONING. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-bottlerocket.html
      test.each([AmiFamily.BOTTLEROCKET, AmiFamily.BOTTLEROCKET_ARM64])('fails on a strategy with %s capacity, and names it', (amiFamily) => {
        const bottlerocket = fixture.cluster.addCapacity('Bottlerocket', { amiFamily });
        const name = amiFamily === AmiFamily.BOTTLEROCKET ? 'Bottlerocket aws-ecs-2 (x86_64)' : 'Bottlerocket aws-ecs-2 (arm64)';
        const strategy = [{ capacity: fixture.cluster.defaultCapacity, weight: 1 }, { capacity: bottlerocket, weight: 1 }];
        for (const [id, serviceConnect] of [['Api', {}], ['Client', { clientOnly: true }]] as const) {
          expect(() => fixture.addService({ serviceConnect, capacityStrategy: strategy }, id))
            .toThrow(exactly(`[TestStack/${id}] \`serviceConnect\` must be unset, or a \`capacityStrategy\` of capacities on Amazon Linux 2023 `
              + '(the ECS-optimized Bottlerocket AMIs do not support Service Connect: its tasks would never start there), '
              + `got: "capacity \\"Bottlerocket\\" on ${name}"`));
        }
      });

      test('fails on a cluster whose default capacity is Bottlerocket, and leaves its other services alone', () => {
        const bottlerocket = new WebServiceFixture({ amiFamily: AmiFamily.BOTTLEROCKET }, SERVICE_CONNECT);
        expect(() => bottlerocket.addService({ serviceConnect: {} })).toThrow(/`serviceConnect` must be unset, or a `capacityStrategy`/);
        expect(() => bottlerocket.addService({}, 'Plain')).not.toThrow();
      });

      test.each([{ discoveryName: 'web' }, { port: 80 }])('fails when a client-only service sets %j', (options) => {
        expect(() => fixture.addService({ serviceConnect: { clientOnly: true, ...options } }))
          .toThrow(exactly('[TestStack/Api] `serviceConnect` must be without `discoveryName` and `port` when `clientOnly` is true (a client '
            + 'publishes nothing), got: "clientOnly with a discoveryName or port"'));
      });

      test.each(['my service', '-api', 'a'.repeat(64), 'api.v2'])('fails when discoveryName is %j', (discoveryName) => {
        expect(() => fixture.addService({ serviceConnect: { discoveryName } }))
          .toThrow(exactly('[TestStack/Api] `serviceConnect.discoveryName` must be 1 to 63 letters, digits, hyphens and underscores, '
            + `starting with a letter or digit, got: ${JSON.stringify(discoveryName)}`));
      });

      test('fails when the discovery name taken from the id is not valid, naming its origin', () => {
        expect(() => fixture.addService({ serviceConnect: {} }, 'Api.V2'))
          .toThrow(exactly('[TestStack/Api.V2] `serviceConnect.discoveryName (from the id)` must be 1 to 63 letters, digits, hyphens and '
            + 'underscores, starting with a letter or digit, got: "api.v2"'));
      });

      test.each([0, 65536])('fails when port is %s', (port) => {
        expect(() => fixture.addService({ serviceConnect: { port } }))
          .toThrow(exactly(`[TestStack/Api] \`serviceConnect.port\` must be an integer between 1 and 65535, got: ${port}`));
      });

      test('fails when two services publish the same discovery name, naming the first', () => {
        fixture.addService({ serviceConnect: { discoveryName: 'api' } }, 'Api');
        expect(() => fixture.addService({ serviceConnect: { discoveryName: 'api' } }, 'ApiV2'))
          .toThrow(exactly('[TestStack/ApiV2] `serviceConnect.discoveryName` must be a name that no other service of the namespace publishes '
            + '(TestStack/Api publishes it), got: "api"'));
      });

      test('keeps the discovery name free when the service fails for another reason', () => {
        expect(() => fixture.addService({ serviceConnect: {}, routePriority: 0 }, 'Api')).toThrow(/routePriority/);
        fixture.addService({ serviceConnect: {} }, 'Api2').node.id;
        expect(() => fixture.addService({ serviceConnect: { discoveryName: 'api' } }, 'Api3')).not.toThrow();
      });
    });

    describe('cdk-nag', () => {
      test('has no AwsSolutions findings for a server and a client', () => {
        const api = fixture.addService({ serviceConnect: {} }, 'Api');
        const web = fixture.addService({ serviceConnect: { clientOnly: true } }, 'Web');
        api.allowFrom(web);
        expect(nagFindings(api)).toEqual([]);
        expect(nagFindings(web)).toEqual([]);
        expect(nagFindings(fixture.cluster)).toEqual([]);
      });
    });
  });

  describe('ECS Exec', () => {
    let fixture: WebServiceFixture;
    beforeEach(() => {
      fixture = new WebServiceFixture();
    });

    function execPolicy(service: WebService): any {
      return fixture.template().toJSON().Resources[logicalId(service.node.findChild('ExecuteCommandPolicy'))];
    }

    describe('defaults', () => {
      test('is off: no flag, no audit, no permissions, no init process', () => {
        const service = fixture.addService();
        const template = fixture.template();
        template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: Match.absent() });
        template.hasResourceProperties('AWS::ECS::Cluster', { Configuration: Match.absent() });
        expect(execKeys(fixture)).toEqual([]);
        expect(statementsOf(template, service.taskRole)).toEqual([]);
        expect(service.node.tryFindChild('ExecuteCommandPolicy')).toBeUndefined();
        template.hasResourceProperties('AWS::ECS::TaskDefinition', {
          ContainerDefinitions: [Match.objectLike({ LinuxParameters: Match.absent(), ReadonlyRootFilesystem: true })],
        });
        expect(fixture.cluster.executeCommandLogGroup).toBeUndefined();
        expect(fixture.cluster.executeCommandKey).toBeUndefined();
      });
    });

    describe('configuration', () => {
      test('turns ECS Exec on for the service, after its permissions exist', () => {
        const service = fixture.addService({ enableExecuteCommand: true });
        const resource = ecsService(fixture, service);
        expect(resource.Properties.EnableExecuteCommand).toBe(true);
        expect(resource.DependsOn).toEqual(expect.arrayContaining([logicalId(service.node.findChild('ExecuteCommandPolicy'))]));
      });

      test('grants the task role exactly the SSM channels, the audit log group and the session key, in a policy of its own', () => {
        const service = fixture.addService({ enableExecuteCommand: true });
        const logGroup = fixture.cluster.executeCommandLogGroup!;
        const key = fixture.cluster.executeCommandKey!;
        const policy = execPolicy(service);
        expect(policy.Properties.Roles).toEqual([{ Ref: logicalId(service.taskRole) }]);
        expect(policy.Properties.PolicyDocument.Statement).toEqual([
          { Effect: 'Allow', Action: EXEC_CHANNEL_ACTIONS, Resource: '*' },
          { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], Resource: getAttArn(logGroup) },
          { Effect: 'Allow', Action: 'kms:Decrypt', Resource: getAttArn(key) },
        ]);
        expect(statementsOf(fixture.template(), service.executionRole)).toEqual([
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAttArn(service.logGroup) },
        ]);
      });

      test('logs and encrypts the cluster\'s sessions with its exec audit log group and key', () => {
        fixture.addService({ enableExecuteCommand: true });
        fixture.template().hasResourceProperties('AWS::ECS::Cluster', {
          Configuration: {
            ExecuteCommandConfiguration: {
              KmsKeyId: getAttArn(fixture.cluster.executeCommandKey!),
              Logging: 'OVERRIDE',
              LogConfiguration: {
                CloudWatchLogGroupName: { Ref: logicalId(fixture.cluster.executeCommandLogGroup!) },
                CloudWatchEncryptionEnabled: true,
              },
            },
          },
        });
      });

      test('runs an init process and makes the root filesystems writable, as the SSM agent needs', () => {
        fixture.addService({
          enableExecuteCommand: true,
          sidecars: [{ name: 'proxy', image: ecs.ContainerImage.fromRegistry('public.ecr.aws/envoy:v1'), memoryLimitMiB: 64 }],
        });
        const [app, sidecar] = onlyProperties(fixture.template(), 'AWS::ECS::TaskDefinition').ContainerDefinitions;
        expect(app).toMatchObject({ LinuxParameters: { InitProcessEnabled: true }, ReadonlyRootFilesystem: false });
        expect(sidecar).toMatchObject({ ReadonlyRootFilesystem: false });
        expect(sidecar.LinuxParameters).toBeUndefined();
      });

      test('runs no init process on Windows', () => {
        const windows = fixture.cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
        fixture.addService({ enableExecuteCommand: true, capacityStrategy: [{ capacity: windows }] });
        fixture.template().hasResourceProperties('AWS::ECS::TaskDefinition', {
          ContainerDefinitions: [Match.objectLike({ LinuxParameters: Match.absent(), ReadonlyRootFilesystem: false })],
        });
      });

      test('creates one audit log group and key per cluster, shared by its services', () => {
        const api = fixture.addService({ enableExecuteCommand: true }, 'Api');
        const web = fixture.addService({ enableExecuteCommand: true }, 'Web');
        const template = fixture.template();
        expect(execKeys(fixture)).toEqual([logicalId(fixture.cluster.executeCommandKey!)]);
        expect(Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { KmsKeyId: Match.anyValue() } }))).toHaveLength(1);
        const logGroupArn = getAttArn(fixture.cluster.executeCommandLogGroup!);
        for (const service of [api, web]) {
          expect(execPolicy(service).Properties.PolicyDocument.Statement[2].Resource).toEqual(logGroupArn);
        }
      });

      test('warns that ECS Exec is on', () => {
        fixture.addService({ enableExecuteCommand: true });
        expect(fixture.warnings()).toEqual(['/TestStack/Api: ECS Exec is on: whoever may call ecs:ExecuteCommand on these tasks can run commands '
          + 'in their containers, and the root filesystem is writable; sessions are logged to the cluster\'s encrypted exec audit log group']);
      });
    });

    describe('validation', () => {
      test('fails when readonlyRootFilesystem is true', () => {
        expect(() => fixture.addService({ enableExecuteCommand: true, readonlyRootFilesystem: true }))
          .toThrow(exactly('[TestStack/Api] `readonlyRootFilesystem` must be false with `enableExecuteCommand` (the SSM agent of ECS Exec writes '
            + 'to the container\'s filesystem; give the application `scratchVolumes` instead), got: true'));
      });

      test('adds nothing to the cluster when the service fails', () => {
        expect(() => fixture.addService({ enableExecuteCommand: true, readonlyRootFilesystem: true })).toThrow();
        expect(fixture.cluster.executeCommandKey).toBeUndefined();
        expect(execKeys(fixture)).toEqual([]);
      });
    });

    describe('cdk-nag', () => {
      test('has no AwsSolutions findings, the cluster\'s audit included', () => {
        const service = fixture.addService({ enableExecuteCommand: true });
        expect(nagFindings(service)).toEqual([]);
        expect(nagFindings(fixture.cluster)).toEqual([]);
      });

      test('still reports wildcards that the application grants its task role', () => {
        const service = fixture.addService({ enableExecuteCommand: true });
        service.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
        expect(nagFindings(service)).toEqual([
          { rule: 'AwsSolutions-IAM5[Resource::*]', path: 'TestStack/Api/Roles/TaskRole/DefaultPolicy/Resource' },
        ]);
      });
    });
  });

  describe('bridge mode', () => {
    let fixture: WebServiceFixture;
    beforeEach(() => {
      fixture = new WebServiceFixture();
    });

    const BRIDGE: Partial<WebServiceOptions> = { networkMode: ServiceNetworkMode.BRIDGE };

    describe('defaults', () => {
      test('uses awsvpc with an IP target group and a security group of its own', () => {
        const service = fixture.addService();
        const template = fixture.template();
        template.hasResourceProperties('AWS::ECS::TaskDefinition', { NetworkMode: 'awsvpc' });
        template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'ip' });
        expect(service.securityGroup).toBeDefined();
        expect(ingressOf(fixture, fixture.cluster.defaultCapacity.securityGroup)).toEqual([]);
      });
    });

    describe('configuration', () => {
      test('runs bridge-mode tasks on dynamic host ports behind an instance target group', () => {
        const service = fixture.addService(BRIDGE);
        const template = fixture.template();
        template.hasResourceProperties('AWS::ECS::TaskDefinition', {
          NetworkMode: 'bridge',
          ContainerDefinitions: [Match.objectLike({ PortMappings: [{ ContainerPort: 8080, HostPort: 0, Protocol: 'tcp' }] })],
        });
        template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'instance', Port: 8080 });
        template.hasResourceProperties('AWS::ECS::Service', {
          NetworkConfiguration: Match.absent(),
          LoadBalancers: [{ ContainerName: 'app', ContainerPort: 8080, TargetGroupArn: { Ref: logicalId(service.targetGroup) } }],
        });
      });

      test('has no security group of its own and uses the instances\' security groups and ephemeral ports as connections', () => {
        const service = fixture.addService(BRIDGE);
        expect(service.securityGroup).toBeUndefined();
        expect(service.node.tryFindChild('SecurityGroup')).toBeUndefined();
        expect(service.connections.securityGroups).toEqual([fixture.cluster.defaultCapacity.securityGroup]);
        expect(service.connections.defaultPort?.toString()).toBe('32768-65535');
        fixture.template().resourceCountIs('AWS::EC2::SecurityGroup', 2); // the load balancer's and the capacity's
      });

      test('admits the load balancer to the capacity\'s instances on the ephemeral port range only', () => {
        fixture.addService(BRIDGE);
        const capacityGroup = fixture.cluster.defaultCapacity.securityGroup;
        expect(ingressOf(fixture, capacityGroup)).toEqual([{
          Description: 'Load balancer to bridge-mode tasks on dynamic host ports',
          IpProtocol: 'tcp',
          FromPort: 32768,
          ToPort: 65535,
          GroupId: groupId(capacityGroup),
          SourceSecurityGroupId: groupId(fixture.loadBalancer.securityGroup),
        }]);
        fixture.template().hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
          GroupId: groupId(fixture.loadBalancer.securityGroup),
          DestinationSecurityGroupId: groupId(capacityGroup),
          IpProtocol: 'tcp',
          FromPort: 32768,
          ToPort: 65535,
        });
      });

      test('adds the rule once for two bridge-mode services on one capacity', () => {
        fixture.addService(BRIDGE, 'Api');
        fixture.addService(BRIDGE, 'Web');
        expect(ingressOf(fixture, fixture.cluster.defaultCapacity.securityGroup)).toHaveLength(1);
      });

      test('admits the load balancer on every capacity of the strategy', () => {
        const spot = fixture.cluster.addCapacity('Spot', { spot: {} });
        fixture.addService({ ...BRIDGE, capacityStrategy: [{ capacity: fixture.cluster.defaultCapacity }, { capacity: spot }] });
        for (const capacity of [fixture.cluster.defaultCapacity, spot]) {
          expect(ingressOf(fixture, capacity.securityGroup)).toEqual([
            expect.objectContaining({ FromPort: 32768, ToPort: 65535, SourceSecurityGroupId: groupId(fixture.loadBalancer.securityGroup) }),
          ]);
        }
      });

      test('counts no network interfaces for bridge-mode tasks in the capacity check', () => {
        const awsvpc = new WebServiceFixture();
        awsvpc.addService({ maxCapacity: 30 });
        expect(awsvpc.warnings()).toEqual([expect.stringMatching(/limited by task ENIs/)]);
        fixture.addService({ ...BRIDGE, maxCapacity: 30 });
        expect(fixture.warnings()).toEqual([]);
      });
    });

    describe('validation', () => {
      test('fails on a Windows strategy', () => {
        const windows = fixture.cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
        expect(() => fixture.addService({ ...BRIDGE, capacityStrategy: [{ capacity: windows }] }))
          .toThrow(exactly('[TestStack/Api] `networkMode` must be ServiceNetworkMode.AWS_VPC for a Windows workload (Windows tasks have no bridge '
            + 'network mode), got: "BRIDGE"'));
      });
    });

    describe('cdk-nag', () => {
      test('has no AwsSolutions findings, the capacity included', () => {
        const service = fixture.addService(BRIDGE);
        expect(nagFindings(service)).toEqual([]);
        expect(nagFindings(fixture.cluster)).toEqual([]);
      });
    });
  });
});
