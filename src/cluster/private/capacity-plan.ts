import {
  awsvpcTasksPerInstance,
  InstanceTypeFacts,
  instanceTypeFactsByName,
  schedulableCpuUnits,
  schedulableMemoryMiB,
} from './instance-type-facts';

/**
 * A pure capacity planner: EC2 capacities (supply) and services (demand) in, findings out. No constructs, no tokens:
 * callers pass plain numbers and leave out anything unresolved.
 *
 * Semantics:
 * - **Fit.** A task fits an instance type when its CPU units are at most vCPUs × 1024, its memory (hard limit) is at most
 *   the schedulable memory (`schedulableMemoryMiB`) less the capacity's `reservedMemoryMiB`, and, for awsvpc tasks, the
 *   instance has at least one task ENI: the ECS task limit with ENI trunking when the capacity turns trunking on and the
 *   type supports it, else `maxEnis - 1` (`awsvpcTasksPerInstance`). A need of 0 (no task-level CPU, say) is no constraint,
 *   and an ENI count the table does not know is no constraint either.
 * - **Strategy.** Only shares with `weight > 0` or `base > 0` get tasks, so only they are checked. A share whose capacity
 *   is not among the supplies (a Fargate provider, say) is not checked: it may run the tasks, and no finding names it.
 *   A service with no such shares is not checked.
 * - **`never-fits`** (one per service): the task fits no instance type of any capacity its strategy uses, every one of
 *   those types is in the table, and every one of those capacities is a supply. Callers make this an error.
 * - **`partial-fit`** (one per service and capacity): the task does not fit some instance types of a capacity, so ECS
 *   cannot place it on instances of those types; when it fits none of them, the tasks that the strategy gives that
 *   capacity cannot be placed at all. Not emitted when `never-fits` already covers the service.
 * - **`unknown-type`** (one per capacity and type): an instance type of a capacity that some service uses is not in the
 *   table, so no task is checked against it, it counts as a possible fit, and the room on that capacity is not checked.
 *   Also emitted when the capacity turns ENI trunking on, an awsvpc service uses it, and the table does not know the
 *   type's task limit with trunking: task ENIs on that type are then not checked.
 * - **`insufficient`**: even at `maxInstances`, all of the instance type that holds the most, the tasks at `maxTasks`
 *   cannot all be placed. Each service's `maxTasks` is split over its shares as ECS does (`distributeTasks`). Then:
 *   - per service and capacity: `maxInstances × tasks per instance` is less than the service's share, where tasks per
 *     instance is the minimum over CPU, memory and task ENIs of `floor(offered / needed)`, on the type with the most;
 *   - per capacity with two or more services that place tasks there (and fit one of its types): for each dimension
 *     (CPU units, MiB of memory, task ENIs) the summed demand exceeds `maxInstances ×` the most any of its types offers.
 *     With one service the per-service check is stricter, so it alone runs. Both bounds are optimistic (they ignore bin-packing across services), so a finding
 *     means the plan cannot work, and no finding does not promise that it will.
 * - Findings are sorted: by kind (`never-fits`, `partial-fit`, `insufficient`, `unknown-type`), then capacity, service
 *   and message. Messages name the service, capacity, instance type and numbers, start in lowercase and have no final period.
 */

/** An EC2 capacity (capacity provider) that tasks can be placed on. */
export interface CapacitySupply {
  /** Name of the capacity, as the shares of a strategy name it; used in messages (for example the construct path). */
  readonly name: string;
  /** Instance types the capacity may launch, the preferred first; may include types that are not in the table. */
  readonly instanceTypes: readonly string[];
  /** The most instances the capacity scales out to. */
  readonly maxInstances: number;
  /** Memory (MiB) the ECS agent keeps from tasks on each instance (`ECS_RESERVED_MEMORY`). */
  readonly reservedMemoryMiB: number;
  /** Whether instances register with ENI trunking (`awsvpcTrunking`). */
  readonly eniTrunking: boolean;
}

/** One entry of a service's capacity provider strategy. */
export interface CapacityShare {
  /** The `CapacitySupply.name` this share places tasks on. */
  readonly capacity: string;
  /** Relative share of the tasks beyond the bases. */
  readonly weight: number;
  /** Tasks placed on this capacity before the weights apply. */
  readonly base: number;
}

/** The tasks a service runs at most, and where its strategy puts them. */
export interface ServiceDemand {
  /** Name of the service, used in messages. */
  readonly name: string;
  /** CPU units per task; 0 when the task sets none. */
  readonly cpu: number;
  /** Memory (MiB) per task, the hard limit. */
  readonly memoryMiB: number;
  /** The most tasks the service runs (for example the auto scaling maximum). */
  readonly maxTasks: number;
  /** Whether the tasks use the awsvpc network mode: one ENI each. */
  readonly awsvpc: boolean;
  /** The capacity provider strategy. */
  readonly shares: readonly CapacityShare[];
}

/** The kinds of finding, from the most to the least severe. */
export type PlanFindingKind = 'never-fits' | 'partial-fit' | 'insufficient' | 'unknown-type';

/** One problem, or one thing that was not checked, in a capacity plan. */
export interface PlanFinding {
  /** What kind of finding this is. */
  readonly kind: PlanFindingKind;
  /** The service concerned; absent when the finding is about a capacity shared by several services, or about a type. */
  readonly service?: string;
  /** The capacity concerned; absent when a `never-fits` finding spans several capacities. */
  readonly capacity?: string;
  /** What is wrong, with the numbers. */
  readonly message: string;
}

/** Looks up the facts for an instance type name; the instance type table by default. */
export type InstanceTypeLookup = (instanceType: string) => InstanceTypeFacts | undefined;

const KIND_ORDER: readonly PlanFindingKind[] = ['never-fits', 'partial-fit', 'insufficient', 'unknown-type'];

/** Checks that the services' tasks fit the capacities their strategies use, and that there is room for them at their maximum. */
export function planCapacity(
  supplies: readonly CapacitySupply[],
  demands: readonly ServiceDemand[],
  lookup: InstanceTypeLookup = instanceTypeFactsByName,
): PlanFinding[] {
  const capacities = new Map(supplies.map((supply) => [supply.name, describeCapacity(supply, lookup)]));
  const findings: PlanFinding[] = [];
  /** Per capacity: the services that use it, and how many tasks each places there at its maximum. */
  const users = new Map<string, Array<{ demand: ServiceDemand; tasks: number }>>();

  for (const demand of demands) {
    const counts = distributeTasks(demand.maxTasks, demand.shares);
    const tasksByCapacity = new Map<string, number>();
    demand.shares.forEach((share, index) => {
      if (share.weight > 0 || share.base > 0) {
        tasksByCapacity.set(share.capacity, (tasksByCapacity.get(share.capacity) ?? 0) + counts[index]);
      }
    });
    findings.push(...fitFindings(demand, [...tasksByCapacity.keys()], capacities));
    for (const [name, tasks] of tasksByCapacity) {
      const capacity = capacities.get(name);
      if (!capacity) continue;
      users.set(name, [...(users.get(name) ?? []), { demand, tasks }]);
      const finding = serviceRoomFinding(demand, tasks, capacity);
      if (finding) findings.push(finding);
    }
  }

  for (const [name, uses] of users) {
    const capacity = capacities.get(name)!;
    findings.push(...uncheckedFindings(capacity, uses.map((use) => use.demand)));
    findings.push(...sharedRoomFindings(capacity, uses));
  }
  return findings.sort(compareFindings);
}

/**
 * Splits `maxTasks` over the shares of a strategy as ECS does: each share's `base` first, in strategy order, then the
 * rest in proportion to the weights. Fractions are settled by the largest remainder, ties going to the earlier share.
 * With no weight above 0, the tasks beyond the bases go nowhere. Returns one count per share.
 */
export function distributeTasks(maxTasks: number, shares: readonly CapacityShare[]): number[] {
  const counts = shares.map(() => 0);
  let remaining = maxTasks;
  shares.forEach((share, index) => {
    const base = Math.max(0, Math.min(share.base, remaining));
    counts[index] += base;
    remaining -= base;
  });
  const totalWeight = shares.reduce((sum, share) => sum + Math.max(0, share.weight), 0);
  if (remaining <= 0 || totalWeight === 0) return counts;

  const parts = shares.map((share, index) => {
    const scaled = remaining * Math.max(0, share.weight);
    return { index, whole: Math.floor(scaled / totalWeight), remainder: scaled % totalWeight };
  });
  let left = remaining - parts.reduce((sum, part) => sum + part.whole, 0);
  for (const part of parts) counts[part.index] += part.whole;
  for (const part of [...parts].sort((a, b) => b.remainder - a.remainder || a.index - b.index)) {
    if (left === 0) break;
    counts[part.index] += 1;
    left -= 1;
  }
  return counts;
}

type Dimension = 'cpu' | 'memory' | 'enis';
const DIMENSIONS: readonly Dimension[] = ['cpu', 'memory', 'enis'];
const UNITS: Record<Dimension, string> = { cpu: 'CPU units', memory: 'MiB of memory', enis: 'task ENIs' };

/** What one instance of a type in the table offers to the tasks of a capacity. */
interface Offer {
  readonly type: string;
  readonly facts: InstanceTypeFacts;
  readonly trunking: boolean;
  readonly reservedMemoryMiB: number;
  readonly schedulableMemoryMiB: number;
  readonly offered: Record<Dimension, number | undefined>;
}

interface Capacity {
  readonly supply: CapacitySupply;
  /** The types in the table, in the capacity's order. */
  readonly offers: readonly Offer[];
  /** The types that are not in the table. */
  readonly unknownTypes: readonly string[];
}

function describeCapacity(supply: CapacitySupply, lookup: InstanceTypeLookup): Capacity {
  const offers: Offer[] = [];
  const unknownTypes: string[] = [];
  for (const type of supply.instanceTypes) {
    const facts = lookup(type);
    if (!facts) {
      unknownTypes.push(type);
      continue;
    }
    const schedulable = schedulableMemoryMiB(facts);
    offers.push({
      type,
      facts,
      trunking: supply.eniTrunking,
      reservedMemoryMiB: supply.reservedMemoryMiB,
      schedulableMemoryMiB: schedulable,
      offered: {
        cpu: schedulableCpuUnits(facts),
        memory: Math.max(0, schedulable - supply.reservedMemoryMiB),
        enis: awsvpcTasksPerInstance(facts, supply.eniTrunking),
      },
    });
  }
  return { supply, offers, unknownTypes };
}

function needOf(demand: ServiceDemand, dimension: Dimension): number {
  switch (dimension) {
    case 'cpu': return demand.cpu;
    case 'memory': return demand.memoryMiB;
    case 'enis': return demand.awsvpc ? 1 : 0;
  }
}

/** How many of the service's tasks one instance holds, and the dimension that limits it (none: unlimited). */
function tasksPerInstance(offer: Offer, demand: ServiceDemand): { tasks: number; limit?: Dimension } {
  let result: { tasks: number; limit?: Dimension } = { tasks: Infinity };
  for (const dimension of DIMENSIONS) {
    const need = needOf(demand, dimension);
    const offered = offer.offered[dimension];
    if (need <= 0 || offered === undefined) continue;
    const tasks = Math.floor(offered / need);
    if (tasks < result.tasks) result = { tasks, limit: dimension };
  }
  return result;
}

/** "10 task ENIs with ENI trunking", and so on. */
function enisPhrase(offer: Offer): string {
  const count = plural(offer.offered.enis!, 'task ENI');
  if (!offer.trunking) return `${count} without ENI trunking`;
  return offer.facts.taskLimitWithTrunking === 0
    ? `${count}, as ${offer.type} does not support ENI trunking`
    : `${count} with ENI trunking`;
}

/** What one instance offers on a dimension, in words: "2048 CPU units", "7434 MiB of memory (…)", "2 task ENIs …". */
function offeredPhrase(offer: Offer, dimension: Dimension): string {
  switch (dimension) {
    case 'cpu': return `${offer.offered.cpu} CPU units`;
    case 'memory': return `${offer.offered.memory} MiB of memory (${memoryNote(offer)})`;
    case 'enis': return enisPhrase(offer);
  }
}

function memoryNote(offer: Offer): string {
  return `${offer.schedulableMemoryMiB} MiB schedulable less ${offer.reservedMemoryMiB} MiB reserved`;
}

/** Why a task does not fit one instance of a type: "m6i.large offers 2048 of the 4096 CPU units and …". */
function shortfall(offer: Offer, demand: ServiceDemand): string {
  const parts: string[] = [];
  for (const dimension of DIMENSIONS) {
    const need = needOf(demand, dimension);
    const offered = offer.offered[dimension];
    if (need <= 0 || offered === undefined || offered >= need) continue;
    if (dimension === 'cpu') parts.push(`${offered} of the ${need} CPU units`);
    if (dimension === 'memory') parts.push(`${offered} of the ${need} MiB of memory (${memoryNote(offer)})`);
    if (dimension === 'enis') parts.push(enisPhrase(offer));
  }
  return `${offer.type} offers ${parts.join(' and ')}`;
}

function describeTask(demand: ServiceDemand): string {
  const parts = [
    ...(demand.cpu > 0 ? [`${demand.cpu} CPU units`] : []),
    ...(demand.memoryMiB > 0 ? [`${demand.memoryMiB} MiB of memory`] : []),
    ...(demand.awsvpc ? ['one task ENI'] : []),
  ];
  return `service "${demand.name}" (${parts.join(', ')})`;
}

/** `never-fits` and `partial-fit` findings for one service, over the capacities its strategy uses. */
function fitFindings(demand: ServiceDemand, used: readonly string[], capacities: ReadonlyMap<string, Capacity>): PlanFinding[] {
  const checks = used.flatMap((name) => {
    const capacity = capacities.get(name);
    if (!capacity) return [];
    const fitting = capacity.offers.filter((offer) => tasksPerInstance(offer, demand).tasks >= 1);
    const misfits = capacity.offers.filter((offer) => !fitting.includes(offer));
    return [{ capacity, fitting, misfits }];
  });
  const mayFit = checks.length < used.length
    || checks.some((check) => check.fitting.length > 0 || check.capacity.unknownTypes.length > 0);

  if (!mayFit && checks.length > 0) {
    const reasons = checks.map((check) => check.misfits.length === 0
      ? `capacity "${check.capacity.supply.name}" has no instance types`
      : `on capacity "${check.capacity.supply.name}", ${check.misfits.map((offer) => shortfall(offer, demand)).join('; ')}`);
    return [{
      kind: 'never-fits',
      service: demand.name,
      ...(checks.length === 1 ? { capacity: checks[0].capacity.supply.name } : {}),
      message: `${describeTask(demand)} fits no instance type of the capacities its strategy uses, so ECS can never place its tasks: ${reasons.join('; ')}`,
    }];
  }

  return checks.filter((check) => check.misfits.length > 0).map(({ capacity, fitting, misfits }) => {
    const name = capacity.supply.name;
    const reasons = misfits.map((offer) => shortfall(offer, demand)).join('; ');
    const unknown = capacity.unknownTypes;
    const consequence = fitting.length > 0
      ? `its tasks can run there only on ${fitting.map((offer) => offer.type).join(', ')} instances`
      : unknown.length > 0
        ? `none of the checked instance types of "${name}" can run its tasks`
        : `the tasks its strategy gives "${name}" can never be placed`;
    const unchecked = unknown.length > 0 ? ` (${unknown.join(', ')} not checked)` : '';
    const which = fitting.length > 0 ? 'every' : 'any';
    return {
      kind: 'partial-fit',
      service: demand.name,
      capacity: name,
      message: `${describeTask(demand)} does not fit ${which} instance type of capacity "${name}": ${reasons}; ${consequence}${unchecked}`,
    };
  });
}

/** The per-service `insufficient` check: can `maxInstances` instances of the best type hold this service's share? */
function serviceRoomFinding(demand: ServiceDemand, tasks: number, capacity: Capacity): PlanFinding | undefined {
  if (tasks <= 0 || capacity.unknownTypes.length > 0 || capacity.offers.length === 0) return undefined;
  let best = { offer: capacity.offers[0], ...tasksPerInstance(capacity.offers[0], demand) };
  for (const offer of capacity.offers.slice(1)) {
    const candidate = tasksPerInstance(offer, demand);
    if (candidate.tasks > best.tasks) best = { offer, ...candidate };
  }
  // No type holds a task: the fit findings say so already.
  if (best.tasks === 0 || best.limit === undefined) return undefined;
  const { maxInstances, name } = capacity.supply;
  const room = best.tasks * maxInstances;
  if (room >= tasks) return undefined;

  const limit = {
    cpu: `CPU: ${best.offer.offered.cpu} CPU units per instance, ${demand.cpu} per task`,
    memory: `memory: ${best.offer.offered.memory} MiB per instance (${memoryNote(best.offer)}), ${demand.memoryMiB} MiB per task`,
    enis: `task ENIs: ${enisPhrase(best.offer)}`,
  }[best.limit];
  const which = capacity.offers.length > 1 ? ', the type that holds the most of them,' : '';
  return {
    kind: 'insufficient',
    service: demand.name,
    capacity: name,
    message: `service "${demand.name}" needs room for ${plural(tasks, 'task')} on capacity "${name}" (its share of maxTasks ${demand.maxTasks}), `
      + `but ${plural(maxInstances, 'instance')} (maxInstances) of ${best.offer.type}${which} hold at most ${room}: `
      + `${plural(best.tasks, 'task')} each, limited by ${limit}`,
  };
}

/** The capacity-wide `insufficient` check: the summed demand of all its services on each dimension. */
function sharedRoomFindings(capacity: Capacity, uses: ReadonlyArray<{ demand: ServiceDemand; tasks: number }>): PlanFinding[] {
  if (capacity.unknownTypes.length > 0) return [];
  // Tasks that fit no type of the capacity are the fit findings' business, not this one's.
  const placeable = uses
    .filter((use) => use.tasks > 0 && capacity.offers.some((offer) => tasksPerInstance(offer, use.demand).tasks >= 1))
    .sort((a, b) => compareStrings(a.demand.name, b.demand.name));
  if (placeable.length < 2) return [];
  const { maxInstances, name } = capacity.supply;
  const findings: PlanFinding[] = [];
  for (const dimension of DIMENSIONS) {
    const involved = placeable.filter((use) => needOf(use.demand, dimension) > 0);
    const total = involved.reduce((sum, use) => sum + use.tasks * needOf(use.demand, dimension), 0);
    if (total === 0 || capacity.offers.some((offer) => offer.offered[dimension] === undefined)) continue;
    let best = capacity.offers[0];
    for (const offer of capacity.offers) if (offer.offered[dimension]! > best.offered[dimension]!) best = offer;
    const supply = maxInstances * best.offered[dimension]!;
    if (total <= supply) continue;

    const breakdown = involved.map((use) => `"${use.demand.name}": ${plural(use.tasks, 'task')} × ${needOf(use.demand, dimension)}`);
    const which = capacity.offers.length > 1 ? ', the largest of its instance types,' : '';
    findings.push({
      kind: 'insufficient',
      capacity: name,
      message: `the services on capacity "${name}" need ${total} ${UNITS[dimension]} at their maxTasks (${breakdown.join(', ')}), `
        + `but ${plural(maxInstances, 'instance')} (maxInstances) offer at most ${supply}: ${best.type}${which} offers ${offeredPhrase(best, dimension)} each`,
    });
  }
  return findings;
}

/** `unknown-type` findings for a capacity that the given services use. */
function uncheckedFindings(capacity: Capacity, demands: readonly ServiceDemand[]): PlanFinding[] {
  const name = capacity.supply.name;
  const findings: PlanFinding[] = capacity.unknownTypes.map((type) => ({
    kind: 'unknown-type',
    capacity: name,
    message: `instance type ${type} of capacity "${name}" is not in the instance type table: `
      + `tasks are not checked against it, and the room on "${name}" is not checked`,
  }));
  if (capacity.supply.eniTrunking && demands.some((demand) => demand.awsvpc)) {
    for (const offer of capacity.offers.filter((o) => o.offered.enis === undefined)) {
      findings.push({
        kind: 'unknown-type',
        capacity: name,
        message: `the task limit with ENI trunking of instance type ${offer.type} of capacity "${name}" is not in the instance type table: `
          + 'awsvpc tasks are not checked against its task ENIs',
      });
    }
  }
  return findings;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareFindings(a: PlanFinding, b: PlanFinding): number {
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind)
    || compareStrings(a.capacity ?? '', b.capacity ?? '')
    || compareStrings(a.service ?? '', b.service ?? '')
    || compareStrings(a.message, b.message);
}
