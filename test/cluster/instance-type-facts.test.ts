import { CfnParameter, Lazy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  instanceTypeFacts,
  InstanceTypeFacts,
  PLATFORM_MEMORY_OVERHEAD,
  schedulableCpuUnits,
  schedulableMemoryMiB,
} from '../../src/cluster/instance-type-facts';
import { testStack } from '../util';

function factsOf(name: string): InstanceTypeFacts | undefined {
  return instanceTypeFacts(new ec2.InstanceType(name));
}

describe('instanceTypeFacts', () => {
  test.each<[string, number, number, number, string]>([
    // name, vCPUs, memory MiB, ENIs, architecture
    ['m6i.large', 2, 8192, 3, 'x86_64'],
    ['m6i.xlarge', 4, 16384, 4, 'x86_64'],
    ['m5.4xlarge', 16, 65536, 8, 'x86_64'],
    ['m7i.16xlarge', 64, 262144, 15, 'x86_64'],
    ['m7g.xlarge', 4, 16384, 4, 'arm64'],
    ['m6g.large', 2, 8192, 3, 'arm64'],
    ['c6i.2xlarge', 8, 16384, 4, 'x86_64'],
    ['c7g.large', 2, 4096, 3, 'arm64'],
    ['r6i.large', 2, 16384, 3, 'x86_64'],
    ['r7g.12xlarge', 48, 393216, 8, 'arm64'],
    ['t3.nano', 2, 512, 2, 'x86_64'],
    ['t3.micro', 2, 1024, 2, 'x86_64'],
    ['t3.medium', 2, 4096, 3, 'x86_64'],
    ['t3.2xlarge', 8, 32768, 4, 'x86_64'],
  ])('knows %s: %s vCPUs, %s MiB, %s ENIs, %s', (name, vcpus, memoryMiB, maxEnis, architecture) => {
    expect(factsOf(name)).toEqual({ name, vcpus, memoryMiB, maxEnis, architecture });
  });

  test('knows an instance type built from its class and size', () => {
    const facts = instanceTypeFacts(ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE));
    expect(facts?.name).toEqual('m6i.large');
  });

  test.each(['x2idn.16xlarge', 'm6i.24xlarge', 'p5.48xlarge', 't3a.large'])('gives undefined for %s, which is not in the table', (name) => {
    expect(factsOf(name)).toBeUndefined();
  });

  test('gives undefined for a lazy token', () => {
    const instanceType = new ec2.InstanceType(Lazy.string({ produce: () => 'm6i.large' }));
    expect(instanceTypeFacts(instanceType)).toBeUndefined();
  });

  test('gives undefined for a parameter reference', () => {
    const stack = testStack();
    const parameter = new CfnParameter(stack, 'InstanceType', { default: 'm6i.large' });
    expect(instanceTypeFacts(new ec2.InstanceType(parameter.valueAsString))).toBeUndefined();
  });
});

describe('schedulableMemoryMiB', () => {
  test('keeps 3 % of the memory for the platform', () => {
    expect(PLATFORM_MEMORY_OVERHEAD).toEqual(0.03);
  });

  test('gives floor(8192 * 0.97) MiB for m6i.large', () => {
    expect(schedulableMemoryMiB(factsOf('m6i.large')!)).toEqual(Math.floor(8192 * 0.97));
    expect(schedulableMemoryMiB(factsOf('m6i.large')!)).toEqual(7946);
  });

  test.each<[string, number]>([
    ['t3.micro', 993],
    ['c6i.2xlarge', 15892],
    ['r6i.large', 15892],
  ])('gives %s schedulable memory of %s MiB', (name, expected) => {
    expect(schedulableMemoryMiB(factsOf(name)!)).toEqual(expected);
  });
});

describe('schedulableCpuUnits', () => {
  test.each<[string, number]>([
    ['m6i.large', 2048],
    ['m7g.xlarge', 4096],
    ['c6i.2xlarge', 8192],
    ['t3.micro', 2048],
  ])('gives %s 1024 units per vCPU: %s', (name, expected) => {
    const facts = factsOf(name)!;
    expect(schedulableCpuUnits(facts)).toEqual(expected);
    expect(schedulableCpuUnits(facts)).toEqual(facts.vcpus * 1024);
  });
});
