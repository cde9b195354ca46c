import { IConstruct } from 'constructs';
import { CapacityShare } from '../capacity-share';

/** What a service tells its cluster, so the cluster can check that the service's tasks can be placed. */
export interface WorkloadDemand {
  /** The service. */
  readonly scope: IConstruct;
  /** CPU units of one task. */
  readonly cpu: number;
  /** Memory of one task, in MiB. */
  readonly memoryMiB: number;
  /** The most tasks the service may run. */
  readonly maxTasks: number;
  /** The capacity provider strategy of the service. */
  readonly strategy: CapacityShare[];
  /** Whether the strategy is the cluster's default, taken when the service was created. */
  readonly usesDefaultStrategy: boolean;
  /**
   * Whether the tasks use the awsvpc network mode, one network interface each (bridge tasks use none of their own).
   *
   * @default true
   */
  readonly awsvpc?: boolean;
}
