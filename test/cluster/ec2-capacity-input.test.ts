import { App, CfnResource, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EcsPlatformStack } from '../../src';

const ENV = { account: '123456789012', region: 'us-east-1' };

function platformStack(): EcsPlatformStack {
  return new EcsPlatformStack(new App(), 'EcsPlatform', { env: ENV, monitoring: false, amiUpdateAlerts: false });
}

function resources(stack: EcsPlatformStack): number {
  return stack.node.findAll().filter((construct) => CfnResource.isCfnResource(construct)).length;
}

describe('`agentSettings.reservedMemoryMiB` larger than the instance\'s memory', () => {
  test('fails at the capacity, without a service, naming the prop and the instance memory', () => {
    const stack = platformStack();
    const before = resources(stack);
    expect(() => stack.addCapacity('Extra', { instanceType: new ec2.InstanceType('m6i.large'), agentSettings: { reservedMemoryMiB: 65536 } }))
      .toThrow('[EcsPlatform/Platform/Cluster/Extra] `agentSettings.reservedMemoryMiB` must be less than the 7946 MiB that one m6i.large ' +
        '(8192 MiB installed) registers with ECS, so that tasks have memory left, got: 65536');
    expect(resources(stack)).toBe(before);
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
