import { RemovalPolicy } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CapacityShare } from '../cluster/ecs-cluster';

/**
 * What every workload of the platform runs: one application container in a task of its own, with its own roles,
 * log group and security group. `WebService`, `QueueWorker` and `ScheduledTask` take these options.
 */
export interface WorkloadTaskOptions {
  /**
   * The container image, for example `imageRepository.image('1.4.2')` or
   * `ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27')`.
   */
  readonly image: ecs.ContainerImage;

  /**
   * CPU units of the task, 1024 per vCPU (128 to 196608); must fit on one container instance.
   *
   * @default 256
   */
  readonly cpu?: number;

  /**
   * Memory of the task in MiB (128 to 786432), a hard limit; must fit on one container instance.
   *
   * @default 512
   */
  readonly memoryLimitMiB?: number;

  /**
   * Plain environment variables. Names that look like secrets (PASSWORD, SECRET, TOKEN, API_KEY, …) are refused
   * unless listed in `allowPlainEnvironment`: pass those in `secrets`.
   *
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Environment variable name → SSM Parameter Store `SecureString` parameter name. The values are injected at
   * task start and never appear in the template; the execution role may read exactly these parameters.
   *
   * @default - none
   */
  readonly secrets?: { [name: string]: string };

  /**
   * Names in `environment` that look like secrets but are not (for example `TOKEN_ENDPOINT_URL`).
   *
   * @default - none
   */
  readonly allowPlainEnvironment?: string[];

  /**
   * Whether the container's root filesystem is read-only. Applications that write files need a volume.
   * Windows containers cannot have a read-only root filesystem.
   *
   * @default - true on Linux, false on Windows
   */
  readonly readonlyRootFilesystem?: boolean;

  /**
   * The capacity provider strategy: which of the cluster's capacities run the tasks, with weights and a base.
   * All capacities must have one operating system; the tasks are placed only on instances of that OS.
   *
   * @default - the cluster's default capacity strategy
   */
  readonly capacityStrategy?: CapacityShare[];

  /**
   * How long the workload's container logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the workload's log group when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}
