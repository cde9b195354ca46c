import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PublicLoadBalancer } from './public-load-balancer';
import { RouteMatch } from './route-match';
import { Ec2Capacity } from '../cluster/ec2-capacity';
import { CapacityShare, EcsCluster } from '../cluster/ecs-cluster';
import { instanceTypeFacts, schedulableCpuUnits, schedulableMemoryMiB } from '../cluster/instance-type-facts';
import { acknowledgeNagRule } from '../private/nag';
import { assertNoPlainSecrets } from '../private/secret-names';
import { assertInRange, assertOrdered, assertPattern, validationError } from '../private/validate';
import { ParameterSecrets } from '../security/parameter-secrets';
import { TaskRoles } from '../security/task-roles';

/** The name of the application container in every `WebService` task. */
const CONTAINER_NAME = 'app';

/** Options for a `WebService`: everything but the cluster and the load balancer it runs behind. */
export interface WebServiceOptions {
  /**
   * The container image, for example `imageRepository.image('1.4.2')` or
   * `ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27')`.
   */
  readonly image: ecs.ContainerImage;

  /** The requests of the shared load balancer that this service takes, for example `RouteMatch.pathPatterns('/api/*')`. */
  readonly route: RouteMatch;

  /**
   * A fixed listener-rule priority for the route (1 to 50000).
   *
   * @default - derived from the service's id and the route: stable when other services come and go (a hash collision, rare, is a synth warning)
   */
  readonly routePriority?: number;

  /**
   * The port the container listens on (1 to 65535).
   *
   * @default 8080
   */
  readonly containerPort?: number;

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
   * The fewest tasks that autoscaling keeps running (1 to 1000).
   *
   * @default 2 (one per Availability Zone)
   */
  readonly minCapacity?: number;

  /**
   * The most tasks that autoscaling may run (1 to 1000, at least `minCapacity`).
   *
   * @default 10
   */
  readonly maxCapacity?: number;

  /**
   * A desired task count written into the template (between `minCapacity` and `maxCapacity`).
   *
   * Leave it unset: autoscaling then owns the count, and a deployment never resets it. Set, every deployment
   * resets the service to this count until autoscaling adjusts it again.
   *
   * @default - not in the template: the service starts with one task and autoscaling raises it to `minCapacity`
   */
  readonly desiredCount?: number;

  /**
   * The average CPU utilization of the service that autoscaling aims for, in percent (10 to 90).
   *
   * @default 70
   */
  readonly targetCpuUtilizationPercent?: number;

  /**
   * The path the load balancer checks for health; it must answer with `healthCheckHealthyHttpCodes`.
   *
   * @default '/'
   */
  readonly healthCheckPath?: string;

  /**
   * The HTTP codes that count as healthy, for example `200` or `200-299`.
   *
   * @default '200-399'
   */
  readonly healthCheckHealthyHttpCodes?: string;

  /**
   * How long after a task starts before failing health checks count against it (0 to 7200 seconds).
   *
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;

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
   * How long the service's container logs are kept.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the service's log group when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * A physical name for the ECS service.
   *
   * @default - a name generated by CloudFormation
   */
  readonly serviceName?: string;
}

/** Properties for a `WebService`. */
export interface WebServiceProps extends WebServiceOptions {
  /** The cluster to run in; tasks are placed on its default capacity strategy unless `capacityStrategy` is given. */
  readonly cluster: EcsCluster;
  /** The shared load balancer to take requests from. */
  readonly loadBalancer: PublicLoadBalancer;
}

/**
 * A long-running HTTP service on the cluster's EC2 capacity, behind the shared load balancer.
 *
 * Each task gets its own network interface and security group (awsvpc): only the load balancer may reach it,
 * on the container port only. The task has its own task role and execution role, its own log group, and its
 * secrets from SSM Parameter Store. Deployments roll back on failure (circuit breaker), tasks are spread across
 * Availability Zones and then packed by memory, and autoscaling tracks CPU utilization.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html
 * @example
 * declare const cluster: EcsCluster;
 * declare const loadBalancer: PublicLoadBalancer;
 * declare const repository: ImageRepository;
 * new WebService(this, 'Api', {
 *   cluster,
 *   loadBalancer,
 *   image: repository.image('1.4.2'),
 *   route: RouteMatch.pathPatterns('/api/*'),
 *   secrets: { DATABASE_PASSWORD: '/prod/api/db-password' },
 * });
 */
export class WebService extends Construct {
  /** The ECS service. */
  public readonly service: ecs.Ec2Service;
  /** The task definition. */
  public readonly taskDefinition: ecs.TaskDefinition;
  /** The application container. */
  public readonly container: ecs.ContainerDefinition;
  /** The target group the load balancer forwards to. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The listener rule of the service's route. */
  public readonly listenerRule: elbv2.ApplicationListenerRule;
  /** The security group of the tasks. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The log group of the service's containers. */
  public readonly logGroup: logs.LogGroup;
  /** The role the application's containers run as: grant it what the application needs. */
  public readonly taskRole: iam.Role;
  /** The role ECS uses to start the tasks: image pull, secrets, logs. */
  public readonly executionRole: iam.Role;
  /** The autoscaling of the task count. */
  public readonly scalableTaskCount: ecs.ScalableTaskCount;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);

    // Resolve
    const containerPort = props.containerPort ?? 8080;
    const cpu = props.cpu ?? 256;
    const memoryLimitMiB = props.memoryLimitMiB ?? 512;
    const minCapacity = props.minCapacity ?? 2;
    const maxCapacity = props.maxCapacity ?? 10;
    const targetCpuUtilizationPercent = props.targetCpuUtilizationPercent ?? 70;
    const healthCheckPath = props.healthCheckPath ?? '/';
    const healthyHttpCodes = props.healthCheckHealthyHttpCodes ?? '200-399';
    const healthCheckGracePeriod = props.healthCheckGracePeriod ?? Duration.seconds(60);
    const environment = props.environment ?? {};
    const secretParameters = props.secrets ?? {};
    const strategy = props.capacityStrategy ?? props.cluster.defaultCapacityStrategy;
    const osType = strategy[0]?.capacity.osType;
    const windows = osType === 'windows';
    const readonlyRootFilesystem = props.readonlyRootFilesystem ?? !windows;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // Validate: everything before the first resource, so bad input builds nothing
    assertInRange(this, 'containerPort', containerPort, 1, 65535);
    assertInRange(this, 'cpu', cpu, 128, 196608);
    assertInRange(this, 'memoryLimitMiB', memoryLimitMiB, 128, 786432);
    assertInRange(this, 'minCapacity', minCapacity, 1, 1000);
    assertInRange(this, 'maxCapacity', maxCapacity, 1, 1000);
    assertOrdered(this, 'minCapacity', minCapacity, 'maxCapacity', maxCapacity);
    if (props.desiredCount !== undefined) assertInRange(this, 'desiredCount', props.desiredCount, minCapacity, maxCapacity);
    assertInRange(this, 'targetCpuUtilizationPercent', targetCpuUtilizationPercent, 10, 90);
    assertInRange(this, 'healthCheckGracePeriod', healthCheckGracePeriod.toSeconds({ integral: false }), 0, 7200);
    assertPattern(this, 'healthCheckPath', healthCheckPath, /^\/[\x21-\x7e]{0,1023}$/, 'a path that starts with `/` (at most 1024 characters)');
    assertPattern(this, 'healthCheckHealthyHttpCodes', healthyHttpCodes, /^(\d{3}(-\d{3})?)(,\d{3}(-\d{3})?)*$/,
      'HTTP codes such as `200`, `200,204` or `200-299`');
    props.loadBalancer._assertRouteAvailable(this, id, props.route, props.routePriority, 'route', 'routePriority');
    assertNoPlainSecrets(this, environment, props.allowPlainEnvironment ?? []);
    for (const name of Object.keys(secretParameters)) {
      if (name in environment) validationError(this, `secrets.${name}`, 'a name that is not also in `environment`', name);
    }
    props.cluster._assertStrategy(this, 'capacityStrategy', strategy);
    if (windows && readonlyRootFilesystem) {
      validationError(this, 'readonlyRootFilesystem', 'false for a Windows service (Windows containers have no read-only root filesystem)', true);
    }
    assertTaskFits(this, strategy.map((share) => share.capacity), cpu, memoryLimitMiB);

    // Build
    const roles = new TaskRoles(this, 'Roles', { workloadName: id });
    this.taskRole = roles.taskRole;
    this.executionRole = roles.executionRole;

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logRetention, removalPolicy });

    this.taskDefinition = new ecs.TaskDefinition(this, 'TaskDefinition', {
      compatibility: ecs.Compatibility.EC2,
      networkMode: ecs.NetworkMode.AWS_VPC,
      cpu: String(cpu),
      memoryMiB: String(memoryLimitMiB),
      taskRole: this.taskRole,
      executionRole: this.executionRole,
    });
    const secrets = Object.keys(secretParameters).length
      ? new ParameterSecrets(this, 'Secrets', { parameters: secretParameters }).secrets
      : undefined;
    this.container = this.taskDefinition.addContainer('App', {
      containerName: CONTAINER_NAME,
      image: props.image,
      memoryLimitMiB,
      // Windows ignores the task-level CPU; the container-level value reserves it
      cpu: windows ? cpu : undefined,
      essential: true,
      readonlyRootFilesystem,
      environment: Object.keys(environment).length ? environment : undefined,
      secrets,
      portMappings: [{ containerPort, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({
        logGroup: this.logGroup,
        streamPrefix: id,
        mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      }),
    });

    acknowledgeNagRule(this.executionRole, 'ECR_AUTH_TOKEN', '[Resource::*]');
    if (Object.keys(environment).length) acknowledgeNagRule(this.taskDefinition, 'CHECKED_PLAIN_ENVIRONMENT');

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.cluster.vpc,
      description: `Tasks of ${id}: the load balancer on the container port only`,
      allowAllOutbound: true,
    });

    this.service = new ecs.Ec2Service(this, 'Service', {
      cluster: props.cluster.cluster,
      taskDefinition: this.taskDefinition,
      serviceName: props.serviceName,
      desiredCount: props.desiredCount,
      securityGroups: [this.securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      capacityProviderStrategies: props.cluster._renderStrategy(strategy),
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod,
      placementStrategies: [
        ecs.PlacementStrategy.spreadAcross(ecs.BuiltInAttributes.AVAILABILITY_ZONE),
        ecs.PlacementStrategy.packedByMemory(),
      ],
      // the capacity strategy already picks the instances; the constraint states the OS in the service itself
      placementConstraints: [ecs.PlacementConstraint.memberOf(`attribute:ecs.os-type == ${osType}`)],
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });
    props.cluster._addWorkload({
      scope: this,
      cpu,
      memoryMiB: memoryLimitMiB,
      maxTasks: maxCapacity,
      strategy,
      usesDefaultStrategy: props.capacityStrategy === undefined,
    });

    // The capacity provider strategy is valid only once the provider is associated with the cluster: depend on
    // the cluster's subtree, where aws-cdk-lib adds the association at synthesis.
    this.service.node.addDependency(props.cluster.cluster);

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.cluster.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: containerPort,
      deregistrationDelay: Duration.seconds(30),
      healthCheck: {
        path: healthCheckPath,
        healthyHttpCodes,
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    this.targetGroup.addTarget(this.service.loadBalancerTarget({ containerName: CONTAINER_NAME, containerPort }));
    props.loadBalancer.connections.allowTo(this.securityGroup, ec2.Port.tcp(containerPort), `Load balancer to ${id} tasks`);
    this.listenerRule = props.loadBalancer.addRoute(id, {
      match: props.route,
      targetGroup: this.targetGroup,
      priority: props.routePriority,
    });

    this.scalableTaskCount = this.service.autoScaleTaskCount({ minCapacity, maxCapacity });
    this.scalableTaskCount.scaleOnCpuUtilization('CpuScaling', {
      targetUtilizationPercent: targetCpuUtilizationPercent,
      scaleInCooldown: Duration.seconds(120),
      scaleOutCooldown: Duration.seconds(60),
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
  const offers = capacities.flatMap((capacity) => capacity.instanceTypes.flatMap((instanceType) => {
    const facts = instanceTypeFacts(instanceType);
    return facts ? [{
      name: `${facts.name} of capacity "${capacity.node.id}"`,
      cpu: schedulableCpuUnits(facts),
      memory: schedulableMemoryMiB(facts) - capacity.reservedMemoryMiB,
    }] : [];
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
