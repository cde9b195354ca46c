import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { UserDataFormat } from './container-instance-user-data';
import { AmiFamily } from '../ami-family';

/** The operating system of a container instance, as ECS reports it in the `ecs.os-type` attribute. */
export type ContainerOs = 'linux' | 'windows';

/** What a capacity needs to know about an AMI family. */
export interface AmiFamilyFacts {
  /** A readable name for messages. */
  readonly displayName: string;
  /** The public SSM parameter that holds the AMI id. */
  readonly parameterName: string;
  readonly architecture: 'x86_64' | 'arm64';
  readonly os: ContainerOs;
  readonly osType: ec2.OperatingSystemType;
  readonly userDataFormat: UserDataFormat;
  /** How aws-cdk-lib's capacity provider treats the image. */
  readonly machineImageType: ecs.MachineImageType;
  /** The instance type used when none is given. */
  readonly defaultInstanceType: string;
  /** A separate operating system volume, encrypted at its AMI snapshot's size (Bottlerocket's `/dev/xvda`). */
  readonly osVolumeDevice?: string;
  /** The device that holds container images: the root volume, or Bottlerocket's data volume. */
  readonly imageVolumeDevice: string;
  /** The smallest image volume (GiB): the AMI's snapshot size. */
  readonly minImageVolumeGiB: number;
  readonly defaultImageVolumeGiB: number;
  /**
   * Whether the AMI runs ECS Service Connect: its agent needs the Service Connect agent image that the ECS-optimized
   * Amazon Linux AMIs ship, and the Bottlerocket AMIs do not ("The Bottlerocket AMIs also don't support the following
   * services and features: … Service Connect"); Windows has no Service Connect at all.
   *
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-bottlerocket.html
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts-deploy.html
   */
  readonly serviceConnect: boolean;
}

const AL2023 = '/aws/service/ecs/optimized-ami/amazon-linux-2023';
const BOTTLEROCKET = '/aws/service/bottlerocket/aws-ecs-2';
const WINDOWS = '/aws/service/ami-windows-latest/Windows_Server-2022-English';

const LINUX = { os: 'linux', osType: ec2.OperatingSystemType.LINUX } as const;
const AMAZON_LINUX = {
  ...LINUX,
  userDataFormat: 'shell',
  machineImageType: ecs.MachineImageType.AMAZON_LINUX_2,
  imageVolumeDevice: '/dev/xvda',
  minImageVolumeGiB: 30,
  defaultImageVolumeGiB: 30,
  serviceConnect: true,
} as const;
const BOTTLEROCKET_OS = {
  ...LINUX,
  userDataFormat: 'toml',
  machineImageType: ecs.MachineImageType.BOTTLEROCKET,
  // Bottlerocket's OS volume (/dev/xvda) is read-only; images live on the data volume
  osVolumeDevice: '/dev/xvda',
  imageVolumeDevice: '/dev/xvdb',
  minImageVolumeGiB: 20,
  defaultImageVolumeGiB: 30,
  serviceConnect: false,
} as const;
const WINDOWS_OS = {
  os: 'windows',
  osType: ec2.OperatingSystemType.WINDOWS,
  userDataFormat: 'powershell',
  machineImageType: ecs.MachineImageType.AMAZON_LINUX_2, // ignored by aws-cdk-lib for Windows images
  architecture: 'x86_64',
  defaultInstanceType: 'm6i.xlarge',
  imageVolumeDevice: '/dev/sda1',
  minImageVolumeGiB: 50,
  defaultImageVolumeGiB: 100,
  serviceConnect: false,
} as const;

const FACTS: Record<AmiFamily, AmiFamilyFacts> = {
  [AmiFamily.AMAZON_LINUX_2023]: {
    ...AMAZON_LINUX,
    displayName: 'Amazon Linux 2023 (x86_64)',
    parameterName: `${AL2023}/recommended/image_id`,
    architecture: 'x86_64',
    defaultInstanceType: 'm6i.large',
  },
  [AmiFamily.AMAZON_LINUX_2023_ARM64]: {
    ...AMAZON_LINUX,
    displayName: 'Amazon Linux 2023 (arm64)',
    parameterName: `${AL2023}/arm64/recommended/image_id`,
    architecture: 'arm64',
    defaultInstanceType: 'm7g.large',
  },
  [AmiFamily.BOTTLEROCKET]: {
    ...BOTTLEROCKET_OS,
    displayName: 'Bottlerocket aws-ecs-2 (x86_64)',
    parameterName: `${BOTTLEROCKET}/x86_64/latest/image_id`,
    architecture: 'x86_64',
    defaultInstanceType: 'm6i.large',
  },
  [AmiFamily.BOTTLEROCKET_ARM64]: {
    ...BOTTLEROCKET_OS,
    displayName: 'Bottlerocket aws-ecs-2 (arm64)',
    parameterName: `${BOTTLEROCKET}/arm64/latest/image_id`,
    architecture: 'arm64',
    defaultInstanceType: 'm7g.large',
  },
  [AmiFamily.WINDOWS_SERVER_2022_FULL]: {
    ...WINDOWS_OS,
    displayName: 'Windows Server 2022 Full',
    parameterName: `${WINDOWS}-Full-ECS_Optimized/image_id`,
  },
  [AmiFamily.WINDOWS_SERVER_2022_CORE]: {
    ...WINDOWS_OS,
    displayName: 'Windows Server 2022 Core',
    parameterName: `${WINDOWS}-Core-ECS_Optimized/image_id`,
  },
};

/** The facts of an AMI family. */
export function amiFamilyFacts(family: AmiFamily): AmiFamilyFacts {
  return FACTS[family];
}

/**
 * The commands the user data may run on each shell AMI family without installing them first, read from
 * aws/amazon-ecs-ami at a2532d3503f2052a09ac18189b0de33918406db8:
 *
 * - `release-al2023.auto.pkrvars.hcl`: the ECS-optimized AL2023 AMIs (x86_64 and arm64) are built from
 *   `al2023-ami-minimal-*`, which has bash, coreutils, dnf, rpm, systemd, curl (curl-minimal) and cloud-init;
 * - `variables.pkr.hcl` (`packages_al2023`): amazon-efs-utils, amazon-ssm-agent, amazon-ec2-net-utils, acpid,
 *   iproute-tc, ec2-instance-connect; `scripts/install-docker.sh` and `scripts/install-ecs-init.sh`: docker and ecs-init.
 *
 * Neither ships the AWS CLI (`aws`) or the CloudWatch agent: the user data installs them with dnf first. Windows
 * Server 2022 ECS-optimized AMIs are not built in that repository: they run PowerShell with the ECSTools module
 * (`Import-Module ECSTools`, `Initialize-ECSAgent`) and EC2Launch v2, and the user data uses only cmdlets of
 * PowerShell itself and msiexec. Bottlerocket takes TOML settings and runs no commands.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-optimized_AMI.html
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-optimized_windows_AMI.html
 */
export const AL2023_COMMANDS: readonly string[] = [
  // bash builtins
  'set', 'trap', 'echo', 'exit', 'export', 'cd', 'test', '[', 'true', 'false', 'if', 'then', 'fi', 'for', 'do', 'done',
  // coreutils, util-linux and friends of the minimal AMI
  'cat', 'cp', 'mv', 'rm', 'mkdir', 'chmod', 'chown', 'ln', 'touch', 'tee', 'sed', 'grep', 'sleep',
  'dnf', 'rpm', 'systemctl', 'curl', 'cloud-init', 'python3',
  // installed by the ECS AMI build
  'docker', 'tc', 'mount.efs',
];

/** The commands a dnf package of the AL2023 repository installs, for the packages the user data installs. */
export const AL2023_PACKAGE_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  'awscli-2': ['aws'],
  'amazon-cloudwatch-agent': ['/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl'],
  'rsyslog': ['rsyslogd'],
};
