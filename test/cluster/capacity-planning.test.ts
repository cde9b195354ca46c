import { Annotations as CoreAnnotations, App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import {
  AmiFamily, CapacityPlanning, Ec2CapacityOptions, EcsCluster, EcsClusterProps, PublicLoadBalancer, RouteMatch, WebService,
  WebServiceOptions,
} from '../../src';
import { testStack, testVpc } from '../util';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const ACK = 'cdk-ecs-platform:EcsCluster.capacity-';

/** One capacity warning: the construct path it is on, its message and the id to acknowledge it with. */
interface CapacityWarning {
  readonly path: string;
  readonly message: string;
  readonly id: string;
}

/**
 * A stack with a VPC, an `EcsCluster` and a load balancer, to which services are added. The capacity check runs at
 * synthesis: read its result once per test, with `capacityWarnings()`, `template()` or `app.synth()` (aws-cdk-lib's
 * `ecs.Cluster` cannot be synthesized twice with `force`, which `Annotations.fromStack` uses, so `capacityWarnings()`
 * must come first when a test needs both).
 */
class Plan {
  public readonly app: App;
  public readonly stack: Stack;
  public readonly cluster: EcsCluster;
  public readonly loadBalancer: PublicLoadBalancer;

  constructor(props: Partial<EcsClusterProps> = {}) {
    this.stack = testStack();
    this.app = this.stack.node.root as App;
    const vpc = testVpc(this.stack);
    this.cluster = new EcsCluster(this.stack, 'Cluster', { vpc, ...props });
    this.loadBalancer = new PublicLoadBalancer(this.stack, 'Lb', { vpc });
  }

  /** Adds a service with its own route, `/<id>/*`. */
  public addService(id: string, options: Partial<WebServiceOptions> = {}): WebService {
    return new WebService(this.stack, id, {
      cluster: this.cluster,
      loadBalancer: this.loadBalancer,
      image: IMAGE,
      route: RouteMatch.pathPatterns(`/${id.toLowerCase()}/*`),
      ...options,
    });
  }

  /** Every warning of the stack, by path and message. */
  public warnings(): CapacityWarning[] {
    return Annotations.fromStack(this.stack).findWarning('*', Match.anyValue()).map((warning) => {
      const data = String(warning.entry.data);
      const [, message, id] = /^(.*) \[ack: (\S+)\]$/s.exec(data) ?? [data, data, ''];
      return { path: warning.id, message, id };
    }).sort((a, b) => a.path.localeCompare(b.path) || a.message.localeCompare(b.message));
  }

  /** The warnings of the capacity check, by path and message. */
  public capacityWarnings(): CapacityWarning[] {
    return this.warnings().filter((warning) => warning.id.startsWith(ACK));
  }

  public template(): Template {
    return Template.fromStack(this.stack);
  }
}

/** The default capacity: `instanceType` with at most `maxCapacity` instances. */
function capacity(instanceType: string, maxCapacity = 10, options: Ec2CapacityOptions = {}): Ec2CapacityOptions {
  return { instanceType: new ec2.InstanceType(instanceType), minCapacity: Math.min(2, maxCapacity), maxCapacity, ...options };
}

/** The line that synthesis fails with for a finding of the service (or capacity) at `path`. */
function synthError(path: string, message: string): string {
  return `[TestStack/Cluster] [${path}] ${message}`;
}

/** An instance type known only at deploy time: the only kind the capacity check has no facts for (an unknown name is an error). */
const UNKNOWN = Token.asString({ Ref: 'InstanceType' });

const API_NEEDS_30_ENIS = 'service "TestStack/Api" needs room for 30 tasks on capacity "TestStack/Cluster/Capacity" (its share of maxTasks 30), '
  + 'but 10 instances (maxInstances) of m6i.large hold at most 20: 2 tasks each, limited by task ENIs: 2 task ENIs without ENI trunking';

describe('EcsCluster', () => {
  describe('capacity check', () => {
    describe('defaults', () => {
      test('reports nothing for a plan with room to spare', () => {
        const plan = new Plan();
        plan.addService('Api');
        expect(plan.warnings()).toEqual([]);
      });

      test('reports nothing for a cluster without services', () => {
        const plan = new Plan({ capacity: capacity(UNKNOWN) });
        expect(plan.capacityWarnings()).toEqual([]);
      });

      test('warns on the service when its tasks at maxCapacity do not fit the capacity at maxCapacity', () => {
        const plan = new Plan();
        plan.addService('Api', { maxCapacity: 30 });
        expect(plan.capacityWarnings()).toEqual([
          { path: '/TestStack/Api', message: API_NEEDS_30_ENIS, id: `${ACK}insufficient` },
        ]);
      });

      test('reports the finding as a warning with its acknowledgement id', () => {
        const plan = new Plan();
        plan.addService('Api', { maxCapacity: 30 });
        Annotations.fromStack(plan.stack).hasWarning('/TestStack/Api', `${API_NEEDS_30_ENIS} [ack: cdk-ecs-platform:EcsCluster.capacity-insufficient]`);
      });

      test('still synthesizes a plan that cannot work', () => {
        const plan = new Plan();
        plan.addService('Api', { maxCapacity: 30 });
        expect(() => plan.app.synth()).not.toThrow();
        plan.template().resourceCountIs('AWS::ECS::Service', 1);
      });

      test('lets the warning be acknowledged on the service', () => {
        const plan = new Plan();
        const service = plan.addService('Api', { maxCapacity: 30 });
        CoreAnnotations.of(service).acknowledgeWarning(`${ACK}insufficient`, 'the load never needs 30 tasks at once');
        expect(plan.capacityWarnings()).toEqual([]);
      });

      test.each([20, 19, 1])('accepts %s tasks where 10 m6i.large hold 20', (maxCapacity) => {
        const plan = new Plan();
        plan.addService('Api', { maxCapacity, minCapacity: 1 });
        expect(plan.capacityWarnings()).toEqual([]);
      });

      test('warns from 21 tasks where 10 m6i.large hold 20', () => {
        const plan = new Plan();
        plan.addService('Api', { maxCapacity: 21 });
        expect(plan.capacityWarnings().map((warning) => warning.message)).toEqual([
          expect.stringContaining('needs room for 21 tasks on capacity "TestStack/Cluster/Capacity"'),
        ]);
      });

      test('checks against the maxCapacity of the capacity', () => {
        const plan = new Plan({ capacity: capacity('m6i.large', 3) });
        plan.addService('Api', { maxCapacity: 7 });
        expect(plan.capacityWarnings()).toEqual([{
          path: '/TestStack/Api',
          message: 'service "TestStack/Api" needs room for 7 tasks on capacity "TestStack/Cluster/Capacity" (its share of maxTasks 7), '
            + 'but 3 instances (maxInstances) of m6i.large hold at most 6: 2 tasks each, limited by task ENIs: 2 task ENIs without ENI trunking',
          id: `${ACK}insufficient`,
        }]);
      });
    });

    describe('capacityPlanning: STRICT', () => {
      test('fails synthesis when the tasks at maxCapacity do not fit, naming the service', () => {
        const plan = new Plan({ capacityPlanning: CapacityPlanning.STRICT });
        plan.addService('Api', { maxCapacity: 30 });
        expect(() => plan.app.synth()).toThrow(synthError('TestStack/Api', API_NEEDS_30_ENIS));
      });

      test('fails Template.fromStack as well', () => {
        const plan = new Plan({ capacityPlanning: CapacityPlanning.STRICT });
        plan.addService('Api', { maxCapacity: 30 });
        expect(() => plan.template()).toThrow(/needs room for 30 tasks/);
      });

      test('synthesizes a plan with room to spare', () => {
        const plan = new Plan({ capacityPlanning: CapacityPlanning.STRICT });
        plan.addService('Api', { maxCapacity: 20 });
        plan.template().resourceCountIs('AWS::ECS::Service', 1);
      });

      test('fails with every finding, each naming its service', () => {
        const plan = new Plan({ capacityPlanning: CapacityPlanning.STRICT, capacity: capacity('m6i.large', 2) });
        plan.addService('Api', { maxCapacity: 5 });
        plan.addService('Web', { maxCapacity: 6 });
        expect(() => plan.app.synth()).toThrow(/\[TestStack\/Api\] service "TestStack\/Api" needs room for 5 tasks[\s\S]*\[TestStack\/Web\] service "TestStack\/Web" needs room for 6 tasks/);
      });
    });

    describe('task ENIs', () => {
      const m5 = capacity('m5.large', 4);

      test('counts two awsvpc tasks per m5.large without ENI trunking', () => {
        const plan = new Plan({ capacity: m5 });
        plan.addService('Api', { cpu: 128, memoryLimitMiB: 128, maxCapacity: 20 });
        expect(plan.capacityWarnings()).toEqual([{
          path: '/TestStack/Api',
          message: 'service "TestStack/Api" needs room for 20 tasks on capacity "TestStack/Cluster/Capacity" (its share of maxTasks 20), '
            + 'but 4 instances (maxInstances) of m5.large hold at most 8: 2 tasks each, limited by task ENIs: 2 task ENIs without ENI trunking',
          id: `${ACK}insufficient`,
        }]);
      });

      test('counts ten awsvpc tasks per m5.large with awsvpcTrunking', () => {
        const plan = new Plan({ capacity: m5, awsvpcTrunking: true, capacityPlanning: CapacityPlanning.STRICT });
        plan.addService('Api', { cpu: 128, memoryLimitMiB: 128, maxCapacity: 20 });
        expect(plan.capacityWarnings()).toEqual([]);
      });

      test('names ENI trunking in the finding when even trunking does not make room', () => {
        const plan = new Plan({ capacity: m5, awsvpcTrunking: true });
        plan.addService('Api', { cpu: 128, memoryLimitMiB: 128, maxCapacity: 41 });
        expect(plan.capacityWarnings().map((warning) => warning.message)).toEqual([
          'service "TestStack/Api" needs room for 41 tasks on capacity "TestStack/Cluster/Capacity" (its share of maxTasks 41), '
            + 'but 4 instances (maxInstances) of m5.large hold at most 40: 10 tasks each, limited by task ENIs: 10 task ENIs with ENI trunking',
        ]);
      });

      test('finds CPU the limit once trunking lifts the ENI limit', () => {
        const plan = new Plan({ awsvpcTrunking: true });
        plan.addService('Api', { cpu: 1024, maxCapacity: 30 });
        expect(plan.capacityWarnings().map((warning) => warning.message)).toEqual([
          'service "TestStack/Api" needs room for 30 tasks on capacity "TestStack/Cluster/Capacity" (its share of maxTasks 30), '
            + 'but 10 instances (maxInstances) of m6i.large hold at most 20: 2 tasks each, limited by CPU: 2048 CPU units per instance, 1024 per task',
        ]);
      });

      test('keeps maxEnis - 1 tasks on an instance type that does not support trunking', () => {
        const plan = new Plan({ capacity: capacity('t3.large', 4), awsvpcTrunking: true });
        plan.addService('Api', { maxCapacity: 9 });
        expect(plan.capacityWarnings().map((warning) => warning.message)).toEqual([
          'service "TestStack/Api" needs room for 9 tasks on capacity "TestStack/Cluster/Capacity" (its share of maxTasks 9), '
            + 'but 4 instances (maxInstances) of t3.large hold at most 8: 2 tasks each, limited by task ENIs: 2 task ENIs, as t3.large does not support ENI trunking',
        ]);
      });

      test('never counts ENI trunking on a Windows capacity', () => {
        const plan = new Plan({ capacity: { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE, maxCapacity: 2 }, awsvpcTrunking: true });
        plan.addService('Api', { maxCapacity: 10 });
        expect(plan.capacityWarnings()).toEqual([{
          path: '/TestStack/Api',
          message: 'service "TestStack/Api" needs room for 10 tasks on capacity "TestStack/Cluster/Capacity" (its share of maxTasks 10), '
            + 'but 2 instances (maxInstances) of m6i.xlarge hold at most 6: 3 tasks each, limited by task ENIs: 3 task ENIs without ENI trunking',
          id: `${ACK}insufficient`,
        }]);
      });

      test('counts ENI trunking on a Linux capacity of the same instance type', () => {
        const plan = new Plan({ capacity: capacity('m6i.xlarge', 2), awsvpcTrunking: true, capacityPlanning: CapacityPlanning.STRICT });
        plan.addService('Api', { maxCapacity: 10 });
        expect(plan.capacityWarnings()).toEqual([]);
      });

      test('warns, even in STRICT mode, when the trunking limit of an instance type is unknown', () => {
        const plan = new Plan({ capacity: capacity('m7i.large'), awsvpcTrunking: true, capacityPlanning: CapacityPlanning.STRICT });
        plan.addService('Api');
        expect(plan.capacityWarnings()).toEqual([{
          path: '/TestStack/Cluster',
          message: 'the task limit with ENI trunking of instance type m7i.large of capacity "TestStack/Cluster/Capacity" is not in the '
            + 'instance type table: awsvpc tasks are not checked against its task ENIs',
          id: `${ACK}unknown-type`,
        }]);
      });

      test('knows the ENIs of m7i.large without trunking', () => {
        const plan = new Plan({ capacity: capacity('m7i.large') });
        plan.addService('Api', { maxCapacity: 21 });
        expect(plan.capacityWarnings().map((warning) => warning.message)).toEqual([
          expect.stringContaining('of m7i.large hold at most 20: 2 tasks each, limited by task ENIs: 2 task ENIs without ENI trunking'),
        ]);
      });
    });

    describe('memory', () => {
      test('counts the memory that the agent reserves (reservedMemoryMiB)', () => {
        const plan = new Plan({ capacity: { agentSettings: { reservedMemoryMiB: 1024 } }, awsvpcTrunking: true });
        plan.addService('Api', { cpu: 128, memoryLimitMiB: 3000, maxCapacity: 30 });
        expect(plan.capacityWarnings()).toEqual([{
          path: '/TestStack/Api',
          message: 'service "TestStack/Api" needs room for 30 tasks on capacity "TestStack/Cluster/Capacity" (its share of maxTasks 30), '
            + 'but 10 instances (maxInstances) of m6i.large hold at most 20: 2 tasks each, limited by memory: 6922 MiB per instance '
            + '(7946 MiB schedulable less 1024 MiB reserved), 3000 MiB per task',
          id: `${ACK}insufficient`,
        }]);
      });

      test('fits three such tasks per instance when the agent reserves nothing', () => {
        const plan = new Plan({ awsvpcTrunking: true });
        plan.addService('Api', { cpu: 128, memoryLimitMiB: 3000, maxCapacity: 20 });
        expect(plan.capacityWarnings()).toEqual([]);
      });
    });

    describe('instance types', () => {
      test.each([CapacityPlanning.WARN, CapacityPlanning.STRICT])('warns about an instance type it has no facts for, in %s mode', (capacityPlanning) => {
        const plan = new Plan({ capacity: capacity(UNKNOWN), capacityPlanning });
        plan.addService('Api', { maxCapacity: 1000, cpu: 196608, memoryLimitMiB: 786432 });
        expect(plan.capacityWarnings()).toEqual([{
          path: '/TestStack/Cluster',
          message: `instance type ${UNKNOWN} of capacity "TestStack/Cluster/Capacity" is not in the instance type table: `
            + 'tasks are not checked against it, and the room on "TestStack/Cluster/Capacity" is not checked',
          id: `${ACK}unknown-type`,
        }]);
      });

      test('warns on the service when its task does not fit some instance types of the capacity', () => {
        const plan = new Plan({ capacity: capacity('m6i.xlarge', 10, { additionalInstanceTypes: [new ec2.InstanceType('m6i.large')] }) });
        plan.addService('Api', { cpu: 4096 });
        expect(plan.capacityWarnings()).toEqual([{
          path: '/TestStack/Api',
          message: 'service "TestStack/Api" (4096 CPU units, 512 MiB of memory, one task ENI) does not fit every instance type of capacity '
            + '"TestStack/Cluster/Capacity": m6i.large offers 2048 of the 4096 CPU units; its tasks can run there only on m6i.xlarge instances',
          id: `${ACK}partial-fit`,
        }]);
      });

      test('fails synthesis on a partial fit in STRICT mode', () => {
        const plan = new Plan({
          capacity: capacity('m6i.xlarge', 10, { additionalInstanceTypes: [new ec2.InstanceType('m6i.large')] }),
          capacityPlanning: CapacityPlanning.STRICT,
        });
        plan.addService('Api', { cpu: 4096 });
        expect(() => plan.app.synth()).toThrow(synthError('TestStack/Api',
          'service "TestStack/Api" (4096 CPU units, 512 MiB of memory, one task ENI) does not fit every instance type of capacity '
          + '"TestStack/Cluster/Capacity": m6i.large offers 2048 of the 4096 CPU units; its tasks can run there only on m6i.xlarge instances'));
      });

      test('says which instance types of a partial fit it could not check', () => {
        const plan = new Plan({
          capacity: capacity('m6i.xlarge', 10, { additionalInstanceTypes: [new ec2.InstanceType('m6i.large'), new ec2.InstanceType(UNKNOWN)] }),
        });
        plan.addService('Api', { cpu: 4096 });
        expect(plan.capacityWarnings()).toEqual([
          {
            path: '/TestStack/Api',
            message: 'service "TestStack/Api" (4096 CPU units, 512 MiB of memory, one task ENI) does not fit every instance type of capacity '
              + '"TestStack/Cluster/Capacity": m6i.large offers 2048 of the 4096 CPU units; its tasks can run there only on m6i.xlarge instances '
              + `(${UNKNOWN} not checked)`,
            id: `${ACK}partial-fit`,
          },
          {
            path: '/TestStack/Cluster',
            message: `instance type ${UNKNOWN} of capacity "TestStack/Cluster/Capacity" is not in the instance type table: `
              + 'tasks are not checked against it, and the room on "TestStack/Cluster/Capacity" is not checked',
            id: `${ACK}unknown-type`,
          },
        ]);
      });

      test('fails synthesis, even in WARN mode, when no single instance type has both the CPU and the memory of the task', () => {
        // c6i.xlarge has the CPU, r6i.large the memory: each value alone passes the check at construction
        const plan = new Plan({ capacity: capacity('c6i.xlarge', 10, { additionalInstanceTypes: [new ec2.InstanceType('r6i.large')] }) });
        plan.addService('Api', { cpu: 4096, memoryLimitMiB: 10000 });
        expect(() => plan.app.synth()).toThrow(synthError('TestStack/Api',
          'service "TestStack/Api" (4096 CPU units, 10000 MiB of memory, one task ENI) fits no instance type of the capacities its strategy uses, '
          + 'so ECS can never place its tasks: on capacity "TestStack/Cluster/Capacity", c6i.xlarge offers 7946 of the 10000 MiB of memory '
          + '(7946 MiB schedulable less 0 MiB reserved); r6i.large offers 2048 of the 4096 CPU units'));
      });

      test('fails synthesis when the task fits no instance type of the capacities of its strategy, across capacities', () => {
        const plan = new Plan();
        const memory = plan.cluster.addCapacity('Memory', { instanceType: new ec2.InstanceType('r6i.large') });
        const compute = plan.cluster.addCapacity('Compute', { instanceType: new ec2.InstanceType('c6i.xlarge') });
        plan.addService('Api', { cpu: 4096, memoryLimitMiB: 10000, capacityStrategy: [{ capacity: memory }, { capacity: compute }] });
        expect(() => plan.app.synth()).toThrow(/\[TestStack\/Api\] service "TestStack\/Api" .* fits no instance type of the capacities its strategy uses, .*on capacity "TestStack\/Cluster\/Memory", r6i\.large offers 2048 of the 4096 CPU units; on capacity "TestStack\/Cluster\/Compute", c6i\.xlarge offers 7946 of the 10000 MiB of memory/);
      });
    });

    describe('strategies', () => {
      test('splits maxCapacity over the default strategy: the base first, then by weight', () => {
        const plan = new Plan();
        const spot = plan.cluster.addCapacity('Spot', { spot: {}, minCapacity: 0, maxCapacity: 2 });
        plan.cluster.configureDefaultCapacityStrategy([
          { capacity: plan.cluster.defaultCapacity, base: 2, weight: 1 },
          { capacity: spot, weight: 3 },
        ]);
        plan.addService('Api');
        // 10 tasks: 2 as the base, then 2 and 6 by weight; 2 Spot instances hold 4
        expect(plan.capacityWarnings()).toEqual([{
          path: '/TestStack/Api',
          message: 'service "TestStack/Api" needs room for 6 tasks on capacity "TestStack/Cluster/Spot" (its share of maxTasks 10), '
            + 'but 2 instances (maxInstances) of m6i.large hold at most 4: 2 tasks each, limited by task ENIs: 2 task ENIs without ENI trunking',
          id: `${ACK}insufficient`,
        }]);
      });

      test('checks a provided capacityStrategy and leaves out a share with weight 0', () => {
        const plan = new Plan({ capacity: capacity('m6i.large', 1) });
        const big = plan.cluster.addCapacity('Big', { instanceType: new ec2.InstanceType('m6i.4xlarge'), maxCapacity: 2 });
        plan.addService('Api', { maxCapacity: 14, capacityStrategy: [{ capacity: plan.cluster.defaultCapacity, weight: 0 }, { capacity: big, weight: 1 }] });
        expect(plan.capacityWarnings()).toEqual([]);
      });

      test('checks only the capacities of the strategy', () => {
        const plan = new Plan({ capacity: capacity('m6i.large', 1) });
        const big = plan.cluster.addCapacity('Big', { instanceType: new ec2.InstanceType('m6i.4xlarge'), maxCapacity: 2 });
        plan.addService('Api', { maxCapacity: 15, capacityStrategy: [{ capacity: big }] });
        expect(plan.capacityWarnings().map((warning) => warning.message)).toEqual([
          'service "TestStack/Api" needs room for 15 tasks on capacity "TestStack/Cluster/Big" (its share of maxTasks 15), '
            + 'but 2 instances (maxInstances) of m6i.4xlarge hold at most 14: 7 tasks each, limited by task ENIs: 7 task ENIs without ENI trunking',
        ]);
      });
    });

    describe('several services', () => {
      test('adds up the services that share one capacity, and warns on the cluster', () => {
        const plan = new Plan();
        plan.addService('Api');
        plan.addService('Web');
        plan.addService('Admin');
        expect(plan.capacityWarnings()).toEqual([{
          path: '/TestStack/Cluster',
          message: 'the services on capacity "TestStack/Cluster/Capacity" need 30 task ENIs at their maxTasks ("TestStack/Admin": 10 tasks × 1, '
            + '"TestStack/Api": 10 tasks × 1, "TestStack/Web": 10 tasks × 1), but 10 instances (maxInstances) offer at most 20: '
            + 'm6i.large offers 2 task ENIs without ENI trunking each',
          id: `${ACK}insufficient`,
        }]);
      });

      test('accepts services that together fill the capacity exactly', () => {
        const plan = new Plan();
        plan.addService('Api');
        plan.addService('Web');
        expect(plan.capacityWarnings()).toEqual([]);
      });

      test('fails synthesis for services that share too little capacity in STRICT mode, naming the cluster', () => {
        const plan = new Plan({ capacityPlanning: CapacityPlanning.STRICT });
        plan.addService('Api');
        plan.addService('Web');
        plan.addService('Admin');
        expect(() => plan.app.synth()).toThrow(synthError('TestStack/Cluster', 'the services on capacity "TestStack/Cluster/Capacity" need 30 task ENIs'));
      });

      test('adds up CPU and memory as well', () => {
        const plan = new Plan({ awsvpcTrunking: true });
        plan.addService('Api', { cpu: 1024, memoryLimitMiB: 1024, maxCapacity: 12 });
        plan.addService('Web', { cpu: 1024, memoryLimitMiB: 6000, maxCapacity: 12 });
        expect(plan.capacityWarnings().map((warning) => warning.message).sort()).toEqual([
          'the services on capacity "TestStack/Cluster/Capacity" need 24576 CPU units at their maxTasks ("TestStack/Api": 12 tasks × 1024, '
            + '"TestStack/Web": 12 tasks × 1024), but 10 instances (maxInstances) offer at most 20480: m6i.large offers 2048 CPU units each',
          'the services on capacity "TestStack/Cluster/Capacity" need 84288 MiB of memory at their maxTasks ("TestStack/Api": 12 tasks × 1024, '
            + '"TestStack/Web": 12 tasks × 6000), but 10 instances (maxInstances) offer at most 79460: m6i.large offers 7946 MiB of memory '
            + '(7946 MiB schedulable less 0 MiB reserved) each',
          'service "TestStack/Web" needs room for 12 tasks on capacity "TestStack/Cluster/Capacity" (its share of maxTasks 12), '
            + 'but 10 instances (maxInstances) of m6i.large hold at most 10: 1 task each, limited by memory: 7946 MiB per instance '
            + '(7946 MiB schedulable less 0 MiB reserved), 6000 MiB per task',
        ].sort());
      });

      test('checks services on different capacities separately', () => {
        const plan = new Plan();
        const other = plan.cluster.addCapacity('Other');
        plan.addService('Api', { maxCapacity: 20 });
        plan.addService('Web', { maxCapacity: 20, capacityStrategy: [{ capacity: other }] });
        expect(plan.capacityWarnings()).toEqual([]);
      });
    });
  });
});

describe('capacity check with values known only at deploy time', () => {
  test('leaves out a capacity whose maximum size is a token', () => {
    const plan = new Plan({ capacityPlanning: CapacityPlanning.STRICT });
    const maxCapacity = new CfnParameter(plan.stack, 'Max', { type: 'Number' }).valueAsNumber;
    const tokens = plan.cluster.addCapacity('Tokens', { minCapacity: 0, maxCapacity });
    plan.addService('Web', { capacityStrategy: [{ capacity: tokens }], maxCapacity: 50 });
    expect(plan.capacityWarnings()).toEqual([]);
    expect(() => plan.app.synth()).not.toThrow();
  });

  test('leaves out a service whose maximum task count is a token', () => {
    const plan = new Plan({ capacityPlanning: CapacityPlanning.STRICT });
    const maxCapacity = new CfnParameter(plan.stack, 'MaxTasks', { type: 'Number' }).valueAsNumber;
    plan.addService('Web', { minCapacity: 1, maxCapacity });
    expect(plan.capacityWarnings()).toEqual([]);
  });

  test('leaves the task-fit check to the capacity check when a strategy has an instance type without facts', () => {
    const plan = new Plan({
      capacity: { instanceType: new ec2.InstanceType(UNKNOWN), additionalInstanceTypes: [new ec2.InstanceType('m6i.large')] },
    });
    expect(() => plan.addService('Web', { cpu: 4096, memoryLimitMiB: 4096 })).not.toThrow();
    expect(plan.capacityWarnings().map((warning) => warning.id)).toContain(`${ACK}unknown-type`);
  });
});
