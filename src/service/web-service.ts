import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ServicePlacementConstraint, ServicePlacementStrategy } from './placement';
import { PublicLoadBalancer } from './public-load-balancer';
import { RouteMatch } from './route-match';
import { ServiceConnectOptions } from './service-connect';
import { ServiceScheduledScalingOptions, ServiceStepScalingOptions, ServiceTargetTrackingOptions } from './service-scaling';
import { WorkloadTaskOptions } from './workload-task-options';
import { EcsCluster } from '../cluster/ecs-cluster';
import { restOfSubtree } from '../shared/dependencies';
import { ResolvedPlacement, resolvePlacement } from './private/placement';
import { checkCronFires, isKnownTimeZone } from './private/schedule-expression';
import { assertInRange, assertOrdered, assertPattern, validationError } from '../shared/validate';
import { assertHttpMatcher, assertServiceName } from './private/validate-workload';
import { APP_CONTAINER_NAME, assertDuration, BuiltWorkloadTaskDefinition, WorkloadTask } from './private/workload-task';

/** The first and last port of the dynamic host ports that ECS gives bridge-mode tasks on Linux. */
const EPHEMERAL_PORTS = ec2.Port.tcpRange(32768, 65535);
/** The name of the application container's port mapping, as Service Connect refers to it. */
const SERVICE_CONNECT_PORT_NAME = 'http';
/**
 * The health check grace period of a Windows service: Windows tasks take minutes from start to answering health
 * checks (AWS measured 4 to 8 minutes from scale-out to traffic without image caching).
 *
 * @see https://aws.amazon.com/blogs/containers/speeding-up-windows-container-launch-times-with-ec2-image-builder-and-image-cache-strategy/
 */
const WINDOWS_HEALTH_CHECK_GRACE_PERIOD = Duration.minutes(10);
/** Cooldowns of the built-in target tracking policies. */
const SCALE_IN_COOLDOWN = Duration.seconds(120);
const SCALE_OUT_COOLDOWN = Duration.seconds(60);

/** How the tasks of a `WebService` are networked. */
export enum ServiceNetworkMode {
  /**
   * Each task has its own network interface and security group in the private subnets. The load balancer targets
   * its IP address. Instances hold a limited number of interfaces (see the cluster's `awsvpcTrunking`).
   */
  AWS_VPC = 'AWS_VPC',
  /**
   * Tasks share their instance's network through Docker's bridge, on a dynamic host port. The load balancer targets
   * the instance and that port. No interface per task, so more tasks fit an instance, but the tasks have no
   * security group of their own: the instances' security groups admit the load balancer on the ephemeral port range
   * (32768 to 65535). Linux only.
   */
  BRIDGE = 'BRIDGE',
}

/** What the deployment circuit breaker does when a deployment's tasks keep failing to start or to become healthy. */
export enum CircuitBreakerMode {
  /** Stop the deployment and roll back to the last deployment that completed. */
  ROLLBACK = 'ROLLBACK',
  /** Stop the deployment and mark it failed, leaving the service as it is. */
  FAIL = 'FAIL',
  /** No circuit breaker: a failing deployment keeps retrying. */
  OFF = 'OFF',
}

/** Options for a `WebService`: everything but the cluster and the load balancer it runs behind. */
export interface WebServiceOptions extends WorkloadTaskOptions {
  /** The requests of the shared load balancer that this service takes, for example `RouteMatch.pathPatterns('/api/*')`. */
  readonly route: RouteMatch;

  /**
   * A fixed listener-rule priority for the route (1 to 50000).
   *
   * @default - derived from the service's id and the route: never changed by other services (a priority another route has, rare, fails at synth, naming the priority to pin)
   */
  readonly routePriority?: number;

  /**
   * The port the container listens on (1 to 65535).
   *
   * @default 8080
   */
  readonly containerPort?: number;

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
   * that changes it resets the service to this count until autoscaling adjusts it again.
   *
   * Unset, CloudFormation creates the service with 1 task; once the service is stable it registers the scalable
   * target (which refers to the service), and registering brings the count up to `minCapacity` at once. A new
   * service runs one task for the first minutes of its first deployment only.
   *
   * @see https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
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
   * The path the load balancer checks for health. It must answer with `healthCheckHealthyHttpCodes`.
   *
   * @default '/'
   */
  readonly healthCheckPath?: string;

  /**
   * The HTTP codes that count as healthy, for example `200` or `200-299`: codes, ranges from low to high and
   * comma-separated lists of both, every code between 200 and 499 (what the target group accepts).
   *
   * @default '200-399'
   */
  readonly healthCheckHealthyHttpCodes?: string;

  /**
   * How long after a task starts before failing health checks count against it (0 to 7200 seconds).
   *
   * ECS ignores the load balancer's and the container's health checks for this long, so it must cover the time a
   * task takes to answer them. Windows containers take minutes (large images, the Windows and .NET runtimes to
   * start, the first requests compiled), so a service on a Windows capacity gets 10 minutes.
   *
   * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html#ECS-CreateService-request-healthCheckGracePeriodSeconds
   * @default - Duration.seconds(60) on Linux, Duration.minutes(10) on Windows
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * How often the load balancer checks each task (5 to 300 seconds).
   *
   * @default Duration.seconds(15)
   */
  readonly healthCheckInterval?: Duration;

  /**
   * How long the load balancer waits for an answer to a health check (2 to 120 seconds, less than `healthCheckInterval`).
   *
   * @default Duration.seconds(5)
   */
  readonly healthCheckTimeout?: Duration;

  /**
   * How many passed health checks in a row make a task healthy (2 to 10).
   *
   * @default 2
   */
  readonly healthyThresholdCount?: number;

  /**
   * How many failed health checks in a row make a task unhealthy (2 to 10).
   *
   * @default 3
   */
  readonly unhealthyThresholdCount?: number;

  /**
   * How long the load balancer lets a stopping task finish its requests before it deregisters it (0 to 3600 seconds).
   *
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * How long a new task's share of requests grows linearly to its full share, 30 to 900 seconds (0 is off).
   *
   * @default - off: a new task gets its full share once healthy
   */
  readonly slowStart?: Duration;

  /**
   * The fewest running tasks during a deployment, in percent of the desired count (0 to 100).
   *
   * @default 100
   */
  readonly minHealthyPercent?: number;

  /**
   * The most running and starting tasks during a deployment, in percent of the desired count (100 or more, above
   * `minHealthyPercent`). The cluster needs room for them.
   *
   * @default 200
   */
  readonly maxHealthyPercent?: number;

  /**
   * What the deployment circuit breaker does when a deployment's tasks keep failing.
   *
   * @default CircuitBreakerMode.ROLLBACK
   */
  readonly circuitBreaker?: CircuitBreakerMode;

  /**
   * Names of CloudWatch alarms that roll a deployment back when they go into ALARM while it runs or bakes, for
   * example the service's 5xx alarm.
   *
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html
   * @default - no alarms: only the circuit breaker watches deployments
   */
  readonly deploymentAlarms?: string[];

  /**
   * The average memory utilization of the service that autoscaling aims for, in percent (10 to 90), in addition to CPU.
   *
   * @default - no memory target tracking
   */
  readonly targetMemoryUtilizationPercent?: number;

  /**
   * The requests per task per minute that autoscaling aims for (1 to 1000000), from the load balancer's
   * `RequestCountPerTarget` of the service's target group, in addition to CPU.
   *
   * @default - no request count target tracking
   */
  readonly targetRequestsPerTarget?: number;

  /**
   * How ECS picks the instance for each task, in order (1 to 5 strategies).
   *
   * @default - [ServicePlacementStrategy.spreadAcrossZones(), ServicePlacementStrategy.binpackMemory()]
   */
  readonly placementStrategies?: ServicePlacementStrategy[];

  /**
   * Rules that an instance must meet to run a task (at most 9). The constraint that keeps tasks on instances of
   * their OS always comes first.
   *
   * @default - only the OS constraint
   */
  readonly placementConstraints?: ServicePlacementConstraint[];

  /**
   * Publishes the service in the cluster's Service Connect namespace (`serviceConnectNamespace` of the cluster),
   * or makes it a client of the services there. Open the way with `allowFrom()`. Needs Amazon Linux 2023 capacity:
   * refused with a Bottlerocket or Windows capacity in the service's strategy (those AMIs do not run Service Connect).
   *
   * @default - no Service Connect
   */
  readonly serviceConnect?: ServiceConnectOptions;

  /**
   * Turns on ECS Exec (`aws ecs execute-command`) for the tasks. Sessions are encrypted and logged to the cluster's
   * exec audit log group, created with it; the task role gets exactly what the SSM agent needs; the root filesystem
   * becomes writable unless `readonlyRootFilesystem` is set, which is refused (the agent writes to it).
   *
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * How the tasks are networked: their own interface and security group (awsvpc), or the instance's network on a
   * dynamic host port (bridge, Linux only).
   *
   * @default ServiceNetworkMode.AWS_VPC
   */
  readonly networkMode?: ServiceNetworkMode;

  /**
   * A physical name for the ECS service: 1 to 255 letters, digits, hyphens and underscores.
   *
   * @default - a name generated by CloudFormation
   */
  readonly serviceName?: string;
}

/** Properties for a `WebService`. */
export interface WebServiceProps extends WebServiceOptions {
  /** The cluster to run in. Tasks are placed on its default capacity strategy unless `capacityStrategy` is given. */
  readonly cluster: EcsCluster;
  /** The shared load balancer to take requests from. */
  readonly loadBalancer: PublicLoadBalancer;
}

/**
 * A long-running HTTP service on the cluster's EC2 capacity, behind the shared load balancer.
 *
 * Each task gets its own network interface and security group (awsvpc): only the load balancer may reach it,
 * on the container port only (bridge mode with dynamic host ports is an option). The task has its own task role and
 * execution role, its own log group, and its secrets from SSM Parameter Store or Secrets Manager. Deployments roll back on failure
 * (circuit breaker, optionally CloudWatch alarms), tasks are spread across Availability Zones and then packed by
 * memory, and autoscaling tracks CPU utilization (memory, requests per target, any metric and schedules on request).
 * Services reach each other through ECS Service Connect in the cluster's namespace, opened with `allowFrom()`; ECS
 * Exec is off unless asked for, and then audited by the cluster.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import { EcsCluster, ImageRepository, PublicLoadBalancer, RouteMatch, WebService } from 'cdk-ecs-platform';
 *
 * declare const stack: Stack;
 * declare const cluster: EcsCluster;
 * declare const loadBalancer: PublicLoadBalancer;
 * declare const repository: ImageRepository;
 * new WebService(stack, 'Api', {
 *   cluster,
 *   loadBalancer,
 *   image: repository.image('1.4.2'),
 *   route: RouteMatch.pathPatterns('/api/*'),
 *   secrets: { DATABASE_PASSWORD: '/prod/api/db-password' },
 * });
 */
export class WebService extends Construct implements ec2.IConnectable {
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
  /** The security group of the tasks, or none in bridge mode, where the tasks use their instances' security groups. */
  public readonly securityGroup?: ec2.SecurityGroup;
  /**
   * The network connections of the tasks, for `allowFrom()` and `allowTo()`: the tasks' security group and the
   * container port, or in bridge mode the instances' security groups and the ephemeral port range.
   */
  public readonly connections: ec2.Connections;
  /** The DNS name under which other Service Connect services reach this one, when it publishes itself. */
  public readonly serviceConnectDnsName?: string;
  /** The log group of the service's containers. */
  public readonly logGroup: logs.LogGroup;
  /** The role the application's containers run as: grant it what the application needs. */
  public readonly taskRole: iam.Role;
  /** The role ECS uses to start the tasks: image pull, secrets, logs. */
  public readonly executionRole: iam.Role;
  /** The autoscaling of the task count. */
  public readonly scalableTaskCount: ecs.ScalableTaskCount;

  private readonly maxCapacity: number;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);

    // Resolve
    const settings = resolveSettings(id, props);

    // Validate: everything before the first resource, so bad input builds nothing
    const { task, placement, healthCheckGracePeriod } = this.validate(id, props, settings);

    // Build
    const { containerPort, maxCapacity } = settings;
    const built = this.buildTaskDefinition(id, task, settings);
    this.taskRole = built.taskRole;
    this.executionRole = built.executionRole;
    this.logGroup = built.logGroup;
    this.taskDefinition = built.taskDefinition;
    this.container = built.container;
    this.securityGroup = built.securityGroup;
    const capacityGroups = [...new Set(task.strategy.map((share) => share.capacity.securityGroup))];
    this.connections = this.securityGroup
      ? new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(containerPort) })
      : new ec2.Connections({ securityGroups: capacityGroups, defaultPort: EPHEMERAL_PORTS });

    this.service = this.buildService(id, props, settings, task, placement, healthCheckGracePeriod);
    this.serviceConnectDnsName = settings.publishes ? `${settings.discoveryName}.${settings.namespaceName}` : undefined;
    if (settings.circuitBreaker === CircuitBreakerMode.OFF) {
      Annotations.of(this).addWarningV2('cdk-ecs-platform:WebService.circuit-breaker-off',
        'the deployment circuit breaker is off: a deployment whose tasks keep failing retries without end and is never rolled back');
    }
    if (built.executeCommandPolicy) {
      // aws-cdk-lib's enableExecuteCommand would grant logs on every log group: the flag goes on the L1 instead, and
      // the task role has exactly the permissions of WorkloadTask
      (this.service.node.defaultChild as ecs.CfnService).enableExecuteCommand = true;
      this.service.node.addDependency(built.executeCommandPolicy);
    }
    task.registerDemand(maxCapacity);
    this.maxCapacity = maxCapacity;

    // The capacity provider strategy is valid only once the provider is associated with the cluster: depend on
    // the cluster's subtree, where aws-cdk-lib adds the association at synthesis, but not on the cluster itself,
    // which the service's `Cluster` property already refers to.
    this.service.node.addDependency(restOfSubtree(props.cluster.cluster));

    this.targetGroup = this.buildTargetGroup(props, settings);
    this.allowLoadBalancer(id, props.loadBalancer, containerPort, capacityGroups);
    this.listenerRule = props.loadBalancer._addRoute(this, id, {
      match: props.route,
      targetGroup: this.targetGroup,
      priority: props.routePriority,
    });

    this.scalableTaskCount = this.buildScaling(props, settings);
  }

  /**
   * Lets `other` reach the tasks: on the container port, or in bridge mode on the instances' ephemeral port range.
   * Service Connect clients need this to call the service, for example `api.allowFrom(web)`.
   *
   * @param other the caller: another `WebService`, a security group, anything connectable
   * @param description the description of the rule
   */
  public allowFrom(other: ec2.IConnectable, description?: string): void {
    this.connections.allowDefaultPortFrom(other, description ?? `${other instanceof Construct ? other.node.id : 'Peer'} to ${this.node.id} tasks`);
  }

  /**
   * Scales the task count in steps on any CloudWatch metric, between `minCapacity` and `maxCapacity`.
   *
   * @param id construct id of the policy, unique among the service's scaling policies
   * @param options the metric and the steps
   */
  public addStepScaling(id: string, options: ServiceStepScalingOptions): void {
    const where = `addStepScaling('${id}')`;
    if (options.steps.length < 2) {
      validationError(this, `${where}.steps`, 'at least 2 steps (one to scale in, one to scale out, or two to scale out)', options.steps.length);
    }
    assertDuration(this, `${where}.cooldown`, options.cooldown, 0, 3600);
    assertInRange(this, `${where}.evaluationPeriods`, options.evaluationPeriods, 1, 60);
    this.scalableTaskCount.scaleOnMetric(id, {
      metric: options.metric,
      scalingSteps: options.steps,
      adjustmentType: options.adjustmentType ?? appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      cooldown: options.cooldown ?? SCALE_IN_COOLDOWN,
      evaluationPeriods: options.evaluationPeriods ?? 1,
    });
  }

  /**
   * Keeps any CloudWatch metric at a target value by adding and removing tasks, between `minCapacity` and
   * `maxCapacity`. It runs beside the CPU policy, and the policy that asks for the most tasks wins.
   *
   * @param id construct id of the policy, unique among the service's scaling policies
   * @param options the metric and the target value
   */
  public addTargetTracking(id: string, options: ServiceTargetTrackingOptions): void {
    const where = `addTargetTracking('${id}')`;
    if (!Token.isUnresolved(options.targetValue) && !(options.targetValue > 0 && Number.isFinite(options.targetValue))) {
      validationError(this, `${where}.targetValue`, 'a number above 0', options.targetValue);
    }
    assertDuration(this, `${where}.scaleInCooldown`, options.scaleInCooldown, 0, 3600);
    assertDuration(this, `${where}.scaleOutCooldown`, options.scaleOutCooldown, 0, 3600);
    this.scalableTaskCount.scaleToTrackCustomMetric(id, {
      metric: options.metric,
      targetValue: options.targetValue,
      scaleInCooldown: options.scaleInCooldown ?? SCALE_IN_COOLDOWN,
      scaleOutCooldown: options.scaleOutCooldown ?? SCALE_OUT_COOLDOWN,
      disableScaleIn: options.disableScaleIn ?? false,
    });
  }

  /**
   * Changes the task count bounds on a schedule, for example
   * `api.addScheduledScaling('BusinessHours', { schedule: appscaling.Schedule.cron({ hour: '7', minute: '0' }), minCapacity: 6 })`.
   *
   * @param id construct id of the scheduled action, unique among the service's scheduled actions
   * @param options the schedule and the new bounds
   */
  public addScheduledScaling(id: string, options: ServiceScheduledScalingOptions): void {
    const where = `addScheduledScaling('${id}')`;
    if (options.minCapacity === undefined && options.maxCapacity === undefined) {
      validationError(this, where, 'given a `minCapacity`, a `maxCapacity` or both', 'neither');
    }
    assertInRange(this, `${where}.minCapacity`, options.minCapacity, 0, 1000);
    assertInRange(this, `${where}.maxCapacity`, options.maxCapacity, 1, 1000);
    if (options.minCapacity !== undefined && options.maxCapacity !== undefined) {
      assertOrdered(this, `${where}.minCapacity`, options.minCapacity, `${where}.maxCapacity`, options.maxCapacity);
    }
    const timeZone = options.timeZone?.timezoneName;
    if (timeZone !== undefined && !Token.isUnresolved(timeZone) && !isKnownTimeZone(timeZone)) {
      validationError(this, `${where}.timeZone`, 'an IANA time zone name such as "Europe/Berlin" or "America/New_York"', timeZone);
    }
    const expression = options.schedule.expressionString;
    const cron = Token.isUnresolved(expression) ? undefined : /^cron\((.*)\)$/.exec(expression);
    const never = cron ? checkCronFires(cron[1]) : undefined;
    if (never !== undefined) validationError(this, `${where}.schedule`, never, expression);
    if (options.maxCapacity !== undefined && !Token.isUnresolved(options.maxCapacity) && options.maxCapacity > this.maxCapacity) {
      Annotations.of(this).addWarningV2('cdk-ecs-platform:WebService.scheduled-above-max',
        `${where} raises maxCapacity to ${options.maxCapacity}, above the ${this.maxCapacity} tasks the cluster's capacity check plans for`);
    }
    this.scalableTaskCount.scaleOnSchedule(id, {
      schedule: options.schedule,
      minCapacity: options.minCapacity,
      maxCapacity: options.maxCapacity,
      timeZone: options.timeZone,
    });
  }
  /**
   * Checks every prop and the task, before the first resource, so that bad input builds nothing; claims the
   * Service Connect discovery name last, as only a service that gets built should hold it.
   */
  private validate(id: string, props: WebServiceProps, settings: WebServiceSettings):
  { task: WorkloadTask; placement: ResolvedPlacement; healthCheckGracePeriod: Duration } {
    const { containerPort, minCapacity, maxCapacity, serviceConnect, discoveryName } = settings;
    const task = WorkloadTask.resolve(this, props.cluster, props, { enableExecuteCommand: settings.enableExecuteCommand, bridge: settings.bridge });
    // the OS is known once the capacity strategy is resolved
    const healthCheckGracePeriod = props.healthCheckGracePeriod ?? (task.windows ? WINDOWS_HEALTH_CHECK_GRACE_PERIOD : Duration.seconds(60));
    assertInRange(this, 'containerPort', containerPort, 1, 65535);
    assertInRange(this, 'minCapacity', minCapacity, 1, 1000);
    assertInRange(this, 'maxCapacity', maxCapacity, 1, 1000);
    assertOrdered(this, 'minCapacity', minCapacity, 'maxCapacity', maxCapacity);
    if (props.desiredCount !== undefined) assertInRange(this, 'desiredCount', props.desiredCount, minCapacity, maxCapacity);
    assertInRange(this, 'targetCpuUtilizationPercent', settings.targetCpuUtilizationPercent, 10, 90);
    assertInRange(this, 'targetMemoryUtilizationPercent', props.targetMemoryUtilizationPercent, 10, 90);
    assertInRange(this, 'targetRequestsPerTarget', props.targetRequestsPerTarget, 1, 1000000);
    assertDuration(this, 'healthCheckGracePeriod', healthCheckGracePeriod, 0, 7200);
    assertPattern(this, 'healthCheckPath', settings.healthCheckPath, /^\/[\x21-\x7e]{0,1023}$/, 'a path that starts with `/` (at most 1024 characters)');
    assertHttpMatcher(this, 'healthCheckHealthyHttpCodes', settings.healthyHttpCodes);
    assertServiceName(this, 'serviceName', props.serviceName);
    this.validateTargetGroup(settings.healthCheckInterval, settings.healthCheckTimeout, settings.healthyThresholdCount,
      settings.unhealthyThresholdCount, settings.deregistrationDelay, props.slowStart);
    this.validateDeployment(settings.minHealthyPercent, settings.maxHealthyPercent, props.deploymentAlarms);
    const placement = resolvePlacement(this, task.osType, task.osConstraint(), settings.placementStrategies, props.placementConstraints ?? []);
    if (serviceConnect !== undefined) {
      this.validateServiceConnect(serviceConnect, task, settings.namespaceName, discoveryName, settings.serviceConnectPort, props.cluster);
    }
    props.loadBalancer._assertRouteAvailable(this, id, props.route, props.routePriority, 'route', 'routePriority');
    // last: the claim is recorded, and only a service that gets built should hold it
    if (discoveryName !== undefined) props.cluster._claimDiscoveryName(this, 'serviceConnect.discoveryName', discoveryName);
    return { task, placement, healthCheckGracePeriod };
  }

  /** The task definition, its roles, log group and container, and in awsvpc mode the tasks' security group. */
  private buildTaskDefinition(id: string, task: WorkloadTask, settings: WebServiceSettings):
  BuiltWorkloadTaskDefinition & { securityGroup?: ec2.SecurityGroup } {
    const portMapping: ecs.PortMapping = {
      containerPort: settings.containerPort,
      hostPort: settings.bridge ? 0 : undefined,
      protocol: ecs.Protocol.TCP,
      name: settings.publishes ? SERVICE_CONNECT_PORT_NAME : undefined,
      appProtocol: settings.publishes ? ecs.AppProtocol.http : undefined,
    };
    return settings.bridge
      ? task.buildTask({ portMappings: [portMapping] })
      : task.build({
        portMappings: [portMapping],
        securityGroupDescription: `Tasks of ${id}: the load balancer on the container port only`,
      });
  }

  /** The ECS service. */
  private buildService(id: string, props: WebServiceProps, settings: WebServiceSettings, task: WorkloadTask,
    placement: ResolvedPlacement, healthCheckGracePeriod: Duration): ecs.Ec2Service {
    const { circuitBreaker, serviceConnect, publishes, discoveryName, namespaceName } = settings;
    return new ecs.Ec2Service(this, 'Service', {
      cluster: props.cluster.cluster,
      taskDefinition: this.taskDefinition,
      serviceName: props.serviceName,
      desiredCount: props.desiredCount,
      securityGroups: this.securityGroup ? [this.securityGroup] : undefined,
      vpcSubnets: settings.bridge ? undefined : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      capacityProviderStrategies: props.cluster._renderStrategy(task.strategy),
      circuitBreaker: circuitBreaker === CircuitBreakerMode.OFF
        ? { enable: false, rollback: false }
        : { enable: true, rollback: circuitBreaker === CircuitBreakerMode.ROLLBACK },
      deploymentAlarms: props.deploymentAlarms
        ? { alarmNames: props.deploymentAlarms, behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM }
        : undefined,
      minHealthyPercent: settings.minHealthyPercent,
      maxHealthyPercent: settings.maxHealthyPercent,
      healthCheckGracePeriod,
      placementStrategies: placement.strategies,
      // the capacity strategy already picks the instances; the OS constraint states the OS in the service itself
      placementConstraints: placement.constraints,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
      serviceConnectConfiguration: serviceConnect === undefined ? undefined : {
        services: publishes ? [{
          portMappingName: SERVICE_CONNECT_PORT_NAME,
          discoveryName,
          dnsName: `${discoveryName}.${namespaceName}`,
          port: settings.serviceConnectPort,
        }] : undefined,
        logDriver: ecs.LogDrivers.awsLogs({
          logGroup: this.logGroup,
          streamPrefix: `${id}-service-connect`,
          mode: ecs.AwsLogDriverMode.NON_BLOCKING,
        }),
      },
    });
  }

  /** The target group of the service's tasks, with its health check. */
  private buildTargetGroup(props: WebServiceProps, settings: WebServiceSettings): elbv2.ApplicationTargetGroup {
    const { containerPort } = settings;
    const targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: props.cluster.vpc,
      targetType: settings.bridge ? elbv2.TargetType.INSTANCE : elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: containerPort,
      deregistrationDelay: settings.deregistrationDelay,
      slowStart: props.slowStart && props.slowStart.toSeconds({ integral: false }) > 0 ? props.slowStart : undefined,
      healthCheck: {
        path: settings.healthCheckPath,
        healthyHttpCodes: settings.healthyHttpCodes,
        interval: settings.healthCheckInterval,
        timeout: settings.healthCheckTimeout,
        healthyThresholdCount: settings.healthyThresholdCount,
        unhealthyThresholdCount: settings.unhealthyThresholdCount,
      },
    });
    targetGroup.addTarget(this.service.loadBalancerTarget({ containerName: APP_CONTAINER_NAME, containerPort }));
    return targetGroup;
  }

  /** Lets the load balancer reach the tasks. */
  private allowLoadBalancer(id: string, loadBalancer: PublicLoadBalancer, containerPort: number, capacityGroups: ec2.ISecurityGroup[]): void {
    if (this.securityGroup) {
      // from the tasks' side: in another stack than the load balancer's, both rules then live in the tasks' stack
      this.securityGroup.connections.allowFrom(loadBalancer, ec2.Port.tcp(containerPort), `Load balancer to ${id} tasks`);
    } else {
      // bridge: the tasks listen on dynamic host ports of their instances; one rule per capacity serves every
      // bridge-mode service on it
      for (const group of capacityGroups) {
        loadBalancer.connections.allowTo(group, EPHEMERAL_PORTS, 'Load balancer to bridge-mode tasks on dynamic host ports');
      }
    }
  }

  /** The task count's bounds and its target tracking policies: CPU, and memory and requests when asked. */
  private buildScaling(props: WebServiceProps, settings: WebServiceSettings): ecs.ScalableTaskCount {
    const scaling = this.service.autoScaleTaskCount({ minCapacity: settings.minCapacity, maxCapacity: settings.maxCapacity });
    scaling.scaleOnCpuUtilization('CpuScaling', {
      targetUtilizationPercent: settings.targetCpuUtilizationPercent,
      scaleInCooldown: SCALE_IN_COOLDOWN,
      scaleOutCooldown: SCALE_OUT_COOLDOWN,
    });
    if (props.targetMemoryUtilizationPercent !== undefined) {
      scaling.scaleOnMemoryUtilization('MemoryScaling', {
        targetUtilizationPercent: props.targetMemoryUtilizationPercent,
        scaleInCooldown: SCALE_IN_COOLDOWN,
        scaleOutCooldown: SCALE_OUT_COOLDOWN,
      });
    }
    if (props.targetRequestsPerTarget !== undefined) {
      scaling.scaleOnRequestCount('RequestScaling', {
        requestsPerTarget: props.targetRequestsPerTarget,
        targetGroup: this.targetGroup,
        scaleInCooldown: SCALE_IN_COOLDOWN,
        scaleOutCooldown: SCALE_OUT_COOLDOWN,
      });
    }
    return scaling;
  }


  /** Checks the target group's health check, deregistration and slow start settings. */
  private validateTargetGroup(interval: Duration, timeout: Duration, healthy: number, unhealthy: number,
    deregistrationDelay: Duration, slowStart: Duration | undefined): void {
    assertDuration(this, 'healthCheckInterval', interval, 5, 300);
    assertDuration(this, 'healthCheckTimeout', timeout, 2, 120);
    const intervalSeconds = interval.toSeconds({ integral: false });
    const timeoutSeconds = timeout.toSeconds({ integral: false });
    if (!Token.isUnresolved(intervalSeconds) && !Token.isUnresolved(timeoutSeconds) && timeoutSeconds >= intervalSeconds) {
      validationError(this, 'healthCheckTimeout', `less than \`healthCheckInterval\` (${intervalSeconds} seconds)`, timeoutSeconds);
    }
    assertInRange(this, 'healthyThresholdCount', healthy, 2, 10);
    assertInRange(this, 'unhealthyThresholdCount', unhealthy, 2, 10);
    assertDuration(this, 'deregistrationDelay', deregistrationDelay, 0, 3600);
    const slowStartSeconds = slowStart?.toSeconds({ integral: false });
    if (slowStartSeconds !== undefined && !Token.isUnresolved(slowStartSeconds) && slowStartSeconds !== 0) {
      if (!Number.isInteger(slowStartSeconds) || slowStartSeconds < 30 || slowStartSeconds > 900) {
        validationError(this, 'slowStart', 'an integer between 30 and 900 seconds, or 0 for off', slowStartSeconds);
      }
    }
  }

  /** Checks the Service Connect options against the cluster and the resolved names. */
  private validateServiceConnect(serviceConnect: ServiceConnectOptions, task: WorkloadTask, namespaceName: string | undefined,
    discoveryName: string | undefined, port: number | undefined, cluster: EcsCluster): void {
    if (namespaceName === undefined) {
      validationError(this, 'serviceConnect', 'used in a cluster that has a `serviceConnectNamespace`',
        `a cluster without one (${cluster.node.path})`);
    }
    if (task.windows) validationError(this, 'serviceConnect', 'unset for a Windows workload (Service Connect runs on Linux only)', 'Windows');
    // the agent offers Service Connect only where the AMI ships its agent image: the tasks would stay PROVISIONING
    const unsupported = task.capacityWithoutServiceConnect();
    if (unsupported) {
      validationError(this, 'serviceConnect', 'unset, or a `capacityStrategy` of capacities on Amazon Linux 2023 (the ECS-optimized '
        + 'Bottlerocket AMIs do not support Service Connect: its tasks would never start there)',
      `capacity "${unsupported.capacity.node.id}" on ${unsupported.amiName}`);
    }
    if ((serviceConnect.clientOnly ?? false) && (serviceConnect.discoveryName !== undefined || serviceConnect.port !== undefined)) {
      validationError(this, 'serviceConnect', 'without `discoveryName` and `port` when `clientOnly` is true (a client publishes nothing)',
        'clientOnly with a discoveryName or port');
    }
    assertPattern(this, serviceConnect.discoveryName === undefined ? 'serviceConnect.discoveryName (from the id)' : 'serviceConnect.discoveryName',
      discoveryName, /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, '1 to 63 letters, digits, hyphens and underscores, starting with a letter or digit');
    assertInRange(this, 'serviceConnect.port', port, 1, 65535);
  }

  /** Checks the deployment settings. */
  private validateDeployment(minHealthyPercent: number, maxHealthyPercent: number, deploymentAlarms: string[] | undefined): void {
    assertInRange(this, 'minHealthyPercent', minHealthyPercent, 0, 100);
    if (!Token.isUnresolved(maxHealthyPercent) && (!Number.isInteger(maxHealthyPercent) || maxHealthyPercent < 100)) {
      validationError(this, 'maxHealthyPercent', 'an integer of at least 100', maxHealthyPercent);
    }
    if (!Token.isUnresolved(minHealthyPercent) && !Token.isUnresolved(maxHealthyPercent) && maxHealthyPercent <= minHealthyPercent) {
      validationError(this, 'maxHealthyPercent', `above \`minHealthyPercent\` (${minHealthyPercent}), or no task could be replaced`,
        maxHealthyPercent);
    }
    if (deploymentAlarms !== undefined) {
      if (deploymentAlarms.length === 0) validationError(this, 'deploymentAlarms', 'at least one alarm name, or unset', deploymentAlarms);
      deploymentAlarms.forEach((name, index) => assertPattern(this, `deploymentAlarms[${index}]`, name, /^[^\x00-\x1f\x7f]{1,255}$/,
        'a CloudWatch alarm name (1 to 255 characters, no control characters)'));
    }
  }
}

/** The props of a `WebService` with their defaults. */
interface WebServiceSettings {
  readonly containerPort: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly targetCpuUtilizationPercent: number;
  readonly healthCheckPath: string;
  readonly healthyHttpCodes: string;
  readonly healthCheckInterval: Duration;
  readonly healthCheckTimeout: Duration;
  readonly healthyThresholdCount: number;
  readonly unhealthyThresholdCount: number;
  readonly deregistrationDelay: Duration;
  readonly minHealthyPercent: number;
  readonly maxHealthyPercent: number;
  readonly circuitBreaker: CircuitBreakerMode;
  readonly enableExecuteCommand: boolean;
  readonly bridge: boolean;
  readonly placementStrategies: ServicePlacementStrategy[];
  readonly serviceConnect?: ServiceConnectOptions;
  /** Whether the service publishes an endpoint with Service Connect (not a client only). */
  readonly publishes: boolean;
  readonly discoveryName?: string;
  readonly serviceConnectPort?: number;
  readonly namespaceName?: string;
}

/** The props of a `WebService` with their defaults. */
function resolveSettings(id: string, props: WebServiceProps): WebServiceSettings {
  const containerPort = props.containerPort ?? 8080;
  const serviceConnect = props.serviceConnect;
  const publishes = serviceConnect !== undefined && !(serviceConnect.clientOnly ?? false);
  return {
    containerPort,
    minCapacity: props.minCapacity ?? 2,
    maxCapacity: props.maxCapacity ?? 10,
    targetCpuUtilizationPercent: props.targetCpuUtilizationPercent ?? 70,
    healthCheckPath: props.healthCheckPath ?? '/',
    healthyHttpCodes: props.healthCheckHealthyHttpCodes ?? '200-399',
    healthCheckInterval: props.healthCheckInterval ?? Duration.seconds(15),
    healthCheckTimeout: props.healthCheckTimeout ?? Duration.seconds(5),
    healthyThresholdCount: props.healthyThresholdCount ?? 2,
    unhealthyThresholdCount: props.unhealthyThresholdCount ?? 3,
    deregistrationDelay: props.deregistrationDelay ?? Duration.seconds(30),
    minHealthyPercent: props.minHealthyPercent ?? 100,
    maxHealthyPercent: props.maxHealthyPercent ?? 200,
    circuitBreaker: props.circuitBreaker ?? CircuitBreakerMode.ROLLBACK,
    enableExecuteCommand: props.enableExecuteCommand ?? false,
    bridge: (props.networkMode ?? ServiceNetworkMode.AWS_VPC) === ServiceNetworkMode.BRIDGE,
    placementStrategies: props.placementStrategies
      ?? [ServicePlacementStrategy.spreadAcrossZones(), ServicePlacementStrategy.binpackMemory()],
    serviceConnect,
    publishes,
    discoveryName: publishes ? serviceConnect.discoveryName ?? id.toLowerCase() : undefined,
    serviceConnectPort: publishes ? serviceConnect.port ?? containerPort : undefined,
    namespaceName: props.cluster.cloudMapNamespace?.namespaceName,
  };
}
