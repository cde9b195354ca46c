import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Ec2Capacity, EcsCluster } from '../../src';
import { nagFindings, testStack, testVpc } from '../util';

describe('EcsCluster', () => {
  let stack: Stack;
  let vpc: ec2.Vpc;
  beforeEach(() => {
    stack = testStack();
    vpc = testVpc(stack);
  });

  describe('defaults', () => {
    test('creates exactly one ECS cluster', () => {
      new EcsCluster(stack, 'Cluster', { vpc });
      Template.fromStack(stack).resourceCountIs('AWS::ECS::Cluster', 1);
    });

    test('enables container insights by default', () => {
      new EcsCluster(stack, 'Cluster', { vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: Match.arrayWith([{ Name: 'containerInsights', Value: 'enabled' }]),
      });
    });

    test('lets CloudFormation generate the cluster name by default', () => {
      new EcsCluster(stack, 'Cluster', { vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', {
        ClusterName: Match.absent(),
      });
    });

    test('exposes the cluster name as a reference to the cluster', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const logicalId = stack.getLogicalId(cluster.cluster.node.defaultChild as ecs.CfnCluster);
      expect(stack.resolve(cluster.clusterName)).toEqual({ Ref: logicalId });
    });

    test('uses the provided VPC', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      expect(cluster.vpc).toBe(vpc);
      expect(cluster.cluster.vpc).toBe(vpc);
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        VPCZoneIdentifier: vpc.privateSubnets.map((subnet) => stack.resolve(subnet.subnetId)),
      });
    });

    test('creates a default capacity: one Auto Scaling group and one capacity provider', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 1);
      template.resourceCountIs('AWS::ECS::CapacityProvider', 1);
      expect(cluster.defaultCapacity).toBeInstanceOf(Ec2Capacity);
      expect(cluster.defaultCapacity.node.path).toEqual('TestStack/Cluster/Capacity');
      expect(cluster.capacities).toEqual([cluster.defaultCapacity]);
    });

    test('gives the default capacity managed scaling at 100 %, managed draining and no managed termination protection', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::CapacityProvider', {
        AutoScalingGroupProvider: {
          AutoScalingGroupArn: stack.resolve(cluster.defaultCapacity.autoScalingGroup.autoScalingGroupName),
          ManagedScaling: { Status: 'ENABLED', TargetCapacity: 100 },
          ManagedTerminationProtection: 'DISABLED',
          ManagedDraining: 'ENABLED',
        },
      });
    });

    test('gives the default capacity the Ec2Capacity defaults', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      expect(cluster.defaultCapacity.instanceType.toString()).toEqual('m6i.large');
      expect(cluster.defaultCapacity.maxCapacity).toEqual(10);
      Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MinSize: '2',
        MaxSize: '10',
      });
    });

    test('places every task on the default capacity by default', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const provider = stack.resolve(cluster.defaultCapacity.capacityProviderName);
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        Cluster: stack.resolve(cluster.clusterName),
        CapacityProviders: [provider],
        DefaultCapacityProviderStrategy: [{ CapacityProvider: provider, Weight: 1 }],
      });
    });

    test('joins the default capacity instances to the cluster', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const launchTemplate = Object.values(Template.fromStack(stack).findResources('AWS::EC2::LaunchTemplate'))[0];
      const parts = launchTemplate.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1];
      expect(parts.slice(0, 2)).toEqual(['#!/bin/bash\necho ECS_CLUSTER=', stack.resolve(cluster.clusterName)]);
    });
  });

  describe('configuration', () => {
    test.each<[ecs.ContainerInsights, string]>([
      [ecs.ContainerInsights.DISABLED, 'disabled'],
      [ecs.ContainerInsights.ENHANCED, 'enhanced'],
      [ecs.ContainerInsights.ENABLED, 'enabled'],
    ])('uses the provided container insights setting %s', (containerInsights, value) => {
      new EcsCluster(stack, 'Cluster', { vpc, containerInsights });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: [{ Name: 'containerInsights', Value: value }],
      });
    });

    test('uses the provided cluster name', () => {
      new EcsCluster(stack, 'Cluster', { vpc, clusterName: 'platform_prod-1' });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', {
        ClusterName: 'platform_prod-1',
      });
    });

    test.each([1, 255])('accepts a cluster name of %s characters', (length) => {
      new EcsCluster(stack, 'Cluster', { vpc, clusterName: 'a'.repeat(length) });
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', {
        ClusterName: 'a'.repeat(length),
      });
    });

    test('uses the provided capacity options for the default capacity', () => {
      const cluster = new EcsCluster(stack, 'Cluster', {
        vpc,
        capacity: { instanceType: new ec2.InstanceType('m6i.xlarge'), minCapacity: 3, maxCapacity: 20 },
      });
      expect(cluster.defaultCapacity.maxCapacity).toEqual(20);
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ InstanceType: 'm6i.xlarge' }),
      });
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MinSize: '3',
        MaxSize: '20',
      });
    });
  });

  describe('addCapacity', () => {
    test('adds a second capacity and lists both, the default first', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const large = cluster.addCapacity('Large', { instanceType: new ec2.InstanceType('r6i.xlarge'), minCapacity: 0 });
      expect(large).toBeInstanceOf(Ec2Capacity);
      expect(large.node.path).toEqual('TestStack/Cluster/Large');
      expect(cluster.capacities).toEqual([cluster.defaultCapacity, large]);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 2);
      template.resourceCountIs('AWS::ECS::CapacityProvider', 2);
      template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ InstanceType: 'r6i.xlarge' }),
      });
      template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
        MinSize: '0',
        MaxSize: '10',
      });
    });

    test('registers the added capacity with the cluster but keeps the default strategy on the default capacity', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const large = cluster.addCapacity('Large');
      const defaultProvider = stack.resolve(cluster.defaultCapacity.capacityProviderName);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ECS::ClusterCapacityProviderAssociations', 1);
      template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        CapacityProviders: [defaultProvider, stack.resolve(large.capacityProviderName)],
        DefaultCapacityProviderStrategy: [{ CapacityProvider: defaultProvider, Weight: 1 }],
      });
    });

    test('uses the Ec2Capacity defaults when given no options', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const added = cluster.addCapacity('More');
      expect(added.instanceType.toString()).toEqual('m6i.large');
      expect(added.maxCapacity).toEqual(10);
    });

    test('returns a copy of the capacities', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      cluster.capacities.pop();
      expect(cluster.capacities).toHaveLength(1);
    });
  });

  describe('validation', () => {
    test.each(['my cluster', '', 'a'.repeat(256), 'prod.cluster', 'prod/cluster'])('fails when clusterName is %p', (clusterName) => {
      expect(() => new EcsCluster(stack, 'Cluster', { vpc, clusterName })).toThrow(
        `[TestStack/Cluster] \`clusterName\` must be 1 to 255 letters, digits, hyphens and underscores, got: ${JSON.stringify(clusterName)}`,
      );
    });

    test('fails when the capacity options are invalid, naming the capacity path', () => {
      expect(() => new EcsCluster(stack, 'Cluster', { vpc, capacity: { minCapacity: -1 } }))
        .toThrow(/^\[TestStack\/Cluster\/Capacity\] `minCapacity` must be an integer between 0 and 1000, got: -1$/);
    });

    test('fails when the capacity is an arm64 instance type', () => {
      expect(() => new EcsCluster(stack, 'Cluster', { vpc, capacity: { instanceType: new ec2.InstanceType('m7g.large') } }))
        .toThrow(/\[TestStack\/Cluster\/Capacity\] `instanceType` must be an x86_64 instance type/);
    });

    test('fails when an added capacity is invalid, naming its path', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      expect(() => cluster.addCapacity('Large', { maxCapacity: 0 }))
        .toThrow(/^\[TestStack\/Cluster\/Large\] `maxCapacity` must be an integer between 1 and 1000, got: 0$/);
    });
  });

  describe('cdk-nag', () => {
    test('has no AwsSolutions findings', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      expect(nagFindings(cluster)).toEqual([]);
    });

    test('has no AwsSolutions findings with an added capacity', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      cluster.addCapacity('Large');
      expect(nagFindings(cluster)).toEqual([]);
    });
  });
});
