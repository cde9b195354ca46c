import { CfnParameter, Size, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import {
  amazonLinuxInstanceLogLines, capacityFixture, instanceLogGroupText, tokenText, userDataScript, windowsInstanceLogLines,
} from './ec2-capacity.fixtures';
import { AmiFamily, AmiResolution, Ec2Capacity, Ec2CapacityProps } from '../../src';
import { POWERSHELL_EPILOGUE, POWERSHELL_PROLOGUE, SHELL_PROLOGUE } from '../../src/cluster/private/container-instance-user-data';
import { nagFindings } from '../util';

interface FamilyCase {
  readonly family: AmiFamily;
  readonly displayName: string;
  readonly parameter: string;
  readonly architecture: 'x86_64' | 'arm64';
  readonly os: 'linux' | 'windows';
  readonly instanceType: string;
  readonly device: string;
  readonly volumeGiB: number;
  readonly minVolumeGiB: number;
  /** An instance type of the other architecture, which the family refuses. */
  readonly otherArchitectureType: string;
}

const FAMILIES: FamilyCase[] = [
  {
    family: AmiFamily.AMAZON_LINUX_2023,
    displayName: 'Amazon Linux 2023 (x86_64)',
    parameter: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
    architecture: 'x86_64',
    os: 'linux',
    instanceType: 'm6i.large',
    device: '/dev/xvda',
    volumeGiB: 30,
    minVolumeGiB: 30,
    otherArchitectureType: 'm7g.large',
  },
  {
    family: AmiFamily.AMAZON_LINUX_2023_ARM64,
    displayName: 'Amazon Linux 2023 (arm64)',
    parameter: '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id',
    architecture: 'arm64',
    os: 'linux',
    instanceType: 'm7g.large',
    device: '/dev/xvda',
    volumeGiB: 30,
    minVolumeGiB: 30,
    otherArchitectureType: 'm6i.large',
  },
  {
    family: AmiFamily.BOTTLEROCKET,
    displayName: 'Bottlerocket aws-ecs-2 (x86_64)',
    parameter: '/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id',
    architecture: 'x86_64',
    os: 'linux',
    instanceType: 'm6i.large',
    device: '/dev/xvdb',
    volumeGiB: 30,
    minVolumeGiB: 20,
    otherArchitectureType: 'c7g.large',
  },
  {
    family: AmiFamily.BOTTLEROCKET_ARM64,
    displayName: 'Bottlerocket aws-ecs-2 (arm64)',
    parameter: '/aws/service/bottlerocket/aws-ecs-2/arm64/latest/image_id',
    architecture: 'arm64',
    os: 'linux',
    instanceType: 'm7g.large',
    device: '/dev/xvdb',
    volumeGiB: 30,
    minVolumeGiB: 20,
    otherArchitectureType: 'c6i.large',
  },
  {
    family: AmiFamily.WINDOWS_SERVER_2022_FULL,
    displayName: 'Windows Server 2022 Full',
    parameter: '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-ECS_Optimized/image_id',
    architecture: 'x86_64',
    os: 'windows',
    instanceType: 'm6i.xlarge',
    device: '/dev/sda1',
    volumeGiB: 100,
    minVolumeGiB: 50,
    otherArchitectureType: 'm6g.xlarge',
  },
  {
    family: AmiFamily.WINDOWS_SERVER_2022_CORE,
    displayName: 'Windows Server 2022 Core',
    parameter: '/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-ECS_Optimized/image_id',
    architecture: 'x86_64',
    os: 'windows',
    instanceType: 'm6i.xlarge',
    device: '/dev/sda1',
    volumeGiB: 100,
    minVolumeGiB: 50,
    otherArchitectureType: 'r7g.large',
  },
];

const BOTTLEROCKET_FAMILIES = [AmiFamily.BOTTLEROCKET, AmiFamily.BOTTLEROCKET_ARM64];

const SSM_IMAGE_PARAMETER_TYPE = 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>';

/** The text of the URL suffix token in `userDataScript()`. */
const URL_SUFFIX = '{"Ref":"AWS::URLSuffix"}';

/**
 * The user data of each family's default capacity, with `cluster` the cluster name's token text and `logGroup` the
 * instance log group name's token text (unused on Bottlerocket, which ships no instance logs).
 */
const DEFAULT_USER_DATA: [AmiFamily, (cluster: string, logGroup: string) => string][] = [
  [AmiFamily.AMAZON_LINUX_2023, amazonLinuxUserData],
  [AmiFamily.AMAZON_LINUX_2023_ARM64, amazonLinuxUserData],
  [AmiFamily.BOTTLEROCKET, bottlerocketUserData],
  [AmiFamily.BOTTLEROCKET_ARM64, bottlerocketUserData],
  [AmiFamily.WINDOWS_SERVER_2022_FULL, windowsUserData],
  [AmiFamily.WINDOWS_SERVER_2022_CORE, windowsUserData],
];

function amazonLinuxUserData(cluster: string, logGroup: string): string {
  return [
    ...SHELL_PROLOGUE,
    "cat <<'EOF' >> /etc/ecs/ecs.config",
    'ECS_AWSVPC_BLOCK_IMDS=true',
    `ECS_CLUSTER=${cluster}`,
    'ECS_DISABLE_PRIVILEGED=true',
    'ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true',
    'ECS_ENABLE_TASK_IAM_ROLE=true',
    'ECS_ENABLE_TASK_IAM_ROLE_NETWORK_HOST=false',
    'EOF',
    ...amazonLinuxInstanceLogLines(logGroup),
  ].join('\n');
}

function bottlerocketUserData(cluster: string): string {
  return [
    '[settings.ecs]',
    `cluster = "${cluster}"`,
    'awsvpc-block-imds = true',
    'allow-privileged-containers = false',
  ].join('\n');
}

function windowsUserData(cluster: string, logGroup: string): string {
  return [
    '<powershell>', ...POWERSHELL_PROLOGUE,
    'Remove-Item -Recurse -ErrorAction SilentlyContinue C:\\ProgramData\\Amazon\\ECS\\Cache',
    'Import-Module ECSTools',
    "[Environment]::SetEnvironmentVariable('ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE', 'true', 'Machine')",
    ...windowsInstanceLogLines(logGroup, 'us-east-1', URL_SUFFIX),
    `Initialize-ECSAgent -Cluster '${cluster}' -EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS -LoggingDrivers '["json-file","awslogs"]'`,
    ...POWERSHELL_EPILOGUE, '</powershell>',
  ].join('\n');
}

describe('Ec2Capacity', () => {
  let stack: Stack;
  let cluster: ecs.Cluster;
  beforeEach(() => {
    ({ stack, cluster } = capacityFixture());
  });

  function capacity(props: Partial<Ec2CapacityProps> = {}): Ec2Capacity {
    return new Ec2Capacity(stack, 'Capacity', { cluster, ...props });
  }

  describe('AMI families', () => {
    test.each(FAMILIES)('$family reads its AMI id from $parameter at deploy time', ({ family, parameter }) => {
      const cap = capacity({ amiFamily: family });
      expect(cap.amiFamily).toEqual(family);
      expect(cap.amiResolution).toEqual(AmiResolution.DEPLOY_TIME);
      const template = Template.fromStack(stack);
      const parameters = Object.keys(template.findParameters('*', { Type: SSM_IMAGE_PARAMETER_TYPE }));
      expect(parameters).toHaveLength(1);
      template.hasParameter(parameters[0], { Type: SSM_IMAGE_PARAMETER_TYPE, Default: parameter });
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ ImageId: { Ref: parameters[0] } }),
      });
    });

    test.each(FAMILIES)('$family launches $instanceType instances by default', ({ family, instanceType }) => {
      const cap = capacity({ amiFamily: family });
      expect(cap.instanceType.toString()).toEqual(instanceType);
      expect(cap.instanceTypes.map(String)).toEqual([instanceType]);
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ InstanceType: instanceType }),
      });
    });

    test.each(FAMILIES)('$family keeps container images on an encrypted $volumeGiB GiB gp3 volume on $device by default',
      ({ family, device, volumeGiB }) => {
        capacity({ amiFamily: family });
        Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
          LaunchTemplateData: Match.objectLike({
            BlockDeviceMappings: Match.arrayWith([{
              DeviceName: device,
              Ebs: { DeleteOnTermination: true, Encrypted: true, VolumeSize: volumeGiB, VolumeType: 'gp3' },
            }]),
          }),
        });
      });

    test.each(FAMILIES)('$family maps no volume that is not encrypted', ({ family }) => {
      capacity({ amiFamily: family });
      const launchTemplate = Object.values(Template.fromStack(stack).findResources('AWS::EC2::LaunchTemplate'))[0];
      const mappings = launchTemplate.Properties.LaunchTemplateData.BlockDeviceMappings as { Ebs: { Encrypted: boolean } }[];
      expect(mappings.filter((mapping) => mapping.Ebs.Encrypted !== true)).toEqual([]);
    });

    // SUSPECTED SRC BUG (src/cluster/private/ami-families.ts BOTTLEROCKET_OS + src/cluster/ec2-capacity.ts blockDevices): the launch
    // template maps only Bottlerocket's data volume (/dev/xvdb). The OS volume (/dev/xvda) comes from the public AMI's
    // snapshot, which cannot be encrypted, so it launches unencrypted unless the account turns on EBS encryption by default.
    // cdk-nag (EC26) sees only the mapped volumes and stays silent. Turn into `test` once the OS volume is mapped encrypted.
    test.each(BOTTLEROCKET_FAMILIES)('%s also encrypts its OS volume on /dev/xvda', (family) => {
      capacity({ amiFamily: family });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          BlockDeviceMappings: Match.arrayWith([Match.objectLike({ DeviceName: '/dev/xvda', Ebs: Match.objectLike({ Encrypted: true }) })]),
        }),
      });
    });

    test.each(FAMILIES)('$family uses the provided image volume size on $device', ({ family, device }) => {
      capacity({ amiFamily: family, rootVolumeSize: Size.gibibytes(200) });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({
          BlockDeviceMappings: Match.arrayWith([Match.objectLike({
            DeviceName: device,
            Ebs: Match.objectLike({ VolumeSize: 200, Encrypted: true }),
          })]),
        }),
      });
    });

    test.each(FAMILIES)('$family accepts an image volume of $minVolumeGiB GiB', ({ family, minVolumeGiB }) => {
      expect(() => capacity({ amiFamily: family, rootVolumeSize: Size.gibibytes(minVolumeGiB) })).not.toThrow();
    });

    test.each(FAMILIES)('$family fails with an image volume below $minVolumeGiB GiB', ({ family, minVolumeGiB }) => {
      expect(() => capacity({ amiFamily: family, rootVolumeSize: Size.gibibytes(minVolumeGiB - 1) })).toThrow(
        `[TestStack/Capacity] \`rootVolumeSize\` must be an integer between ${minVolumeGiB} and 16384, got: ${minVolumeGiB - 1}`,
      );
    });

    test.each(FAMILIES)('$family runs $os instances', ({ family, os }) => {
      expect(capacity({ amiFamily: family }).osType).toEqual(os);
    });

    test.each(DEFAULT_USER_DATA)('%s renders its agent configuration in its own format', (family, expected) => {
      const cap = capacity({ amiFamily: family });
      const logGroup = BOTTLEROCKET_FAMILIES.includes(family) ? '' : instanceLogGroupText(stack, cap);
      expect(userDataScript(Template.fromStack(stack))).toEqual(expected(tokenText(stack, cluster.clusterName), logGroup));
    });

    test.each([AmiFamily.WINDOWS_SERVER_2022_FULL, AmiFamily.WINDOWS_SERVER_2022_CORE])(
      '%s starts the agent last, after every environment variable is set (without instance logs)', (family) => {
        capacity({ amiFamily: family, instanceLogs: false, agentSettings: { instanceAttributes: { team: 'payments' } } });
        const lines = userDataScript(Template.fromStack(stack)).split('\n');
        const end = lines.length - POWERSHELL_EPILOGUE.length - 1;
        expect(lines.slice(end)).toEqual([...POWERSHELL_EPILOGUE, '</powershell>']);
        expect(lines[end - 1]).toMatch(/^Initialize-ECSAgent -Cluster '.+' -EnableTaskIAMRole -EnableTaskENI -AwsvpcBlockIMDS /);
        expect(lines.filter((line) => line.startsWith('Initialize-ECSAgent'))).toHaveLength(1);
      });

    test.each(FAMILIES)('$family has no AwsSolutions findings', ({ family }) => {
      const cap = capacity({ amiFamily: family });
      expect(nagFindings(cap)).toEqual([]);
    });

    test.each(FAMILIES)('$family has no AwsSolutions findings with Spot', ({ family }) => {
      const cap = capacity({ amiFamily: family, spot: {} });
      expect(nagFindings(cap)).toEqual([]);
    });
  });

  describe('AMI resolution', () => {
    test.each(FAMILIES)('$family resolves $parameter at each launch with LAUNCH_TIME', ({ family, parameter }) => {
      const cap = capacity({ amiFamily: family, amiResolution: AmiResolution.LAUNCH_TIME });
      expect(cap.amiResolution).toEqual(AmiResolution.LAUNCH_TIME);
      const template = Template.fromStack(stack);
      expect(template.findParameters('*', { Type: SSM_IMAGE_PARAMETER_TYPE })).toEqual({});
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ ImageId: `resolve:ssm:${parameter}` }),
      });
    });

    test('keeps the same user data with LAUNCH_TIME', () => {
      const cap = capacity({ amiResolution: AmiResolution.LAUNCH_TIME });
      expect(userDataScript(Template.fromStack(stack)))
        .toEqual(amazonLinuxUserData(tokenText(stack, cluster.clusterName), instanceLogGroupText(stack, cap)));
    });

    test('reads the AMI id at deploy time when DEPLOY_TIME is given', () => {
      const cap = capacity({ amiResolution: AmiResolution.DEPLOY_TIME });
      expect(cap.amiResolution).toEqual(AmiResolution.DEPLOY_TIME);
      expect(Object.keys(Template.fromStack(stack).findParameters('*', { Type: SSM_IMAGE_PARAMETER_TYPE }))).toHaveLength(1);
    });

    test('has no AwsSolutions findings with LAUNCH_TIME', () => {
      const cap = capacity({ amiResolution: AmiResolution.LAUNCH_TIME });
      expect(nagFindings(cap)).toEqual([]);
    });
  });

  describe('instance type architecture', () => {
    test.each(FAMILIES)('$family fails with the $otherArchitectureType instance type', ({ family, displayName, architecture, otherArchitectureType }) => {
      const other = architecture === 'x86_64' ? 'arm64' : 'x86_64';
      expect(() => capacity({ amiFamily: family, instanceType: new ec2.InstanceType(otherArchitectureType) })).toThrow(
        `[TestStack/Capacity] \`instanceType\` must be an ${architecture} instance type for the ${displayName} AMI ` +
        `(or pick another \`amiFamily\`), got: "${otherArchitectureType} (${other})"`,
      );
    });

    test.each(FAMILIES)('$family fails with $otherArchitectureType among the additional instance types, naming its index',
      ({ family, displayName, architecture, instanceType, otherArchitectureType }) => {
        const other = architecture === 'x86_64' ? 'arm64' : 'x86_64';
        const sameArchitecture = architecture === 'x86_64' ? 'c6i.2xlarge' : 'c7g.2xlarge';
        expect(() => capacity({
          amiFamily: family,
          instanceType: new ec2.InstanceType(instanceType),
          additionalInstanceTypes: [new ec2.InstanceType(sameArchitecture), new ec2.InstanceType(otherArchitectureType)],
        })).toThrow(
          `[TestStack/Capacity] \`additionalInstanceTypes[1]\` must be an ${architecture} instance type for the ${displayName} AMI ` +
          `(or pick another \`amiFamily\`), got: "${otherArchitectureType} (${other})"`,
        );
      });

    test('fails with m6i on the Graviton Bottlerocket family', () => {
      expect(() => capacity({ amiFamily: AmiFamily.BOTTLEROCKET_ARM64, instanceType: new ec2.InstanceType('m6i.2xlarge') }))
        .toThrow(/`instanceType` must be an arm64 instance type for the Bottlerocket aws-ecs-2 \(arm64\) AMI .* got: "m6i.2xlarge \(x86_64\)"/);
    });

    // Not in the instance type facts table: classified by name.
    test.each<[string, 'x86_64' | 'arm64']>([
      ['t4g.medium', 'arm64'],
      ['a1.large', 'arm64'],
      ['c7gn.large', 'arm64'],
      ['g5g.xlarge', 'arm64'],
      ['im4gn.large', 'arm64'],
      ['x2gd.medium', 'arm64'],
      ['c5.large', 'x86_64'],
      ['t3a.medium', 'x86_64'],
      ['g4dn.xlarge', 'x86_64'],
      ['m7i-flex.large', 'x86_64'],
      ['x2idn.16xlarge', 'x86_64'],
    ])('classifies %s as %s by its name', (name, architecture) => {
      const [family, otherFamily, otherName] = architecture === 'arm64'
        ? [AmiFamily.AMAZON_LINUX_2023_ARM64, AmiFamily.AMAZON_LINUX_2023, 'Amazon Linux 2023 (x86_64)']
        : [AmiFamily.AMAZON_LINUX_2023, AmiFamily.AMAZON_LINUX_2023_ARM64, 'Amazon Linux 2023 (arm64)'];
      const instanceType = new ec2.InstanceType(name);
      // not in the facts table: declared with its facts
      const newInstanceTypes = [{ instanceType, vcpus: 4, memory: Size.gibibytes(16), maxNetworkInterfaces: 4 }];
      expect(() => new Ec2Capacity(stack, 'Same', { cluster, amiFamily: family, instanceType, newInstanceTypes })).not.toThrow();
      expect(() => new Ec2Capacity(stack, 'Other', { cluster, amiFamily: otherFamily, instanceType: new ec2.InstanceType(name) })).toThrow(
        `for the ${otherName} AMI (or pick another \`amiFamily\`), got: "${name} (${architecture})"`,
      );
    });

    test('accepts several instance types of the family\'s architecture', () => {
      const t4gLarge = new ec2.InstanceType('t4g.large');
      const cap = capacity({
        amiFamily: AmiFamily.BOTTLEROCKET_ARM64,
        additionalInstanceTypes: [new ec2.InstanceType('m6g.large'), new ec2.InstanceType('c7g.xlarge'), t4gLarge],
        newInstanceTypes: [{ instanceType: t4gLarge, vcpus: 2, memory: Size.gibibytes(8), maxNetworkInterfaces: 3, taskLimitWithTrunking: 0 }],
      });
      expect(cap.instanceTypes.map(String)).toEqual(['m7g.large', 'm6g.large', 'c7g.xlarge', 't4g.large']);
    });

    // SRC BUG (src/cluster/ec2-capacity.ts, architectureOf): an unresolved instance type (a CfnParameter) is classified by
    // the name regex, which never matches a token string, so it is taken for x86_64 and every arm64 family refuses it
    // ("got: "${Token[TOKEN.n]} (x86_64)""). The x86_64 families accept it only by accident (see 'accepts an instance type
    // token without checking its architecture' in ec2-capacity.test.ts). Turn into `test` once architectureOf skips tokens.
    test('accepts an instance type token on an arm64 family without checking its architecture', () => {
      const parameter = new CfnParameter(stack, 'InstanceType', { default: 'm7g.large' });
      capacity({ amiFamily: AmiFamily.AMAZON_LINUX_2023_ARM64, instanceType: new ec2.InstanceType(parameter.valueAsString) });
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ InstanceType: { Ref: 'InstanceType' } }),
      });
    });
  });
});
