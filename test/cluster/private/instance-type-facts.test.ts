import { CfnParameter, Lazy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  awsvpcTasksPerInstance,
  instanceTypeFacts,
  InstanceTypeFacts,
  instanceTypeFactsByName,
  PLATFORM_MEMORY_OVERHEAD,
  schedulableCpuUnits,
  schedulableMemoryMiB,
} from '../../../src/cluster/private/instance-type-facts';
import { testStack } from '../../util';

function factsOf(name: string): InstanceTypeFacts | undefined {
  return instanceTypeFacts(new ec2.InstanceType(name));
}

describe('instanceTypeFacts', () => {
  test.each<[string, number, number, number, string, number | undefined]>([
    // name, vCPUs, memory MiB, ENIs, architecture, task limit with ENI trunking
    ['m6i.large', 2, 8192, 3, 'x86_64', 10],
    ['m6i.xlarge', 4, 16384, 4, 'x86_64', 20],
    ['m5.4xlarge', 16, 65536, 8, 'x86_64', 60],
    ['m7i.16xlarge', 64, 262144, 15, 'x86_64', undefined],
    ['m7g.xlarge', 4, 16384, 4, 'arm64', 20],
    ['m6g.large', 2, 8192, 3, 'arm64', 10],
    ['c6i.2xlarge', 8, 16384, 4, 'x86_64', 40],
    ['c7g.large', 2, 4096, 3, 'arm64', 10],
    ['r6i.large', 2, 16384, 3, 'x86_64', 10],
    ['r7g.12xlarge', 48, 393216, 8, 'arm64', 60],
    ['t3.nano', 2, 512, 2, 'x86_64', 0],
    ['t3.micro', 2, 1024, 2, 'x86_64', 0],
    ['t3.medium', 2, 4096, 3, 'x86_64', 0],
    ['t3.2xlarge', 8, 32768, 4, 'x86_64', 0],
  ])('knows %s: %s vCPUs, %s MiB, %s ENIs, %s, %s tasks with ENI trunking', (name, vcpus, memoryMiB, maxEnis, architecture, taskLimitWithTrunking) => {
    expect(factsOf(name)).toEqual({ name, vcpus, memoryMiB, maxEnis, architecture, taskLimitWithTrunking });
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

describe('instanceTypeFactsByName', () => {
  test('gives the same facts as instanceTypeFacts', () => {
    expect(instanceTypeFactsByName('m6i.large')).toEqual(factsOf('m6i.large'));
    expect(instanceTypeFactsByName('m6i.large')?.vcpus).toEqual(2);
  });

  test.each(['m6i.24xlarge', 't3a.large', '', 'M6I.LARGE'])('gives undefined for "%s", which is not in the table', (name) => {
    expect(instanceTypeFactsByName(name)).toBeUndefined();
  });
});

describe('ENI trunking facts', () => {
  // The ECS table "Supported Amazon EC2 instance types" (source in instance-type-facts.ts):
  // instance type, task limit without ENI trunking, task limit with ENI trunking.
  const ECS_TABLE: Array<[string, number, number]> = [
    ['m5.large', 2, 10], ['m5.xlarge', 3, 20], ['m5.2xlarge', 3, 40], ['m5.4xlarge', 7, 60],
    ['m5.8xlarge', 7, 60], ['m5.12xlarge', 7, 60], ['m5.16xlarge', 14, 120],
    ['m6g.large', 2, 10], ['m6g.xlarge', 3, 20], ['m6g.2xlarge', 3, 40], ['m6g.4xlarge', 7, 60],
    ['m6g.8xlarge', 7, 60], ['m6g.12xlarge', 7, 60], ['m6g.16xlarge', 14, 120],
    ['m6i.large', 2, 10], ['m6i.xlarge', 3, 20], ['m6i.2xlarge', 3, 40], ['m6i.4xlarge', 7, 60],
    ['m6i.8xlarge', 7, 90], ['m6i.12xlarge', 7, 120], ['m6i.16xlarge', 14, 120],
    ['m7g.large', 2, 10], ['m7g.xlarge', 3, 20], ['m7g.2xlarge', 3, 40], ['m7g.4xlarge', 7, 60],
    ['m7g.8xlarge', 7, 60], ['m7g.12xlarge', 7, 60], ['m7g.16xlarge', 14, 120],
    ['c6i.large', 2, 10], ['c6i.xlarge', 3, 20], ['c6i.2xlarge', 3, 40], ['c6i.4xlarge', 7, 60],
    ['c6i.8xlarge', 7, 90], ['c6i.12xlarge', 7, 120], ['c6i.16xlarge', 14, 120],
    ['c7g.large', 2, 10], ['c7g.xlarge', 3, 20], ['c7g.2xlarge', 3, 40], ['c7g.4xlarge', 7, 60],
    ['c7g.8xlarge', 7, 60], ['c7g.12xlarge', 7, 60], ['c7g.16xlarge', 14, 120],
    ['r6i.large', 2, 10], ['r6i.xlarge', 3, 20], ['r6i.2xlarge', 3, 40], ['r6i.4xlarge', 7, 60],
    ['r6i.8xlarge', 7, 90], ['r6i.12xlarge', 7, 120], ['r6i.16xlarge', 14, 120],
    ['r7g.large', 2, 10], ['r7g.xlarge', 3, 20], ['r7g.2xlarge', 3, 40], ['r7g.4xlarge', 7, 60],
    ['r7g.8xlarge', 7, 60], ['r7g.12xlarge', 7, 60], ['r7g.16xlarge', 14, 120],
  ];

  test.each(ECS_TABLE)('%s runs %s awsvpc tasks without and %s with ENI trunking, as the ECS table says', (name, without, withTrunking) => {
    const facts = factsOf(name)!;
    expect(facts.taskLimitWithTrunking).toEqual(withTrunking);
    expect(awsvpcTasksPerInstance(facts, false)).toEqual(without);
    expect(awsvpcTasksPerInstance(facts, true)).toEqual(withTrunking);
  });

  test.each(['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'])(
    'does not know the trunking limit of m7i.%s, which the source does not list', (size) => {
      const facts = factsOf(`m7i.${size}`)!;
      expect(facts).not.toHaveProperty('taskLimitWithTrunking');
      expect(awsvpcTasksPerInstance(facts, true)).toBeUndefined();
      expect(awsvpcTasksPerInstance(facts, false)).toEqual(facts.maxEnis - 1);
    });

  test.each<[string, number]>([
    ['t3.nano', 1],
    ['t3.micro', 1],
    ['t3.small', 2],
    ['t3.medium', 2],
    ['t3.large', 2],
    ['t3.xlarge', 3],
    ['t3.2xlarge', 3],
  ])('knows that %s does not support trunking and keeps %s tasks with it on', (name, tasks) => {
    const facts = factsOf(name)!;
    expect(facts.taskLimitWithTrunking).toEqual(0);
    expect(awsvpcTasksPerInstance(facts, true)).toEqual(tasks);
    expect(awsvpcTasksPerInstance(facts, false)).toEqual(tasks);
  });

  test('keeps one ENI for the instance without trunking', () => {
    const facts: InstanceTypeFacts = { name: 'x.large', vcpus: 2, memoryMiB: 8192, maxEnis: 3, architecture: 'x86_64', taskLimitWithTrunking: 10 };
    expect(awsvpcTasksPerInstance(facts, false)).toEqual(2);
    expect(awsvpcTasksPerInstance(facts, true)).toEqual(10);
  });

  test('treats facts without a trunking limit as unknown', () => {
    const facts: InstanceTypeFacts = { name: 'x.large', vcpus: 2, memoryMiB: 8192, maxEnis: 3, architecture: 'x86_64' };
    expect(awsvpcTasksPerInstance(facts, true)).toBeUndefined();
    expect(awsvpcTasksPerInstance(facts, false)).toEqual(2);
  });
});
