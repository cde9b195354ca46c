import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** How the ECS agent pulls container images (`ECS_IMAGE_PULL_BEHAVIOR`). */
export enum ImagePullBehavior {
  /** Pull from the registry, and use the cached image only when the pull fails. */
  DEFAULT = 'default',
  /** Always pull from the registry, and fail the task when the pull fails. */
  ALWAYS = 'always',
  /** Pull only if no earlier task on the instance pulled the image. */
  ONCE = 'once',
  /** Use the cached image when there is one, else pull. */
  PREFER_CACHED = 'prefer-cached',
}

/** The log level of the ECS agent (`ECS_LOGLEVEL`). */
export enum AgentLogLevel {
  /** Everything, including debug messages. */
  DEBUG = 'debug',
  /** Informational messages and above (the agent's default). */
  INFO = 'info',
  /** Warnings and above. */
  WARN = 'warn',
  /** Errors and above. */
  ERROR = 'error',
  /** Critical messages only. */
  CRIT = 'crit',
}

/**
 * An object in Amazon S3 holding ECS agent settings (`KEY=value` lines), copied to `/etc/ecs/ecs.config` at boot.
 */
export interface AgentConfigFile {
  /** The bucket of the object. */
  readonly bucket: s3.IBucket;
  /** The object's key, for example `ecs/agent.config`. */
  readonly key: string;
}

/**
 * Typed ECS container agent settings, rendered into the agent configuration of every AMI family: `ecs.config`
 * lines on Amazon Linux 2023, `[settings.ecs]` TOML on Bottlerocket and machine environment variables on Windows.
 *
 * An unset option leaves the agent's own default, except the two security settings, which this library turns on.
 * A setting that an AMI family does not support fails at synth rather than being dropped silently.
 *
 * Registry credentials are never written into the agent configuration: give a container its registry
 * credentials from Secrets Manager instead (`ecs.ContainerImage.fromRegistry(name, { credentials })`).
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html
 */
export interface ContainerAgentSettings {
  /**
   * How long a stopped task's containers are kept before they are removed (`ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION`), at least 1 minute.
   *
   * @default - the agent's default, 3 hours
   */
  readonly taskCleanupWait?: Duration;

  /**
   * How often unused images are removed (`ECS_IMAGE_CLEANUP_INTERVAL`), at least 10 minutes.
   *
   * @default - the agent's default, 30 minutes
   */
  readonly imageCleanupInterval?: Duration;

  /**
   * How long an image must have been pulled before it may be removed (`ECS_IMAGE_MINIMUM_CLEANUP_AGE`).
   *
   * @default - the agent's default, 1 hour
   */
  readonly imageMinimumCleanupAge?: Duration;

  /**
   * The most images removed in one cleanup cycle (`ECS_NUM_IMAGES_DELETE_PER_CYCLE`), 1 to 1000.
   *
   * @default - the agent's default, 5
   */
  readonly imagesDeletedPerCycle?: number;

  /**
   * Turns automated image cleanup off (`ECS_DISABLE_IMAGE_CLEANUP`). Instances then fill their volume with images.
   *
   * @default false
   */
  readonly disableImageCleanup?: boolean;

  /**
   * How the agent pulls images (`ECS_IMAGE_PULL_BEHAVIOR`).
   *
   * @default - the agent's default, `ImagePullBehavior.DEFAULT`
   */
  readonly imagePullBehavior?: ImagePullBehavior;

  /**
   * Allows privileged containers (the inverse of `ECS_DISABLE_PRIVILEGED`). Not available on Windows.
   *
   * @default false
   */
  readonly allowPrivilegedContainers?: boolean;

  /**
   * Blocks awsvpc tasks from the instance metadata service (`ECS_AWSVPC_BLOCK_IMDS`), so a task cannot take the
   * instance role's credentials.
   *
   * @default true
   */
  readonly awsvpcBlockImds?: boolean;

  /**
   * Drains an instance's tasks when it receives a Spot interruption notice (`ECS_ENABLE_SPOT_INSTANCE_DRAINING`).
   *
   * @default - true when the capacity uses Spot, else false
   */
  readonly spotInstanceDraining?: boolean;

  /**
   * The agent's log level (`ECS_LOGLEVEL`).
   *
   * @default - the agent's default, `AgentLogLevel.INFO`
   */
  readonly logLevel?: AgentLogLevel;

  /**
   * The agent's log file (`ECS_LOGFILE`), an absolute path. Not available on Bottlerocket.
   *
   * @default - the agent's default location
   */
  readonly logFile?: string;

  /**
   * Memory in MiB that the agent keeps for the operating system and its own processes (`ECS_RESERVED_MEMORY`),
   * 0 to 65536. Tasks can use less memory per instance; the capacity check counts it.
   *
   * @default 0
   */
  readonly reservedMemoryMiB?: number;

  /**
   * How long the agent waits for a container to stop after SIGTERM before it kills it (`ECS_CONTAINER_STOP_TIMEOUT`),
   * 1 second to 1 hour.
   *
   * @default - the agent's default, 30 seconds
   */
  readonly containerStopTimeout?: Duration;

  /**
   * Custom attributes of the container instance (`ECS_INSTANCE_ATTRIBUTES`), for placement constraints such as
   * `attribute:team == payments`. At most 10; names are 1 to 128 letters, digits, `-`, `_`, `.`, `/` or `\\`;
   * values 1 to 128 of those, `@`, `:` and inner spaces.
   *
   * @default - none
   */
  readonly instanceAttributes?: { [name: string]: string };

  /**
   * Tags of the container instance in ECS (`ECS_CONTAINER_INSTANCE_TAGS`). At most 50. Not available on Bottlerocket.
   *
   * @default - none
   */
  readonly instanceTags?: { [key: string]: string };

  /**
   * An S3 object with more agent settings, copied to `/etc/ecs/ecs.config` before the settings above are
   * appended (so the typed settings win). The instance role may read exactly this object. Amazon Linux 2023 only.
   *
   * @default - no config file
   */
  readonly configFile?: AgentConfigFile;

  /**
   * Any other agent variables (`ECS_*`), for settings this interface does not type yet. A variable that has a typed
   * option above, `ECS_CLUSTER`, and registry credentials (`ECS_ENGINE_AUTH_TYPE`, `ECS_ENGINE_AUTH_DATA`) are
   * refused. Not available on Bottlerocket.
   *
   * @default - none
   */
  readonly additionalSettings?: { [name: string]: string };
}
