import { App, CfnElement, CfnParameter, Duration, NestedStack, Size, Stack, Validations } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  amazonLinuxInstanceLogLines, capacityFixture, ecsConfigLines, instanceLogGroupText, onlyLogicalId, tokenText, userDataScript,
} from './ec2-capacity.fixtures';
import { AmiFamily, AmiResolution, Ec2Capacity, Ec2CapacityProps, OpsTopic } from '../../src';
import { SHELL_PROLOGUE } from '../../src/cluster/private/container-instance-user-data';
import { nagFindings, testStack, testVpc } from '../util';

const ECS_AMI_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';

/** Instance types for the mixed-instances tests, all x86_64. */
/** x86_64 instance types the facts table knows (an unknown one is an error), at least 40. */
const X86_TYPES = ['m5', 'm6i', 'm7i', 'c6i', 'r6i']
  .flatMap((family) => ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'].map((size) => `${family}.${size}`))
  .concat(['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'].map((size) => `t3.${size}`))
  .filter((name) => name !== 'm6i.large'); // the default instanceType

function instanceTypes(...names: string[]): ec2.InstanceType[] {
  return names.map((name) => new ec2.InstanceType(name));
}

describe('Ec2Capacity', () => {
  let stack: Stack;
  let vpc: ec2.Vpc;
  let cluster: ecs.Cluster;
  beforeEach(() => {
    ({ stack, vpc, cluster } = capacityFixture());
  });

  function capacity(props: Partial<Ec2CapacityProps> = {}): Ec2Capacity {
    return new Ec2Capacity(stack, 'Capacity', { cluster, ...props });
  }

  function clusterArn(): unknown {
    return { 'Fn::GetAtt': [stack.getLogicalId(cluster.node.defaultChild as ecs.CfnCluster), 'Arn'] };
  }

  describe('defaults', () => {
    test('creates exactly one Auto Scaling group, launch template and capacity provider', () => {
      capacity();
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 1);
      template.resourceCountIs('AWS::EC2::LaunchTemplate', 1);
      template.resourceCountIs('AWS::ECS::CapacityProvider', 1);
    });

    test('launches m6i.large instances', () => {
      const cap = capacity();
      expect(cap.instanceType.toString()).toEqual('m6i.large');
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ InstanceType: 'm6i.large' }),
      });
    });

    test('runs 2 to 10 instances and sets no desired capacity', () => {
      const cap = capacity();
      expect(cap.maxCapacity).toEqual(10);
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MinSize: '2',
        MaxSize: '10',
        DesiredCapacity: Match.absent(),
      });
    });

    test('uses an encrypted 30 GiB gp3 root volume on /dev/xvda', () => {
      capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          BlockDeviceMappings: [{
            DeviceName: '/dev/xvda',
            Ebs: { DeleteOnTermination: true, Encrypted: true, VolumeSize: 30, VolumeType: 'gp3' },
          }],
        }),
      });
    });

    test('requires IMDSv2 with a hop limit of 1', () => {
      capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        }),
      });
    });

    test('assigns no public IP and joins only its own security group', () => {
      const cap = capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          NetworkInterfaces: [Match.objectLike({
            AssociatePublicIpAddress: false,
            DeviceIndex: 0,
            Groups: [stack.resolve(cap.securityGroup.securityGroupId)],
          })],
        }),
      });
    });

    test('enables detailed monitoring', () => {
      capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ Monitoring: { Enabled: true } }),
      });
    });

    test('reads the ECS-optimized Amazon Linux 2023 AMI from its public SSM parameter at deploy time', () => {
      capacity();
      const template = Template.fromStack(stack);
      const parameters = template.findParameters('*', {
        Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
        Default: ECS_AMI_PARAMETER,
      });
      const names = Object.keys(parameters);
      expect(names).toHaveLength(1);
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ ImageId: { Ref: names[0] } }),
      });
    });

    test('launches the instances in the private subnets', () => {
      capacity();
      const subnets = vpc.privateSubnets.map((subnet) => stack.resolve(subnet.subnetId));
      expect(subnets).toHaveLength(2);
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        VPCZoneIdentifier: subnets,
      });
    });

    test('uses the launch template for the Auto Scaling group', () => {
      const cap = capacity();
      const launchTemplateId = stack.resolve(cap.launchTemplate.launchTemplateId);
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        LaunchTemplate: Match.objectLike({ LaunchTemplateId: launchTemplateId }),
      });
    });

    test('checks instance health with EC2 status checks after a 5-minute grace period', () => {
      capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        HealthCheckType: 'EC2',
        HealthCheckGracePeriod: 300,
      });
    });

    test('enables managed scaling at 100 %, managed draining, and no managed termination protection', () => {
      capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: {
          AutoScalingGroupArn: Match.anyValue(),
          ManagedScaling: { Status: 'ENABLED', TargetCapacity: 100 },
          ManagedTerminationProtection: 'DISABLED',
          ManagedDraining: 'ENABLED',
        },
      });
    });

    test('backs the capacity provider with its Auto Scaling group', () => {
      const cap = capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: Match.objectLike({
          AutoScalingGroupArn: stack.resolve(cap.autoScalingGroup.autoScalingGroupName),
        }),
      });
    });

    test('registers the capacity provider with the cluster', () => {
      const cap = capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        Cluster: stack.resolve(cluster.clusterName),
        CapacityProviders: [stack.resolve(cap.capacityProviderName)],
      });
    });

    test('names its capacity provider with a reference to it', () => {
      const cap = capacity();
      const provider = Object.keys(Template.fromStack(stack).findResources('AWS::ECS::CapacityProvider'));
      expect(stack.resolve(cap.capacityProviderName)).toEqual({ Ref: provider[0] });
    });

    test('sends launch and terminate notifications, and their failures, to a new OpsTopic', () => {
      const cap = capacity();
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.resourceCountIs('AWS::KMS::Key', 1);
      const topic = (cap.node.findChild('Notifications') as OpsTopic).topic;
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        NotificationConfigurations: [{
          TopicARN: stack.resolve(topic.topicArn),
          NotificationTypes: [
            'autoscaling:EC2_INSTANCE_LAUNCH',
            'autoscaling:EC2_INSTANCE_LAUNCH_ERROR',
            'autoscaling:EC2_INSTANCE_TERMINATE',
            'autoscaling:EC2_INSTANCE_TERMINATE_ERROR',
          ],
        }],
      });
    });

    test('exposes its resolved defaults as properties', () => {
      const cap = capacity();
      expect(cap.amiFamily).toEqual(AmiFamily.AMAZON_LINUX_2023);
      expect(cap.amiResolution).toEqual(AmiResolution.DEPLOY_TIME);
      expect(cap.instanceTypes.map(String)).toEqual(['m6i.large']);
      expect(cap.usesSpot).toBe(false);
      expect(cap.managedTerminationProtection).toBe(false);
      expect(cap.reservedMemoryMiB).toEqual(0);
      expect(cap.osType).toEqual('linux');
    });

    test('buys on-demand instances only, with no mixed-instances policy', () => {
      capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MixedInstancesPolicy: Match.absent(),
        CapacityRebalance: Match.absent(),
      });
    });
  });

  describe('user data', () => {
    test('renders the whole agent configuration in one sorted heredoc that joins the cluster, then ships the instance logs', () => {
      const cap = capacity();
      const script = userDataScript(Template.fromStack(stack));
      expect(script).toEqual([
        ...SHELL_PROLOGUE,
        "cat <<'EOF' >> /etc/ecs/ecs.config",
        'ECS_AWSVPC_BLOCK_IMDS=true',
        `ECS_CLUSTER=${tokenText(stack, cluster.clusterName)}`,
        'ECS_DISABLE_PRIVILEGED=true',
        'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true',
        'ECS_ENABLE_TASK_IAM_ROLE=true',
        'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false',
        'EOF',
        ...amazonLinuxInstanceLogLines(instanceLogGroupText(stack, cap)),
      ].join('\n'));
    });

    test('configures the agent to block IMDS for awsvpc tasks, refuse privileged containers and enable task roles', () => {
      capacity();
      const lines = ecsConfigLines(userDataScript(Template.fromStack(stack)));
      expect(lines).toEqual(expect.arrayContaining([
        'ECS_AWSVPC_BLOCK_IMDS=true',
        'ECS_DISABLE_PRIVILEGED=true',
        'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true',
        'ECS_ENABLE_TASK_IAM_ROLE=true',
        'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false',
      ]));
    });

    test('writes ECS_CLUSTER exactly once', () => {
      capacity();
      const script = userDataScript(Template.fromStack(stack));
      expect(script.match(/ECS_CLUSTER=/g)).toHaveLength(1);
    });

    test('writes no line of its own for aws-cdk-lib\'s addAsgCapacityProvider (no echo, no iptables)', () => {
      capacity();
      const script = userDataScript(Template.fromStack(stack));
      expect(script.split('\n').slice(SHELL_PROLOGUE.length).join('\n')).not.toMatch(/echo |iptables/);
    });

    test('runs commands added to the Auto Scaling group after the agent configuration and the instance log shipping', () => {
      const cap = capacity();
      cap.autoScalingGroup.addUserData('echo hello');
      const script = userDataScript(Template.fromStack(stack));
      expect(script.endsWith('amazon-cloudwatch-agent.json\necho hello')).toBe(true);
    });

    test('runs commands added to the Auto Scaling group right after the agent configuration without instance logs', () => {
      const cap = capacity({ instanceLogs: false });
      cap.autoScalingGroup.addUserData('echo hello');
      const script = userDataScript(Template.fromStack(stack));
      expect(script.endsWith('\nEOF\necho hello')).toBe(true);
    });

    test.each<[string, (userData: ec2.UserData) => unknown, RegExp]>([
      ['on-exit commands', (userData) => userData.addOnExitCommands('echo bye'), /has no on-exit commands/],
      ['file executions', (userData) => userData.addExecuteFileCommand({ filePath: '/opt/setup.sh' }), /cannot execute files/],
      ['S3 downloads', (userData) => userData.addS3DownloadCommand({ bucket: {} as never, bucketKey: 'k' }), /use `agentSettings.configFile`/],
      ['CloudFormation signals', (userData) => userData.addSignalOnExitCommand({} as never), /sends no CloudFormation signals/],
    ])('refuses %s in the user data', (_, add, message) => {
      const cap = capacity();
      expect(() => add(cap.launchTemplate.userData!)).toThrow(message);
    });
  });

  describe('configuration', () => {
    test('uses the provided instance type', () => {
      const cap = capacity({ instanceType: new ec2.InstanceType('c6i.xlarge') });
      expect(cap.instanceType.toString()).toEqual('c6i.xlarge');
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ InstanceType: 'c6i.xlarge' }),
      });
    });

    test('accepts an x86_64 instance type that is not in the facts table, declared in newInstanceTypes', () => {
      const instanceType = new ec2.InstanceType('x2idn.16xlarge');
      capacity({ instanceType, newInstanceTypes: [{ instanceType, vcpus: 64, memory: Size.gibibytes(1024), maxNetworkInterfaces: 15 }] });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ InstanceType: 'x2idn.16xlarge' }),
      });
    });

    test('accepts an instance type token without checking its architecture', () => {
      const parameter = new CfnParameter(stack, 'InstanceType', { default: 'm7g.large' });
      capacity({ instanceType: new ec2.InstanceType(parameter.valueAsString) });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ InstanceType: { Ref: 'InstanceType' } }),
      });
    });

    test('uses the provided minimum and maximum capacity', () => {
      const cap = capacity({ minCapacity: 0, maxCapacity: 20 });
      expect(cap.maxCapacity).toEqual(20);
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MinSize: '0',
        MaxSize: '20',
      });
    });

    test('uses the provided desired capacity', () => {
      capacity({ desiredCapacity: 3 });
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        DesiredCapacity: '3',
      });
    });

    test('uses the provided root volume size', () => {
      capacity({ rootVolumeSize: Size.gibibytes(100) });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 100, Encrypted: true }) })],
        }),
      });
    });

    test('uses the provided target capacity percent', () => {
      capacity({ targetCapacityPercent: 80 });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: Match.objectLike({
          ManagedScaling: { Status: 'ENABLED', TargetCapacity: 80 },
        }),
      });
    });

    test('uses the provided subnets', () => {
      capacity({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        VPCZoneIdentifier: vpc.publicSubnets.map((subnet) => stack.resolve(subnet.subnetId)),
      });
    });

    test('sends notifications to the provided topic and creates no OpsTopic', () => {
      const topic = new sns.Topic(stack, 'Topic');
      capacity({ notificationsTopic: topic });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        NotificationConfigurations: [Match.objectLike({ TopicARN: stack.resolve(topic.topicArn) })],
      });
    });

    test.each<[string, Partial<Ec2CapacityProps>]>([
      ['minCapacity 0', { minCapacity: 0 }],
      ['minCapacity 1000', { minCapacity: 1000, maxCapacity: 1000 }],
      ['maxCapacity 1', { minCapacity: 1, maxCapacity: 1 }],
      ['maxCapacity 1000', { maxCapacity: 1000 }],
      ['desiredCapacity equal to minCapacity', { desiredCapacity: 2 }],
      ['desiredCapacity equal to maxCapacity', { desiredCapacity: 10 }],
      ['rootVolumeSize 30 GiB', { rootVolumeSize: Size.gibibytes(30) }],
      ['rootVolumeSize 16 TiB', { rootVolumeSize: Size.tebibytes(16) }],
      ['targetCapacityPercent 1', { targetCapacityPercent: 1 }],
      ['targetCapacityPercent 100', { targetCapacityPercent: 100 }],
    ])('accepts %s', (_, props) => {
      expect(() => capacity(props)).not.toThrow();
    });
  });

  describe('mixed instances and Spot', () => {
    test('uses a mixed-instances policy of on-demand instances in order of preference with additional instance types', () => {
      const cap = capacity({ additionalInstanceTypes: instanceTypes('m5.large', 'c6i.large') });
      expect(cap.instanceTypes.map(String)).toEqual(['m6i.large', 'm5.large', 'c6i.large']);
      expect(cap.usesSpot).toBe(false);
      const template = Template.fromStack(stack);
      const launchTemplate = onlyLogicalId(template, 'AWS::EC2::LaunchTemplate');
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        LaunchTemplate: Match.absent(),
        CapacityRebalance: Match.absent(),
        MixedInstancesPolicy: {
          InstancesDistribution: {
            OnDemandAllocationStrategy: 'prioritized',
            OnDemandPercentageAboveBaseCapacity: 100,
          },
          LaunchTemplate: {
            LaunchTemplateSpecification: {
              LaunchTemplateId: { Ref: launchTemplate },
              Version: { 'Fn::GetAtt': [launchTemplate, 'LatestVersionNumber'] },
            },
            Overrides: [{ InstanceType: 'm6i.large' }, { InstanceType: 'm5.large' }, { InstanceType: 'c6i.large' }],
          },
        },
      });
    });

    test('does not turn Spot instance draining on without Spot', () => {
      capacity({ additionalInstanceTypes: instanceTypes('m5.large') });
      expect(userDataScript(Template.fromStack(stack))).not.toContain('ECS_ENABLE_SPOT_INSTANCE_DRAINING');
    });

    test('encrypts every volume of the launch template that the mixed-instances policy uses', () => {
      capacity({ additionalInstanceTypes: instanceTypes('m5.large'), spot: {} });
      const launchTemplate = Object.values(Template.fromStack(stack).findResources('AWS::EC2::LaunchTemplate'))[0];
      const mappings = launchTemplate.Properties.LaunchTemplateData.BlockDeviceMappings as { Ebs: { Encrypted: boolean } }[];
      expect(mappings.length).toBeGreaterThan(0);
      expect(mappings.every((mapping) => mapping.Ebs.Encrypted === true)).toBe(true);
    });

    test('buys every instance above no on-demand base as Spot, price-capacity-optimized, with capacity rebalancing', () => {
      const cap = capacity({ spot: {} });
      expect(cap.usesSpot).toBe(true);
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        LaunchTemplate: Match.absent(),
        CapacityRebalance: true,
        MixedInstancesPolicy: {
          InstancesDistribution: {
            OnDemandAllocationStrategy: 'prioritized',
            OnDemandBaseCapacity: 0,
            OnDemandPercentageAboveBaseCapacity: 0,
            SpotAllocationStrategy: 'price-capacity-optimized',
          },
          LaunchTemplate: Match.objectLike({ Overrides: [{ InstanceType: 'm6i.large' }] }),
        },
      });
    });

    test('turns Spot instance draining on in the agent configuration with Spot', () => {
      capacity({ spot: {} });
      expect(ecsConfigLines(userDataScript(Template.fromStack(stack)))).toContain('ECS_ENABLE_SPOT_INSTANCE_DRAINING=true');
    });

    test('uses the provided Spot options', () => {
      capacity({
        additionalInstanceTypes: instanceTypes('m5.large', 'c6i.large'),
        spot: {
          onDemandBaseCapacity: 1,
          onDemandPercentageAboveBaseCapacity: 25,
          allocationStrategy: autoscaling.SpotAllocationStrategy.CAPACITY_OPTIMIZED,
        },
      });
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        CapacityRebalance: true,
        MixedInstancesPolicy: {
          InstancesDistribution: {
            OnDemandAllocationStrategy: 'prioritized',
            OnDemandBaseCapacity: 1,
            OnDemandPercentageAboveBaseCapacity: 25,
            SpotAllocationStrategy: 'capacity-optimized',
          },
          LaunchTemplate: Match.objectLike({
            Overrides: [{ InstanceType: 'm6i.large' }, { InstanceType: 'm5.large' }, { InstanceType: 'c6i.large' }],
          }),
        },
      });
    });

    test.each<[string, boolean, Partial<Ec2CapacityProps>]>([
      ['on-demand only', false, {}],
      ['Spot', true, { spot: {} }],
      ['Spot and spotInstanceDraining false', false, { spot: {}, agentSettings: { spotInstanceDraining: false } }],
      ['on-demand and spotInstanceDraining true', true, { agentSettings: { spotInstanceDraining: true } }],
    ])('with %s, writes the Spot draining line: %s', (_, drains, props) => {
      capacity(props);
      const lines = ecsConfigLines(userDataScript(Template.fromStack(stack)));
      expect(lines.includes('ECS_ENABLE_SPOT_INSTANCE_DRAINING=true')).toBe(drains);
      expect(lines.filter((line) => line.startsWith('ECS_ENABLE_SPOT_INSTANCE_DRAINING='))).toHaveLength(drains ? 1 : 0);
    });

    test.each<[string, Partial<Ec2CapacityProps>]>([
      ['39 additional instance types', { additionalInstanceTypes: instanceTypes(...X86_TYPES.slice(0, 39)) }],
      ['onDemandPercentageAboveBaseCapacity 0', { spot: { onDemandPercentageAboveBaseCapacity: 0 } }],
      ['onDemandPercentageAboveBaseCapacity 99', { spot: { onDemandPercentageAboveBaseCapacity: 99 } }],
      ['onDemandBaseCapacity 1000', { spot: { onDemandBaseCapacity: 1000 } }],
    ])('accepts %s', (_, props) => {
      expect(() => capacity(props)).not.toThrow();
    });

    test('fails when onDemandPercentageAboveBaseCapacity is 100', () => {
      expect(() => capacity({ spot: { onDemandPercentageAboveBaseCapacity: 100 } })).toThrow(
        '[TestStack/Capacity] `spot.onDemandPercentageAboveBaseCapacity` must be an integer between 0 and 99 ' +
        '(100 launches no Spot instance: leave `spot` unset for on-demand only), got: 100',
      );
    });

    test.each([-1, 101, 12.5])('fails when onDemandPercentageAboveBaseCapacity is %s', (onDemandPercentageAboveBaseCapacity) => {
      expect(() => capacity({ spot: { onDemandPercentageAboveBaseCapacity } })).toThrow(
        `[TestStack/Capacity] \`spot.onDemandPercentageAboveBaseCapacity\` must be an integer between 0 and 99, got: ${onDemandPercentageAboveBaseCapacity}`,
      );
    });

    test.each([-1, 1001, 0.5])('fails when onDemandBaseCapacity is %s', (onDemandBaseCapacity) => {
      expect(() => capacity({ spot: { onDemandBaseCapacity } })).toThrow(
        `[TestStack/Capacity] \`spot.onDemandBaseCapacity\` must be an integer between 0 and 1000, got: ${onDemandBaseCapacity}`,
      );
    });

    test.each<[string, string[], string]>([
      ['instanceType is repeated', ['m5.large', 'm6i.large'], 'm6i.large'],
      ['an additional instance type is repeated', ['m5.large', 'c6i.large', 'm5.large'], 'm5.large'],
    ])('fails when %s', (_, additional, duplicate) => {
      expect(() => capacity({ additionalInstanceTypes: instanceTypes(...additional) })).toThrow(
        `[TestStack/Capacity] \`additionalInstanceTypes\` must be instance types that appear once (with \`instanceType\`), got: "${duplicate}"`,
      );
    });

    test('fails with more than 39 additional instance types', () => {
      expect(() => capacity({ additionalInstanceTypes: instanceTypes(...X86_TYPES.slice(0, 40)) })).toThrow(
        '[TestStack/Capacity] `additionalInstanceTypes` must be at most 39 instance types, got: "40 instance types"',
      );
    });
  });

  describe('managed scaling', () => {
    test('aims at 100 % with steps of 1 to 10000 instances and a 300-second warm-up by default', () => {
      capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: Match.objectLike({
          ManagedScaling: {
            Status: 'ENABLED',
            TargetCapacity: 100,
            MinimumScalingStepSize: 1,
            MaximumScalingStepSize: 10000,
            InstanceWarmupPeriod: 300,
          },
        }),
      });
    });

    test('uses the provided target, step sizes and warm-up period', () => {
      capacity({
        targetCapacityPercent: 80,
        minimumScalingStepSize: 2,
        maximumScalingStepSize: 20,
        instanceWarmupPeriod: Duration.minutes(2),
      });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: Match.objectLike({
          ManagedScaling: {
            Status: 'ENABLED',
            TargetCapacity: 80,
            MinimumScalingStepSize: 2,
            MaximumScalingStepSize: 20,
            InstanceWarmupPeriod: 120,
          },
        }),
      });
    });

    test('turns managed draining on', () => {
      capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: Match.objectLike({ ManagedDraining: 'ENABLED' }),
      });
    });

    test.each<[string, Partial<Ec2CapacityProps>]>([
      ['equal step sizes', { minimumScalingStepSize: 5, maximumScalingStepSize: 5 }],
      ['step sizes 1 and 10000', { minimumScalingStepSize: 1, maximumScalingStepSize: 10000 }],
      ['instanceWarmupPeriod 0', { instanceWarmupPeriod: Duration.seconds(0) }],
      ['instanceWarmupPeriod 10000 s', { instanceWarmupPeriod: Duration.seconds(10000) }],
    ])('accepts %s', (_, props) => {
      expect(() => capacity(props)).not.toThrow();
    });

    test.each<[string, Partial<Ec2CapacityProps>, string]>([
      ['minimumScalingStepSize is 0', { minimumScalingStepSize: 0 }, '`minimumScalingStepSize` must be an integer between 1 and 10000, got: 0'],
      ['minimumScalingStepSize is 10001', { minimumScalingStepSize: 10001 }, '`minimumScalingStepSize` must be an integer between 1 and 10000, got: 10001'],
      ['maximumScalingStepSize is 0', { maximumScalingStepSize: 0 }, '`maximumScalingStepSize` must be an integer between 1 and 10000, got: 0'],
      ['maximumScalingStepSize is 10001', { maximumScalingStepSize: 10001 }, '`maximumScalingStepSize` must be an integer between 1 and 10000, got: 10001'],
      ['maximumScalingStepSize is 2.5', { maximumScalingStepSize: 2.5 }, '`maximumScalingStepSize` must be an integer between 1 and 10000, got: 2.5'],
      ['minimumScalingStepSize is greater than maximumScalingStepSize', { minimumScalingStepSize: 5, maximumScalingStepSize: 4 },
        '`maximumScalingStepSize` must be at least `minimumScalingStepSize` (5), got: 4'],
      ['instanceWarmupPeriod is 10001 s', { instanceWarmupPeriod: Duration.seconds(10001) }, '`instanceWarmupPeriod` must be an integer between 0 and 10000, got: 10001'],
      ['instanceWarmupPeriod is 1.5 s', { instanceWarmupPeriod: Duration.millis(1500) }, '`instanceWarmupPeriod` must be an integer between 0 and 10000, got: 1.5'],
    ])('fails when %s', (_, props, message) => {
      expect(() => capacity(props)).toThrow(`[TestStack/Capacity] ${message}`);
    });
  });

  describe('rolling update', () => {
    test('replaces one instance at a time, keeping none in service, when the sizes are deploy-time values', () => {
      const maxCapacity = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
      capacity({ minCapacity: 0, maxCapacity });
      const groups = Object.values(Template.fromStack(stack).findResources('AWS::AutoScaling::AutoScalingGroup'));
      expect(groups[0].UpdatePolicy.AutoScalingRollingUpdate).toEqual(expect.objectContaining({
        MaxBatchSize: 1,
        MinInstancesInService: 0,
        PauseTime: 'PT3M',
      }));
    });

    test.each<[number, number, number, number]>([
      // minCapacity, maxCapacity, MaxBatchSize = max(1, floor(max / 4)), MinInstancesInService = min(min, max - 1)
      [2, 10, 2, 2],
      [0, 1, 1, 0],
      [1, 1, 1, 0],
      [4, 4, 1, 3],
      [0, 3, 1, 0],
      [3, 7, 1, 3],
      [2, 8, 2, 2],
      [10, 20, 5, 10],
      [20, 20, 5, 19],
      [1000, 1000, 250, 999],
    ])('with min %s and max %s, replaces %s instances at a time and keeps %s in service', (minCapacity, maxCapacity, batch, inService) => {
      capacity({ minCapacity, maxCapacity });
      Template.fromStack(stack).hasResource('AWS::AutoScaling::AutoScalingGroup', {
        UpdatePolicy: Match.objectLike({
          AutoScalingRollingUpdate: Match.objectLike({
            MaxBatchSize: batch,
            MinInstancesInService: inService,
            PauseTime: 'PT3M',
          }),
        }),
      });
    });

    test('uses the default capacity (2 to 10) for the rolling update', () => {
      capacity();
      Template.fromStack(stack).hasResource('AWS::AutoScaling::AutoScalingGroup', {
        UpdatePolicy: Match.objectLike({
          AutoScalingRollingUpdate: Match.objectLike({ MaxBatchSize: 2, MinInstancesInService: 2, PauseTime: 'PT3M' }),
        }),
      });
    });
  });

  describe('managed termination protection', () => {
    test('is off by default: no scale-in protection', () => {
      capacity();
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: Match.objectLike({ ManagedTerminationProtection: 'DISABLED' }),
      });
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { NewInstancesProtectedFromScaleIn: Match.absent() });
      template.resourceCountIs('AWS::Lambda::Function', 0);
    });

    test('accepts false', () => {
      expect(capacity({ managedTerminationProtection: false }).managedTerminationProtection).toBe(false);
    });

    test('fails when on: the rolling update cannot replace instances protected from scale-in', () => {
      expect(() => capacity({ managedTerminationProtection: true })).toThrow(
        '[TestStack/Capacity] `managedTerminationProtection` must be false or left unset: the rolling update that replaces the ' +
        'instances when the launch template changes cannot terminate instances protected from scale-in, so it stalls and rolls ' +
        'back (managed draining already moves tasks off an instance before it is terminated), got: true',
      );
    });
  });

  describe('capacity provider name', () => {
    function providerName(): unknown {
      const providers = Object.values(Template.fromStack(stack).findResources('AWS::ECS::CapacityProvider'));
      expect(providers).toHaveLength(1);
      return providers[0].Properties.Name;
    }

    test('names the capacity provider after the stack and the construct path', () => {
      capacity();
      expect(providerName()).toMatch(/^TestStack-Capacity-[0-9A-F]{8}$/);
    });

    test('gives the same name on every synth', () => {
      capacity();
      const first = providerName();
      ({ stack, vpc, cluster } = capacityFixture());
      capacity();
      expect(providerName()).toEqual(first);
    });

    test.each(['EcsPlatform', 'ecs-platform', 'AWSPlatform', 'awsPlatform', 'Fargate-Apps', 'FARGATE'])(
      'prefixes cp- when the stack name %s starts with a reserved word in any case', (stackName) => {
        const app = new App();
        stack = new Stack(app, 'Stack', { stackName, env: { account: '123456789012', region: 'us-east-1' } });
        cluster = new ecs.Cluster(stack, 'Cluster', { vpc: testVpc(stack) });
        capacity();
        expect(providerName()).toMatch(new RegExp(`^cp-${stackName}-Capacity-[0-9A-F]{8}$`));
      });

    test('gives two capacities of one stack different names', () => {
      const a = new Ec2Capacity(stack, 'A', { cluster });
      const b = new Ec2Capacity(stack, 'B', { cluster });
      expect(stack.resolve(a.capacityProviderName)).not.toEqual(stack.resolve(b.capacityProviderName));
    });

    test('prefixes the token stack name of a nested stack with cp-', () => {
      const nested = new NestedStack(stack, 'Nested');
      const nestedCluster = new ecs.Cluster(nested, 'Cluster', { vpc });
      new Ec2Capacity(nested, 'Capacity', { cluster: nestedCluster });
      const providers = Object.values(Template.fromStack(nested).findResources('AWS::ECS::CapacityProvider'));
      expect(providers[0].Properties.Name).toEqual({
        'Fn::Join': ['', ['cp-', { Ref: 'AWS::StackName' }, expect.stringMatching(/^-Capacity-[0-9A-F]{8}$/)]],
      });
    });

    test('keeps a long name within 255 characters', () => {
      const app = new App();
      stack = new Stack(app, 'Stack', { stackName: `Ecs${'x'.repeat(125)}`, env: { account: '123456789012', region: 'us-east-1' } });
      cluster = new ecs.Cluster(stack, 'Cluster', { vpc: testVpc(stack) });
      new Ec2Capacity(new Construct(stack, 'y'.repeat(200)), 'Capacity', { cluster });
      const name = providerName() as string;
      expect(name.length).toBeLessThanOrEqual(255);
      expect(name).toMatch(/^cp-Ecsx+-y+-[0-9A-F]{8}$/);
    });

    test('uses the provided capacityProviderName', () => {
      const cap = capacity({ capacityProviderName: 'TestStack-CapacityProvider-1A2B3C4D5E6F' });
      expect(providerName()).toEqual('TestStack-CapacityProvider-1A2B3C4D5E6F');
      expect(stack.resolve(cap.capacityProviderName)).toEqual({ Ref: onlyLogicalId(Template.fromStack(stack), 'AWS::ECS::CapacityProvider') });
    });

    test.each(['ecs-capacity', 'ECS-capacity', 'Aws_cp', 'FarGate', 'has space', 'x'.repeat(256), ''])(
      'fails when capacityProviderName is %j', (capacityProviderName) => {
        expect(() => capacity({ capacityProviderName })).toThrow(
          '[TestStack/Capacity] `capacityProviderName` must be 1 to 255 letters, digits, `_` or `-`, not starting with `aws`, ' +
          `\`ecs\` or \`fargate\` in any case (ECS refuses those), got: ${JSON.stringify(capacityProviderName)}`,
        );
      });
  });

  describe('validation', () => {
    test.each([-1, 1001, 1.5])('fails when minCapacity is %s', (minCapacity) => {
      expect(() => capacity({ minCapacity, maxCapacity: 1000 }))
        .toThrow(new RegExp(`^\\[TestStack/Capacity\\] \`minCapacity\` must be an integer between 0 and 1000, got: ${minCapacity}$`));
    });

    test.each([0, 1001])('fails when maxCapacity is %s', (maxCapacity) => {
      expect(() => capacity({ minCapacity: 0, maxCapacity }))
        .toThrow(new RegExp(`^\\[TestStack/Capacity\\] \`maxCapacity\` must be an integer between 1 and 1000, got: ${maxCapacity}$`));
    });

    test('fails when minCapacity is greater than maxCapacity', () => {
      expect(() => capacity({ minCapacity: 5, maxCapacity: 3 }))
        .toThrow(/^\[TestStack\/Capacity\] `maxCapacity` must be at least `minCapacity` \(5\), got: 3$/);
    });

    test('fails when maxCapacity is below the default minCapacity', () => {
      expect(() => capacity({ maxCapacity: 1 }))
        .toThrow(/`maxCapacity` must be at least `minCapacity` \(2\), got: 1/);
    });

    test.each([1, 11])('fails when desiredCapacity is %s, outside [2, 10]', (desiredCapacity) => {
      expect(() => capacity({ desiredCapacity }))
        .toThrow(new RegExp(`^\\[TestStack/Capacity\\] \`desiredCapacity\` must be an integer between 2 and 10, got: ${desiredCapacity}$`));
    });

    test('fails when desiredCapacity is outside the provided bounds', () => {
      expect(() => capacity({ minCapacity: 4, maxCapacity: 6, desiredCapacity: 7 }))
        .toThrow(/`desiredCapacity` must be an integer between 4 and 6, got: 7/);
    });

    test.each([8, 29])('fails when rootVolumeSize is %s GiB', (gib) => {
      expect(() => capacity({ rootVolumeSize: Size.gibibytes(gib) }))
        .toThrow(new RegExp(`^\\[TestStack/Capacity\\] \`rootVolumeSize\` must be an integer between 30 and 16384, got: ${gib}$`));
    });

    test('fails when rootVolumeSize is over 16384 GiB', () => {
      expect(() => capacity({ rootVolumeSize: Size.gibibytes(16385) }))
        .toThrow(/`rootVolumeSize` must be an integer between 30 and 16384, got: 16385/);
    });

    test.each([0, 101])('fails when targetCapacityPercent is %s', (targetCapacityPercent) => {
      expect(() => capacity({ targetCapacityPercent }))
        .toThrow(new RegExp(`^\\[TestStack/Capacity\\] \`targetCapacityPercent\` must be an integer between 1 and 100, got: ${targetCapacityPercent}$`));
    });

    test.each(['m7g.large', 'm6g.xlarge', 'c7g.2xlarge', 'r7g.large'])('fails when instanceType is the arm64 type %s', (name) => {
      expect(() => capacity({ instanceType: new ec2.InstanceType(name) })).toThrow(
        `[TestStack/Capacity] \`instanceType\` must be an x86_64 instance type for the Amazon Linux 2023 (x86_64) AMI (or pick another \`amiFamily\`), got: "${name} (arm64)"`,
      );
    });
  });

  describe('security', () => {
    test('allows no inbound traffic to the instances', () => {
      const cap = capacity();
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'ECS container instances: no inbound traffic; tasks have their own security groups',
        VpcId: stack.resolve(vpc.vpcId),
        SecurityGroupIngress: Match.absent(),
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: '-1' })],
      });
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
      expect(cap.securityGroup.connections.securityGroups).toHaveLength(1);
    });
  });

  describe('permissions', () => {
    test('lets only EC2 assume the instance role', () => {
      capacity();
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }],
          Version: '2012-10-17',
        },
        ManagedPolicyArns: Match.absent(),
      });
    });

    test('launches the instances with the instance role', () => {
      const cap = capacity();
      const template = Template.fromStack(stack);
      const profile = new Capture();
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ IamInstanceProfile: { Arn: { 'Fn::GetAtt': [profile, 'Arn'] } } }),
      });
      const profiles = template.findResources('AWS::IAM::InstanceProfile');
      expect(profiles[profile.asString()].Properties.Roles).toEqual([stack.resolve(cap.instanceRole.roleName)]);
    });

    test('scopes the ECS agent permissions of the instance role to the cluster, and nothing else without instance logs', () => {
      const cap = capacity({ instanceLogs: false });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [stack.resolve(cap.instanceRole.roleName)],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'RegisterAndReportToThisCluster',
              Action: [
                'ecs:RegisterContainerInstance',
                'ecs:DeregisterContainerInstance',
                'ecs:SubmitAttachmentStateChanges',
                'ecs:SubmitContainerStateChange',
                'ecs:SubmitTaskStateChange',
              ],
              Effect: 'Allow',
              Resource: clusterArn(),
            },
            {
              Sid: 'PollThisCluster',
              Action: ['ecs:Poll', 'ecs:StartTelemetrySession'],
              Condition: { ArnEquals: { 'ecs:cluster': clusterArn() } },
              Effect: 'Allow',
              Resource: '*',
            },
            {
              Sid: 'DiscoverPollEndpoint',
              Action: 'ecs:DiscoverPollEndpoint',
              Effect: 'Allow',
              Resource: '*',
            },
          ],
        },
      });
    });

    test('gives the instances no ECR access: tasks pull images with their execution roles', () => {
      capacity();
      const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
      expect(JSON.stringify(policies)).not.toMatch(/ecr:/);
    });

    test('gives the instances no CloudWatch Logs access without instance logs: tasks log with their execution roles', () => {
      capacity({ instanceLogs: false });
      const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
      expect(JSON.stringify(policies)).not.toMatch(/ecr:|logs:/);
    });

    test('launches instances only after the agent permissions exist', () => {
      const cap = capacity();
      const asg = Template.fromStack(stack).findResources('AWS::AutoScaling::AutoScalingGroup');
      const policyId = stack.getLogicalId(cap.instanceRole.node.findChild('DefaultPolicy').node.defaultChild as CfnElement);
      expect(Object.values(asg)[0].DependsOn).toContain(policyId);
    });

    test('gives the instance role exactly one policy', () => {
      capacity();
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 1);
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const cap = capacity();
      expect(nagFindings(cap)).toEqual([]);
    });

    test('has no AwsSolutions findings with a provided topic', () => {
      const cap = capacity({ notificationsTopic: new sns.Topic(stack, 'Topic') });
      expect(nagFindings(cap)).toEqual([]);
    });

    test.each<[string, Partial<Ec2CapacityProps>]>([
      ['Spot', { spot: {} }],
      ['Spot and additional instance types', { spot: { onDemandBaseCapacity: 1 }, additionalInstanceTypes: instanceTypes('m5.large', 'c6i.large') }],
      ['additional instance types', { additionalInstanceTypes: instanceTypes('m5.large') }],
    ])('has no AwsSolutions findings with %s', (_, props) => {
      const cap = capacity(props);
      expect(nagFindings(cap)).toEqual([]);
    });

    test('acknowledges the EBS encryption rule (EC26) only on an Auto Scaling group with a mixed-instances policy', () => {
      const acknowledged = (cap: Ec2Capacity) => cap.autoScalingGroup.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.keys(entry.data as object));
      expect(acknowledged(capacity())).toEqual([]);
      const other = new Ec2Capacity(stack, 'Spot', { cluster, spot: {} });
      const withSpot = acknowledged(other).filter((id) => id.includes('AwsSolutions-'));
      expect(withSpot).toEqual([expect.stringMatching(/AwsSolutions-EC26$/)]);
    });
  });
});

describe('Ec2Capacity rootVolumeSize in other units', () => {
  test('fails when rootVolumeSize is not a whole number of GiB', () => {
    const stack = testStack();
    const cluster = new ecs.Cluster(stack, 'EcsCluster', { vpc: testVpc(stack) });
    expect(() => new Ec2Capacity(stack, 'Cap', { cluster, rootVolumeSize: Size.mebibytes(31232) }))
      .toThrow(/^\[TestStack\/Cap\] `rootVolumeSize` must be an integer between 30 and 16384, got: 30.5$/);
  });
});
