import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeNagRule } from './nag';
import { assertNoPlainSecrets } from './secret-names';
import { assertInRange, validationError } from './validate';
import { Ec2Capacity } from '../cluster/ec2-capacity';
import { CapacityShare, EcsCluster } from '../cluster/ecs-cluster';
import { instanceTypeFacts, schedulableCpuUnits, schedulableMemoryMiB } from '../cluster/instance-type-facts';
import { ParameterSecrets } from '../security/parameter-secrets';
import { TaskRoles } from '../security/task-roles';
import { WorkloadTaskOptions } from '../service/workload-task-options';

/** The name of the application container in every workload's task. */
export const APP_CONTAINER_NAME = 'app';

/** What a workload adds to the shared task settings. */
export interface WorkloadTaskExtras {
  /** Port mappings of the application container. */
  readonly portMappings?: ecs.PortMapping[];
  /** The description of the tasks' security group: who may reach them. */
  readonly securityGroupDescription: string;
}

/** The resources of a workload's task, as built by `WorkloadTask.build()`. */
export interface BuiltWorkloadTask {
  readonly taskRole: iam.Role;
  readonly executionRole: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly taskDefinition: ecs.TaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly securityGroup: ec2.SecurityGroup;
}

/**
 * The task every workload runs: its settings resolved and validated by `resolve()` before the workload creates
 * anything, then built by `build()` under the workload's own scope, so the construct ids (`Roles`, `Logs`,
 * `TaskDefinition`, `Secrets`, `App`, `SecurityGroup`) are the workload's.
 */
export class WorkloadTask {
  /** Resolves the defaults of `options` and validates them, reporting errors on `scope`. */
  public static resolve(scope: Construct, cluster: EcsCluster, options: WorkloadTaskOptions): WorkloadTask {
    return new WorkloadTask(scope, cluster, options);
  }

  public readonly cpu: number;
  public readonly memoryLimitMiB: number;
  public readonly strategy: CapacityShare[];
  /** `linux` or `windows`: the OS of the strategy's capacities. */
  public readonly osType: string;
  private readonly environment: Record<string, string>;
  private readonly secretParameters: Record<string, string>;
  private readonly readonlyRootFilesystem: boolean;
  private readonly logRetention: logs.RetentionDays;
  private readonly removalPolicy: RemovalPolicy;

  private constructor(private readonly scope: Construct, private readonly cluster: EcsCluster,
    private readonly options: WorkloadTaskOptions) {
    this.cpu = options.cpu ?? 256;
    this.memoryLimitMiB = options.memoryLimitMiB ?? 512;
    this.environment = options.environment ?? {};
    this.secretParameters = options.secrets ?? {};
    this.strategy = options.capacityStrategy ?? cluster.defaultCapacityStrategy;
    this.osType = this.strategy[0]?.capacity.osType ?? 'linux';
    this.readonlyRootFilesystem = options.readonlyRootFilesystem ?? !this.windows;
    this.logRetention = options.logRetention ?? logs.RetentionDays.ONE_MONTH;
    this.removalPolicy = options.removalPolicy ?? RemovalPolicy.RETAIN;

    assertInRange(scope, 'cpu', this.cpu, 128, 196608);
    assertInRange(scope, 'memoryLimitMiB', this.memoryLimitMiB, 128, 786432);
    assertNoPlainSecrets(scope, this.environment, options.allowPlainEnvironment ?? []);
    for (const name of Object.keys(this.secretParameters)) {
      if (name in this.environment) validationError(scope, `secrets.${name}`, 'a name that is not also in `environment`', name);
    }
    cluster._assertStrategy(scope, 'capacityStrategy', this.strategy);
    if (this.windows && this.readonlyRootFilesystem) {
      validationError(scope, 'readonlyRootFilesystem', 'false for a Windows workload (Windows containers have no read-only root filesystem)', true);
    }
    assertTaskFits(scope, this.strategy.map((share) => share.capacity), this.cpu, this.memoryLimitMiB);
  }

  /** Whether the tasks run on Windows. */
  public get windows(): boolean {
    return this.osType === 'windows';
  }

  /** Builds the roles, log group, task definition, application container and security group. */
  public build(extras: WorkloadTaskExtras): BuiltWorkloadTask {
    const scope = this.scope;
    const id = scope.node.id;
    const roles = new TaskRoles(scope, 'Roles', { workloadName: id });
    const logGroup = new logs.LogGroup(scope, 'Logs', { retention: this.logRetention, removalPolicy: this.removalPolicy });
    const taskDefinition = new ecs.TaskDefinition(scope, 'TaskDefinition', {
      compatibility: ecs.Compatibility.EC2,
      networkMode: ecs.NetworkMode.AWS_VPC,
      cpu: String(this.cpu),
      memoryMiB: String(this.memoryLimitMiB),
      taskRole: roles.taskRole,
      executionRole: roles.executionRole,
    });
    const secrets = Object.keys(this.secretParameters).length
      ? new ParameterSecrets(scope, 'Secrets', { parameters: this.secretParameters }).secrets
      : undefined;
    const container = taskDefinition.addContainer('App', {
      containerName: APP_CONTAINER_NAME,
      image: this.options.image,
      memoryLimitMiB: this.memoryLimitMiB,
      // Windows ignores the task-level CPU; the container-level value reserves it
      cpu: this.windows ? this.cpu : undefined,
      essential: true,
      readonlyRootFilesystem: this.readonlyRootFilesystem,
      environment: Object.keys(this.environment).length ? this.environment : undefined,
      secrets,
      portMappings: extras.portMappings,
      logging: ecs.LogDrivers.awsLogs({
        logGroup,
        streamPrefix: id,
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      }),
    });

    acknowledgeNagRule(roles.executionRole, 'ECR_AUTH_TOKEN', '[Resource::*]');
    if (Object.keys(this.environment).length) acknowledgeNagRule(taskDefinition, 'CHECKED_PLAIN_ENVIRONMENT');

    const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
      vpc: this.cluster.vpc,
      description: extras.securityGroupDescription,
      allowAllOutbound: true,
    });
    return { taskRole: roles.taskRole, executionRole: roles.executionRole, logGroup, taskDefinition, container, securityGroup };
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
