import { Duration, Size, SizeRoundingBehavior } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { instanceTypeFacts } from './instance-type-facts';
import { OpsTopic } from '../monitoring/ops-topic';
import { renderLinuxAgentConfig } from '../private/agent-config';
import { acknowledgeNagRule } from '../private/nag';
import { assertInRange, assertOrdered, validationError } from '../private/validate';

/**
 * Options for a group of ECS container instances: everything but the cluster it joins.
 *
 * Used by `EcsCluster` (its `capacity` prop and `addCapacity()`) and by `EcsPlatformStack`.
 */
export interface Ec2CapacityOptions {
  /**
   * The EC2 instance type of the container instances. It must be an x86_64 type for the Amazon Linux 2023
   * x86_64 AMI.
   *
   * @default m6i.large (2 vCPU, 8 GiB)
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Minimum number of container instances (0 to 1000).
   *
   * @default 2 (one per Availability Zone of the default VPC)
   */
  readonly minCapacity?: number;

  /**
   * Maximum number of container instances (1 to 1000, at least `minCapacity`).
   *
   * @default 10
   */
  readonly maxCapacity?: number;

  /**
   * Number of instances at launch (between `minCapacity` and `maxCapacity`).
   *
   * Leave it unset in production: ECS managed scaling owns the desired capacity, and a value here is
   * written back on every deployment.
   *
   * @default - not set: the group starts at `minCapacity` and managed scaling takes over
   */
  readonly desiredCapacity?: number;

  /**
   * Size of the encrypted gp3 root volume, which also holds the container images (30 to 16384 GiB).
   *
   * @default Size.gibibytes(30)
   */
  readonly rootVolumeSize?: Size;

  /**
   * The share of the capacity that ECS managed scaling aims to keep reserved by tasks (1 to 100).
   * 100 packs the instances fully; a lower value keeps spare instances warm for fast scale-out.
   *
   * @default 100
   */
  readonly targetCapacityPercent?: number;

  /**
   * The subnets the container instances are launched in.
   *
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The topic that receives the Auto Scaling group's launch and terminate notifications, and their failures.
   *
   * @default - a new `OpsTopic` of this capacity
   */
  readonly notificationsTopic?: sns.ITopic;
}

/** Properties for an `Ec2Capacity`. */
export interface Ec2CapacityProps extends Ec2CapacityOptions {
  /** The cluster whose tasks run on these instances; its VPC is used. */
  readonly cluster: ecs.Cluster;
}

/** Defaults of `Ec2CapacityOptions`, in one place for the capacity and the checks that read it. */
const DEFAULT_INSTANCE_TYPE = 'm6i.large';
const DEFAULT_MIN_CAPACITY = 2;
const DEFAULT_MAX_CAPACITY = 10;

/**
 * ECS container instances: an Auto Scaling group on the ECS-optimized Amazon Linux 2023 AMI, registered with
 * the cluster as a capacity provider with managed scaling and managed draining.
 *
 * The AMI id is read from its public SSM parameter at deploy time
 * (`/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id`), so a deployment picks up the
 * latest ECS-optimized AMI with no account lookups at synth. The launch template requires IMDSv2 (hop limit 1),
 * encrypts the gp3 root volume, assigns no public IP and joins a security group with no inbound rules. The
 * agent blocks awsvpc tasks from the instance metadata service and refuses privileged containers.
 *
 * Managed termination protection is off: it makes stack deletion hang (aws/aws-cdk#14732); managed draining
 * moves tasks off an instance before the group terminates it instead.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/asg-capacity-providers.html
 * @example
 * declare const cluster: ecs.Cluster;
 * new Ec2Capacity(this, 'Capacity', {
 *   cluster,
 *   instanceType: new ec2.InstanceType('m6i.xlarge'),
 *   minCapacity: 2,
 *   maxCapacity: 20,
 * });
 */
export class Ec2Capacity extends Construct {
  /** The Auto Scaling group of container instances. */
  public readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  /** The capacity provider that connects the group to the cluster. */
  public readonly capacityProvider: ecs.AsgCapacityProvider;
  /** The launch template of the container instances. */
  public readonly launchTemplate: ec2.LaunchTemplate;
  /** The IAM role of the container instances (used by the ECS agent, never by tasks). */
  public readonly instanceRole: iam.Role;
  /** The security group of the container instances: no inbound rules. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The instance type of the container instances. */
  public readonly instanceType: ec2.InstanceType;
  /** The largest number of instances the group may run. */
  public readonly maxCapacity: number;

  constructor(scope: Construct, id: string, props: Ec2CapacityProps) {
    super(scope, id);

    // Resolve
    this.instanceType = props.instanceType ?? new ec2.InstanceType(DEFAULT_INSTANCE_TYPE);
    const minCapacity = props.minCapacity ?? DEFAULT_MIN_CAPACITY;
    this.maxCapacity = props.maxCapacity ?? DEFAULT_MAX_CAPACITY;
    const rootVolumeSize = props.rootVolumeSize ?? Size.gibibytes(30);
    const targetCapacityPercent = props.targetCapacityPercent ?? 100;
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    // Validate
    assertInRange(this, 'minCapacity', minCapacity, 0, 1000);
    assertInRange(this, 'maxCapacity', this.maxCapacity, 1, 1000);
    assertOrdered(this, 'minCapacity', minCapacity, 'maxCapacity', this.maxCapacity);
    if (props.desiredCapacity !== undefined) {
      assertInRange(this, 'desiredCapacity', props.desiredCapacity, minCapacity, this.maxCapacity);
    }
    assertInRange(this, 'rootVolumeSize', rootVolumeSize.toGibibytes({ rounding: SizeRoundingBehavior.NONE }), 30, 16384);
    assertInRange(this, 'targetCapacityPercent', targetCapacityPercent, 1, 100);
    const facts = instanceTypeFacts(this.instanceType);
    if (facts && facts.architecture !== 'x86_64') {
      validationError(this, 'instanceType', 'an x86_64 instance type for the Amazon Linux 2023 x86_64 AMI', `${facts.name} (${facts.architecture})`);
    }

    // Build
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.cluster.vpc,
      description: 'ECS container instances: no inbound traffic; tasks have their own security groups',
      allowAllOutbound: true,
    });
    this.instanceRole = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'ECS container instances: the ECS agent only; tasks use their own task roles',
    });

    const userData = ec2.UserData.forLinux();
    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.STANDARD),
      instanceType: this.instanceType,
      userData,
      // aws-cdk-lib's Cluster.addAsgCapacityProvider() adds broad statements (ECR and CloudWatch Logs on *) to the
      // instance role; the launch template gets an immutable view of it, and the agent's exact permissions are
      // granted below instead.
      role: this.instanceRole.withoutPolicyUpdates(),
      securityGroup: this.securityGroup,
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      associatePublicIpAddress: false,
      detailedMonitoring: true,
      blockDevices: [{
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(rootVolumeSize.toGibibytes(), {
          volumeType: ec2.EbsDeviceVolumeType.GP3,
          encrypted: true,
          deleteOnTermination: true,
        }),
      }],
    });

    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'AutoScalingGroup', {
      vpc: props.cluster.vpc,
      vpcSubnets,
      launchTemplate: this.launchTemplate,
      minCapacity,
      maxCapacity: this.maxCapacity,
      desiredCapacity: props.desiredCapacity,
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.minutes(5) }),
      notifications: [{
        topic: props.notificationsTopic ?? new OpsTopic(this, 'Notifications').topic,
        scalingEvents: autoscaling.ScalingEvents.ALL,
      }],
    });

    this.capacityProvider = new ecs.AsgCapacityProvider(this, 'CapacityProvider', {
      autoScalingGroup: this.autoScalingGroup,
      enableManagedScaling: true,
      targetCapacityPercent,
      enableManagedDraining: true,
      enableManagedTerminationProtection: false,
      machineImageType: ecs.MachineImageType.AMAZON_LINUX_2,
    });
    // Adds ECS_CLUSTER to the user data and registers the capacity provider with the cluster.
    props.cluster.addAsgCapacityProvider(this.capacityProvider);
    this.grantAgentPermissions(props.cluster);
    // instances launch only once the agent's permissions exist
    this.autoScalingGroup.node.addDependency(this.instanceRole);

    userData.addCommands(renderLinuxAgentConfig({
      ECS_AWSVPC_BLOCK_IMDS: 'true',
      ECS_DISABLE_PRIVILEGED: 'true',
      ECS_ENABLE_TASK_IAM_ROLE: 'true',
      ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST: 'false',
      // awslogs writes with each task's execution role, so the instance role needs no CloudWatch Logs access
      ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE: 'true',
    }));
  }

  /**
   * What the ECS agent needs, and nothing else: tasks pull images and write logs with their own execution roles,
   * so the instance role has no ECR or CloudWatch Logs access.
   */
  private grantAgentPermissions(cluster: ecs.Cluster): void {
    this.instanceRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'RegisterAndReportToThisCluster',
      actions: [
        'ecs:RegisterContainerInstance',
        'ecs:DeregisterContainerInstance',
        'ecs:SubmitAttachmentStateChanges',
        'ecs:SubmitContainerStateChange',
        'ecs:SubmitTaskStateChange',
      ],
      resources: [cluster.clusterArn],
    }));
    this.instanceRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'PollThisCluster',
      actions: ['ecs:Poll', 'ecs:StartTelemetrySession'],
      resources: ['*'],
      conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
    }));
    this.instanceRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'DiscoverPollEndpoint',
      actions: ['ecs:DiscoverPollEndpoint'],
      resources: ['*'],
    }));
    acknowledgeNagRule(this.instanceRole, 'ECS_AGENT_UNSCOPED_ACTIONS', '[Resource::*]');
  }

  /** The name of the capacity provider, for capacity provider strategies. */
  public get capacityProviderName(): string {
    return this.capacityProvider.capacityProviderName;
  }
}
