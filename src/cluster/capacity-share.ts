import { Ec2Capacity } from './ec2-capacity';

/** One entry of a capacity provider strategy: a capacity, its weight and its base. */
export interface CapacityShare {
  /** The capacity whose instances take this share of the tasks, which must belong to the cluster. */
  readonly capacity: Ec2Capacity;

  /**
   * The relative share of tasks placed on this capacity, beyond the base (0 to 1000).
   *
   * @default 1
   */
  readonly weight?: number;

  /**
   * The number of tasks placed on this capacity before any other (0 to 100000). At most one share of a
   * strategy may have a base.
   *
   * @default 0
   */
  readonly base?: number;
}
