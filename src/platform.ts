import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AmiUpdateAlerts } from './cluster/ami-update-alerts';
import { Ec2Capacity, Ec2CapacityOptions } from './cluster/ec2-capacity';
import { CapacityPlanning, EcsCluster } from './cluster/ecs-cluster';
import { OpsTopic } from './monitoring/ops-topic';
import { PlatformAlarms, QueueWorkerAlarmOptions, ScheduledTaskAlarmOptions, ServiceAlarmOptions, WebServiceAlarmOptions } from './monitoring/platform-alarms';
import { PlatformDashboard } from './monitoring/platform-dashboard';
import { assertInRange } from './private/validate';
import { ImageRepository, ImageRepositoryProps } from './security/image-repository';
import { PublicLoadBalancer, PublicLoadBalancerOptions } from './service/public-load-balancer';
import { QueueWorker, QueueWorkerOptions } from './service/queue-worker';
import { ScheduledTask, ScheduledTaskOptions } from './service/scheduled-task';
import { WebService, WebServiceOptions } from './service/web-service';

/** Properties for an `EcsPlatform`. */
export interface EcsPlatformProps {
  /**
   * The VPC to run in. It needs public subnets (for the load balancer) and private subnets with egress (for
   * the container instances and tasks) in at least two Availability Zones.
   *
   * @default - a new VPC: `maxAzs` Availability Zones, public /24 and private /20 subnets, a NAT gateway per
   *   zone, and flow logs of all traffic to CloudWatch Logs
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Availability Zones of the new VPC (2 to 6). Ignored when `vpc` is given.
   *
   * @default 2
   */
  readonly maxAzs?: number;

  /**
   * NAT gateways of the new VPC (1 to `maxAzs`): one per zone keeps a zone's outage from cutting off the
   * others' egress. Ignored when `vpc` is given.
   *
   * @default - one per Availability Zone
   */
  readonly natGateways?: number;

  /**
   * How long the new VPC's flow logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * CloudWatch Container Insights for the cluster.
   *
   * @default ecs.ContainerInsights.ENABLED
   */
  readonly containerInsights?: ecs.ContainerInsights;

  /**
   * The cluster's default EC2 capacity.
   *
   * @default - 2 to 10 m6i.large instances on Amazon Linux 2023 (see `Ec2CapacityOptions`)
   */
  readonly capacity?: Ec2CapacityOptions;

  /**
   * Whether the account has ECS ENI trunking on; read by the capacity check (see `EcsClusterProps.awsvpcTrunking`).
   *
   * @default false
   */
  readonly awsvpcTrunking?: boolean;

  /**
   * What the synth-time capacity check does when services cannot all be placed.
   *
   * @default CapacityPlanning.WARN
   */
  readonly capacityPlanning?: CapacityPlanning;

  /**
   * The shared load balancer: certificates, TLS policy, internet-facing or internal, allowed sources, WAF web ACL,
   * route quota, access logs.
   *
   * @default - HTTP only, with deletion protection and access logs (see `PublicLoadBalancerOptions`)
   */
  readonly loadBalancer?: PublicLoadBalancerOptions;

  /**
   * Relay AWS's announcements of new ECS-optimized AMIs to the operations topic (`AmiUpdateAlerts`, its function
   * in the platform's VPC). For an instance refresh on each announcement, build your own `AmiUpdateAlerts`.
   *
   * @default true
   */
  readonly amiUpdateAlerts?: boolean;

  /**
   * Alarms (`PlatformAlarms`) on the cluster, its capacities, the load balancer and every workload added to the
   * platform, sent to the operations topic, and a dashboard (`PlatformDashboard`) built from the same metrics.
   *
   * @default true
   */
  readonly monitoring?: boolean;

  /**
   * Alarm settings for every service, queue worker and their tasks (`PlatformAlarms` `serviceDefaults`).
   *
   * @default - each alarm's own defaults
   */
  readonly serviceAlarmDefaults?: ServiceAlarmOptions;

  /**
   * Email addresses subscribed to the platform's operations topic (Auto Scaling notifications, AMI update alerts, alarms).
   *
   * @default - none: subscribe to `opsTopic` yourself
   */
  readonly opsEmailAddresses?: string[];
}

/**
 * A whole ECS platform on EC2 in one construct: VPC, cluster with an Auto Scaling group capacity provider, and
 * a shared load balancer. Add services with `addWebService()`, queue workers with `addQueueWorker()`, scheduled
 * tasks with `addScheduledTask()` and their image repositories with `addImageRepository()`.
 *
 * Build order: VPC → `OpsTopic` → `EcsCluster` (with its default `Ec2Capacity`) → `PublicLoadBalancer` →
 * `AmiUpdateAlerts` → `PlatformAlarms` and `PlatformDashboard`; each workload added is monitored as it is added. `EcsPlatformStack`
 * is the same platform as a stack of its own, with outputs.
 *
 * @example
 * declare const certificate: acm.ICertificate;
 * const platform = new EcsPlatform(this, 'Platform', { loadBalancer: { certificate } });
 * const images = platform.addImageRepository('ApiImages');
 * platform.addWebService('Api', {
 *   image: images.image('1.4.2'),
 *   route: RouteMatch.pathPatterns('/api/*'),
 * });
 */
export class EcsPlatform extends Construct {
  /** The VPC of the platform. */
  public readonly vpc: ec2.IVpc;
  /** The cluster and its capacity. */
  public readonly cluster: EcsCluster;
  /** The shared load balancer. */
  public readonly loadBalancer: PublicLoadBalancer;
  /** The operations topic: Auto Scaling notifications, AMI update alerts and alarms. */
  public readonly opsTopic: OpsTopic;
  /** The relay of AWS's new-AMI announcements to the operations topic, unless `amiUpdateAlerts` is false. */
  public readonly amiUpdateAlerts?: AmiUpdateAlerts;
  /** The platform's alarms, unless `monitoring` is false. */
  public readonly alarms?: PlatformAlarms;
  /** The platform's dashboard, unless `monitoring` is false. */
  public readonly dashboard?: PlatformDashboard;

  private readonly _webServices: WebService[] = [];
  private readonly _queueWorkers: QueueWorker[] = [];
  private readonly _scheduledTasks: ScheduledTask[] = [];
  private readonly _imageRepositories: ImageRepository[] = [];

  constructor(scope: Construct, id: string, props: EcsPlatformProps = {}) {
    super(scope, id);

    const maxAzs = props.maxAzs ?? 2;
    const natGateways = props.natGateways ?? maxAzs;
    const flowLogRetention = props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR;
    if (!props.vpc) {
      assertInRange(this, 'maxAzs', maxAzs, 2, 6);
      assertInRange(this, 'natGateways', natGateways, 1, maxAzs);
    }

    this.vpc = props.vpc ?? this.newVpc(maxAzs, natGateways, flowLogRetention);
    this.opsTopic = new OpsTopic(this, 'OpsTopic', { emailAddresses: props.opsEmailAddresses });
    this.cluster = new EcsCluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsights: props.containerInsights,
      awsvpcTrunking: props.awsvpcTrunking,
      capacityPlanning: props.capacityPlanning,
      capacity: { notificationsTopic: this.opsTopic.topic, ...props.capacity },
    });
    this.loadBalancer = new PublicLoadBalancer(this, 'LoadBalancer', { ...props.loadBalancer, vpc: this.vpc });
    if (props.amiUpdateAlerts ?? true) {
      this.amiUpdateAlerts = new AmiUpdateAlerts(this, 'AmiUpdateAlerts', { topic: this.opsTopic.topic, vpc: this.vpc });
    }
    if (props.monitoring ?? true) {
      this.alarms = new PlatformAlarms(this, 'Alarms', { topic: this.opsTopic.topic, serviceDefaults: props.serviceAlarmDefaults });
      this.alarms.monitorCluster(this.cluster);
      this.alarms.monitorLoadBalancer(this.loadBalancer);
      this.dashboard = new PlatformDashboard(this, 'Dashboard');
      this.dashboard.addCluster(this.cluster);
      this.dashboard.addLoadBalancer(this.loadBalancer);
    }
  }

  /** The web services added with `addWebService()`, in the order they were added. */
  public get webServices(): WebService[] {
    return [...this._webServices];
  }

  /** The queue workers added with `addQueueWorker()`, in the order they were added. */
  public get queueWorkers(): QueueWorker[] {
    return [...this._queueWorkers];
  }

  /** The scheduled tasks added with `addScheduledTask()`, in the order they were added. */
  public get scheduledTasks(): ScheduledTask[] {
    return [...this._scheduledTasks];
  }

  /** The image repositories added with `addImageRepository()`, in the order they were added. */
  public get imageRepositories(): ImageRepository[] {
    return [...this._imageRepositories];
  }

  /**
   * Adds a capacity (another capacity provider) to the cluster, reporting to the platform's operations topic.
   * Name it in a service's `capacityStrategy`, or in `cluster.configureDefaultCapacityStrategy()`.
   *
   * @param id construct id of the capacity, unique in the cluster
   * @param options the AMI family, instance types, Spot and sizes
   */
  public addCapacity(id: string, options: Ec2CapacityOptions = {}): Ec2Capacity {
    const capacity = this.cluster.addCapacity(id, { notificationsTopic: this.opsTopic.topic, ...options });
    this.alarms?.monitorCapacity(this.cluster, capacity);
    this.dashboard?.addCapacity(this.cluster, capacity);
    return capacity;
  }

  /**
   * Adds a long-running HTTP service on the cluster's capacity, behind the shared load balancer.
   *
   * @param id construct id of the service, unique in the platform; also the id of its route
   * @param options the image, the route and the task's settings
   * @param alarmOptions how the service's alarms are tuned or turned off (with `monitoring` on)
   */
  public addWebService(id: string, options: WebServiceOptions, alarmOptions?: WebServiceAlarmOptions): WebService {
    const service = new WebService(this, id, { ...options, cluster: this.cluster, loadBalancer: this.loadBalancer });
    this.alarms?.monitorWebService(service, alarmOptions);
    this.dashboard?.addWebService(service);
    this._webServices.push(service);
    return service;
  }

  /**
   * Adds workers that take jobs from their own SQS queue, on the cluster's capacity, scaled on the backlog per task.
   *
   * @param id construct id of the worker, unique in the platform
   * @param options the image, the job timeout, the scaling and the task's settings
   * @param alarmOptions how the worker's alarms are tuned or turned off (with `monitoring` on)
   */
  public addQueueWorker(id: string, options: QueueWorkerOptions, alarmOptions?: QueueWorkerAlarmOptions): QueueWorker {
    const worker = new QueueWorker(this, id, { ...options, cluster: this.cluster });
    this.alarms?.monitorQueueWorker(worker, alarmOptions);
    this.dashboard?.addQueueWorker(worker);
    this._queueWorkers.push(worker);
    return worker;
  }

  /**
   * Adds a task that runs to completion on the cluster's capacity, started by a schedule (EventBridge Scheduler)
   * or by matching events (an EventBridge rule).
   *
   * @param id construct id of the task, unique in the platform
   * @param options the image, the trigger and the task's settings
   * @param alarmOptions how the task's alarms are tuned or turned off (with `monitoring` on)
   */
  public addScheduledTask(id: string, options: ScheduledTaskOptions, alarmOptions?: ScheduledTaskAlarmOptions): ScheduledTask {
    const task = new ScheduledTask(this, id, { ...options, cluster: this.cluster });
    this.alarms?.monitorScheduledTask(task, alarmOptions);
    this._scheduledTasks.push(task);
    return task;
  }

  /**
   * Adds an ECR repository with lifecycle rules, for the images of a service.
   *
   * @param id construct id of the repository, unique in the platform
   * @param props the repository's settings
   */
  public addImageRepository(id: string, props: ImageRepositoryProps = {}): ImageRepository {
    const repository = new ImageRepository(this, id, props);
    this._imageRepositories.push(repository);
    return repository;
  }

  private newVpc(maxAzs: number, natGateways: number, flowLogRetention: logs.RetentionDays): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs,
      natGateways,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
    });
    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: flowLogRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    return vpc;
  }
}
