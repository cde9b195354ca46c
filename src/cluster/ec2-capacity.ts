import { Annotations, ArnFormat, Duration, Size, SizeRoundingBehavior, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AmiFamily, AmiResolution } from './ami-family';
import { AgentConfigFile, ContainerAgentSettings } from './container-agent-settings';
import { OpsTopic } from './ops-topic';
import { AgentVariables, agentVariables, renderBottlerocketSettings, renderLinuxAgentConfig, renderWindowsAgentConfig } from './private/agent-config';
import { agentPermissionsFor } from './private/agent-permissions';
import { AmiFamilyFacts, amiFamilyFacts } from './private/ami-families';
import { assertCapacityProviderName, defaultCapacityProviderName } from './private/capacity-provider-name';
import { ContainerInstanceUserData } from './private/container-instance-user-data';
import {
  InstanceLogShipping, instanceLogShipping, renderLinuxInstanceLogs, renderWindowsInstanceLogs, windowsAgentMsiUrl,
} from './private/instance-logs';
import { closestKnownInstanceType, declareInstanceTypeFacts, instanceTypeFacts, isKnownInstanceType, schedulableMemoryMiB } from './private/instance-type-facts';
import { allowCloudWatchLogsToUseKey } from '../shared/log-encryption';
import { checkedLogRetention } from '../shared/log-retention';
import { acknowledgeNagRule } from '../shared/nag';
import { KEEP_STATEFUL } from '../shared/removal';
import { assertInRange, assertOrdered, assertPattern, validationError } from '../shared/validate';

/** How a capacity buys Spot instances. */
export interface SpotOptions {
  /**
   * On-demand instances launched before any Spot instance (0 to 1000): the floor that a Spot interruption cannot take.
   *
   * @default 0
   */
  readonly onDemandBaseCapacity?: number;

  /**
   * The share of on-demand instances above `onDemandBaseCapacity` (0 to 99). The rest are Spot.
   *
   * @default 0
   */
  readonly onDemandPercentageAboveBaseCapacity?: number;

  /**
   * How the Auto Scaling group picks Spot pools among the instance types.
   *
   * @default autoscaling.SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED
   */
  readonly allocationStrategy?: autoscaling.SpotAllocationStrategy;
}

/**
 * An instance type that the library's instance type table does not know, with what the capacity checks need.
 *
 * For `Ec2CapacityOptions.newInstanceTypes`; take the numbers from the Amazon EC2 instance type specifications.
 */
export interface NewInstanceType {
  /** The instance type: `instanceType` or one of `additionalInstanceTypes` of the same capacity. */
  readonly instanceType: ec2.InstanceType;

  /** Its number of vCPUs (ECS registers 1024 CPU units per vCPU). */
  readonly vcpus: number;

  /** Its installed memory (ECS registers a little less). */
  readonly memory: Size;

  /** The most network interfaces it can have. Tasks in awsvpc mode need one each, and the instance keeps one. */
  readonly maxNetworkInterfaces: number;

  /**
   * The awsvpc tasks one instance can run with ENI trunking (`awsvpcTrunking`).
   *
   * The "Task limit with ENI trunking" of the Amazon ECS Developer Guide; `0` when the type does not support trunking.
   *
   * @default - unknown: the checks that need it are skipped, with a warning
   */
  readonly taskLimitWithTrunking?: number;
}

/**
 * Options for a group of ECS container instances: everything but the cluster it joins.
 *
 * Used by `EcsCluster` (its `capacity` prop and `addCapacity()`) and by `EcsPlatformStack`.
 */
export interface Ec2CapacityOptions {
  /**
   * The ECS-optimized AMI family of the instances. Its architecture must match every instance type.
   *
   * @default AmiFamily.AMAZON_LINUX_2023
   */
  readonly amiFamily?: AmiFamily;

  /**
   * When the AMI id is read from its SSM parameter: at each deployment, or at each instance launch.
   * `AmiUpdateAlerts` can refresh only `LAUNCH_TIME` capacities.
   *
   * @default AmiResolution.DEPLOY_TIME
   */
  readonly amiResolution?: AmiResolution;

  /**
   * The EC2 instance type of the container instances, the first choice when there are several.
   *
   * @default - m6i.large for x86_64 Linux families, m7g.large for arm64 families, m6i.xlarge for Windows
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * More instance types, in order of preference, of the same architecture. With any, the group uses a
   * mixed-instances policy; Spot capacity should name several to draw on several Spot pools. At most 39.
   *
   * @default - `instanceType` only
   */
  readonly additionalInstanceTypes?: ec2.InstanceType[];

  /**
   * Instance types of this capacity that the library's instance type table does not know (a new generation, say),
   * each declared with its vCPUs, memory and network interfaces, so that the capacity and workload checks still
   * work. Any other unknown instance type is an error: it is most likely a typo (`m6i.larg`).
   *
   * @default - every instance type of the capacity is one the library knows
   */
  readonly newInstanceTypes?: NewInstanceType[];

  /**
   * Buy some or all instances as Spot. Spot instance draining is switched on in the agent configuration, and
   * the group rebalances capacity ahead of interruptions.
   *
   * @default - on-demand instances only
   */
  readonly spot?: SpotOptions;

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
   * Size of the encrypted gp3 volume that holds the container images: the root volume on Amazon Linux and
   * Windows, the data volume (`/dev/xvdb`) on Bottlerocket. At least 30 GiB on Amazon Linux, 20 GiB on
   * Bottlerocket, 50 GiB on Windows; at most 16384 GiB.
   *
   * @default - 30 GiB on Linux families, 100 GiB on Windows
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
   * The fewest instances managed scaling adds or removes at a time (1 to 10000).
   *
   * @default 1
   */
  readonly minimumScalingStepSize?: number;

  /**
   * The most instances managed scaling adds or removes at a time (1 to 10000, at least `minimumScalingStepSize`).
   *
   * @default 10000
   */
  readonly maximumScalingStepSize?: number;

  /**
   * How long a new instance takes before it counts in the cluster's capacity metrics (0 to 10000 seconds).
   *
   * @default Duration.seconds(300)
   */
  readonly instanceWarmupPeriod?: Duration;

  /**
   * ECS managed termination protection, which keeps the group from terminating an instance that runs tasks when it
   * scales in. Only `false` is accepted.
   *
   * The capacity replaces its instances with a CloudFormation rolling update whenever the launch template changes (a
   * new AMI, new agent settings). A rolling update terminates the old instances through the group, and the group
   * does not terminate instances protected from scale-in, so the update waits on them until it times out and rolls
   * back (aws-cloudformation/cloudformation-coverage-roadmap#692). Managed draining already moves tasks off an
   * instance before it is terminated.
   *
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/managed-termination-protection.html
   * @default false
   */
  readonly managedTerminationProtection?: boolean;

  /**
   * The name of the capacity provider: 1 to 255 letters, digits, `_` or `-`, not starting with `aws`, `ecs` or
   * `fargate` in any case. A changed name replaces the capacity provider: set it to keep the name that a capacity
   * deployed with an earlier version of this library already has.
   *
   * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html
   * @default - the stack name, the construct path below the stack and a hash of that path, with `cp-` in front
   * when it would start with `aws`, `ecs` or `fargate`
   */
  readonly capacityProviderName?: string;

  /**
   * ECS container agent settings, rendered in the format of the AMI family.
   *
   * @default - privileged containers refused, task access to the instance metadata service blocked, Spot
   * draining on when Spot is used; everything else at the agent's defaults
   */
  readonly agentSettings?: ContainerAgentSettings;

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

  /**
   * Ship the container instances' own logs to one CloudWatch Logs group of the capacity (construct id `InstanceLogs`,
   * retained), one stream per instance and file (`<instance id>/ecs-agent`, ...), with the CloudWatch agent:
   *
   * - Amazon Linux 2023: the agent and rsyslog are installed from the AL2023 repository at boot (the journal reaches
   *   `/var/log/messages` through rsyslog: the agent cannot read the journal); shipped: `/var/log/ecs/ecs-agent.log`,
   *   `ecs-init.log` and `audit.log`, `/var/log/messages` (docker, containerd, kernel, systemd) and
   *   `/var/log/cloud-init-output.log`.
   * - Windows Server 2022: the agent's MSI is downloaded from AWS's bucket in the region after the ECS agent has
   *   started; shipped: `C:\ProgramData\Amazon\ECS\log\ecs-agent.log` and `audit.log`, the EC2Launch log, and
   *   the System and Application event logs at warning level and above.
   * - Bottlerocket: not available (no CloudWatch agent on the host; collect its logs with `apiclient logs` in the
   *   control container or `logdog` in the admin container). Left unset, no log group is created; `true` fails.
   *
   * The instances need a route to the repository or bucket (the default private subnets with egress have one). The
   * instance role may create streams in, and write to, this log group only. An agent log moved by
   * `agentSettings.logFile` is not shipped.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Install-CloudWatch-Agent.html
   * @default - on for Amazon Linux 2023 and Windows; off (not available) on Bottlerocket
   */
  readonly instanceLogs?: boolean;

  /**
   * How long the instance log group keeps the instances' logs. Only with `instanceLogs`.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly instanceLogRetention?: logs.RetentionDays;

  /**
   * A KMS key that encrypts the instance log group. Only with `instanceLogs`. A key of this stack gets a key policy
   * statement (Sid `AllowCloudWatchLogsToEncryptLogGroups`, added once per key) that lets CloudWatch Logs use it for
   * the log groups of this account and region; the policy of any other key must allow that already (a warning says
   * so). The instances need no KMS permissions: CloudWatch Logs encrypts on the server side.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   * @default - encrypted by CloudWatch Logs with its own key
   */
  readonly instanceLogEncryptionKey?: kms.IKey;
}

/** Properties for an `Ec2Capacity`. */
export interface Ec2CapacityProps extends Ec2CapacityOptions {
  /** The cluster whose tasks run on these instances, and whose VPC is used. */
  readonly cluster: ecs.Cluster;
}

const DEFAULT_MIN_CAPACITY = 2;
const DEFAULT_MAX_CAPACITY = 10;
/** Every volume of a container instance. */
const ENCRYPTED_GP3: ec2.EbsDeviceOptions = {
  volumeType: ec2.EbsDeviceVolumeType.GP3,
  encrypted: true,
  deleteOnTermination: true,
};

/** An EBS volume of the AMI's snapshot size (no `VolumeSize`), for a volume this library does not size. */
class SnapshotSizedVolume extends ec2.BlockDeviceVolume {
  constructor(options: ec2.EbsDeviceOptions) {
    super(options);
  }
}

/** A mixed-instances policy takes at most 40 instance types. */
const MAX_INSTANCE_TYPES = 40;

/**
 * ECS container instances: an Auto Scaling group on an ECS-optimized AMI, registered with the cluster as a
 * capacity provider with managed scaling and managed draining.
 *
 * The AMI id is read from its public SSM parameter (Amazon Linux 2023 by default, also arm64, Bottlerocket and
 * Windows Server 2022), so no account lookup happens at synth. The launch template requires IMDSv2 (hop limit 1),
 * encrypts the gp3 volumes, assigns no public IP and joins a security group with no inbound rules. The agent
 * configuration is written in the AMI family's own format; by default it blocks awsvpc tasks from the instance
 * metadata service and refuses privileged containers. On Amazon Linux 2023 and Windows, the CloudWatch agent ships
 * the instances' own logs (ECS agent, system) to a log group of the capacity.
 *
 * A change of the launch template (a new AMI at deploy time, new agent settings) replaces the instances with a
 * rolling update, a quarter of the maximum (at least one) at a time; managed draining moves tasks first.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/asg-capacity-providers.html
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import * as ec2 from 'aws-cdk-lib/aws-ec2';
 * import * as ecs from 'aws-cdk-lib/aws-ecs';
 * import { Ec2Capacity } from 'cdk-ecs-platform';
 *
 * declare const stack: Stack;
 * declare const cluster: ecs.Cluster;
 * new Ec2Capacity(stack, 'Capacity', {
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
  /** The AMI family of the container instances. */
  public readonly amiFamily: AmiFamily;
  /** When the AMI id is read from its SSM parameter. */
  public readonly amiResolution: AmiResolution;
  /** The first-choice instance type of the container instances. */
  public readonly instanceType: ec2.InstanceType;
  /** Every instance type the group may launch, in order of preference. */
  public readonly instanceTypes: ec2.InstanceType[];
  /** The largest number of instances the group may run. */
  public readonly maxCapacity: number;
  /** Whether the group buys Spot instances. */
  public readonly usesSpot: boolean;
  /** Whether ECS managed termination protection is on. */
  public readonly managedTerminationProtection: boolean;
  /** Memory in MiB per instance that the agent keeps from tasks (`agentSettings.reservedMemoryMiB`). */
  public readonly reservedMemoryMiB: number;
  /** The log group the instances ship their own logs to, when `instanceLogs` is on. */
  public readonly instanceLogGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: Ec2CapacityProps) {
    super(scope, id);

    // Resolve
    this.amiFamily = props.amiFamily ?? AmiFamily.AMAZON_LINUX_2023;
    this.amiResolution = props.amiResolution ?? AmiResolution.DEPLOY_TIME;
    const family = amiFamilyFacts(this.amiFamily);
    this.instanceType = props.instanceType ?? new ec2.InstanceType(family.defaultInstanceType);
    this.instanceTypes = [this.instanceType, ...props.additionalInstanceTypes ?? []];
    this.maxCapacity = props.maxCapacity ?? DEFAULT_MAX_CAPACITY;
    this.managedTerminationProtection = props.managedTerminationProtection ?? false;
    this.usesSpot = props.spot !== undefined;
    this.reservedMemoryMiB = props.agentSettings?.reservedMemoryMiB ?? 0;
    const settings = this.resolve(props, family);

    // Validate
    const agent = this.validate(props, settings);

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

    const userData = new ContainerInstanceUserData(family.userDataFormat);
    this.launchTemplate = this.buildLaunchTemplate(settings, userData);
    this.autoScalingGroup = this.buildAutoScalingGroup(props, settings);
    this.capacityProvider = this.buildCapacityProvider(props, settings);
    // Registers the capacity provider with the cluster; the user data it would add is replaced by our own.
    userData.ignoringCommands(() => props.cluster.addAsgCapacityProvider(this.capacityProvider));
    this.grantAgentPermissions(props.cluster, agent);
    // instances launch only once the agent's permissions exist
    this.autoScalingGroup.node.addDependency(this.instanceRole);

    this.configureAgent(userData, family, props.cluster.clusterName, agent, settings.agentSettings.configFile);
    if (settings.instanceLogs && settings.logShipping) {
      this.instanceLogGroup = this.shipInstanceLogs(userData, settings.logShipping, settings.instanceLogRetention,
        props.instanceLogEncryptionKey);
    }
  }

  /** The name of the capacity provider, for capacity provider strategies. */
  public get capacityProviderName(): string {
    return this.capacityProvider.capacityProviderName;
  }

  /** The operating system of the instances, as ECS reports it in the `ecs.os-type` attribute (`linux` or `windows`). */
  public get osType(): string {
    return amiFamilyFacts(this.amiFamily).os;
  }

  /** The props with their defaults (`this`'s public settings are resolved first, in the constructor). */
  private resolve(props: Ec2CapacityProps, family: AmiFamilyFacts): CapacitySettings {
    const minCapacity = props.minCapacity ?? DEFAULT_MIN_CAPACITY;
    const rootVolumeSize = props.rootVolumeSize ?? Size.gibibytes(family.defaultImageVolumeGiB);
    const targetCapacityPercent = props.targetCapacityPercent ?? 100;
    const minimumScalingStepSize = props.minimumScalingStepSize ?? 1;
    const maximumScalingStepSize = props.maximumScalingStepSize ?? 10000;
    const instanceWarmupPeriod = props.instanceWarmupPeriod ?? Duration.seconds(300);
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const spot = props.spot;
    const onDemandBaseCapacity = spot?.onDemandBaseCapacity ?? 0;
    const onDemandPercentage = spot?.onDemandPercentageAboveBaseCapacity ?? 0;
    const agentSettings = props.agentSettings ?? {};
    const logShipping = instanceLogShipping(family.userDataFormat);
    const instanceLogs = props.instanceLogs ?? logShipping !== undefined;
    const instanceLogRetention = checkedLogRetention(this, 'instanceLogRetention', props.instanceLogRetention, logs.RetentionDays.ONE_MONTH);
    return {
      family,
      minCapacity,
      rootVolumeSize,
      targetCapacityPercent,
      minimumScalingStepSize,
      maximumScalingStepSize,
      instanceWarmupPeriod,
      vpcSubnets,
      spot,
      onDemandBaseCapacity,
      onDemandPercentage,
      agentSettings,
      logShipping,
      instanceLogs,
      instanceLogRetention,
    };
  }

  /** Checks every prop before the first resource, so that bad input builds nothing; returns the agent's variables. */
  private validate(props: Ec2CapacityProps, settings: CapacitySettings): AgentVariables {
    const {
      family, minCapacity, rootVolumeSize, targetCapacityPercent, minimumScalingStepSize, maximumScalingStepSize, instanceWarmupPeriod,
      spot, onDemandBaseCapacity, onDemandPercentage, agentSettings, logShipping, instanceLogs,
    } = settings;
    assertInRange(this, 'minCapacity', minCapacity, 0, 1000);
    assertInRange(this, 'maxCapacity', this.maxCapacity, 1, 1000);
    assertOrdered(this, 'minCapacity', minCapacity, 'maxCapacity', this.maxCapacity);
    if (props.desiredCapacity !== undefined) {
      assertInRange(this, 'desiredCapacity', props.desiredCapacity, minCapacity, this.maxCapacity);
    }
    assertInRange(this, 'rootVolumeSize', rootVolumeSize.toGibibytes({ rounding: SizeRoundingBehavior.NONE }),
      family.minImageVolumeGiB, 16384);
    assertInRange(this, 'targetCapacityPercent', targetCapacityPercent, 1, 100);
    assertInRange(this, 'minimumScalingStepSize', minimumScalingStepSize, 1, 10000);
    assertInRange(this, 'maximumScalingStepSize', maximumScalingStepSize, 1, 10000);
    assertOrdered(this, 'minimumScalingStepSize', minimumScalingStepSize, 'maximumScalingStepSize', maximumScalingStepSize);
    assertInRange(this, 'instanceWarmupPeriod', instanceWarmupPeriod.toSeconds({ integral: false }), 0, 10000);
    assertInRange(this, 'spot.onDemandBaseCapacity', onDemandBaseCapacity, 0, 1000);
    if (spot) {
      if (onDemandPercentage === 100) {
        validationError(this, 'spot.onDemandPercentageAboveBaseCapacity',
          'an integer between 0 and 99 (100 launches no Spot instance: leave `spot` unset for on-demand only)', onDemandPercentage);
      }
      assertInRange(this, 'spot.onDemandPercentageAboveBaseCapacity', onDemandPercentage, 0, 99);
    }
    this.declareNewInstanceTypes(props.newInstanceTypes ?? []);
    this.assertInstanceTypes(family.architecture, family.displayName);
    if (this.managedTerminationProtection) {
      validationError(this, 'managedTerminationProtection', 'false or left unset: the rolling update that replaces the instances ' +
        'when the launch template changes cannot terminate instances protected from scale-in, so it stalls and rolls back ' +
        '(managed draining already moves tasks off an instance before it is terminated)', true);
    }
    assertCapacityProviderName(this, 'capacityProviderName', props.capacityProviderName);
    const agent = agentVariables(this, 'agentSettings', agentSettings, this.usesSpot);
    if (agentSettings.configFile && family.userDataFormat !== 'shell') {
      validationError(this, 'agentSettings.configFile', 'left unset: only Amazon Linux 2023 reads its agent settings from a file',
        `a config file for ${family.displayName}`);
    }
    assertPattern(this, 'agentSettings.configFile.key', agentSettings.configFile?.key, /^[^\s'"`$\\]{1,1024}$/,
      'an S3 object key without spaces, quotes, `$` or backslashes');
    this.assertInstanceLogOptions(props, instanceLogs, logShipping, family.displayName);
    this.assertReservedMemory(agentSettings.reservedMemoryMiB);
    return agent;
  }

  /** The launch template: the AMI family's image and volumes, the instance role, IMDSv2 only, no public address. */
  private buildLaunchTemplate(settings: CapacitySettings, userData: ContainerInstanceUserData): ec2.LaunchTemplate {
    const { family, rootVolumeSize } = settings;
    const imageProps = { os: family.osType, userData };
    return new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: this.amiResolution === AmiResolution.LAUNCH_TIME
        ? ec2.MachineImage.resolveSsmParameterAtLaunch(family.parameterName, imageProps)
        : ec2.MachineImage.fromSsmParameter(family.parameterName, imageProps),
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
      blockDevices: [
        ...family.osVolumeDevice ? [{ deviceName: family.osVolumeDevice, volume: new SnapshotSizedVolume(ENCRYPTED_GP3) }] : [],
        {
          deviceName: family.imageVolumeDevice,
          volume: ec2.BlockDeviceVolume.ebs(rootVolumeSize.toGibibytes(), ENCRYPTED_GP3),
        },
      ],
    });
  }

  /** The Auto Scaling group: one instance type, or several and Spot with a mixed instances policy. */
  private buildAutoScalingGroup(props: Ec2CapacityProps, settings: CapacitySettings): autoscaling.AutoScalingGroup {
    const { minCapacity, vpcSubnets, spot, onDemandBaseCapacity, onDemandPercentage } = settings;
    const mixedInstances = this.instanceTypes.length > 1 || spot !== undefined;
    const autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'AutoScalingGroup', {
      vpc: props.cluster.vpc,
      vpcSubnets,
      launchTemplate: mixedInstances ? undefined : this.launchTemplate,
      mixedInstancesPolicy: mixedInstances ? {
        launchTemplate: this.launchTemplate,
        launchTemplateOverrides: this.instanceTypes.map((instanceType) => ({ instanceType })),
        instancesDistribution: {
          onDemandAllocationStrategy: autoscaling.OnDemandAllocationStrategy.PRIORITIZED,
          onDemandBaseCapacity: spot ? onDemandBaseCapacity : undefined,
          onDemandPercentageAboveBaseCapacity: spot ? onDemandPercentage : 100,
          spotAllocationStrategy: spot ? spot.allocationStrategy ?? autoscaling.SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED : undefined,
        },
      } : undefined,
      capacityRebalance: spot ? true : undefined,
      minCapacity,
      maxCapacity: this.maxCapacity,
      desiredCapacity: props.desiredCapacity,
      healthChecks: autoscaling.HealthChecks.ec2({ gracePeriod: Duration.minutes(5) }),
      // free of charge; PlatformAlarms watches GroupInServiceInstances against the maximum
      groupMetrics: [autoscaling.GroupMetrics.all()],
      updatePolicy: rollingUpdate(minCapacity, this.maxCapacity),
      notifications: [{
        topic: props.notificationsTopic ?? new OpsTopic(this, 'Notifications').topic,
        scalingEvents: autoscaling.ScalingEvents.ALL,
      }],
    });
    if (mixedInstances) acknowledgeNagRule(autoScalingGroup, 'MIXED_INSTANCES_EBS_CHECK');
    return autoScalingGroup;
  }

  /** The capacity provider, with managed scaling and managed draining. */
  private buildCapacityProvider(props: Ec2CapacityProps, settings: CapacitySettings): ecs.AsgCapacityProvider {
    const { family, targetCapacityPercent, minimumScalingStepSize, maximumScalingStepSize, instanceWarmupPeriod } = settings;
    return new ecs.AsgCapacityProvider(this, 'CapacityProvider', {
      // Without a name, CloudFormation derives one from the stack name, which ECS refuses when the stack name starts
      // with aws, ecs or fargate in any case (aws-cdk-lib only checks lower case: aws/aws-cdk#29151).
      capacityProviderName: props.capacityProviderName ?? defaultCapacityProviderName(this),
      autoScalingGroup: this.autoScalingGroup,
      enableManagedScaling: true,
      targetCapacityPercent,
      minimumScalingStepSize,
      maximumScalingStepSize,
      instanceWarmupPeriod: instanceWarmupPeriod.toSeconds(),
      enableManagedDraining: true,
      enableManagedTerminationProtection: this.managedTerminationProtection,
      machineImageType: family.machineImageType,
    });
  }

  /** Adds the agent configuration to the user data, in the AMI family's format. */
  private configureAgent(userData: ContainerInstanceUserData, family: AmiFamilyFacts, clusterName: string, agent: AgentVariables,
    configFile: AgentConfigFile | undefined): void {
    const configuration = this.renderAgentConfiguration(family, clusterName, agent, configFile);
    // Windows: Initialize-ECSAgent (the last line) starts the agent, so it runs after every other command
    if (family.userDataFormat === 'powershell') {
      userData.setAgentConfiguration(configuration.slice(0, -1), configuration.slice(-1));
    } else {
      userData.setAgentConfiguration(configuration);
    }
  }

  /**
   * Checks the declarations of `newInstanceTypes` (each of an instance type of this capacity, unknown to the table,
   * declared once, with plausible numbers) and records their facts for the capacity and workload checks.
   */
  private declareNewInstanceTypes(declarations: NewInstanceType[]): void {
    const seen = new Set<string>();
    declarations.forEach((declaration, index) => {
      const prop = `newInstanceTypes[${index}]`;
      const name = String(declaration.instanceType);
      if (Token.isUnresolved(name)) validationError(this, `${prop}.instanceType`, 'an instance type known at synth', name);
      if (isKnownInstanceType(name)) {
        validationError(this, `${prop}.instanceType`, 'an instance type the library does not know (remove the declaration: its facts are built in)', name);
      }
      if (seen.has(name)) validationError(this, `${prop}.instanceType`, 'declared once', name);
      seen.add(name);
      const ofCapacity = this.instanceTypes.filter((instanceType) => String(instanceType) === name);
      if (ofCapacity.length === 0) {
        validationError(this, `${prop}.instanceType`, 'the `instanceType` or one of the `additionalInstanceTypes` of this capacity', name);
      }
      assertInRange(this, `${prop}.vcpus`, declaration.vcpus, 1, 1024);
      const memoryMiB = declaration.memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
      assertInRange(this, `${prop}.memory`, memoryMiB, 256, 32 * 1024 * 1024);
      assertInRange(this, `${prop}.maxNetworkInterfaces`, declaration.maxNetworkInterfaces, 1, 1024);
      assertInRange(this, `${prop}.taskLimitWithTrunking`, declaration.taskLimitWithTrunking, 0, 1024);
      const architecture = architectureByName(name);
      for (const instanceType of ofCapacity) {
        declareInstanceTypeFacts(instanceType, {
          name,
          vcpus: declaration.vcpus,
          memoryMiB,
          maxEnis: declaration.maxNetworkInterfaces,
          architecture,
          taskLimitWithTrunking: declaration.taskLimitWithTrunking,
        });
      }
    });
  }

  /** Every instance type must be known or declared, run the AMI family's architecture, and appear once. */
  private assertInstanceTypes(architecture: string, familyName: string): void {
    if (this.instanceTypes.length > MAX_INSTANCE_TYPES) {
      validationError(this, 'additionalInstanceTypes', `at most ${MAX_INSTANCE_TYPES - 1} instance types`, `${this.instanceTypes.length - 1} instance types`);
    }
    const names = this.instanceTypes.map(String);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate) validationError(this, 'additionalInstanceTypes', 'instance types that appear once (with `instanceType`)', duplicate);
    this.instanceTypes.forEach((instanceType, index) => {
      if (Token.isUnresolved(String(instanceType))) return;
      const actual = architectureOf(instanceType);
      if (actual !== architecture) {
        const prop = index === 0 ? 'instanceType' : `additionalInstanceTypes[${index - 1}]`;
        validationError(this, prop, `an ${architecture} instance type for the ${familyName} AMI (or pick another \`amiFamily\`)`,
          `${instanceType} (${actual})`);
      }
      if (!instanceTypeFacts(instanceType)) {
        validationError(this, index === 0 ? 'instanceType' : `additionalInstanceTypes[${index - 1}]`,
          `an instance type the library knows (did you mean ${closestKnownInstanceType(String(instanceType))}?), or a new one ` +
          'declared in `newInstanceTypes` with its vCPUs, memory and network interfaces', String(instanceType));
      }
    });
  }

  /**
   * The memory the agent keeps (`agentSettings.reservedMemoryMiB`) must leave room for tasks on every instance type
   * whose memory is known: the capacity plan would otherwise see negative memory, or say nothing without a service.
   */
  private assertReservedMemory(reservedMemoryMiB: number | undefined): void {
    if (reservedMemoryMiB === undefined || Token.isUnresolved(reservedMemoryMiB)) return;
    for (const instanceType of this.instanceTypes) {
      const facts = instanceTypeFacts(instanceType);
      if (!facts) continue;
      const registered = schedulableMemoryMiB(facts);
      if (reservedMemoryMiB >= registered) {
        validationError(this, 'agentSettings.reservedMemoryMiB', `less than the ${registered} MiB that one ${facts.name} ` +
          `(${facts.memoryMiB} MiB installed) registers with ECS, so that tasks have memory left`, reservedMemoryMiB);
      }
    }
  }

  /** `instanceLogs` needs a family with a CloudWatch agent; its retention and key need `instanceLogs`. */
  private assertInstanceLogOptions(props: Ec2CapacityOptions, instanceLogs: boolean, logShipping: InstanceLogShipping | undefined,
    familyName: string): void {
    if (instanceLogs && !logShipping) {
      validationError(this, 'instanceLogs', `false or left unset on ${familyName}, which runs no CloudWatch agent on the host ` +
        '(collect its logs with `apiclient logs` in the control container)', true);
    }
    if (instanceLogs) return;
    const why = logShipping ? 'with `instanceLogs` false' : `on ${familyName}, which ships no instance logs`;
    if (props.instanceLogRetention !== undefined) {
      validationError(this, 'instanceLogRetention', `left unset ${why}: no instance log group is created`, props.instanceLogRetention);
    }
    if (props.instanceLogEncryptionKey !== undefined) {
      validationError(this, 'instanceLogEncryptionKey', `left unset ${why}: no instance log group is created`,
        props.instanceLogEncryptionKey.node.path);
    }
  }

  /**
   * Creates the instance log group, lets the instance role write to it (and nothing else), and adds the user data
   * that installs, configures and starts the CloudWatch agent.
   */
  private shipInstanceLogs(userData: ContainerInstanceUserData, shipping: InstanceLogShipping, retention: logs.RetentionDays,
    encryptionKey: kms.IKey | undefined): logs.LogGroup {
    const logGroup = new logs.LogGroup(this, 'InstanceLogs', {
      retention,
      encryptionKey,
      removalPolicy: KEEP_STATEFUL,
    });
    if (encryptionKey && !allowCloudWatchLogsToUseKey(this, encryptionKey)) {
      Annotations.of(this).addWarningV2('cdk-ecs-platform:Ec2Capacity.instanceLogEncryptionKeyPolicy',
        '`instanceLogEncryptionKey` is imported (or of another account or region), so its key policy is left as it is: it must allow the service ' +
        'principal logs.<region>.amazonaws.com kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe* ' +
        'with the condition ArnLike kms:EncryptionContext:aws:logs:arn arn:<partition>:logs:<region>:<account>:log-group:*, ' +
        'or the instance log group cannot be created');
    }
    this.instanceRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ShipInstanceLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
        // `arn:...:log-group:NAME:*`: the streams of this log group
        logGroup.logGroupArn,
      ],
    }));
    userData.setLogShipping(shipping === 'linux'
      ? renderLinuxInstanceLogs(logGroup.logGroupName)
      : renderWindowsInstanceLogs(logGroup.logGroupName, windowsAgentMsiUrl(this)));
    return logGroup;
  }

  /** The agent configuration in the AMI family's format, with `ECS_CLUSTER`. */
  private renderAgentConfiguration(family: AmiFamilyFacts, clusterName: string, agent: AgentVariables,
    configFile: AgentConfigFile | undefined): string[] {
    switch (family.userDataFormat) {
      case 'toml':
        return [renderBottlerocketSettings(this, 'agentSettings', clusterName, agent)];
      case 'powershell':
        return renderWindowsAgentConfig(this, 'agentSettings', clusterName, agent);
      case 'shell':
        return [
          ...configFile ? this.copyConfigFile(configFile) : [],
          renderLinuxAgentConfig({
            ...agent.variables,
            ECS_CLUSTER: clusterName,
            ECS_ENABLE_TASK_IAM_ROLE: 'true',
            ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST: 'false',
            // awslogs writes with each task's execution role, so the instance role needs no access to the tasks' log groups
            ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE: 'true',
          }),
        ];
    }
  }

  /**
   * Copies the agent config file from S3; the instance role may read exactly that object. The ECS-optimized AL2023
   * AMI is built from minimal AL2023 and has no AWS CLI (amazon-ecs-ami: al2023.pkr.hcl, variables.pkr.hcl), so the
   * CLI is installed from the AL2023 repository first; a failure of either stops the user data (see
   * `ContainerInstanceUserData`) and keeps the instance out of the cluster.
   */
  private copyConfigFile(configFile: AgentConfigFile): string[] {
    this.instanceRole.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadAgentConfigFile',
      actions: ['s3:GetObject'],
      resources: [configFile.bucket.arnForObjects(configFile.key)],
    }));
    configFile.bucket.encryptionKey?.grantDecrypt(this.instanceRole);
    return [
      'dnf install -y awscli-2',
      `aws s3 cp --region ${configFile.bucket.env.region} 's3://${configFile.bucket.bucketName}/${configFile.key}' /etc/ecs/ecs.config`,
    ];
  }

  /**
   * What the ECS agent needs, and nothing else: tasks pull images and write logs with their own execution roles,
   * so the instance role has no ECR access, and CloudWatch Logs access only to the instance log group.
   */
  private grantAgentPermissions(cluster: ecs.Cluster, agent: AgentVariables): void {
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
    // what the agent settings make the agent call besides (Spot draining, instance tags): only when they are on
    for (const permission of agentPermissionsFor(agent.variables)) {
      this.instanceRole.addToPrincipalPolicy(new iam.PolicyStatement({
        sid: permission.sid,
        actions: [...permission.actions],
        resources: ['*'],
        conditions: {
          ...permission.conditions,
          ...permission.thisClusterOnly ? { ArnEquals: { 'ecs:cluster': cluster.clusterArn } } : {},
        },
      }));
    }
  }

}

/** The props of an `Ec2Capacity` with their defaults, besides its public settings. */
interface CapacitySettings {
  readonly family: AmiFamilyFacts;
  readonly minCapacity: number;
  readonly rootVolumeSize: Size;
  readonly targetCapacityPercent: number;
  readonly minimumScalingStepSize: number;
  readonly maximumScalingStepSize: number;
  readonly instanceWarmupPeriod: Duration;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly spot?: SpotOptions;
  readonly onDemandBaseCapacity: number;
  readonly onDemandPercentage: number;
  readonly agentSettings: ContainerAgentSettings;
  readonly logShipping?: InstanceLogShipping;
  readonly instanceLogs: boolean;
  readonly instanceLogRetention: logs.RetentionDays;
}


/**
 * Replace instances a quarter of the maximum (at least one) at a time, keeping `minCapacity` in service (which must
 * be below the maximum), 3 minutes apart. With sizes known only at deploy time: one at a time, none kept.
 */
function rollingUpdate(minCapacity: number, maxCapacity: number): autoscaling.UpdatePolicy {
  const known = !Token.isUnresolved(minCapacity) && !Token.isUnresolved(maxCapacity);
  return autoscaling.UpdatePolicy.rollingUpdate({
    maxBatchSize: known ? Math.max(1, Math.floor(maxCapacity / 4)) : 1,
    minInstancesInService: known ? Math.min(minCapacity, maxCapacity - 1) : 0,
    pauseTime: Duration.minutes(3),
  });
}

/**
 * The architecture of an instance type: from the facts table, else from its name (Graviton families have a `g`
 * right after the generation number, as in `m7g`, `c7gn` or `t4g`; `a1` is Graviton too).
 */
function architectureOf(instanceType: ec2.InstanceType): string {
  const name = String(instanceType);
  return instanceTypeFacts(instanceType)?.architecture ?? architectureByName(name);
}

/** The architecture of an instance type by its name alone. */
function architectureByName(name: string): 'arm64' | 'x86_64' {
  return /^([a-z]+\d+g|a1\.)/.test(name) ? 'arm64' : 'x86_64';
}
