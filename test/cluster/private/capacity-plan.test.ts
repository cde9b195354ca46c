import {
  CapacityShare,
  CapacitySupply,
  distributeTasks,
  planCapacity,
  PlanFinding,
  ServiceDemand,
} from '../../../src/cluster/private/capacity-plan';
import { InstanceTypeFacts, instanceTypeFactsByName } from '../../../src/cluster/private/instance-type-facts';

// Numbers used below (instance type table, 3 % platform overhead):
// m6i.large / m5.large / m7i.large / t3.large: 2048 CPU units, 7946 MiB schedulable, 3 ENIs (2 task ENIs without trunking)
// m6i.xlarge: 4096 CPU units, 15892 MiB; m6i.2xlarge: 8192 CPU units, 31784 MiB
// task limit with ENI trunking: m5.large 10, m6i.8xlarge 90, m6g.8xlarge 60, t3 none (unsupported), m7i unknown

function capacity(name: string, instanceTypes: string[], props: Partial<CapacitySupply> = {}): CapacitySupply {
  return { name, instanceTypes, maxInstances: 10, reservedMemoryMiB: 0, eniTrunking: false, ...props };
}

function service(name: string, shares: string | CapacityShare[], props: Partial<ServiceDemand> = {}): ServiceDemand {
  return {
    name,
    cpu: 256,
    memoryMiB: 512,
    maxTasks: 2,
    awsvpc: true,
    shares: typeof shares === 'string' ? [{ capacity: shares, weight: 1, base: 0 }] : shares,
    ...props,
  };
}

/** The table, plus made-up types for cases the table cannot show. */
function lookupWith(extra: Record<string, InstanceTypeFacts>) {
  return (name: string) => extra[name] ?? instanceTypeFactsByName(name);
}

function kinds(findings: PlanFinding[]): string[] {
  return findings.map((finding) => `${finding.kind} ${finding.service ?? '-'} ${finding.capacity ?? '-'}`);
}

describe('planCapacity', () => {
  describe('comfortable plans', () => {
    test('gives no findings when every task fits and there is room at maxTasks', () => {
      const findings = planCapacity(
        [
          capacity('OnDemand', ['m6i.xlarge', 'm6i.large'], { maxInstances: 4, reservedMemoryMiB: 256 }),
          capacity('Spot', ['m5.large', 'm6i.large'], { maxInstances: 10, eniTrunking: true }),
        ],
        [
          service('api', [{ capacity: 'OnDemand', weight: 1, base: 2 }, { capacity: 'Spot', weight: 3, base: 0 }], { cpu: 512, memoryMiB: 1024, maxTasks: 20 }),
          service('worker', 'Spot', { cpu: 1024, memoryMiB: 2048, maxTasks: 8, awsvpc: false }),
          service('cron', 'OnDemand', { cpu: 0, memoryMiB: 256, maxTasks: 1 }),
        ],
      );
      expect(findings).toEqual([]);
    });

    test('gives no findings for no services, even on capacities with unknown instance types', () => {
      expect(planCapacity([capacity('Cap', ['x9.large', 'm7i.large'], { eniTrunking: true })], [])).toEqual([]);
    });

    test('does not check a service without shares', () => {
      expect(planCapacity([capacity('Cap', ['m6i.large'])], [service('api', [], { cpu: 99999 })])).toEqual([]);
    });
  });

  describe('fit', () => {
    test.each<[string, Partial<ServiceDemand>, number, boolean]>([
      // case, task, reserved memory MiB, fits m6i.large
      ['CPU at the limit', { cpu: 2048 }, 0, true],
      ['CPU one unit over', { cpu: 2049 }, 0, false],
      ['no task-level CPU', { cpu: 0 }, 0, true],
      ['memory at the schedulable limit', { memoryMiB: 7946 }, 0, true],
      ['memory one MiB over', { memoryMiB: 7947 }, 0, false],
      ['memory at the limit after reserved memory', { memoryMiB: 7434 }, 512, true],
      ['memory pushed over by reserved memory', { memoryMiB: 7500 }, 512, false],
      ['reserved memory above the schedulable memory', { memoryMiB: 1 }, 9000, false],
      ['a bridge-mode task', { awsvpc: false }, 0, true],
    ])('%s: fits is %s', (_case, task, reservedMemoryMiB, fits) => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large'], { reservedMemoryMiB })],
        [service('api', 'Cap', { ...task, maxTasks: 1 })],
      );
      expect(kinds(findings)).toEqual(fits ? [] : ['never-fits api Cap']);
    });

    test('says what a never-fitting task needs and what the instance type offers', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large'], { reservedMemoryMiB: 512 })],
        [service('api', 'Cap', { cpu: 4096, memoryMiB: 8192 })],
      );
      expect(findings).toEqual([{
        kind: 'never-fits',
        service: 'api',
        capacity: 'Cap',
        message: 'service "api" (4096 CPU units, 8192 MiB of memory, one task ENI) fits no instance type of the capacities its strategy uses, '
          + 'so ECS can never place its tasks: on capacity "Cap", m6i.large offers 2048 of the 4096 CPU units '
          + 'and 7434 of the 8192 MiB of memory (7946 MiB schedulable less 512 MiB reserved)',
      }]);
    });

    test.each<[Partial<ServiceDemand>, string]>([
      [{ cpu: 0, memoryMiB: 9000 }, 'service "api" (9000 MiB of memory, one task ENI) fits no instance type'],
      [{ cpu: 4096, memoryMiB: 0, awsvpc: false }, 'service "api" (4096 CPU units) fits no instance type'],
    ])('describes the task %j by what it needs', (task, text) => {
      const findings = planCapacity([capacity('Cap', ['m6i.large'])], [service('api', 'Cap', task)]);
      expect(findings[0].message.startsWith(text)).toBe(true);
    });

    test('names every capacity when a task fits none of them, without a single capacity on the finding', () => {
      const findings = planCapacity(
        [capacity('A', ['m6i.large', 'm5.large']), capacity('B', ['t3.large'])],
        [service('api', [{ capacity: 'A', weight: 1, base: 0 }, { capacity: 'B', weight: 1, base: 0 }], { cpu: 3072 })],
      );
      expect(findings).toEqual([{
        kind: 'never-fits',
        service: 'api',
        message: 'service "api" (3072 CPU units, 512 MiB of memory, one task ENI) fits no instance type of the capacities its strategy uses, '
          + 'so ECS can never place its tasks: on capacity "A", m6i.large offers 2048 of the 3072 CPU units; '
          + 'm5.large offers 2048 of the 3072 CPU units; on capacity "B", t3.large offers 2048 of the 3072 CPU units',
      }]);
    });

    test('fails a service whose only capacity has no instance types', () => {
      const findings = planCapacity([capacity('Empty', [])], [service('api', 'Empty')]);
      expect(findings).toEqual([{
        kind: 'never-fits',
        service: 'api',
        capacity: 'Empty',
        message: 'service "api" (256 CPU units, 512 MiB of memory, one task ENI) fits no instance type of the capacities its strategy uses, '
          + 'so ECS can never place its tasks: capacity "Empty" has no instance types',
      }]);
    });

    test('warns when a task fits only some instance types of a capacity', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large', 'm6i.xlarge', 'm5.large'])],
        [service('api', 'Cap', { cpu: 4096 })],
      );
      expect(findings).toEqual([{
        kind: 'partial-fit',
        service: 'api',
        capacity: 'Cap',
        message: 'service "api" (4096 CPU units, 512 MiB of memory, one task ENI) does not fit every instance type of capacity "Cap": '
          + 'm6i.large offers 2048 of the 4096 CPU units; m5.large offers 2048 of the 4096 CPU units; '
          + 'its tasks can run there only on m6i.xlarge instances',
      }]);
    });

    test('warns when a task fits no instance type of one capacity but fits another', () => {
      const findings = planCapacity(
        [capacity('Small', ['m6i.large']), capacity('Big', ['m6i.xlarge'])],
        [service('api', [{ capacity: 'Small', weight: 1, base: 0 }, { capacity: 'Big', weight: 1, base: 0 }], { memoryMiB: 10000 })],
      );
      expect(findings).toEqual([{
        kind: 'partial-fit',
        service: 'api',
        capacity: 'Small',
        message: 'service "api" (256 CPU units, 10000 MiB of memory, one task ENI) does not fit any instance type of capacity "Small": '
          + 'm6i.large offers 7946 of the 10000 MiB of memory (7946 MiB schedulable less 0 MiB reserved); '
          + 'the tasks its strategy gives "Small" can never be placed',
      }]);
    });

    test('does not fail a task that fits no known type when the capacity also has unknown types', () => {
      const findings = planCapacity([capacity('Cap', ['m6i.large', 'x9.large'])], [service('api', 'Cap', { cpu: 4096 })]);
      expect(findings).toEqual([
        {
          kind: 'partial-fit',
          service: 'api',
          capacity: 'Cap',
          message: 'service "api" (4096 CPU units, 512 MiB of memory, one task ENI) does not fit any instance type of capacity "Cap": '
            + 'm6i.large offers 2048 of the 4096 CPU units; none of the checked instance types of "Cap" can run its tasks (x9.large not checked)',
        },
        {
          kind: 'unknown-type',
          capacity: 'Cap',
          message: 'instance type x9.large of capacity "Cap" is not in the instance type table: '
            + 'tasks are not checked against it, and the room on "Cap" is not checked',
        },
      ]);
    });

    test('mentions the unknown types next to the fitting ones', () => {
      const findings = planCapacity([capacity('Cap', ['m6i.large', 'm6i.xlarge', 'x9.large', 'x9.xlarge'])], [service('api', 'Cap', { cpu: 4096 })]);
      expect(findings[0].message).toMatch(/; its tasks can run there only on m6i.xlarge instances \(x9.large, x9.xlarge not checked\)$/);
      expect(kinds(findings)).toEqual(['partial-fit api Cap', 'unknown-type - Cap', 'unknown-type - Cap']);
    });

    test('does not fail a task whose strategy also uses a capacity that is not a supply, such as Fargate', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large'])],
        [service('api', [{ capacity: 'FARGATE', weight: 1, base: 0 }, { capacity: 'Cap', weight: 1, base: 0 }], { cpu: 4096 })],
      );
      expect(kinds(findings)).toEqual(['partial-fit api Cap']);
    });

    test('does not check a task only on capacities that are not supplies', () => {
      expect(planCapacity([capacity('Cap', ['m6i.large'])], [service('api', 'FARGATE', { cpu: 99999 })])).toEqual([]);
    });

    test.each<[string, number, number]>([
      ['weight 0 and base 0', 0, 0],
      ['a negative weight and base 0', -1, 0],
    ])('ignores a share with %s, which gets no tasks', (_case, weight, base) => {
      const findings = planCapacity(
        [capacity('Small', ['m6i.large']), capacity('Big', ['m6i.xlarge'])],
        [service('api', [{ capacity: 'Big', weight: 1, base: 0 }, { capacity: 'Small', weight, base }], { cpu: 4096 })],
      );
      expect(findings).toEqual([]);
    });

    test('checks a share with a base and no weight', () => {
      const findings = planCapacity(
        [capacity('Small', ['m6i.large']), capacity('Big', ['m6i.xlarge'])],
        [service('api', [{ capacity: 'Big', weight: 1, base: 0 }, { capacity: 'Small', weight: 0, base: 1 }], { cpu: 4096 })],
      );
      expect(kinds(findings)).toEqual(['partial-fit api Small']);
    });

    test('checks a capacity that a strategy names twice once', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large'], { maxInstances: 1 })],
        [service('api', [{ capacity: 'Cap', weight: 1, base: 1 }, { capacity: 'Cap', weight: 1, base: 0 }], { cpu: 1024, maxTasks: 4 })],
      );
      expect(findings).toEqual([expect.objectContaining({
        kind: 'insufficient',
        message: expect.stringContaining('needs room for 4 tasks on capacity "Cap" (its share of maxTasks 4)'),
      })]);
    });
  });

  describe('task ENIs', () => {
    const NO_SPARE_ENI: InstanceTypeFacts = { name: 'one.large', vcpus: 2, memoryMiB: 8192, maxEnis: 1, architecture: 'x86_64', taskLimitWithTrunking: 4 };
    const NO_TRUNKING: InstanceTypeFacts = { name: 'old.large', vcpus: 2, memoryMiB: 8192, maxEnis: 1, architecture: 'x86_64', taskLimitWithTrunking: 0 };
    const lookup = lookupWith({ 'one.large': NO_SPARE_ENI, 'old.large': NO_TRUNKING });

    test('fails an awsvpc task on an instance type without a spare ENI', () => {
      const findings = planCapacity([capacity('Cap', ['one.large'])], [service('api', 'Cap')], lookup);
      expect(findings).toEqual([expect.objectContaining({
        kind: 'never-fits',
        message: expect.stringContaining('on capacity "Cap", one.large offers 0 task ENIs without ENI trunking'),
      })]);
    });

    test('fits an awsvpc task on that instance type with ENI trunking', () => {
      expect(planCapacity([capacity('Cap', ['one.large'], { eniTrunking: true })], [service('api', 'Cap')], lookup)).toEqual([]);
    });

    test('fits a bridge-mode task on that instance type without ENI trunking', () => {
      expect(planCapacity([capacity('Cap', ['one.large'])], [service('api', 'Cap', { awsvpc: false })], lookup)).toEqual([]);
    });

    test('says when trunking is on but the instance type does not support it', () => {
      const findings = planCapacity([capacity('Cap', ['old.large'], { eniTrunking: true })], [service('api', 'Cap')], lookup);
      expect(findings[0].message).toContain('old.large offers 0 task ENIs, as old.large does not support ENI trunking');
    });

    test.each<[string, boolean, number, number]>([
      // instance type, ENI trunking, awsvpc tasks per instance, maxInstances
      ['m5.large', false, 2, 5],
      ['m5.large', true, 10, 5],
      ['m6i.large', true, 10, 3],
      ['m6i.8xlarge', false, 7, 2],
      ['m6i.8xlarge', true, 90, 2],
      ['m6g.8xlarge', true, 60, 2],
      ['c7g.16xlarge', true, 120, 1],
      ['t3.large', false, 2, 4],
      ['t3.large', true, 2, 4],
      ['m7i.large', false, 2, 4],
    ])('places %s tasks per %s instance with ENI trunking %s', (instanceType, eniTrunking, perInstance, maxInstances) => {
      const supplies = [capacity('Cap', [instanceType], { eniTrunking, maxInstances })];
      const task = { cpu: 64, memoryMiB: 64 }; // small enough that only ENIs limit
      const room = perInstance * maxInstances;
      expect(planCapacity(supplies, [service('api', 'Cap', { ...task, maxTasks: room })])).toEqual([]);
      const over = planCapacity(supplies, [service('api', 'Cap', { ...task, maxTasks: room + 1 })]);
      expect(kinds(over)).toEqual(['insufficient api Cap']);
      expect(over[0].message).toContain(`hold at most ${room}: ${perInstance} tasks each, limited by task ENIs: ${perInstance} task ENIs`);
    });

    test.each<[string, boolean, string]>([
      ['m5.large', false, 'limited by task ENIs: 2 task ENIs without ENI trunking'],
      ['m5.large', true, 'limited by task ENIs: 10 task ENIs with ENI trunking'],
      ['t3.large', true, 'limited by task ENIs: 2 task ENIs, as t3.large does not support ENI trunking'],
    ])('explains the ENI limit of %s with ENI trunking %s', (instanceType, eniTrunking, text) => {
      const findings = planCapacity(
        [capacity('Cap', [instanceType], { eniTrunking, maxInstances: 1 })],
        [service('api', 'Cap', { cpu: 64, memoryMiB: 64, maxTasks: 11 })],
      );
      expect(findings[0].message.endsWith(text)).toBe(true);
    });

    test('does not count ENIs for bridge-mode tasks', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m5.large'], { maxInstances: 1 })],
        [service('api', 'Cap', { cpu: 64, memoryMiB: 64, maxTasks: 30, awsvpc: false })],
      );
      expect(findings).toEqual([]);
    });

    test('does not check task ENIs where the trunking limit is unknown, and says so', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m7i.large'], { eniTrunking: true, maxInstances: 1 })],
        [service('api', 'Cap', { cpu: 256, memoryMiB: 512, maxTasks: 8 })],
      );
      expect(findings).toEqual([{
        kind: 'unknown-type',
        capacity: 'Cap',
        message: 'the task limit with ENI trunking of instance type m7i.large of capacity "Cap" is not in the instance type table: '
          + 'awsvpc tasks are not checked against its task ENIs',
      }]);
    });

    test('still checks CPU and memory where the trunking limit is unknown', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m7i.large'], { eniTrunking: true, maxInstances: 1 })],
        [service('api', 'Cap', { cpu: 256, memoryMiB: 512, maxTasks: 9 })],
      );
      expect(kinds(findings)).toEqual(['insufficient api Cap', 'unknown-type - Cap']);
      expect(findings[0].message).toContain('8 tasks each, limited by CPU: 2048 CPU units per instance, 256 per task');
    });

    test('does not mention an unknown trunking limit when no awsvpc service uses the capacity', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m7i.large'], { eniTrunking: true })],
        [service('worker', 'Cap', { awsvpc: false })],
      );
      expect(findings).toEqual([]);
    });

    test('does not mention an unknown trunking limit when trunking is off', () => {
      expect(planCapacity([capacity('Cap', ['m7i.large'])], [service('api', 'Cap')])).toEqual([]);
    });
  });

  describe('insufficient room for one service', () => {
    test('says how many tasks fit, limited by memory', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large'], { maxInstances: 3, reservedMemoryMiB: 512 })],
        [service('api', 'Cap', { cpu: 256, memoryMiB: 4096, maxTasks: 4, awsvpc: false })],
      );
      expect(findings).toEqual([{
        kind: 'insufficient',
        service: 'api',
        capacity: 'Cap',
        message: 'service "api" needs room for 4 tasks on capacity "Cap" (its share of maxTasks 4), '
          + 'but 3 instances (maxInstances) of m6i.large hold at most 3: 1 task each, '
          + 'limited by memory: 7434 MiB per instance (7946 MiB schedulable less 512 MiB reserved), 4096 MiB per task',
      }]);
    });

    test('says how many tasks fit, limited by CPU, on the type that holds the most', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large', 'm6i.2xlarge', 'm6i.xlarge'], { maxInstances: 1 })],
        [service('api', 'Cap', { cpu: 1024, memoryMiB: 1024, maxTasks: 9, awsvpc: false })],
      );
      expect(findings).toEqual([{
        kind: 'insufficient',
        service: 'api',
        capacity: 'Cap',
        message: 'service "api" needs room for 9 tasks on capacity "Cap" (its share of maxTasks 9), '
          + 'but 1 instance (maxInstances) of m6i.2xlarge, the type that holds the most of them, hold at most 8: 8 tasks each, '
          + 'limited by CPU: 8192 CPU units per instance, 1024 per task',
      }]);
    });

    test('names the preferred type when types hold as many tasks', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m5.large', 'm6i.large'], { maxInstances: 1 })],
        [service('api', 'Cap', { cpu: 1024, maxTasks: 3, awsvpc: false })],
      );
      expect(findings[0].message).toContain('of m5.large, the type that holds the most of them,');
    });

    test('checks only the share of maxTasks that the strategy gives the capacity', () => {
      const supplies = [capacity('A', ['m6i.large'], { maxInstances: 1 }), capacity('B', ['m6i.large'], { maxInstances: 10 })];
      const shares = [{ capacity: 'A', weight: 1, base: 2 }, { capacity: 'B', weight: 3, base: 0 }];
      // one m6i.large holds 2 tasks of 1024 CPU units
      // 10 tasks: A gets 2 + 2, B gets 6
      const findings = planCapacity(supplies, [service('api', shares, { cpu: 1024, maxTasks: 10, awsvpc: false })]);
      expect(findings).toEqual([expect.objectContaining({
        kind: 'insufficient',
        capacity: 'A',
        message: expect.stringContaining('needs room for 4 tasks on capacity "A" (its share of maxTasks 10)'),
      })]);
      // 3 tasks: A gets 2 + 0, B gets 1 (the larger remainder)
      expect(planCapacity(supplies, [service('api', shares, { cpu: 1024, maxTasks: 3, awsvpc: false })])).toEqual([]);
    });

    test('does not repeat a fit finding as a room finding', () => {
      const findings = planCapacity(
        [capacity('Small', ['m6i.large'], { maxInstances: 1 }), capacity('Big', ['m6i.xlarge'])],
        [service('api', [{ capacity: 'Small', weight: 1, base: 0 }, { capacity: 'Big', weight: 1, base: 0 }], { cpu: 4096, maxTasks: 10 })],
      );
      expect(kinds(findings)).toEqual(['partial-fit api Small']);
    });

    test('does not check room on a capacity with unknown types', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large', 'x9.large'], { maxInstances: 1 })],
        [service('api', 'Cap', { cpu: 1024, maxTasks: 100 })],
      );
      expect(kinds(findings)).toEqual(['unknown-type - Cap']);
    });

    test('does not limit tasks that need no CPU, memory or ENI', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large'], { maxInstances: 1 })],
        [service('api', 'Cap', { cpu: 0, memoryMiB: 0, awsvpc: false, maxTasks: 1000 })],
      );
      expect(findings).toEqual([]);
    });

    test('has nothing to check at maxTasks 0', () => {
      expect(planCapacity([capacity('Cap', ['m6i.large'], { maxInstances: 0 })], [service('api', 'Cap', { maxTasks: 0 })])).toEqual([]);
    });

    test('finds no room at maxInstances 0', () => {
      const findings = planCapacity([capacity('Cap', ['m6i.large'], { maxInstances: 0 })], [service('api', 'Cap', { maxTasks: 1 })]);
      expect(findings[0].message).toContain('but 0 instances (maxInstances) of m6i.large hold at most 0');
    });
  });

  describe('insufficient room for services sharing a capacity', () => {
    test('sums the CPU of every service on the capacity', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large', 'm6i.xlarge'], { maxInstances: 2 })],
        [
          service('web', 'Cap', { cpu: 1024, memoryMiB: 1024, maxTasks: 4, awsvpc: false }),
          service('api', 'Cap', { cpu: 1024, memoryMiB: 1024, maxTasks: 6, awsvpc: false }),
        ],
      );
      expect(findings).toEqual([{
        kind: 'insufficient',
        capacity: 'Cap',
        message: 'the services on capacity "Cap" need 10240 CPU units at their maxTasks ("api": 6 tasks × 1024, "web": 4 tasks × 1024), '
          + 'but 2 instances (maxInstances) offer at most 8192: m6i.xlarge, the largest of its instance types, offers 4096 CPU units each',
      }]);
    });

    test('sums the memory of every service on the capacity', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large'], { maxInstances: 2, reservedMemoryMiB: 512 })],
        [
          service('api', 'Cap', { cpu: 0, memoryMiB: 3000, maxTasks: 2, awsvpc: false }),
          service('web', 'Cap', { cpu: 0, memoryMiB: 2000, maxTasks: 5, awsvpc: false }),
        ],
      );
      expect(findings).toEqual([{
        kind: 'insufficient',
        capacity: 'Cap',
        message: 'the services on capacity "Cap" need 16000 MiB of memory at their maxTasks ("api": 2 tasks × 3000, "web": 5 tasks × 2000), '
          + 'but 2 instances (maxInstances) offer at most 14868: m6i.large offers 7434 MiB of memory (7946 MiB schedulable less 512 MiB reserved) each',
      }]);
    });

    test.each<[boolean, string]>([
      [false, 'need 5 task ENIs at their maxTasks ("api": 3 tasks × 1, "web": 2 tasks × 1), '
        + 'but 2 instances (maxInstances) offer at most 4: m5.large offers 2 task ENIs without ENI trunking each'],
      [true, ''],
    ])('sums the task ENIs of the awsvpc services on the capacity, with ENI trunking %s', (eniTrunking, text) => {
      const findings = planCapacity(
        [capacity('Cap', ['m5.large'], { maxInstances: 2, eniTrunking })],
        [
          service('api', 'Cap', { cpu: 64, memoryMiB: 64, maxTasks: 3 }),
          service('web', 'Cap', { cpu: 64, memoryMiB: 64, maxTasks: 2 }),
          service('worker', 'Cap', { cpu: 64, memoryMiB: 64, maxTasks: 20, awsvpc: false }),
        ],
      );
      if (text) {
        expect(findings).toEqual([{ kind: 'insufficient', capacity: 'Cap', message: `the services on capacity "Cap" ${text}` }]);
      } else {
        expect(findings).toEqual([]);
      }
    });

    test('reports each dimension that is over', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m5.large'], { maxInstances: 1 })],
        [
          service('api', 'Cap', { cpu: 1024, memoryMiB: 4000, maxTasks: 2 }),
          service('web', 'Cap', { cpu: 1024, memoryMiB: 4000, maxTasks: 2 }),
        ],
      );
      const shared = findings.filter((finding) => finding.service === undefined);
      expect(shared.map((finding) => finding.message.match(/need \d+ [\w ]+ at/)?.[0])).toEqual([
        'need 16000 MiB of memory at',
        'need 4 task ENIs at',
        'need 4096 CPU units at',
      ]);
      expect(kinds(findings)).toEqual([
        'insufficient - Cap', 'insufficient - Cap', 'insufficient - Cap',
        'insufficient api Cap', 'insufficient web Cap',
      ]);
    });

    test('leaves the single-service check alone when one service uses the capacity', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large'], { maxInstances: 1 })],
        [service('api', 'Cap', { cpu: 1024, maxTasks: 3, awsvpc: false })],
      );
      expect(kinds(findings)).toEqual(['insufficient api Cap']);
    });

    test('does not sum services whose share on the capacity is 0 tasks', () => {
      const findings = planCapacity(
        [capacity('A', ['m6i.large'], { maxInstances: 1 }), capacity('B', ['m6i.large'])],
        [
          service('api', 'A', { cpu: 2048, maxTasks: 1, awsvpc: false }),
          service('web', [{ capacity: 'B', weight: 1, base: 1 }, { capacity: 'A', weight: 1, base: 0 }], { cpu: 2048, maxTasks: 1, awsvpc: false }),
        ],
      );
      expect(findings).toEqual([]);
    });

    test('does not sum the task ENIs where the trunking limit of a type is unknown', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m5.large', 'm7i.large'], { maxInstances: 1, eniTrunking: true })],
        [
          service('api', 'Cap', { cpu: 64, memoryMiB: 64, maxTasks: 8 }),
          service('web', 'Cap', { cpu: 64, memoryMiB: 64, maxTasks: 8 }),
        ],
      );
      expect(kinds(findings)).toEqual(['unknown-type - Cap']);
    });

    test('does not sum on a capacity with unknown types', () => {
      const findings = planCapacity(
        [capacity('Cap', ['m6i.large', 'x9.large'], { maxInstances: 1 })],
        [service('api', 'Cap', { cpu: 2048, maxTasks: 5 }), service('web', 'Cap', { cpu: 2048, maxTasks: 5 })],
      );
      expect(kinds(findings)).toEqual(['unknown-type - Cap']);
    });

    test('does not sum on a capacity without instance types', () => {
      const findings = planCapacity(
        [capacity('Empty', [])],
        [service('api', 'Empty'), service('web', 'Empty')],
      );
      expect(kinds(findings)).toEqual(['never-fits api Empty', 'never-fits web Empty']);
    });
  });

  test('does not sum services whose tasks fit no type of the capacity', () => {
    const findings = planCapacity(
      [capacity('Cap', ['m6i.large'], { maxInstances: 1 })],
      [service('huge', 'Cap', { cpu: 4096, maxTasks: 10 }), service('api', 'Cap', { cpu: 1024, maxTasks: 2 })],
    );
    expect(kinds(findings)).toEqual(['never-fits huge Cap']);
  });

  describe('order', () => {
    const supplies = [
      capacity('B', ['m6i.large', 'x9.large'], { maxInstances: 1 }),
      capacity('A', ['m6i.large', 'm6i.xlarge'], { maxInstances: 10 }),
      capacity('C', ['m6i.large'], { maxInstances: 1 }),
    ];
    const demands = [
      service('web', 'A', { cpu: 4096 }),
      service('api', 'A', { cpu: 4096 }),
      service('huge', 'C', { cpu: 99999 }),
      service('many', 'C', { cpu: 64, memoryMiB: 64, maxTasks: 50, awsvpc: false }),
      service('odd', 'B', { cpu: 64 }),
    ];

    test('sorts by kind, then capacity, service and message', () => {
      expect(kinds(planCapacity(supplies, demands))).toEqual([
        'never-fits huge C',
        'partial-fit api A',
        'partial-fit web A',
        'insufficient many C',
        'unknown-type - B',
      ]);
    });

    test('puts findings without a capacity first within a kind', () => {
      const both = [{ capacity: 'A', weight: 1, base: 0 }, { capacity: 'C', weight: 1, base: 0 }];
      const findings = planCapacity(supplies, [
        service('c', 'A', { cpu: 99999 }),
        service('b', both, { cpu: 99999 }),
        service('a', both, { cpu: 99999 }),
      ]);
      expect(kinds(findings)).toEqual(['never-fits a -', 'never-fits b -', 'never-fits c A']);
    });

    test('gives the same findings for the inputs in any order', () => {
      expect(planCapacity([...supplies].reverse(), [...demands].reverse())).toEqual(planCapacity(supplies, demands));
    });
  });
});

describe('distributeTasks', () => {
  const share = (name: string, weight: number, base = 0): CapacityShare => ({ capacity: name, weight, base });

  test.each<[string, number, CapacityShare[], number[]]>([
    ['even weights', 10, [share('A', 1), share('B', 1)], [5, 5]],
    ['an odd task to the earlier share on a tie', 5, [share('A', 1), share('B', 1)], [3, 2]],
    ['the base first, then the weights (ECS docs example)', 6, [share('A', 1, 1), share('B', 4)], [2, 4]],
    ['the largest remainder first', 10, [share('A', 1), share('B', 2)], [3, 7]],
    ['weights 1:2:4', 7, [share('A', 1), share('B', 2), share('C', 4)], [1, 2, 4]],
    ['fewer tasks than the base', 1, [share('A', 1, 2), share('B', 1)], [1, 0]],
    ['bases in strategy order', 3, [share('A', 0, 2), share('B', 0, 2)], [2, 1]],
    ['no weight: the tasks beyond the bases go nowhere', 5, [share('A', 0, 2), share('B', 0)], [2, 0]],
    ['a negative weight counts as 0', 4, [share('A', -3), share('B', 1)], [0, 4]],
    ['a weight-0 share with others', 4, [share('A', 0), share('B', 1)], [0, 4]],
    ['no tasks', 0, [share('A', 1, 2), share('B', 1)], [0, 0]],
    ['no shares', 5, [], []],
  ])('splits %s', (_case, maxTasks, shares, expected) => {
    expect(distributeTasks(maxTasks, shares)).toEqual(expected);
  });

  test.each([1, 2, 3, 7, 10, 99, 1000])('hands out all %s tasks when some weight is above 0', (maxTasks) => {
    const counts = distributeTasks(maxTasks, [share('A', 3, 1), share('B', 5), share('C', 7), share('D', 0)]);
    expect(counts.reduce((sum, count) => sum + count, 0)).toEqual(maxTasks);
  });
});
