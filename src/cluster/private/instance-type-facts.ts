import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Facts about the EC2 instance types that platforms commonly run ECS on, used for synth-time checks.
 *
 * Internal: not exported from the package barrel. One table, so the capacity checks have one source of truth.
 * Sources: Amazon EC2 instance type specifications (vCPUs, memory, maximum network interfaces).
 *
 * ENI trunking (`awsvpcTrunking`): the "Task limit with ENI trunking" column of the table "Supported Amazon EC2
 * instance types" in the Amazon ECS Developer Guide, read from the guide's GitHub copy
 * https://github.com/awsdocs/amazon-ecs-developer-guide/blob/021abe8ca185a054dea7bab21e631f9461e05bd6/doc_source/container-instance-eni.md#eni-trunking-supported-instance-types
 * (published as https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html#eni-trunking-supported-instance-types;
 * newer editions of the guide may list it on its own page, eni-trunking-supported-instance-types.html, which was not re-read).
 * That table lists the instance types that support trunking; its "without trunking" column equals `maxEnis - 1` for every
 * type below. Gaps, recorded as unknown rather than guessed:
 * - m7i is not in that copy of the table (the family is newer than it), so its trunking limit is unknown
 *   (no `taskLimitWithTrunking`), and the checks that need it are skipped.
 * - t3 is not in the table although it predates it: it does not support trunking (`taskLimitWithTrunking: 0`).
 */

/** The CPU architecture of an instance type. */
export type InstanceArchitecture = 'x86_64' | 'arm64';

/** What the capacity checks need to know about one instance type. */
export interface InstanceTypeFacts {
  /** Instance type name, for example `m6i.large`. */
  readonly name: string;
  /** Number of vCPUs; ECS registers 1024 CPU units per vCPU. */
  readonly vcpus: number;
  /** Installed memory in MiB. */
  readonly memoryMiB: number;
  /** Maximum network interfaces; awsvpc tasks need one each, and the instance keeps one for itself. */
  readonly maxEnis: number;
  /** The architecture of the instance type's processor. */
  readonly architecture: InstanceArchitecture;
  /**
   * awsvpc tasks one instance can run with ENI trunking (`awsvpcTrunking`), where ECS attaches a trunk ENI and gives each
   * task a branch ENI. `0` when the instance type does not support trunking; absent when the source does not say (unknown).
   */
  readonly taskLimitWithTrunking?: number;
}

/**
 * Share of installed memory that the kernel and platform keep before the ECS agent registers the instance.
 * The ECS docs' own example: an m4.large (8192 MiB installed) registers 7985 MiB, 2.5 % less; we count 3 %.
 */
export const PLATFORM_MEMORY_OVERHEAD = 0.03;

/** ENIs per size, the same for the general purpose, compute and memory optimized families listed below. */
const ENIS_BY_SIZE: Record<string, number> = {
  'large': 3, 'xlarge': 4, '2xlarge': 4, '4xlarge': 8, '8xlarge': 8, '12xlarge': 8, '16xlarge': 15,
};
/** vCPUs per size for those families. */
const VCPUS_BY_SIZE: Record<string, number> = {
  'large': 2, 'xlarge': 4, '2xlarge': 8, '4xlarge': 16, '8xlarge': 32, '12xlarge': 48, '16xlarge': 64,
};
/** The sizes of those families, in the order of the trunking limit lists below. */
const SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];
/**
 * Task limits with ENI trunking per size (in `SIZES` order), copied from the ECS table (see the top of this file).
 * The 5th generation and Graviton families stay at 60 tasks up to 12xlarge; the 6th generation Intel families reach 120.
 */
const TRUNKING_5TH_GEN_AND_GRAVITON = [10, 20, 40, 60, 60, 60, 120];
const TRUNKING_6TH_GEN_INTEL = [10, 20, 40, 60, 90, 120, 120];
/** GiB of memory per vCPU, the architecture and the trunking task limits (`undefined`: not in the source) of each family. */
const FAMILIES: Record<string, { gibPerVcpu: number; architecture: InstanceArchitecture; trunking: number[] | undefined }> = {
  m5: { gibPerVcpu: 4, architecture: 'x86_64', trunking: TRUNKING_5TH_GEN_AND_GRAVITON },
  m6i: { gibPerVcpu: 4, architecture: 'x86_64', trunking: TRUNKING_6TH_GEN_INTEL },
  m7i: { gibPerVcpu: 4, architecture: 'x86_64', trunking: undefined },
  m6g: { gibPerVcpu: 4, architecture: 'arm64', trunking: TRUNKING_5TH_GEN_AND_GRAVITON },
  m7g: { gibPerVcpu: 4, architecture: 'arm64', trunking: TRUNKING_5TH_GEN_AND_GRAVITON },
  c6i: { gibPerVcpu: 2, architecture: 'x86_64', trunking: TRUNKING_6TH_GEN_INTEL },
  c7g: { gibPerVcpu: 2, architecture: 'arm64', trunking: TRUNKING_5TH_GEN_AND_GRAVITON },
  r6i: { gibPerVcpu: 8, architecture: 'x86_64', trunking: TRUNKING_6TH_GEN_INTEL },
  r7g: { gibPerVcpu: 8, architecture: 'arm64', trunking: TRUNKING_5TH_GEN_AND_GRAVITON },
};
/** The burstable t3 family does not follow the per-size pattern, and does not support ENI trunking. */
const T3: ReadonlyArray<[string, number, number, number]> = [
  // size, vCPUs, memory GiB, ENIs
  ['nano', 2, 0.5, 2], ['micro', 2, 1, 2], ['small', 2, 2, 3], ['medium', 2, 4, 3],
  ['large', 2, 8, 3], ['xlarge', 4, 16, 4], ['2xlarge', 8, 32, 4],
];

function buildTable(): ReadonlyMap<string, InstanceTypeFacts> {
  const table = new Map<string, InstanceTypeFacts>();
  for (const [family, { gibPerVcpu, architecture, trunking }] of Object.entries(FAMILIES)) {
    SIZES.forEach((size, index) => {
      const name = `${family}.${size}`;
      const vcpus = VCPUS_BY_SIZE[size];
      const facts: InstanceTypeFacts = { name, vcpus, memoryMiB: vcpus * gibPerVcpu * 1024, maxEnis: ENIS_BY_SIZE[size], architecture };
      table.set(name, trunking ? { ...facts, taskLimitWithTrunking: trunking[index] } : facts);
    });
  }
  for (const [size, vcpus, gib, maxEnis] of T3) {
    const name = `t3.${size}`;
    table.set(name, { name, vcpus, memoryMiB: gib * 1024, maxEnis, architecture: 'x86_64', taskLimitWithTrunking: 0 });
  }
  return table;
}

const TABLE = buildTable();

/** Facts of instance types the table does not know, declared by a capacity (`newInstanceTypes`), per instance type object. */
const DECLARED = new WeakMap<ec2.InstanceType, InstanceTypeFacts>();

/**
 * The facts for an instance type: from the table, else as a capacity declared them for this instance type object
 * (`Ec2CapacityOptions.newInstanceTypes`); `undefined` when it is a token or unknown: the checks that need them are
 * then skipped, never guessed.
 */
export function instanceTypeFacts(instanceType: ec2.InstanceType): InstanceTypeFacts | undefined {
  const name = instanceType.toString();
  if (Token.isUnresolved(name)) return undefined;
  return TABLE.get(name) ?? DECLARED.get(instanceType);
}

/** Records the facts a capacity declares for an instance type that the table does not know. */
export function declareInstanceTypeFacts(instanceType: ec2.InstanceType, facts: InstanceTypeFacts): void {
  DECLARED.set(instanceType, facts);
}

/** Whether the table knows the instance type of this name. */
export function isKnownInstanceType(name: string): boolean {
  return TABLE.has(name);
}

/** The known instance type whose name is closest to `name` (fewest single-character edits). */
export function closestKnownInstanceType(name: string): string {
  let best = '';
  let bestDistance = Infinity;
  for (const known of TABLE.keys()) {
    const distance = editDistance(name, known);
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance between two strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The facts for an instance type given by name (for example `m6i.large`), or `undefined` when it is not in the table. */
export function instanceTypeFactsByName(name: string): InstanceTypeFacts | undefined {
  return TABLE.get(name);
}

/**
 * How many awsvpc tasks one instance can run: each needs its own ENI.
 *
 * Without trunking that is `maxEnis - 1`, as the instance keeps its primary ENI. With trunking (the `awsvpcTrunking`
 * account setting) it is the ECS task limit with trunking on instance types that support it; types that do not support
 * it keep `maxEnis - 1`. `undefined` when trunking is on and the table does not know the type's trunking limit.
 */
export function awsvpcTasksPerInstance(facts: InstanceTypeFacts, trunking: boolean): number | undefined {
  if (trunking && facts.taskLimitWithTrunking !== 0) return facts.taskLimitWithTrunking;
  return facts.maxEnis - 1;
}

/** The memory (MiB) that ECS can place tasks in on one instance of this type. */
export function schedulableMemoryMiB(facts: InstanceTypeFacts): number {
  return Math.floor(facts.memoryMiB * (1 - PLATFORM_MEMORY_OVERHEAD));
}

/** The CPU units that ECS can place tasks in on one instance of this type. */
export function schedulableCpuUnits(facts: InstanceTypeFacts): number {
  return facts.vcpus * 1024;
}
