import { App, Size, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsPlatformStack } from '../../src';
import { cfnResourceCount } from '../util';

const ENV = { account: '123456789012', region: 'us-east-1' };
const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');

function platformStack(): EcsPlatformStack {
  return new EcsPlatformStack(new App(), 'EcsPlatform', { env: ENV, monitoring: false, amiUpdateAlerts: false });
}

describe('`agentSettings.reservedMemoryMiB` larger than the instance\'s memory', () => {
  test('fails at the capacity, without a service, naming the prop and the instance memory', () => {
    const stack = platformStack();
    const before = cfnResourceCount(stack);
    expect(() => stack.addCapacity('Extra', { instanceType: new ec2.InstanceType('m6i.large'), agentSettings: { reservedMemoryMiB: 65536 } }))
      .toThrow('[EcsPlatform/Platform/Cluster/Extra] `agentSettings.reservedMemoryMiB` must be less than the 7946 MiB that one m6i.large ' +
        '(8192 MiB installed) registers with ECS, so that tasks have memory left, got: 65536');
    expect(cfnResourceCount(stack)).toBe(before);
  });

  test('names the smallest instance type that it does not fit', () => {
    const stack = platformStack();
    expect(() => stack.addCapacity('Extra', {
      instanceType: new ec2.InstanceType('m6i.4xlarge'),
      additionalInstanceTypes: [new ec2.InstanceType('t3.small')],
      agentSettings: { reservedMemoryMiB: 4096 },
    })).toThrow(/`agentSettings.reservedMemoryMiB` must be less than the 1986 MiB that one t3.small \(2048 MiB installed\)/);
  });

  test('what leaves room for tasks, and a token, are accepted', () => {
    const stack = platformStack();
    expect(() => stack.addCapacity('A', { instanceType: new ec2.InstanceType('m6i.large'), agentSettings: { reservedMemoryMiB: 7945 } })).not.toThrow();
    expect(() => stack.addCapacity('B', { agentSettings: { reservedMemoryMiB: Token.asNumber({ Ref: 'Reserved' }) } })).not.toThrow();
  });
});

describe('instance types the library does not know', () => {
  test('a typo fails, naming the prop and suggesting the closest known type, before anything is built', () => {
    const stack = platformStack();
    const before = cfnResourceCount(stack);
    expect(() => stack.addCapacity('Extra', { instanceType: new ec2.InstanceType('m6i.larg') }))
      .toThrow('[EcsPlatform/Platform/Cluster/Extra] `instanceType` must be an instance type the library knows (did you mean m6i.large?), ' +
        'or a new one declared in `newInstanceTypes` with its vCPUs, memory and network interfaces, got: "m6i.larg"');
    expect(() => stack.addCapacity('Other', { additionalInstanceTypes: [new ec2.InstanceType('c6i.xlrge')] }))
      .toThrow(/`additionalInstanceTypes\[0\]` must be an instance type the library knows \(did you mean c6i.xlarge\?\)/);
    expect(cfnResourceCount(stack)).toBe(before);
  });

  test('a declared new type is accepted, and its memory is checked', () => {
    const stack = platformStack();
    const instanceType = new ec2.InstanceType('m8i.large');
    const newInstanceTypes = [{ instanceType, vcpus: 2, memory: Size.gibibytes(8), maxNetworkInterfaces: 3 }];
    expect(() => stack.addCapacity('Extra', { instanceType, newInstanceTypes })).not.toThrow();
    const other = new ec2.InstanceType('m8i.large');
    expect(() => stack.addCapacity('Reserving', {
      instanceType: other, newInstanceTypes: [{ ...newInstanceTypes[0], instanceType: other }], agentSettings: { reservedMemoryMiB: 8000 },
    })).toThrow(/`agentSettings.reservedMemoryMiB` must be less than the 7946 MiB that one m8i.large \(8192 MiB installed\)/);
  });

  test('a declared type\'s facts reach the workloads\' fit check', () => {
    const stack = platformStack();
    const instanceType = new ec2.InstanceType('m8i.large');
    stack.platform.cluster.configureDefaultCapacityStrategy([{
      capacity: stack.addCapacity('Extra', {
        instanceType, newInstanceTypes: [{ instanceType, vcpus: 2, memory: Size.gibibytes(8), maxNetworkInterfaces: 3 }],
      }),
    }]);
    expect(() => stack.addQueueWorker('Worker', { image: IMAGE, cpu: 4096 })).toThrow(/`cpu` must be at most 2048 CPU units, what one m8i.large/);
  });

  test.each([
    ['a known type', 'm6i.large', 'newInstanceTypes[0].instanceType` must be an instance type the library does not know'],
    ['a type of no instance of the capacity', 'm8i.xlarge', 'newInstanceTypes[0].instanceType` must be the `instanceType` or one of'],
  ])('declaring %s fails', (_, declared, message) => {
    const stack = platformStack();
    expect(() => stack.addCapacity('Extra', {
      instanceType: new ec2.InstanceType('m8i.large'),
      newInstanceTypes: [{ instanceType: new ec2.InstanceType(declared), vcpus: 2, memory: Size.gibibytes(8), maxNetworkInterfaces: 3 }],
    })).toThrow(message);
  });

  test('a declaration with impossible numbers fails', () => {
    const instanceType = new ec2.InstanceType('m8i.large');
    expect(() => platformStack().addCapacity('Extra', {
      instanceType, newInstanceTypes: [{ instanceType, vcpus: 0, memory: Size.gibibytes(8), maxNetworkInterfaces: 3 }],
    })).toThrow('`newInstanceTypes[0].vcpus` must be an integer between 1 and 1024, got: 0');
  });

  test('an instance type token is accepted', () => {
    expect(() => platformStack().addCapacity('Extra', { instanceType: new ec2.InstanceType(Token.asString({ Ref: 'Type' })) })).not.toThrow();
  });
});
