import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AmiFamily } from '../../../src/cluster/ami-family';
import { AmiFamilyFacts, amiFamilyFacts } from '../../../src/cluster/private/ami-families';

describe('amiFamilyFacts', () => {
  const expected: Record<AmiFamily, AmiFamilyFacts> = {
    [AmiFamily.AMAZON_LINUX_2023]: {
      displayName: 'Amazon Linux 2023 (x86_64)',
      parameterName: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
      architecture: 'x86_64',
      os: 'linux',
      osType: ec2.OperatingSystemType.LINUX,
      userDataFormat: 'shell',
      machineImageType: ecs.MachineImageType.AMAZON_LINUX_2,
      defaultInstanceType: 'm6i.large',
      imageVolumeDevice: '/dev/xvda',
      minImageVolumeGiB: 30,
      defaultImageVolumeGiB: 30,
      serviceConnect: true,
    },
    [AmiFamily.AMAZON_LINUX_2023_ARM64]: {
      displayName: 'Amazon Linux 2023 (arm64)',
      parameterName: '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id',
      architecture: 'arm64',
      os: 'linux',
      osType: ec2.OperatingSystemType.LINUX,
      userDataFormat: 'shell',
      machineImageType: ecs.MachineImageType.AMAZON_LINUX_2,
      defaultInstanceType: 'm7g.large',
      imageVolumeDevice: '/dev/xvda',
      minImageVolumeGiB: 30,
      defaultImageVolumeGiB: 30,
      serviceConnect: true,
    },
    [AmiFamily.BOTTLEROCKET]: {
      displayName: 'Bottlerocket aws-ecs-2 (x86_64)',
      parameterName: '/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id',
      architecture: 'x86_64',
      os: 'linux',
      osType: ec2.OperatingSystemType.LINUX,
      userDataFormat: 'toml',
      machineImageType: ecs.MachineImageType.BOTTLEROCKET,
      defaultInstanceType: 'm6i.large',
      osVolumeDevice: '/dev/xvda',
      imageVolumeDevice: '/dev/xvdb',
      minImageVolumeGiB: 20,
      defaultImageVolumeGiB: 30,
      serviceConnect: false,
    },
    [AmiFamily.BOTTLEROCKET_ARM64]: {
      displayName: 'Bottlerocket aws-ecs-2 (arm64)',
      parameterName: '/aws/service/bottlerocket/aws-ecs-2/arm64/latest/image_id',
      architecture: 'arm64',
      os: 'linux',
      osType: ec2.OperatingSystemType.LINUX,
      userDataFormat: 'toml',
      machineImageType: ecs.MachineImageType.BOTTLEROCKET,
      defaultInstanceType: 'm7g.large',
      osVolumeDevice: '/dev/xvda',
      imageVolumeDevice: '/dev/xvdb',
      minImageVolumeGiB: 20,
      defaultImageVolumeGiB: 30,
      serviceConnect: false,
    },
    [AmiFamily.WINDOWS_SERVER_2022_FULL]: {
      displayName: 'Windows Server 2022 Full',
      parameterName: '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-ECS_Optimized/image_id',
      architecture: 'x86_64',
      os: 'windows',
      osType: ec2.OperatingSystemType.WINDOWS,
      userDataFormat: 'powershell',
      machineImageType: ecs.MachineImageType.AMAZON_LINUX_2,
      defaultInstanceType: 'm6i.xlarge',
      imageVolumeDevice: '/dev/sda1',
      minImageVolumeGiB: 50,
      defaultImageVolumeGiB: 100,
      serviceConnect: false,
    },
    [AmiFamily.WINDOWS_SERVER_2022_CORE]: {
      displayName: 'Windows Server 2022 Core',
      parameterName: '/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-ECS_Optimized/image_id',
      architecture: 'x86_64',
      os: 'windows',
      osType: ec2.OperatingSystemType.WINDOWS,
      userDataFormat: 'powershell',
      machineImageType: ecs.MachineImageType.AMAZON_LINUX_2,
      defaultInstanceType: 'm6i.xlarge',
      imageVolumeDevice: '/dev/sda1',
      minImageVolumeGiB: 50,
      defaultImageVolumeGiB: 100,
      serviceConnect: false,
    },
  };

  test('has an expectation for every AmiFamily', () => {
    expect(Object.keys(expected).sort()).toEqual(Object.values(AmiFamily).sort());
  });

  test.each(Object.values(AmiFamily))('gives the facts of %s', (family) => {
    expect(amiFamilyFacts(family)).toEqual(expected[family]);
  });

  test.each<[AmiFamily, string, string, string, string, string, string]>([
    [AmiFamily.AMAZON_LINUX_2023, '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id', 'x86_64', 'linux', 'shell', 'm6i.large', '/dev/xvda'],
    [AmiFamily.AMAZON_LINUX_2023_ARM64, '/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id', 'arm64', 'linux', 'shell', 'm7g.large', '/dev/xvda'],
    [AmiFamily.BOTTLEROCKET, '/aws/service/bottlerocket/aws-ecs-2/x86_64/latest/image_id', 'x86_64', 'linux', 'toml', 'm6i.large', '/dev/xvdb'],
    [AmiFamily.BOTTLEROCKET_ARM64, '/aws/service/bottlerocket/aws-ecs-2/arm64/latest/image_id', 'arm64', 'linux', 'toml', 'm7g.large', '/dev/xvdb'],
    [AmiFamily.WINDOWS_SERVER_2022_FULL, '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-ECS_Optimized/image_id', 'x86_64', 'windows', 'powershell', 'm6i.xlarge', '/dev/sda1'],
    [AmiFamily.WINDOWS_SERVER_2022_CORE, '/aws/service/ami-windows-latest/Windows_Server-2022-English-Core-ECS_Optimized/image_id', 'x86_64', 'windows', 'powershell', 'm6i.xlarge', '/dev/sda1'],
  ])('reads %s from %s, for %s %s instances with %s user data, %s by default, images on %s',
    (family, parameterName, architecture, os, userDataFormat, defaultInstanceType, imageVolumeDevice) => {
      expect(amiFamilyFacts(family)).toMatchObject({ parameterName, architecture, os, userDataFormat, defaultInstanceType, imageVolumeDevice });
    });

  test.each(Object.values(AmiFamily))('names a public SSM parameter under /aws/service/ for %s', (family) => {
    expect(amiFamilyFacts(family).parameterName).toMatch(/^\/aws\/service\/[A-Za-z0-9_./-]+\/image_id$/);
  });

  test.each(Object.values(AmiFamily))('makes the default image volume at least the AMI snapshot for %s', (family) => {
    const facts = amiFamilyFacts(family);
    expect(facts.defaultImageVolumeGiB).toBeGreaterThanOrEqual(facts.minImageVolumeGiB);
  });

  test.each(Object.values(AmiFamily))('agrees on the operating system for %s', (family) => {
    const facts = amiFamilyFacts(family);
    expect(facts.osType).toEqual(facts.os === 'windows' ? ec2.OperatingSystemType.WINDOWS : ec2.OperatingSystemType.LINUX);
    expect(facts.userDataFormat === 'powershell').toEqual(facts.os === 'windows');
  });

  test('gives a distinct parameter to every family', () => {
    const parameters = Object.values(AmiFamily).map((family) => amiFamilyFacts(family).parameterName);
    expect(new Set(parameters).size).toEqual(parameters.length);
  });
});
