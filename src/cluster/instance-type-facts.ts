import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Facts about the EC2 instance types that platforms commonly run ECS on, used for synth-time checks.
 *
 * Internal: not exported from the package barrel. One table, so the capacity checks have one source of truth.
 * Sources: Amazon EC2 instance type specifications (vCPUs, memory, maximum network interfaces).
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
/** GiB of memory per vCPU, and the architecture, of each family. */
const FAMILIES: Record<string, { gibPerVcpu: number; architecture: InstanceArchitecture }> = {
  m5: { gibPerVcpu: 4, architecture: 'x86_64' },
  m6i: { gibPerVcpu: 4, architecture: 'x86_64' },
  m7i: { gibPerVcpu: 4, architecture: 'x86_64' },
  m6g: { gibPerVcpu: 4, architecture: 'arm64' },
  m7g: { gibPerVcpu: 4, architecture: 'arm64' },
  c6i: { gibPerVcpu: 2, architecture: 'x86_64' },
  c7g: { gibPerVcpu: 2, architecture: 'arm64' },
  r6i: { gibPerVcpu: 8, architecture: 'x86_64' },
  r7g: { gibPerVcpu: 8, architecture: 'arm64' },
};
/** The burstable t3 family does not follow the per-size pattern. */
const T3: ReadonlyArray<[string, number, number, number]> = [
  // size, vCPUs, memory GiB, ENIs
  ['nano', 2, 0.5, 2], ['micro', 2, 1, 2], ['small', 2, 2, 3], ['medium', 2, 4, 3],
  ['large', 2, 8, 3], ['xlarge', 4, 16, 4], ['2xlarge', 8, 32, 4],
];

function buildTable(): ReadonlyMap<string, InstanceTypeFacts> {
  const table = new Map<string, InstanceTypeFacts>();
  for (const [family, { gibPerVcpu, architecture }] of Object.entries(FAMILIES)) {
    for (const [size, vcpus] of Object.entries(VCPUS_BY_SIZE)) {
      const name = `${family}.${size}`;
      table.set(name, { name, vcpus, memoryMiB: vcpus * gibPerVcpu * 1024, maxEnis: ENIS_BY_SIZE[size], architecture });
    }
  }
  for (const [size, vcpus, gib, maxEnis] of T3) {
    const name = `t3.${size}`;
    table.set(name, { name, vcpus, memoryMiB: gib * 1024, maxEnis, architecture: 'x86_64' });
  }
  return table;
}

const TABLE = buildTable();

/**
 * The facts for an instance type, or `undefined` when it is a token or not in the table: the checks that
 * need them are then skipped, never guessed.
 */
export function instanceTypeFacts(instanceType: ec2.InstanceType): InstanceTypeFacts | undefined {
  const name = instanceType.toString();
  return Token.isUnresolved(name) ? undefined : TABLE.get(name);
}

/** The memory (MiB) that ECS can place tasks in on one instance of this type. */
export function schedulableMemoryMiB(facts: InstanceTypeFacts): number {
  return Math.floor(facts.memoryMiB * (1 - PLATFORM_MEMORY_OVERHEAD));
}

/** The CPU units that ECS can place tasks in on one instance of this type. */
export function schedulableCpuUnits(facts: InstanceTypeFacts): number {
  return facts.vcpus * 1024;
}
