import { Annotations, Duration, RemovalPolicy, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { assertNoPlainSecrets, looksLikeSecretName, secretValueKind } from './secret-names';
import { assertCommand, assertEnvironmentNames, assertMountPath, assertPinnedImage, checkUser } from './validate-workload';
import { CapacityShare } from '../../cluster/capacity-share';
import { Ec2Capacity } from '../../cluster/ec2-capacity';
import { EcsCluster } from '../../cluster/ecs-cluster';
import { amiFamilyFacts } from '../../cluster/private/ami-families';
import { instanceTypeFacts, schedulableCpuUnits, schedulableMemoryMiB } from '../../cluster/private/instance-type-facts';
import { ParameterSecrets } from '../../security/parameter-secrets';
import { warnOnImageOfSameStack } from '../../security/private/first-deploy-images';
import { TaskRoles } from '../../security/task-roles';
import { TaskSecret } from '../../security/task-secret';
import { allowCloudWatchLogsToUseKey } from '../../shared/log-encryption';
import { checkedLogRetention } from '../../shared/log-retention';
import { acknowledgeNagRule } from '../../shared/nag';
import { checkedRemovalPolicy, KEEP_STATEFUL } from '../../shared/removal';
import { assertInRange, assertPattern, validationError } from '../../shared/validate';
import { ContainerHealthCheckOptions, LogRouterOptions, SidecarOptions, WorkloadTaskOptions } from '../workload-task-options';

/** The name of the application container in every workload's task. */
export const APP_CONTAINER_NAME = 'app';
/** The name of the FireLens log router container, when the workload has one. */
export const LOG_ROUTER_CONTAINER_NAME = 'log-router';
/** The log router's writable `/tmp` volume. */
export const LOG_ROUTER_TMP_VOLUME = 'log-router-tmp';
/** The default log router image: AWS for Fluent Bit's stable release on Amazon ECR Public (no SSM lookup, no ECR grant). */
export const DEFAULT_LOG_ROUTER_IMAGE = 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable';
/** The default memory (MiB) of the log router. */
const DEFAULT_LOG_ROUTER_MEMORY_MIB = 64;
/** Option values that switch a setting on or off and so cannot hold a secret (`AWS_Auth On`). */
const SWITCH_VALUE = /^(on|off|true|false)$/i;
/** The names a container's environment variables may have, as `ParameterSecrets` checks them. */
const ENVIRONMENT_VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENVIRONMENT_VARIABLE_RULE = 'keyed by environment variable names (letters, digits and `_`, not starting with a digit)';

/** The smallest memory (MiB) that the sidecars must leave to the application container. */
const MIN_APP_MEMORY_MIB = 128;
/** The smallest CPU reservation (units) that the sidecars must leave to the application container. */
const MIN_APP_CPU = 128;
/** The ECS Exec actions of the SSM agent in the container: none supports resource-level permissions. */
const EXECUTE_COMMAND_CHANNEL_ACTIONS = [
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
];

/** Settings of a workload that are not options every workload takes; each default keeps a workload as it was. */
export interface WorkloadTaskSettings {
  /**
   * Whether ECS Exec is on: the root filesystem is then writable unless the options say otherwise (and read-only is
   * refused), the init process runs on Linux, and `build()` grants the task role the exec permissions and turns on
   * the cluster's exec audit.
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * Whether the tasks use bridge networking (dynamic host ports on the instance) instead of awsvpc. Refused on
   * Windows. The tasks then have no security group of their own: use `buildTask()`.
   *
   * @default false
   */
  readonly bridge?: boolean;
}

/** What a workload adds to the application container. */
export interface WorkloadContainerExtras {
  /** Port mappings of the application container. */
  readonly portMappings?: ecs.PortMapping[];
}

/** What a workload adds to the shared task settings. */
export interface WorkloadTaskExtras extends WorkloadContainerExtras {
  /** The description of the tasks' security group: who may reach them. */
  readonly securityGroupDescription: string;
}

/** The resources of a workload's task definition, as built by `WorkloadTask.buildTask()`. */
export interface BuiltWorkloadTaskDefinition {
  readonly taskRole: iam.Role;
  readonly executionRole: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly taskDefinition: ecs.TaskDefinition;
  readonly container: ecs.ContainerDefinition;
  /** The sidecar containers, in the order of the options. */
  readonly sidecars: ecs.ContainerDefinition[];
  /** The FireLens log router container, when the workload has one. */
  readonly logRouter?: ecs.FirelensLogRouter;
  /** The task role's ECS Exec permissions, when ECS Exec is on: the service should depend on it. */
  readonly executeCommandPolicy?: iam.Policy;
}

/** The resources of a workload's task, as built by `WorkloadTask.build()`. */
export interface BuiltWorkloadTask extends BuiltWorkloadTaskDefinition {
  readonly securityGroup: ec2.SecurityGroup;
}

/**
 * The task every workload runs: its settings resolved and validated by `resolve()` before the workload creates
 * anything, then built by `build()` under the workload's own scope, so the construct ids (`Roles`, `Logs`,
 * `TaskDefinition`, `Secrets`, `App`, `LogRouter`, `LogRouterSecrets`, `SecurityGroup`) are the workload's.
 */
export class WorkloadTask {
  /** Resolves the defaults of `options` and `settings` and validates them, reporting errors on `scope`. */
  public static resolve(scope: Construct, cluster: EcsCluster, options: WorkloadTaskOptions,
    settings: WorkloadTaskSettings = {}): WorkloadTask {
    return new WorkloadTask(scope, cluster, options, settings);
  }

  public readonly cpu: number;
  public readonly memoryLimitMiB: number;
  public readonly strategy: CapacityShare[];
  /** `linux` or `windows`: the OS of the strategy's capacities. */
  public readonly osType: string;
  private readonly environment: Record<string, string>;
  private readonly secretParameters: Record<string, string>;
  private readonly taskSecrets: Record<string, TaskSecret>;
  private readonly allowAllOutbound: boolean;
  private readonly logRouter?: LogRouterOptions;
  /** Memory (MiB) of the log router; 0 without one. */
  private readonly logRouterMemoryMiB: number;
  private readonly readonlyRootFilesystem: boolean;
  private readonly logRetention: logs.RetentionDays;
  private readonly removalPolicy: RemovalPolicy;
  /** Whether ECS Exec is on. */
  public readonly enableExecuteCommand: boolean;
  /** Whether the tasks use bridge networking. */
  public readonly bridge: boolean;
  private readonly sidecars: SidecarOptions[];
  /** Memory (MiB) of the application container: the task's less the sidecars' and the log router's. */
  private readonly appMemoryMiB: number;
  /** CPU units of the application container: the task's less the sidecars'. */
  private readonly appCpu: number;

  private constructor(private readonly scope: Construct, private readonly cluster: EcsCluster,
    private readonly options: WorkloadTaskOptions, settings: WorkloadTaskSettings) {
    this.cpu = options.cpu ?? 256;
    this.memoryLimitMiB = options.memoryLimitMiB ?? 512;
    this.environment = options.environment ?? {};
    this.secretParameters = options.secrets ?? {};
    this.taskSecrets = options.taskSecrets ?? {};
    this.allowAllOutbound = options.allowAllOutbound ?? true;
    this.logRouter = options.logRouter;
    this.logRouterMemoryMiB = this.logRouter ? this.logRouter.memoryLimitMiB ?? DEFAULT_LOG_ROUTER_MEMORY_MIB : 0;
    this.strategy = options.capacityStrategy ?? cluster.defaultCapacityStrategy;
    this.osType = this.strategy[0]?.capacity.osType ?? 'linux';
    this.enableExecuteCommand = settings.enableExecuteCommand ?? false;
    this.bridge = settings.bridge ?? false;
    // ECS Exec's SSM agent writes to the container's filesystem
    this.readonlyRootFilesystem = options.readonlyRootFilesystem ?? (!this.windows && !this.enableExecuteCommand);
    this.logRetention = checkedLogRetention(scope, 'logRetention', options.logRetention, logs.RetentionDays.ONE_MONTH);
    this.removalPolicy = checkedRemovalPolicy(scope, 'removalPolicy', options.removalPolicy, KEEP_STATEFUL);
    this.sidecars = options.sidecars ?? [];
    this.appMemoryMiB = this.memoryLimitMiB - sum(this.sidecars.map((sidecar) => sidecar.memoryLimitMiB)) - this.logRouterMemoryMiB;
    const sidecarCpu = sum(this.sidecars.map((sidecar) => sidecar.cpu ?? 0));
    // a token (a CfnParameter, say) stays a token: arithmetic on it would give a meaningless number
    this.appCpu = Token.isUnresolved(this.cpu) || sidecarCpu === 0 ? this.cpu : this.cpu - sidecarCpu;

    assertInRange(scope, 'cpu', this.cpu, 128, 196608);
    assertInRange(scope, 'memoryLimitMiB', this.memoryLimitMiB, 128, 786432);
    assertEnvironmentNames(scope, '', this.environment);
    assertNoPlainSecrets(scope, this.environment, options.allowPlainEnvironment ?? []);
    assertSecrets(scope, '', '', this.environment, this.secretParameters, this.taskSecrets);
    cluster._assertStrategy(scope, 'capacityStrategy', this.strategy);
    if (this.windows && this.readonlyRootFilesystem) {
      validationError(scope, 'readonlyRootFilesystem', 'false for a Windows workload (Windows containers have no read-only root filesystem)', true);
    }
    if (this.enableExecuteCommand && this.readonlyRootFilesystem) {
      validationError(scope, 'readonlyRootFilesystem', 'false with `enableExecuteCommand` (the SSM agent of ECS Exec writes to the '
        + 'container\'s filesystem; give the application `scratchVolumes` instead)', true);
    }
    if (this.bridge && !this.allowAllOutbound) {
      validationError(scope, 'allowAllOutbound', 'true or unset in bridge mode (bridge-mode tasks have no security group of their own: '
        + 'they use their instances\')', false);
    }
    if (this.bridge && this.windows) {
      validationError(scope, 'networkMode', 'ServiceNetworkMode.AWS_VPC for a Windows workload (Windows tasks have no bridge network mode)',
        'BRIDGE');
    }
    this.validateContainer(scope, options);
    if (this.logRouter) this.validateLogRouter(scope, this.logRouter);
    this.validateSidecars(scope, options);
    assertTaskFits(scope, this.strategy.map((share) => share.capacity), this.cpu, this.memoryLimitMiB);
  }

  /** Checks the application container's options beyond its size. */
  private validateContainer(scope: Construct, options: WorkloadTaskOptions): void {
    const volumes = options.scratchVolumes ?? [];
    if (this.windows && volumes.length) {
      validationError(scope, 'scratchVolumes', 'unset for a Windows workload (the root filesystem of a Windows container is writable)',
        volumes.map((volume) => volume.name));
    }
    const names = new Set<string>();
    const paths = new Set<string>();
    volumes.forEach((volume, index) => {
      assertPattern(scope, `scratchVolumes[${index}].name`, volume.name, /^[A-Za-z0-9_-]{1,255}$/,
        '1 to 255 letters, digits, hyphens and underscores');
      if (names.has(volume.name)) validationError(scope, `scratchVolumes[${index}].name`, 'a name that no other scratch volume has', volume.name);
      if (this.logRouter && volume.name === LOG_ROUTER_TMP_VOLUME) {
        validationError(scope, `scratchVolumes[${index}].name`, `a name other than \`${LOG_ROUTER_TMP_VOLUME}\` (the log router's volume)`, volume.name);
      }
      names.add(volume.name);
      assertPattern(scope, `scratchVolumes[${index}].containerPath`, volume.containerPath, /^\/[^\s]*[^\s/]$/,
        'an absolute path below `/`, such as `/tmp`');
      if (paths.has(volume.containerPath)) {
        validationError(scope, `scratchVolumes[${index}].containerPath`, 'a path that no other scratch volume has', volume.containerPath);
      }
      if (!this.windows) assertMountPath(scope, `scratchVolumes[${index}].containerPath`, volume.containerPath);
      paths.add(volume.containerPath);
    });

    if (options.user !== undefined && !Token.isUnresolved(options.user)) {
      if (this.windows) {
        validationError(scope, 'user', 'unset for a Windows workload (ECS does not support it for Windows containers)', options.user);
      }
      const name = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}';
      assertPattern(scope, 'user', options.user, new RegExp(`^${name}(:${name})?$`), 'a user such as `1000`, `1000:1000`, `app` or `app:app`');
      checkUser(scope, 'user', options.user);
    }
    assertDuration(scope, 'stopTimeout', options.stopTimeout, 2, 120);
    if (options.command !== undefined && options.command.length === 0) {
      validationError(scope, 'command', 'at least one word, or unset for the image\'s command', options.command);
    }
    assertCommand(scope, 'command', options.command);
    assertPinnedImage(scope, 'image', options.image);
    if (options.healthCheck) assertHealthCheck(scope, 'healthCheck', options.healthCheck);
  }

  /** Checks the sidecars: names, sizes, what they leave to the application container, environment and secrets. */
  private validateSidecars(scope: Construct, options: WorkloadTaskOptions): void {
    const names = new Set<string>([APP_CONTAINER_NAME]);
    let reserved = `\`${APP_CONTAINER_NAME}\` is the application's`;
    if (this.logRouter) {
      names.add(LOG_ROUTER_CONTAINER_NAME);
      reserved += `, \`${LOG_ROUTER_CONTAINER_NAME}\` the log router's`;
    }
    this.sidecars.forEach((sidecar, index) => {
      const where = `sidecars[${index}]`;
      assertPattern(scope, `${where}.name`, sidecar.name, /^[A-Za-z0-9_-]{1,255}$/, '1 to 255 letters, digits, hyphens and underscores');
      if (names.has(sidecar.name)) {
        validationError(scope, `${where}.name`, `a name that no other container of the task has (${reserved})`, sidecar.name);
      }
      names.add(sidecar.name);
      assertInRange(scope, `${where}.memoryLimitMiB`, sidecar.memoryLimitMiB, 6, resolvedOr(this.memoryLimitMiB, 786432));
      assertInRange(scope, `${where}.cpu`, sidecar.cpu, 0, resolvedOr(this.cpu, 196608));
      if (this.windows && sidecar.readonlyRootFilesystem) {
        validationError(scope, `${where}.readonlyRootFilesystem`,
          'false for a Windows workload (Windows containers have no read-only root filesystem)', true);
      }
      if (sidecar.command !== undefined && sidecar.command.length === 0) {
        validationError(scope, `${where}.command`, 'at least one word, or unset for the image\'s command', sidecar.command);
      }
      assertCommand(scope, `${where}.command`, sidecar.command);
      assertPinnedImage(scope, `${where}.image`, sidecar.image);
      const environment = sidecar.environment ?? {};
      assertEnvironmentNames(scope, `${where}.`, environment);
      assertNoPlainSecrets(scope, environment, options.allowPlainEnvironment ?? [], `${where}.`);
      assertSecrets(scope, `${where}.`, 'its ', environment, sidecar.secrets ?? {}, sidecar.taskSecrets ?? {});
    });
    if (!Token.isUnresolved(this.appMemoryMiB) && this.appMemoryMiB < MIN_APP_MEMORY_MIB) {
      const router = this.logRouterMemoryMiB;
      if (this.sidecars.length) {
        const after = router ? ` after the log router's ${router} MiB` : '';
        validationError(scope, 'sidecars', `sidecars whose memory leaves at least ${MIN_APP_MEMORY_MIB} MiB of the task's ${this.memoryLimitMiB} `
          + `to the application container${after}`, `${this.memoryLimitMiB - this.appMemoryMiB - router} MiB`);
      }
      if (router) {
        validationError(scope, 'logRouter.memoryLimitMiB', `a memory that leaves at least ${MIN_APP_MEMORY_MIB} MiB of the task's `
          + `${this.memoryLimitMiB} to the application container`, router);
      }
    }
    if (this.sidecars.length && !Token.isUnresolved(this.appCpu) && this.appCpu < MIN_APP_CPU) {
      validationError(scope, 'sidecars', `sidecars whose CPU leaves at least ${MIN_APP_CPU} units of the task's ${this.cpu} `
        + 'to the application container', `${this.cpu - this.appCpu} units`);
    }
  }

  /** Checks the log router: Linux only, its memory, and options that name an output and hold no secret. */
  private validateLogRouter(scope: Construct, router: LogRouterOptions): void {
    if (this.windows) {
      validationError(scope, 'logRouter', 'unset for a Windows workload (FireLens runs on Linux only)', 'a log router');
    }
    if (router.image) assertPinnedImage(scope, 'logRouter.image', router.image);
    assertInRange(scope, 'logRouter.memoryLimitMiB', this.logRouterMemoryMiB, 6, resolvedOr(this.memoryLimitMiB, 786432));
    const options = router.options;
    if (!('Name' in options)) {
      validationError(scope, 'logRouter.options', 'options that name the Fluent Bit output plugin in `Name` (such as `cloudwatch_logs`, '
        + '`kinesis_firehose` or `s3`)', Object.keys(options).sort());
    }
    assertPattern(scope, 'logRouter.options.Name', options.Name, /^\S+$/, 'the name of a Fluent Bit output plugin, such as `kinesis_firehose`');
    for (const name of Object.keys(options).sort()) {
      const value = options[name] ?? '';
      const kind = Token.isUnresolved(value) ? undefined : secretValueKind(value);
      if (kind) {
        validationError(scope, `logRouter.options.${name}`, 'free of secrets (options are plain text in the task definition: pass it in '
          + '`logRouter.secretOptions`)', `a value with ${kind} in it (not shown)`);
      }
      if (looksLikeSecretName(name) && !SWITCH_VALUE.test(value)) {
        validationError(scope, `logRouter.options.${name}`, 'an option that is not a secret (options are plain text in the task '
          + 'definition: pass it in `logRouter.secretOptions`)', name);
      }
    }
    const secretOptions = router.secretOptions ?? {};
    for (const name of Object.keys(secretOptions).sort()) {
      assertPattern(scope, 'logRouter.secretOptions', name, /^[A-Za-z0-9_.-]{1,255}$/,
        'keyed by Fluent Bit option names (1 to 255 letters, digits, `_`, `.` and `-`)');
      if (name in options) validationError(scope, `logRouter.secretOptions.${name}`, 'a name that is not also in `logRouter.options`', name);
      secretOptions[name]._validate(scope, `logRouter.secretOptions.${name}`);
    }
  }

  /** Whether the tasks run on Windows. */
  public get windows(): boolean {
    return this.osType === 'windows';
  }

  /** Builds the roles, log group, task definition, containers and security group. */
  public build(extras: WorkloadTaskExtras): BuiltWorkloadTask {
    const built = this.buildTask(extras);
    const securityGroup = new ec2.SecurityGroup(this.scope, 'SecurityGroup', {
      vpc: this.cluster.vpc,
      description: extras.securityGroupDescription,
      allowAllOutbound: this.allowAllOutbound,
    });
    const needEgress = [
      ...this.logRouter ? ['the log router sends the application\'s logs to its destination'] : [],
      ...this.enableExecuteCommand ? ['the SSM agent of ECS Exec opens its Session Manager channels (ssmmessages, HTTPS)'] : [],
    ];
    if (!this.allowAllOutbound && needEgress.length) {
      Annotations.of(this.scope).addWarningV2('cdk-ecs-platform:Workload.no-egress',
        `\`allowAllOutbound\` is false, but from the task's network interface ${needEgress.join(', and ')}: open the way with `
        + '`securityGroup.connections.allowTo()` (to a VPC endpoint or the destination), or it fails');
    }
    return { ...built, securityGroup };
  }

  /**
   * Builds the roles, log group, task definition and containers, without a security group: for bridge networking,
   * where the tasks use the security group of their instance. With ECS Exec on, it also turns on the cluster's exec
   * audit and grants the task role what the SSM agent needs.
   */
  public buildTask(extras: WorkloadContainerExtras): BuiltWorkloadTaskDefinition {
    const scope = this.scope;
    const id = scope.node.id;
    const roles = new TaskRoles(scope, 'Roles', { workloadName: id });
    const logEncryptionKey = this.options.logEncryptionKey;
    const logGroup = new logs.LogGroup(scope, 'Logs', {
      retention: this.logRetention,
      removalPolicy: this.removalPolicy,
      encryptionKey: logEncryptionKey,
    });
    if (logEncryptionKey && !allowCloudWatchLogsToUseKey(scope, logEncryptionKey)) {
      Annotations.of(scope).addWarningV2('cdk-ecs-platform:Workload.log-encryption-key-policy',
        '`logEncryptionKey` is imported (or of another account or region), so its key policy is left as it is: it must allow the service principal '
        + 'logs.<region>.amazonaws.com kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe* with the '
        + 'condition ArnLike kms:EncryptionContext:aws:logs:arn arn:<partition>:logs:<region>:<account>:log-group:*, or the log '
        + 'group cannot be created');
    }
    const taskDefinition = new ecs.TaskDefinition(scope, 'TaskDefinition', {
      compatibility: ecs.Compatibility.EC2,
      networkMode: this.bridge ? ecs.NetworkMode.BRIDGE : ecs.NetworkMode.AWS_VPC,
      // a number token (a CfnParameter, say) must become a string token, not the string of its placeholder number
      cpu: Tokenization.stringifyNumber(this.cpu),
      memoryMiB: String(this.memoryLimitMiB),
      taskRole: roles.taskRole,
      executionRole: roles.executionRole,
    });
    const secrets = containerSecrets(scope, 'Secrets', this.secretParameters, this.taskSecrets);
    // the streams are `<id>/<container name>/<task id>`
    const logging = ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: id, mode: ecs.AwsLogDriverMode.NON_BLOCKING });
    const container = taskDefinition.addContainer('App', {
      containerName: APP_CONTAINER_NAME,
      image: this.options.image,
      memoryLimitMiB: this.appMemoryMiB,
      // Windows ignores the task-level CPU; the container-level value reserves it
      cpu: this.windows ? this.appCpu : undefined,
      essential: true,
      readonlyRootFilesystem: this.readonlyRootFilesystem,
      environment: Object.keys(this.environment).length ? this.environment : undefined,
      secrets,
      portMappings: extras.portMappings,
      logging: this.logRouter ? this.firelensLogging(this.logRouter) : logging,
      user: this.options.user,
      stopTimeout: this.options.stopTimeout,
      command: this.options.command,
      healthCheck: this.options.healthCheck ? renderHealthCheck(this.options.healthCheck, this.windows) : undefined,
      // ECS Exec: an init process reaps the SSM agent's child processes
      linuxParameters: this.enableExecuteCommand && !this.windows
        ? new ecs.LinuxParameters(scope, 'LinuxParameters', { initProcessEnabled: true })
        : undefined,
    });
    warnOnImageOfSameStack(scope, 'image', this.options.image);
    this.sidecars.forEach((sidecar, index) => warnOnImageOfSameStack(scope, `sidecars[${index}].image`, sidecar.image));
    for (const volume of this.options.scratchVolumes ?? []) {
      taskDefinition.addVolume({ name: volume.name });
      container.addMountPoints({ sourceVolume: volume.name, containerPath: volume.containerPath, readOnly: false });
    }
    const sidecars = this.sidecars.map((sidecar) => taskDefinition.addContainer(`Sidecar-${sidecar.name}`, {
      containerName: sidecar.name,
      image: sidecar.image,
      memoryLimitMiB: sidecar.memoryLimitMiB,
      cpu: sidecar.cpu,
      essential: sidecar.essential ?? true,
      readonlyRootFilesystem: sidecar.readonlyRootFilesystem ?? (!this.windows && !this.enableExecuteCommand),
      environment: Object.keys(sidecar.environment ?? {}).length ? sidecar.environment : undefined,
      secrets: containerSecrets(scope, `Secrets-${sidecar.name}`, sidecar.secrets ?? {}, sidecar.taskSecrets ?? {}),
      command: sidecar.command,
      logging,
    }));
    const logRouter = this.logRouter ? this.addLogRouter(taskDefinition, this.logRouter, logging) : undefined;

    acknowledgeNagRule(roles.executionRole, 'ECR_AUTH_TOKEN', '[Resource::*]');
    const plainEnvironment = Object.keys(this.environment).length
      || this.sidecars.some((sidecar) => Object.keys(sidecar.environment ?? {}).length);
    if (plainEnvironment) acknowledgeNagRule(taskDefinition, 'CHECKED_PLAIN_ENVIRONMENT');

    const executeCommandPolicy = this.enableExecuteCommand ? this.grantExecuteCommand(roles.taskRole) : undefined;
    return {
      taskRole: roles.taskRole,
      executionRole: roles.executionRole,
      logGroup,
      taskDefinition,
      container,
      sidecars,
      logRouter,
      executeCommandPolicy,
    };
  }

  /** The application container's `awsfirelens` log driver, with the log router's secret options bound under `LogRouterSecrets`. */
  private firelensLogging(router: LogRouterOptions): ecs.LogDriver {
    const secretOptions = router.secretOptions ?? {};
    const names = Object.keys(secretOptions).sort();
    let bound: Record<string, ecs.Secret> | undefined;
    if (names.length) {
      const holder = new Construct(this.scope, 'LogRouterSecrets');
      bound = Object.fromEntries(names.map((name) => [name, secretOptions[name]._bind(holder, name).secret]));
    }
    return ecs.LogDrivers.firelens({ options: router.options, secretOptions: bound });
  }

  /** Adds the FireLens log router: essential, logging to the workload's log group, with a writable `/tmp`. */
  private addLogRouter(taskDefinition: ecs.TaskDefinition, router: LogRouterOptions, logging: ecs.LogDriver): ecs.FirelensLogRouter {
    const container = taskDefinition.addFirelensLogRouter('LogRouter', {
      containerName: LOG_ROUTER_CONTAINER_NAME,
      image: router.image ?? ecs.ContainerImage.fromRegistry(DEFAULT_LOG_ROUTER_IMAGE),
      memoryLimitMiB: this.logRouterMemoryMiB,
      essential: true,
      readonlyRootFilesystem: router.readonlyRootFilesystem ?? !this.enableExecuteCommand,
      firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
      logging,
    });
    taskDefinition.addVolume({ name: LOG_ROUTER_TMP_VOLUME });
    container.addMountPoints({ sourceVolume: LOG_ROUTER_TMP_VOLUME, containerPath: '/tmp', readOnly: false });
    return container;
  }

  /**
   * Turns on the cluster's exec audit and grants the task role exactly what the SSM agent in the container needs:
   * the Session Manager channels, the audit log group (after checking that it is encrypted) and the session key.
   */
  private grantExecuteCommand(taskRole: iam.Role): iam.Policy {
    const audit = this.cluster._enableExecuteCommandAudit();
    const policy = new iam.Policy(this.scope, 'ExecuteCommandPolicy', {
      roles: [taskRole],
      statements: [
        new iam.PolicyStatement({ actions: EXECUTE_COMMAND_CHANNEL_ACTIONS, resources: ['*'] }),
        // the SSM agent lists log groups to check that the audit log group is encrypted
        new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          resources: [audit.logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [audit.key.keyArn] }),
      ],
    });
    acknowledgeNagRule(policy, 'EXECUTE_COMMAND_UNSCOPED_ACTIONS', '[Resource::*]');
    acknowledgeNagRule(policy, 'INLINE_GRANT_POLICY');
    Annotations.of(this.scope).addWarningV2('cdk-ecs-platform:Workload.execute-command',
      'ECS Exec is on: whoever may call ecs:ExecuteCommand on these tasks can run commands in their containers, and the root '
      + 'filesystem is writable; sessions are logged to the cluster\'s encrypted exec audit log group');
    return policy;
  }

  /**
   * The first capacity of the strategy whose AMI cannot run ECS Service Connect (Bottlerocket, Windows), with its
   * AMI's name; undefined when every capacity can.
   */
  public capacityWithoutServiceConnect(): { capacity: Ec2Capacity; amiName: string } | undefined {
    const capacity = this.strategy.map((share) => share.capacity).find((c) => !amiFamilyFacts(c.amiFamily).serviceConnect);
    return capacity && { capacity, amiName: amiFamilyFacts(capacity.amiFamily).displayName };
  }

  /** The placement constraint that keeps the tasks on instances of their OS. */
  public osConstraint(): ecs.PlacementConstraint {
    return ecs.PlacementConstraint.memberOf(`attribute:ecs.os-type == ${this.osType}`);
  }

  /** Tells the cluster's capacity check that up to `maxTasks` of these tasks may run. */
  public registerDemand(maxTasks: number): void {
    this.cluster._addWorkload({
      scope: this.scope,
      cpu: this.cpu,
      memoryMiB: this.memoryLimitMiB,
      maxTasks,
      strategy: this.strategy,
      usesDefaultStrategy: this.options.capacityStrategy === undefined,
      awsvpc: !this.bridge,
    });
  }
}

/**
 * Fails when one task needs more CPU or memory than one instance of the largest instance type of its strategy
 * offers to tasks. Not checked when the strategy has an instance type missing from the facts table.
 */
function assertTaskFits(scope: Construct, capacities: Ec2Capacity[], cpu: number, memoryLimitMiB: number): void {
  const instanceTypes = capacities.flatMap((capacity) => capacity.instanceTypes);
  // an instance type without facts may be the one that fits: leave the decision to the cluster's capacity check
  if (instanceTypes.some((instanceType) => !instanceTypeFacts(instanceType))) return;
  const offers = capacities.flatMap((capacity) => capacity.instanceTypes.map((instanceType) => {
    const facts = instanceTypeFacts(instanceType)!;
    return {
      name: `${facts.name} of capacity "${capacity.node.id}"`,
      cpu: schedulableCpuUnits(facts),
      memory: schedulableMemoryMiB(facts) - capacity.reservedMemoryMiB,
    };
  }));
  if (offers.length === 0) return;
  const mostCpu = offers.reduce((best, offer) => offer.cpu > best.cpu ? offer : best);
  if (cpu > mostCpu.cpu) {
    validationError(scope, 'cpu', `at most ${mostCpu.cpu} CPU units, what one ${mostCpu.name} offers to tasks`, cpu);
  }
  const mostMemory = offers.reduce((best, offer) => offer.memory > best.memory ? offer : best);
  if (memoryLimitMiB > mostMemory.memory) {
    validationError(scope, 'memoryLimitMiB', `at most ${mostMemory.memory} MiB, what one ${mostMemory.name} offers to tasks`, memoryLimitMiB);
  }
}

/**
 * Checks a container's `secrets` (parameter names) and `taskSecrets` (given to `scope` under the prefix `where`):
 * environment variable names, each name in one place only, and each secret's own settings. `its` is `'its '` for a
 * sidecar, whose `environment` is its own.
 */
function assertSecrets(scope: Construct, where: string, its: string, environment: Record<string, string>,
  parameters: Record<string, string>, taskSecrets: Record<string, TaskSecret>): void {
  for (const name of Object.keys(parameters).sort()) {
    assertPattern(scope, `${where}secrets`, name, ENVIRONMENT_VARIABLE_NAME, ENVIRONMENT_VARIABLE_RULE);
    if (name in environment) validationError(scope, `${where}secrets.${name}`, `a name that is not also in ${its}\`environment\``, name);
    TaskSecret._assertParameterName(scope, `${where}secrets.${name}`, parameters[name]);
  }
  for (const name of Object.keys(taskSecrets).sort()) {
    assertPattern(scope, `${where}taskSecrets`, name, ENVIRONMENT_VARIABLE_NAME, ENVIRONMENT_VARIABLE_RULE);
    if (name in parameters) validationError(scope, `${where}taskSecrets.${name}`, `a name that is not also in ${its}\`secrets\``, name);
    if (name in environment) validationError(scope, `${where}taskSecrets.${name}`, `a name that is not also in ${its}\`environment\``, name);
    taskSecrets[name]._validate(scope, `${where}taskSecrets.${name}`);
  }
}

/** A container's secrets, bound by a `ParameterSecrets` with the id `id`; none (and no construct) when there are none. */
function containerSecrets(scope: Construct, id: string, parameters: Record<string, string>,
  taskSecrets: Record<string, TaskSecret>): Record<string, ecs.Secret> | undefined {
  if (!Object.keys(parameters).length && !Object.keys(taskSecrets).length) return undefined;
  return new ParameterSecrets(scope, id, { parameters, secrets: taskSecrets }).secrets;
}

/** `value`, or `fallback` when `value` is a token. */
function resolvedOr(value: number, fallback: number): number {
  return Token.isUnresolved(value) ? fallback : value;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Asserts a whole number of seconds in [min, max]; unresolved tokens are skipped. */
export function assertDuration(scope: Construct, prop: string, duration: Duration | undefined, min: number, max: number): void {
  if (duration === undefined) return;
  assertInRange(scope, prop, duration.toSeconds({ integral: false }), min, max);
}

/** Checks a container health check given to `scope` as `prop`. */
function assertHealthCheck(scope: Construct, prop: string, healthCheck: ContainerHealthCheckOptions): void {
  const command = healthCheck.command;
  const prefixed = command[0] === 'CMD' || command[0] === 'CMD-SHELL';
  if (command.length === 0 || (prefixed && command.length === 1)) {
    validationError(scope, `${prop}.command`, 'a command such as [\'CMD-SHELL\', \'curl -f http://localhost:8080/ || exit 1\']', command);
  }
  assertDuration(scope, `${prop}.interval`, healthCheck.interval, 5, 300);
  assertDuration(scope, `${prop}.timeout`, healthCheck.timeout, 2, 60);
  assertInRange(scope, `${prop}.retries`, healthCheck.retries, 1, 10);
  assertDuration(scope, `${prop}.startPeriod`, healthCheck.startPeriod, 0, 300);
  // with the defaults of `renderHealthCheck`: aws-cdk-lib refuses a timeout longer than the interval only when it renders
  const interval = (healthCheck.interval ?? Duration.seconds(30)).toSeconds({ integral: false });
  const timeout = (healthCheck.timeout ?? Duration.seconds(5)).toSeconds({ integral: false });
  if (!Token.isUnresolved(interval) && !Token.isUnresolved(timeout) && timeout > interval) {
    validationError(scope, `${prop}.timeout`, `at most \`${prop}.interval\` (${interval} seconds): a check must end before the next one starts`,
      `${timeout} seconds`);
  }
}

/** The longest container health check start period ECS allows: what a Windows container gets by default. */
const WINDOWS_HEALTH_CHECK_START_PERIOD = Duration.seconds(300);

/** The health check in aws-cdk-lib's terms, with this library's defaults written out. */
function renderHealthCheck(healthCheck: ContainerHealthCheckOptions, windows: boolean): ecs.HealthCheck {
  return {
    command: healthCheck.command,
    interval: healthCheck.interval ?? Duration.seconds(30),
    timeout: healthCheck.timeout ?? Duration.seconds(5),
    retries: healthCheck.retries ?? 3,
    // Windows containers take minutes to start: count failed runs only after the longest start period ECS allows
    startPeriod: healthCheck.startPeriod ?? (windows ? WINDOWS_HEALTH_CHECK_START_PERIOD : Duration.seconds(0)),
  };
}
