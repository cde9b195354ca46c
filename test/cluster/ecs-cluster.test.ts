import { Aspects, IAspect, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import {
  AmiFamily, CapacityPlanning, CapacityShare, Ec2Capacity, EcsCluster, PublicLoadBalancer, RouteMatch, WebService,
} from '../../src';
import { nagFindings, testStack, testVpc } from '../util';

/** An anchored regex for exactly this message. */
function exactly(message: string): RegExp {
  return new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * The user data of the only launch template, as text: the cluster reference becomes `<cluster>`, any other token
 * `<token>`.
 */
function renderedUserData(stack: Stack, cluster: EcsCluster): string {
  const launchTemplate = Object.values(Template.fromStack(stack).findResources('AWS::EC2::LaunchTemplate'))[0];
  const parts: unknown[] = launchTemplate.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1];
  const names: Record<string, string> = {
    [JSON.stringify(stack.resolve(cluster.clusterName))]: '<cluster>',
    [JSON.stringify(stack.resolve(cluster.defaultCapacity.instanceLogGroup?.logGroupName))]: '<instance-logs>',
  };
  return parts.map((part) => typeof part === 'string' ? part : names[JSON.stringify(part)] ?? '<token>').join('');
}

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
      const lines = renderedUserData(stack, cluster).split('\n');
      expect(lines[0]).toEqual('#!/bin/bash');
      // ECS_CLUSTER is one line of the heredoc that appends the agent configuration to /etc/ecs/ecs.config
      const start = lines.indexOf("cat <<'EOF' >> /etc/ecs/ecs.config");
      const end = lines.indexOf('EOF', start + 1);
      expect(start).toBeGreaterThan(0);
      expect(end).toBeGreaterThan(start);
      const config = lines.slice(start + 1, end);
      expect(config).toContain('ECS_CLUSTER=<cluster>');
      expect(lines.filter((line) => line.includes('<cluster>'))).toEqual(['ECS_CLUSTER=<cluster>']);
      expect(lines.join('\n')).not.toContain('<token>');
    });

    test('has a default capacity strategy of the default capacity alone', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const strategy = cluster.defaultCapacityStrategy;
      expect(strategy).toHaveLength(1);
      expect(strategy[0].capacity).toBe(cluster.defaultCapacity);
      expect(strategy[0].weight).toBeUndefined();
      expect(strategy[0].base).toBeUndefined();
    });

    test('assumes ENI trunking is off and reports capacity findings as warnings by default', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      expect(cluster.awsvpcTrunking).toBe(false);
      expect(cluster.capacityPlanning).toEqual(CapacityPlanning.WARN);
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

    test('uses the provided awsvpcTrunking and capacityPlanning', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc, awsvpcTrunking: true, capacityPlanning: CapacityPlanning.STRICT });
      expect(cluster.awsvpcTrunking).toBe(true);
      expect(cluster.capacityPlanning).toEqual(CapacityPlanning.STRICT);
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

  describe('configureDefaultCapacityStrategy', () => {
    let cluster: EcsCluster;
    let spot: Ec2Capacity;
    beforeEach(() => {
      cluster = new EcsCluster(stack, 'Cluster', { vpc });
      spot = cluster.addCapacity('Spot', { spot: {} });
    });

    test('associates both capacities with the cluster under the provided default strategy', () => {
      cluster.configureDefaultCapacityStrategy([{ capacity: cluster.defaultCapacity, base: 2, weight: 1 }, { capacity: spot, weight: 3 }]);
      const defaultProvider = stack.resolve(cluster.defaultCapacity.capacityProviderName);
      const spotProvider = stack.resolve(spot.capacityProviderName);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ECS::ClusterCapacityProviderAssociations', 1);
      template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        Cluster: stack.resolve(cluster.clusterName),
        CapacityProviders: [defaultProvider, spotProvider],
        DefaultCapacityProviderStrategy: [
          { CapacityProvider: defaultProvider, Base: 2, Weight: 1 },
          { CapacityProvider: spotProvider, Base: Match.absent(), Weight: 3 },
        ],
      });
    });

    test('gives a share weight 1 and no base when it sets neither', () => {
      cluster.configureDefaultCapacityStrategy([{ capacity: spot }]);
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        DefaultCapacityProviderStrategy: [{ CapacityProvider: stack.resolve(spot.capacityProviderName), Base: Match.absent(), Weight: 1 }],
      });
    });

    test('keeps a weight of 0 and a base of 0 as given', () => {
      cluster.configureDefaultCapacityStrategy([{ capacity: cluster.defaultCapacity, base: 0, weight: 0 }, { capacity: spot, weight: 1000 }]);
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        DefaultCapacityProviderStrategy: [
          { CapacityProvider: stack.resolve(cluster.defaultCapacity.capacityProviderName), Base: 0, Weight: 0 },
          { CapacityProvider: stack.resolve(spot.capacityProviderName), Weight: 1000 },
        ],
      });
    });

    test('accepts the largest base', () => {
      cluster.configureDefaultCapacityStrategy([{ capacity: cluster.defaultCapacity, base: 100000 }, { capacity: spot, base: 0 }]);
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        DefaultCapacityProviderStrategy: [Match.objectLike({ Base: 100000 }), Match.objectLike({ Base: 0 })],
      });
    });

    test('exposes the provided strategy as defaultCapacityStrategy', () => {
      const strategy: CapacityShare[] = [{ capacity: cluster.defaultCapacity, base: 2, weight: 1 }, { capacity: spot, weight: 3 }];
      cluster.configureDefaultCapacityStrategy(strategy);
      const current = cluster.defaultCapacityStrategy;
      expect(current).toHaveLength(2);
      expect(current[0]).toBe(strategy[0]);
      expect(current[1]).toBe(strategy[1]);
    });

    test('keeps its own copy of the strategy', () => {
      const strategy: CapacityShare[] = [{ capacity: spot }];
      cluster.configureDefaultCapacityStrategy(strategy);
      strategy.push({ capacity: cluster.defaultCapacity });
      cluster.defaultCapacityStrategy.pop();
      expect(cluster.defaultCapacityStrategy.map((share) => share.capacity)).toEqual([spot]);
    });

    test('uses the last strategy set before synthesis', () => {
      cluster.configureDefaultCapacityStrategy([{ capacity: spot }]);
      cluster.configureDefaultCapacityStrategy([{ capacity: cluster.defaultCapacity, weight: 2 }]);
      Template.fromStack(stack).hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        DefaultCapacityProviderStrategy: [{ CapacityProvider: stack.resolve(cluster.defaultCapacity.capacityProviderName), Weight: 2 }],
      });
    });

    test('hands the default strategy to the ECS cluster only once, however often its aspect visits', () => {
      cluster.configureDefaultCapacityStrategy([{ capacity: spot }]);
      Template.fromStack(stack);
      const aspects: IAspect[] = Aspects.of(cluster).all;
      expect(aspects).toHaveLength(1);
      expect(() => aspects[0].visit(cluster)).not.toThrow();
      expect(cluster.cluster.defaultCapacityProviderStrategy).toEqual([
        { capacityProvider: spot.capacityProviderName, weight: 1, base: undefined },
      ]);
    });

    describe('validation', () => {
      test('fails when the strategy is empty', () => {
        // the value is rendered as the string "[]" today; the message should read `got: []`
        expect(() => cluster.configureDefaultCapacityStrategy([]))
          .toThrow(/^\[TestStack\/Cluster\] `strategy` must be at least one capacity, got: "?\[\]"?$/);
      });

      test('fails when a capacity belongs to another cluster, naming both', () => {
        const other = new EcsCluster(stack, 'Other', { vpc });
        expect(() => cluster.configureDefaultCapacityStrategy([{ capacity: spot }, { capacity: other.defaultCapacity }]))
          .toThrow(exactly('[TestStack/Cluster] `strategy[1].capacity` must be a capacity of the cluster TestStack/Cluster, got: "TestStack/Other/Capacity"'));
      });

      test('fails when a capacity appears twice', () => {
        expect(() => cluster.configureDefaultCapacityStrategy([{ capacity: spot, weight: 1 }, { capacity: spot, weight: 2 }]))
          .toThrow(exactly('[TestStack/Cluster] `strategy[1].capacity` must be a capacity that appears once in the strategy, got: "TestStack/Cluster/Spot"'));
      });

      test.each([-1, 1001, 1.5])('fails when a weight is %s', (weight) => {
        expect(() => cluster.configureDefaultCapacityStrategy([{ capacity: cluster.defaultCapacity }, { capacity: spot, weight }]))
          .toThrow(exactly(`[TestStack/Cluster] \`strategy[1].weight\` must be an integer between 0 and 1000, got: ${weight}`));
      });

      test.each([-1, 100001, 0.5])('fails when a base is %s', (base) => {
        expect(() => cluster.configureDefaultCapacityStrategy([{ capacity: cluster.defaultCapacity, base }]))
          .toThrow(exactly(`[TestStack/Cluster] \`strategy[0].base\` must be an integer between 0 and 100000, got: ${base}`));
      });

      test('fails when two shares have a base, naming both capacities', () => {
        expect(() => cluster.configureDefaultCapacityStrategy([{ capacity: cluster.defaultCapacity, base: 1 }, { capacity: spot, base: 2 }]))
          .toThrow(exactly('[TestStack/Cluster] `strategy` must be a strategy with at most one base, got: ["Capacity", "Spot"]'));
      });

      test('fails when every weight is 0', () => {
        const strategy = [{ capacity: cluster.defaultCapacity, weight: 0, base: 2 }, { capacity: spot, weight: 0 }];
        expect(() => cluster.configureDefaultCapacityStrategy(strategy))
          .toThrow(exactly('[TestStack/Cluster] `strategy` must be a strategy with at least one weight above 0, got: [0, 0]'));
      });

      test('fails when it mixes Linux and Windows capacities, naming each with its OS', () => {
        const windows = cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
        expect(() => cluster.configureDefaultCapacityStrategy([{ capacity: cluster.defaultCapacity }, { capacity: windows }]))
          .toThrow(exactly('[TestStack/Cluster] `strategy` must be capacities of one operating system (a task runs on Linux or on Windows), '
            + 'got: ["Capacity (linux)", "Windows (windows)"]'));
      });

      test('accepts a strategy of Windows capacities only', () => {
        const windows = cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
        cluster.configureDefaultCapacityStrategy([{ capacity: windows }]);
        expect(cluster.defaultCapacityStrategy.map((share) => share.capacity)).toEqual([windows]);
      });

      test('keeps the previous default strategy when it fails', () => {
        expect(() => cluster.configureDefaultCapacityStrategy([{ capacity: spot, weight: -1 }])).toThrow();
        expect(cluster.defaultCapacityStrategy.map((share) => share.capacity)).toEqual([cluster.defaultCapacity]);
      });

      test('fails when a service was added before, naming the service', () => {
        const loadBalancer = new PublicLoadBalancer(stack, 'Lb', { vpc });
        new WebService(stack, 'Api', {
          cluster,
          loadBalancer,
          image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
          route: RouteMatch.pathPatterns('/api/*'),
        });
        expect(() => cluster.configureDefaultCapacityStrategy([{ capacity: spot }]))
          .toThrow(exactly('[TestStack/Cluster] configureDefaultCapacityStrategy() must be called before services that use '
            + 'the default strategy are added, got: TestStack/Api (they took the current default)'));
      });

      test('allows a new default after services that chose their own strategy', () => {
        const loadBalancer = new PublicLoadBalancer(stack, 'Lb', { vpc });
        new WebService(stack, 'Api', {
          cluster,
          loadBalancer,
          image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
          route: RouteMatch.pathPatterns('/api/*'),
          capacityStrategy: [{ capacity: cluster.defaultCapacity }],
        });
        cluster.configureDefaultCapacityStrategy([{ capacity: spot }]);
        expect(cluster.defaultCapacityStrategy).toEqual([{ capacity: spot }]);
      });
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

    test('has no AwsSolutions findings with a Spot capacity in the default strategy', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const spot = cluster.addCapacity('Spot', { spot: {} });
      cluster.configureDefaultCapacityStrategy([{ capacity: cluster.defaultCapacity, base: 2 }, { capacity: spot, weight: 3 }]);
      expect(nagFindings(cluster)).toEqual([]);
    });
  });

  describe('synthesized more than once', () => {
    test('Template.fromStack, Annotations.fromStack, then Template.fromStack again: no error, the same template', () => {
      const cluster = new EcsCluster(stack, 'Cluster', { vpc });
      const spot = cluster.addCapacity('Spot', { spot: {} });
      cluster.configureDefaultCapacityStrategy([{ capacity: cluster.defaultCapacity, base: 2 }, { capacity: spot, weight: 3 }]);
      const first = Template.fromStack(stack);
      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
      const second = Template.fromStack(stack);
      expect(JSON.stringify(second.toJSON())).toEqual(JSON.stringify(first.toJSON()));
      second.resourceCountIs('AWS::ECS::ClusterCapacityProviderAssociations', 1);
      second.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        DefaultCapacityProviderStrategy: [
          { CapacityProvider: stack.resolve(cluster.defaultCapacity.capacityProviderName), Base: 2, Weight: 1 },
          { CapacityProvider: stack.resolve(spot.capacityProviderName), Weight: 3 },
        ],
      });
    });

    test('with the default strategy left as it is, and Annotations.fromStack twice', () => {
      new EcsCluster(stack, 'Cluster', { vpc });
      const first = JSON.stringify(Template.fromStack(stack).toJSON());
      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
      expect(JSON.stringify(Template.fromStack(stack).toJSON())).toEqual(first);
    });
  });
});
