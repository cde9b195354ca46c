import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Ec2CapacityOptions } from './cluster/ec2-capacity';
import { EcsCluster } from './cluster/ecs-cluster';
import { OpsTopic } from './monitoring/ops-topic';
import { assertInRange } from './private/validate';
import { ImageRepository, ImageRepositoryProps } from './security/image-repository';
import { PublicLoadBalancer, PublicLoadBalancerOptions } from './service/public-load-balancer';
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
   * The shared load balancer: certificate, TLS policy, access logs.
   *
   * @default - HTTP only, with deletion protection and access logs (see `PublicLoadBalancerOptions`)
   */
  readonly loadBalancer?: PublicLoadBalancerOptions;

  /**
   * Email addresses subscribed to the platform's operations topic (Auto Scaling notifications, alarms).
   *
   * @default - none: subscribe to `opsTopic` yourself
   */
  readonly opsEmailAddresses?: string[];
}

/**
 * A whole ECS platform on EC2 in one construct: VPC, cluster with an Auto Scaling group capacity provider, and
 * a shared load balancer. Add services with `addWebService()` and their image repositories with
 * `addImageRepository()`.
 *
 * Build order: VPC → `EcsCluster` (with its default `Ec2Capacity`) → `PublicLoadBalancer`. `EcsPlatformStack`
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
  /** The operations topic: Auto Scaling notifications and alarms. */
  public readonly opsTopic: OpsTopic;

  private readonly _webServices: WebService[] = [];
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
      capacity: { notificationsTopic: this.opsTopic.topic, ...props.capacity },
    });
    this.loadBalancer = new PublicLoadBalancer(this, 'LoadBalancer', { ...props.loadBalancer, vpc: this.vpc });
  }

  /** The web services added with `addWebService()`, in the order they were added. */
  public get webServices(): WebService[] {
    return [...this._webServices];
  }

  /** The image repositories added with `addImageRepository()`, in the order they were added. */
  public get imageRepositories(): ImageRepository[] {
    return [...this._imageRepositories];
  }

  /**
   * Adds a long-running HTTP service on the cluster's capacity, behind the shared load balancer.
   *
   * @param id construct id of the service, unique in the platform; also the id of its route
   * @param options the image, the route and the task's settings
   */
  public addWebService(id: string, options: WebServiceOptions): WebService {
    const service = new WebService(this, id, { ...options, cluster: this.cluster, loadBalancer: this.loadBalancer });
    this._webServices.push(service);
    return service;
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
