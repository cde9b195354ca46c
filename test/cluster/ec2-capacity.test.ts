import { CfnElement, CfnParameter, Size, Stack } from 'aws-cdk-lib';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Ec2Capacity, Ec2CapacityProps, OpsTopic } from '../../src';
import { nagFindings, testStack, testVpc } from '../util';

const ECS_AMI_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';

/** The launch template's user data script, with every token part written as its JSON (`{"Ref":"..."}`). */
function userDataScript(template: Template): string {
  const launchTemplates = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
  expect(launchTemplates).toHaveLength(1);
  const userData = launchTemplates[0].Properties.LaunchTemplateData.UserData;
  const [separator, parts] = userData['Fn::Base64']['Fn::Join'];
  expect(separator).toEqual('');
  return (parts as unknown[]).map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
}

describe('Ec2Capacity', () => {
  let stack: Stack;
  let vpc: ec2.Vpc;
  let cluster: ecs.Cluster;
  beforeEach(() => {
    stack = testStack();
    vpc = testVpc(stack);
    cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
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
  });

  describe('user data', () => {
    test('joins the cluster first', () => {
      capacity();
      const script = userDataScript(Template.fromStack(stack));
      const clusterRef = JSON.stringify(stack.resolve(cluster.clusterName));
      expect(script.startsWith(`#!/bin/bash\necho ECS_CLUSTER=${clusterRef} >> /etc/ecs/ecs.config\n`)).toBe(true);
    });

    test('configures the agent to block IMDS for awsvpc tasks, refuse privileged containers and enable task roles', () => {
      capacity();
      const script = userDataScript(Template.fromStack(stack));
      expect(script).toContain([
        "cat <<'EOF' >> /etc/ecs/ecs.config",
        'ECS_AWSVPC_BLOCK_IMDS=true',
        'ECS_DISABLE_PRIVILEGED=true',
        'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true',
        'ECS_ENABLE_TASK_IAM_ROLE=true',
        'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false',
        'EOF',
      ].join('\n'));
    });

    test('writes ECS_CLUSTER exactly once', () => {
      capacity();
      const script = userDataScript(Template.fromStack(stack));
      expect(script.match(/ECS_CLUSTER=/g)).toHaveLength(1);
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

    test('accepts an x86_64 instance type that is not in the facts table', () => {
      capacity({ instanceType: new ec2.InstanceType('x2idn.16xlarge') });
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
        `[TestStack/Capacity] \`instanceType\` must be an x86_64 instance type for the Amazon Linux 2023 x86_64 AMI, got: "${name} (arm64)"`,
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

    test('scopes the ECS agent permissions of the instance role to the cluster', () => {
      const cap = capacity();
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

    test('gives the instances no ECR or CloudWatch Logs access: tasks use their execution roles', () => {
      capacity();
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
