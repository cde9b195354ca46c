import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CapacityShare } from '../cluster/capacity-share';
import { TaskSecret } from '../security/task-secret';

/** A writable, empty directory for the application container, kept for the life of the task only. */
export interface ScratchVolume {
  /** The name of the volume in the task definition: letters, digits, hyphens and underscores, unique in the task. */
  readonly name: string;
  /**
   * Where the application container sees the volume: an absolute path such as `/tmp` or `/var/cache/app`. Not on
   * or below `/proc`, `/sys` or `/dev`, which the container runtime mounts itself.
   */
  readonly containerPath: string;
}

/** The health check Docker runs inside the application container. A task whose essential container is unhealthy is replaced. */
export interface ContainerHealthCheckOptions {
  /**
   * The command, as Docker takes it: `['CMD', 'executable', 'arg']` to run an executable, or
   * `['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1']` to run it in the container's shell. A
   * command without either prefix runs in the shell.
   */
  readonly command: string[];

  /**
   * How often the command runs (5 to 300 seconds).
   *
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * How long one run may take before it counts as failed (2 to 60 seconds, at most `interval`).
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;

  /**
   * How many failed runs in a row make the container unhealthy (1 to 10).
   *
   * @default 3
   */
  readonly retries?: number;

  /**
   * How long after the container starts before failed runs count (0 to 300 seconds).
   *
   * Windows containers start slowly (large images, the Windows and .NET runtimes to start), so on a Windows
   * capacity the default is the longest period ECS allows.
   *
   * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html
   * @default - Duration.seconds(0) on Linux, Duration.seconds(300) on Windows
   */
  readonly startPeriod?: Duration;
}

/** A second container in the workload's task, such as a log router or a proxy. */
export interface SidecarOptions {
  /** The container name: letters, digits, hyphens and underscores, not `app`, unique in the task. */
  readonly name: string;

  /** The container image. */
  readonly image: ecs.ContainerImage;

  /**
   * The sidecar's memory in MiB (6 or more), a hard limit taken out of the task's `memoryLimitMiB`: the
   * application container gets what the sidecars leave.
   */
  readonly memoryLimitMiB: number;

  /**
   * CPU units reserved for the sidecar, taken out of the task's `cpu`.
   *
   * @default - no reservation of its own: the sidecar shares the task's CPU
   */
  readonly cpu?: number;

  /**
   * Whether the task stops when the sidecar stops. An essential sidecar that fails gets the task replaced.
   *
   * @default true
   */
  readonly essential?: boolean;

  /**
   * Plain environment variables, checked like the application's: secret-looking names are refused unless listed in
   * the workload's `allowPlainEnvironment`.
   *
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Environment variable name → SSM Parameter Store `SecureString` parameter name, injected at start.
   *
   * @default - none
   */
  readonly secrets?: { [name: string]: string };

  /**
   * Environment variable name → secret of AWS Secrets Manager (`TaskSecret.fromSecretsManager()`) or SSM
   * `SecureString` parameter with a customer-managed key (`TaskSecret.fromParameter()`), injected at start like
   * the workload's `taskSecrets`. A name may be in `secrets` or in `taskSecrets`, not in both, nor in `environment`.
   *
   * @default - none
   */
  readonly taskSecrets?: { [name: string]: TaskSecret };

  /**
   * The command, overriding the image's.
   *
   * @default - the image's command
   */
  readonly command?: string[];

  /**
   * Whether the sidecar's root filesystem is read-only.
   *
   * @default - as the application container's default: true on Linux unless ECS Exec is on, false on Windows
   */
  readonly readonlyRootFilesystem?: boolean;
}

/**
 * A FireLens log router: an AWS for Fluent Bit container in the workload's task, through which the application
 * container's logs go to the destination its `options` name (Amazon Data Firehose, CloudWatch Logs, S3, OpenSearch,
 * a partner) instead of the workload's log group. Linux only.
 *
 * The router is the task's container `log-router`: essential, started by ECS before the application container and
 * stopped after it, with a read-only root filesystem and a writable, empty `/tmp` (Fluent Bit buffers there, for
 * example for its `s3` output). Its own logs go to the workload's log group, to the streams
 * `<workload id>/log-router/<task id>`. Sidecars keep logging to the workload's log group.
 *
 * Fluent Bit calls the destination with the task role: grant it there, for example
 * `deliveryStream.grantPutRecords(service.taskRole)`. It sends from the task's network interface, so the task needs
 * egress to the destination (see `allowAllOutbound`).
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html
 */
export interface LogRouterOptions {
  /**
   * The options of the application container's `awsfirelens` log driver: the Fluent Bit output and its settings,
   * for example `{ Name: 'kinesis_firehose', region: 'eu-west-1', delivery_stream: 'app-logs' }`. `Name` names the
   * output plugin and is required. The values are plain text in the task definition: an option whose name looks
   * like a secret (`apikey`, `HTTP_Passwd`, `splunk_token`) is refused unless its value is a switch (`On`, `Off`,
   * `true`, `false`), and so is a value that holds an AWS access key ID, a private key or a URL with a password:
   * pass those in `secretOptions`.
   *
   * @see https://docs.fluentbit.io/manual/pipeline/outputs
   */
  readonly options: { [name: string]: string };

  /**
   * Option name → secret, for the options that carry credentials (an API key, a token, a password). ECS reads them
   * with the workload's execution role, which gets read access to exactly these secrets, and passes them to Fluent
   * Bit at task start; their values never appear in the template. A name may be in `options` or in
   * `secretOptions`, not in both.
   *
   * @default - none
   */
  readonly secretOptions?: { [name: string]: TaskSecret };

  /**
   * The Fluent Bit image. Pin a version for repeatable deployments, for example
   * `ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4')`, or use a copy
   * in your own registry.
   *
   * @default - `public.ecr.aws/aws-observability/aws-for-fluent-bit:stable`, AWS's latest stable release, pulled from Amazon ECR Public
   */
  readonly image?: ecs.ContainerImage;

  /**
   * The router's memory in MiB (6 or more), a hard limit taken out of the task's `memoryLimitMiB` like a sidecar's.
   *
   * @default 64
   */
  readonly memoryLimitMiB?: number;

  /**
   * Whether the router's root filesystem is read-only. The `init` variants of the AWS for Fluent Bit image write
   * their configuration to `/init` and need it writable.
   *
   * @default - true, unless the workload turns ECS Exec on
   */
  readonly readonlyRootFilesystem?: boolean;
}

/**
 * What every workload of the platform runs: one application container in a task of its own, with its own roles,
 * log group and security group. `WebService`, `QueueWorker` and `ScheduledTask` take these options.
 */
export interface WorkloadTaskOptions {
  /**
   * The container image, for example `imageRepository.image('1.4.2')` or
   * `ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27')`. An image from a registry needs a version
   * tag or a digest: none, or `latest`, is refused.
   */
  readonly image: ecs.ContainerImage;

  /**
   * CPU units of the task, 1024 per vCPU (128 to 196608). They must fit on one container instance.
   *
   * @default 256
   */
  readonly cpu?: number;

  /**
   * Memory of the task in MiB (128 to 786432), a hard limit. It must fit on one container instance.
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
   * Environment variable name → secret of AWS Secrets Manager, whole or one JSON field
   * (`TaskSecret.fromSecretsManager()`), or SSM `SecureString` parameter encrypted with a customer-managed KMS key
   * (`TaskSecret.fromParameter()`). The values are injected at task start and never appear in the template; the
   * execution role may read exactly these secrets, and decrypt with their customer-managed keys only through
   * Secrets Manager or Parameter Store (`kms:ViaService`). A name may be in `secrets` or in `taskSecrets`, not in
   * both, nor in `environment`.
   *
   * @default - none
   */
  readonly taskSecrets?: { [name: string]: TaskSecret };

  /**
   * Names in `environment` that look like secrets but are not (for example `TOKEN_ENDPOINT_URL`).
   *
   * @default - none
   */
  readonly allowPlainEnvironment?: string[];

  /**
   * Whether the container's root filesystem is read-only. Applications that write files need a volume.
   * Windows containers cannot have a read-only root filesystem, and ECS Exec needs a writable one.
   *
   * @default - true on Linux, false on Windows or when the workload turns ECS Exec on
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
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (kept when the stack deletes or replaces it; deleted when the create
   *   that made it fails and rolls back)
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * A customer-managed KMS key that encrypts the workload's log group. CloudWatch Logs must be allowed to use it:
   * a key of the workload's stack gets the key policy statement that lets `logs.<region>.amazonaws.com` use it for
   * the log groups of its account and region (once per key, however many workloads share it); the policy of any
   * other key must allow that already, or the log group cannot be created (a synth warning says so). The
   * execution role needs no permission on the key.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
   * @default - the log group is encrypted by CloudWatch Logs with a key it owns
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * Sends the application container's logs through a FireLens log router (AWS for Fluent Bit) to the destination
   * of its choice, instead of to the workload's log group. Linux only.
   *
   * @default - the containers log to the workload's log group with the `awslogs` driver, to the streams `<workload id>/<container name>/<task id>`
   */
  readonly logRouter?: LogRouterOptions;

  /**
   * Whether the tasks' security group allows all outbound traffic. When false it allows none until you open some,
   * for example `service.connections.allowTo(database, ec2.Port.tcp(5432))` or
   * `worker.securityGroup.connections.allowTo(endpoint, ec2.Port.tcp(443))`.
   *
   * What ECS does for the task on EC2 does not use the task's network interface: the container agent pulls the
   * images, reads the secrets and serves the task role's credentials, and the `awslogs` driver ships the logs, from
   * the instance's network. What runs
   * in the task does: the application's own calls (AWS APIs such as its queue, databases, other services), a
   * FireLens log router's deliveries and the SSM agent of ECS Exec all need a rule (a synth warning names the last
   * two when they are on). Refused in bridge mode, where the tasks have no security group of their own.
   *
   * @default true
   */
  readonly allowAllOutbound?: boolean;

  /**
   * Writable scratch volumes for the application container: empty at task start, removed with the task. Use them
   * for the paths an application writes to (`/tmp`, caches) so the root filesystem stays read-only. Linux only: the
   * root filesystem of a Windows container is writable.
   *
   * @default - none
   */
  readonly scratchVolumes?: ScratchVolume[];

  /**
   * The user the application container runs as: `uid`, `uid:gid`, `user` or `user:group`, for example `1000:1000`.
   * Root (`0`, `00`, `root`) is refused, and the root group (`1000:0`) gets a warning. Linux only: ECS does not
   * support it for Windows containers.
   *
   * @default - the image's user
   */
  readonly user?: string;

  /**
   * How long ECS waits after stopping the application container (SIGTERM) before it kills it (2 to 120 seconds).
   *
   * @default - the container agent's `ECS_CONTAINER_STOP_TIMEOUT`, 30 seconds unless the capacity changes it
   */
  readonly stopTimeout?: Duration;

  /**
   * The command of the application container, overriding the image's. Its first word, the executable, is not empty.
   *
   * @default - the image's command
   */
  readonly command?: string[];

  /**
   * A health check that Docker runs inside the application container.
   *
   * @default - none: the image's health check, if any, is not used by ECS
   */
  readonly healthCheck?: ContainerHealthCheckOptions;

  /**
   * Further containers in the task, such as a log router. Their memory is taken out of `memoryLimitMiB` and their
   * CPU out of `cpu`; their logs go to the workload's log group.
   *
   * @default - none
   */
  readonly sidecars?: SidecarOptions[];
}
